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

test.describe('zh-CN, worded by the app', () => {
  test.use({ locale: 'zh-CN' });

  test("the scheduler's notifications read in Chinese, the server's English kept out", async ({ page, request }, testInfo) => {
    const rep = await createRepViaApi(request, `words-${testInfo.project.name}`);
    const auth = { Authorization: `Bearer ${rep.token}` };
    const name = uniqueName('续约客户', testInfo);
    // a renewal ten days ahead: due at once (the default warns 30 days before)
    const renewOn = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await createCustomerViaApi(request, rep.token, { name, renewal_on: renewOn });
    await expect
      .poll(async () => (await (await request.get('/api/v1/notifications/unread-count', { headers: auth })).json()).count)
      .toBe(1);
    const list = await (await request.get('/api/v1/notifications', { headers: auth })).json();
    expect(list.data[0].kind).toBe('renewal');
    expect(list.data[0].title).toContain('Renewal');

    await page.goto('/notifications');
    await new LoginPage(page).signIn(rep.email, 'kehu-demo');
    const note = page.getByTestId('notification');
    await expect(note).toHaveCount(1);
    await expect(note.getByTestId('notification-open')).toHaveText(new RegExp(`^续约：${name}，`));
    await expect(note).not.toContainText('Renewal');
    await attachScreenshot(page, testInfo, `notifications-worded-zh-${testInfo.project.name}`);
    // my day says it the same way
    await page.goto('/day');
    await expect(page.getByTestId('day-reminder')).toContainText(`续约：${name}，`);
  });
});
