import { test as base, expect, type APIRequestContext } from '@playwright/test';

export const ADMIN = { email: 'admin@example.com', password: 'kehu-demo' } as const;

type Fixtures = {
  /** Fails the test on uncaught page errors (e.g. a wasm panic) and console errors. */
  consoleErrors: string[];
  /** The demo admin's display name, as the API reports it. */
  adminName: string;
};

export const test = base.extend<Fixtures>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (msg) => {
        // Chromium logs every non-2xx fetch; the tests provoke some on purpose.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
          errors.push(`console: ${msg.text()}`);
        }
      });
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
  adminName: async ({ request }, use) => {
    await use(await displayName(request));
  },
});

async function displayName(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: ADMIN });
  expect(res.status(), 'demo admin can sign in through the API').toBe(200);
  const body = await res.json();
  return body.user.display_name;
}

export { expect };
