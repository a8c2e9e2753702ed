import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { LoginPage } from './login';

export const DEMO_PASSWORD = 'kehu-demo';

/** Signs in through the UI and waits for the app. */
export async function signInAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<LoginPage> {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(email, password);
  await expect(login.signedInAs).toBeVisible();
  return login;
}

/** Attaches a full-page screenshot to the test's report. */
export async function attachShot(page: Page, testInfo: TestInfo, name: string) {
  const body = await page.screenshot({ fullPage: true, path: testInfo.outputPath(`${name}.png`) });
  await testInfo.attach(`${name}-${testInfo.project.name}`, { body, contentType: 'image/png' });
}

/** A unique suffix per test run and project, so parallel projects never collide. */
export function unique(testInfo: TestInfo): string {
  return `${testInfo.project.name}${Date.now()}`;
}

/** What every admin screen shares: sub-navigation, title and the not-allowed state. */
export class AdminFrame {
  readonly title: Locator;
  readonly notAllowed: Locator;
  readonly navLink: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByTestId('admin-title');
    this.notAllowed = page.getByTestId('admin-not-allowed');
    // the top navigation on desktops; on phones the tab bar's "More", whose
    // sheet holds administration
    this.navLink = page.getByTestId(/^(nav-admin|tab-more)$/).filter({ visible: true });
  }

  /** Goes to administration the way a user does, on a desktop or a phone. */
  async openFromNav() {
    await this.navLink.click();
    const more = this.page.getByTestId('more-admin');
    if (await this.page.getByTestId('more-sheet').isVisible()) {
      await more.click();
    }
  }

  async open(path: 'users' | 'org' | 'roles' | 'api-keys') {
    await this.page.goto(`/admin/${path}`);
  }
}

export class AdminUsersPage extends AdminFrame {
  readonly search: Locator;
  readonly newUser: Locator;
  readonly table: Locator;
  readonly sheet: Locator;
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly team: Locator;
  readonly save: Locator;
  readonly notice: Locator;

  constructor(page: Page) {
    super(page);
    this.search = page.getByTestId('user-search');
    this.newUser = page.getByTestId('user-new');
    this.table = page.getByTestId('users-table');
    this.sheet = page.getByTestId('user-sheet');
    this.name = page.getByTestId('user-name');
    this.email = page.getByTestId('user-email');
    this.password = page.getByTestId('user-password');
    this.team = page.getByTestId('user-team');
    this.save = page.getByTestId('user-save');
    this.notice = this.sheet.getByTestId('notice');
  }

  async goto() {
    await this.open('users');
    await expect(this.table).toBeVisible();
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  }

  role(name: string): Locator {
    return this.page.getByTestId('user-roles').getByRole('checkbox', { name, exact: true });
  }

  region(name: string): Locator {
    return this.page.getByTestId('user-regions').getByRole('checkbox', { name, exact: true });
  }

  async find(text: string) {
    await this.search.fill(text);
    await this.search.press('Enter');
  }
}

export class AdminOrgPage extends AdminFrame {
  readonly newUnit: Locator;
  readonly unitName: Locator;
  readonly unitParent: Locator;
  readonly save: Locator;
  readonly notice: Locator;
  readonly actionError: Locator;

  constructor(page: Page) {
    super(page);
    this.newUnit = page.getByTestId('unit-new');
    this.unitName = page.getByTestId('unit-name');
    this.unitParent = page.getByTestId('unit-parent');
    this.save = page.getByTestId('unit-save');
    this.notice = page.getByTestId('notice');
    this.actionError = page.getByTestId('action-error');
  }

  async goto() {
    await this.open('org');
    await expect(this.page.getByTestId('unit-tree')).toBeVisible();
  }

  tab(key: 'teams' | 'regions' | 'product-lines' | 'partners'): Locator {
    return this.page.getByTestId(`org-tab-${key}`);
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="unit-row"][data-name="${name}"]`);
  }

  /** The row's own buttons, not those of the units below it. */
  action(name: string, testId: string): Locator {
    return this.row(name).locator('> .tree__row').getByTestId(testId);
  }
}

export class AdminRolesPage extends AdminFrame {
  readonly grid: Locator;

  constructor(page: Page) {
    super(page);
    this.grid = page.getByTestId('role-detail').getByTestId('scope-grid');
  }

  async goto() {
    await this.open('roles');
    await expect(this.grid).toBeVisible();
  }

  pick(roleId: string): Locator {
    return this.page.getByTestId(`role-${roleId}`);
  }

  cell(resource: string, action: string): Locator {
    return this.grid.getByTestId(`scope-${resource}-${action}`);
  }
}

export class AdminKeysPage extends AdminFrame {
  readonly newKey: Locator;
  readonly name: Locator;
  readonly user: Locator;
  readonly save: Locator;
  readonly created: Locator;
  readonly key: Locator;
  readonly copy: Locator;
  readonly done: Locator;

  constructor(page: Page) {
    super(page);
    this.newKey = page.getByTestId('key-new');
    this.name = page.getByTestId('key-name');
    this.user = page.getByTestId('key-user');
    this.save = page.getByTestId('key-save');
    this.created = page.getByTestId('key-created');
    this.key = page.getByTestId('new-key');
    this.copy = page.getByTestId('copy-key');
    this.done = page.getByTestId('key-done');
  }

  async goto() {
    await this.open('api-keys');
    await expect(this.title).toBeVisible();
    await expect(this.newKey).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="key-row"][data-name="${name}"]`);
  }
}
