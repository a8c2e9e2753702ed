import { expect, test } from '../fixtures';
import { attachScreenshot, createCustomerViaApi, uniqueName } from '../pages/customers';
import { LoginPage } from '../pages/login';
import { createRepViaApi } from '../pages/work';

/** Now in Asia/Shanghai as a datetime-local value. */
function shanghaiNow(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
}

for (const locale of ['en-US', 'zh-CN'] as const) {
  test.describe(locale, () => {
    test.use({ locale });

    test(`a reminder set by hand rings the bell, opens its customer and is read (${locale})`, async ({ page, request }, testInfo) => {
      const rep = await createRepViaApi(request, `bell-${testInfo.project.name}-${locale}`);
      const auth = { Authorization: `Bearer ${rep.token}` };
      const c = await createCustomerViaApi(request, rep.token, { name: uniqueName(locale === 'en-US' ? 'Bell Ltd' : '铃铛公司', testInfo) });
      const login = new LoginPage(page);
      await page.goto(`/customers/${c.id}/timeline`);
      await login.signIn(rep.email, 'kehu-demo');

      const remind = page.getByTestId('remind-me');
      await remind.getByTestId('remind-open').click();
      await expect(remind.getByTestId('remind-note')).toHaveValue(c.name);
      await remind.getByTestId('remind-at').fill(shanghaiNow());
      await remind.getByTestId('remind-note').fill('Ask about the order');
      await remind.getByTestId('remind-save').click();
      await expect(remind.getByTestId('remind-form')).toHaveCount(0);

      // the scheduler turns it into a notification within a tick or two
      await expect
        .poll(async () => (await (await request.get('/api/v1/notifications/unread-count', { headers: auth })).json()).count)
        .toBe(1);
      await page.getByTestId('bell').click();
      await expect(page).toHaveURL(/\/notifications$/);
      await expect(page.getByTestId('bell-count')).toHaveText('1');
      const note = page.getByTestId('notification');
      await expect(note).toHaveCount(1);
      await expect(note).toContainText('Ask about the order');
      await attachScreenshot(page, testInfo, `notifications-${locale}`);

      // opening it reads it and shows its customer
      await note.getByTestId('notification-open').click();
      await expect(page).toHaveURL(new RegExp(`/customers/${c.id}$`));
      await expect(page.getByTestId('customer-name')).toHaveText(c.name);
      await expect(page.getByTestId('bell-count')).toHaveCount(0);

      // two more, by the API: one marked read where it stands, then all
      for (const text of ['Call back', 'Send the offer']) {
        const r = await request.post('/api/v1/reminders', {
          headers: auth,
          data: { remind_at: new Date().toISOString(), note: text, customer_id: c.id },
        });
        expect(r.status(), await r.text()).toBe(201);
      }
      await expect
        .poll(async () => (await (await request.get('/api/v1/notifications/unread-count', { headers: auth })).json()).count)
        .toBe(2);
      await page.getByTestId('bell').click();
      await expect(page.getByTestId('notification')).toHaveCount(2);
      await page.getByTestId('notification').filter({ hasText: 'Call back' }).getByTestId('notification-read').click();
      await expect(page.getByTestId('bell-count')).toHaveText('1');
      await page.getByTestId('read-all').click();
      await expect(page.getByTestId('notifications-empty')).toBeVisible();
      await expect(page.getByTestId('bell-count')).toHaveCount(0);
      // all of them, read, under "all"
      await page.getByTestId('show-all').click();
      await expect(page.getByTestId('notification')).toHaveCount(3);
    });
  });
}
