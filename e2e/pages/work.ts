import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/** The activity form (`/customers/{id}/log`, and editing on an activity's page). */
export class ActivityForm {
  readonly form: Locator;
  readonly save: Locator;
  readonly subject: Locator;
  readonly notes: Locator;
  readonly outcome: Locator;
  readonly followUp: Locator;
  readonly doneAt: Locator;
  readonly due: Locator;
  readonly place: Locator;
  readonly locate: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('activity-form');
    this.save = page.getByTestId('activity-save');
    this.subject = page.getByTestId('activity-subject');
    this.notes = page.getByTestId('activity-notes');
    this.outcome = page.getByTestId('activity-outcome');
    this.followUp = page.getByTestId('activity-follow-up');
    this.doneAt = page.getByTestId('activity-done-at');
    this.due = page.getByTestId('activity-due');
    this.place = page.getByTestId('activity-place');
    this.locate = page.getByTestId('activity-locate');
    this.error = page.getByTestId('form-error');
  }

  kind(k: string): Locator {
    return this.page.getByTestId(`kind-${k}`);
  }

  /** The chips are radio inputs under their labels: click the label. */
  async chooseKind(k: string) {
    await this.page.getByTestId('activity-kinds').locator('label', { has: this.kind(k) }).click();
  }

  async plan() {
    await this.page.locator('label', { has: this.page.getByTestId('mode-plan') }).click();
  }
}

/** A customer's timeline page. */
export class Timeline {
  readonly entries: Locator;
  readonly activities: Locator;
  readonly kind: Locator;
  readonly person: Locator;
  readonly more: Locator;
  readonly saved: Locator;

  constructor(readonly page: Page) {
    this.entries = page.getByTestId('timeline-entry');
    this.activities = page.getByTestId('activity');
    this.kind = page.getByTestId('timeline-kind');
    this.person = page.getByTestId('timeline-person');
    this.more = page.getByTestId('timeline-more');
    this.saved = page.getByTestId('activity-saved');
  }

  async goto(customerId: string) {
    await this.page.goto(`/customers/${customerId}/timeline`);
  }

  activity(text: string): Locator {
    return this.activities.filter({ hasText: text });
  }
}

export async function api(request: APIRequestContext, token: string) {
  return { Authorization: `Bearer ${token}` };
}

/** Creates an activity through the API. */
export async function createActivityViaApi(
  request: APIRequestContext,
  token: string,
  customerId: string,
  body: Record<string, unknown>,
): Promise<{ id: string; version: number; subject: string | null }> {
  const res = await request.post(`/api/v1/customers/${customerId}/activities`, {
    data: body,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** A time `hours` from now, RFC 3339 UTC. */
export function hoursFromNow(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A sales rep of their own, made for one test, so that lists of "my"
 * things (my day, notifications, settings) hold only what the test made
 * while other tests run beside it. Same region and team as the demo's rep.
 */
export async function createRepViaApi(
  request: APIRequestContext,
  tag: string,
): Promise<{ id: string; email: string; name: string; token: string }> {
  const login = await request.post('/api/v1/auth/login', { data: { email: 'admin@example.com', password: 'kehu-demo' } });
  const auth = { Authorization: `Bearer ${(await login.json()).access_token}` };
  const list = await request.get('/api/v1/users?limit=200', { headers: auth });
  const demoRep = (await list.json()).data.find((u: { email: string }) => u.email === 'rep.east@example.com');
  const email = `rep.${tag}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@example.com`;
  const name = `Rep ${tag}`;
  const created = await request.post('/api/v1/users', {
    headers: auth,
    data: {
      email,
      display_name: name,
      password: 'kehu-demo',
      role_ids: ['sales_rep'],
      region_ids: demoRep.region_ids ?? [],
      team_id: demoRep.team_id ?? null,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const user = await created.json();
  const own = await request.post('/api/v1/auth/login', { data: { email, password: 'kehu-demo' } });
  expect(own.status()).toBe(200);
  return { id: user.id, email, name, token: (await own.json()).access_token };
}

/** Today's date in Asia/Shanghai (the demo users' zone), `YYYY-MM-DD`, moved by `days`. */
export function shanghaiDate(days = 0): string {
  const ms = Date.now() + 8 * 3_600_000 + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}
