import { expect, type APIRequestContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { LoginPage } from './login';

export const PASSWORD = 'kehu-demo';
export const REP = 'rep.east@example.com';
export const ADMIN_EMAIL = 'admin@example.com';

/** A name no other test uses, readable in screenshots. */
export function uniqueName(prefix: string, testInfo: TestInfo): string {
  const tag = `${testInfo.project.name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  return `${prefix} ${tag}`;
}

/** A mobile number no other test uses (the API refuses likely duplicates), as typed: 139 xxxx xxxx. */
export function uniqueMobile(): { spaced: string; digits: string } {
  const rest = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const digits = `139${rest}`;
  return { spaced: `139 ${rest.slice(0, 4)} ${rest.slice(4)}`, digits };
}

/** Signs in through the sign-in page and waits for the customer list. */
export async function signIn(page: Page, email: string, path = '/customers') {
  const login = new LoginPage(page);
  await page.goto(path);
  await expect(login.submit).toBeVisible();
  await login.signIn(email, PASSWORD);
  await expect(login.signedInAs).toBeVisible();
}

/** An access token for direct API calls. */
export async function apiToken(request: APIRequestContext, email: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
  return (await res.json()).access_token;
}

export async function createCustomerViaApi(
  request: APIRequestContext,
  token: string,
  body: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const res = await request.post('/api/v1/customers', {
    data: body,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** Changes a customer as someone else would: read the version, then PATCH with it. */
export async function patchCustomerViaApi(
  request: APIRequestContext,
  token: string,
  id: string,
  body: Record<string, unknown>,
) {
  const headers = { Authorization: `Bearer ${token}` };
  const got = await request.get(`/api/v1/customers/${id}`, { headers });
  expect(got.status()).toBe(200);
  const res = await request.patch(`/api/v1/customers/${id}`, {
    data: body,
    headers: { ...headers, 'If-Match': got.headers()['etag'] },
  });
  expect(res.status(), await res.text()).toBe(200);
}

export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

export class CustomerList {
  readonly search: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly openFilters: Locator;
  readonly filterPanel: Locator;
  readonly stage: Locator;
  readonly owner: Locator;
  readonly filtersDone: Locator;
  readonly emptyFiltered: Locator;
  readonly toast: Locator;
  readonly undo: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByTestId('customer-search');
    this.rows = page.getByTestId('customer-row');
    this.count = page.getByTestId('customer-count');
    this.openFilters = page.getByTestId('open-filters');
    this.filterPanel = page.getByTestId('filter-panel');
    this.stage = page.getByTestId('filter-stage');
    this.owner = page.getByTestId('filter-owner');
    this.filtersDone = page.getByTestId('filters-done');
    this.emptyFiltered = page.getByTestId('empty-filtered');
    this.toast = page.getByTestId('toast');
    this.undo = page.getByTestId('undo');
  }

  async goto(query = '') {
    await this.page.goto(`/customers${query}`);
    await expect(this.search).toBeVisible();
  }

  /** The number in "N customers". */
  async total(): Promise<number> {
    await expect(this.count).toBeVisible();
    return Number((await this.count.innerText()).replace(/[^0-9]/g, ''));
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** Desktop: the filters sit beside the list; phone: they open in a sheet. */
  async withFilters(isMobile: boolean, act: () => Promise<void>) {
    if (isMobile) {
      await expect(this.stage).toBeHidden();
      await this.openFilters.click();
      await expect(this.page.getByRole('dialog')).toBeVisible();
    }
    await act();
    if (isMobile) {
      await this.filtersDone.click();
      await expect(this.page.getByRole('dialog')).toHaveCount(0);
    }
  }
}

export class CustomerForm {
  readonly name: Locator;
  readonly industry: Locator;
  readonly save: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByTestId('name');
    this.industry = page.getByTestId('industry');
    this.save = page.getByTestId('customer-save');
    this.error = page.getByTestId('form-error');
  }

  phone(i: number): Locator {
    return this.page.getByTestId(`phones-${i}`);
  }

  phoneError(i: number): Locator {
    return this.page.getByTestId(`phones-${i}-error`);
  }

  email(i: number): Locator {
    return this.page.getByTestId(`emails-${i}`);
  }
}

export class CustomerPage {
  readonly heading: Locator;
  readonly stage: Locator;
  readonly delete: Locator;
  readonly conflict: Locator;
  readonly reapply: Locator;
  readonly contacts: Locator;
  readonly owner: Locator;
  readonly claim: Locator;
  readonly release: Locator;
  readonly ownerChanges: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByTestId('customer-name');
    this.stage = page.getByTestId('customer-stage');
    this.delete = page.getByTestId('customer-delete');
    this.conflict = page.getByTestId('conflict');
    this.reapply = page.getByTestId('conflict-reapply');
    this.contacts = page.getByTestId('contact');
    this.owner = page.getByTestId('customer-owner');
    this.claim = page.getByTestId('customer-claim');
    this.release = page.getByTestId('customer-release');
    this.ownerChanges = page.getByTestId('owner-change');
  }

  async goto(id: string) {
    await this.page.goto(`/customers/${id}`);
  }

  section(slug: 'profile' | 'reach' | 'notes'): Locator {
    return this.page.getByTestId(`section-${slug}`);
  }

  async edit(slug: 'profile' | 'reach' | 'notes') {
    await this.page.getByTestId(`edit-${slug}`).click();
  }

  async save(slug: 'profile' | 'reach' | 'notes') {
    await this.page.getByTestId(`save-${slug}`).click();
  }
}
