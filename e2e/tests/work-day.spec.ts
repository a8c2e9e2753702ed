import { expect, test } from '../fixtures';
import { attachScreenshot, createCustomerViaApi, uniqueName } from '../pages/customers';
import { LoginPage } from '../pages/login';
import { createActivityViaApi, createRepViaApi, shanghaiDate } from '../pages/work';

for (const locale of ['en-US', 'zh-CN'] as const) {
  test.describe(locale, () => {
    test.use({ locale });

    test(`my day opens after sign-in with today, overdue, follow-ups and recent customers (${locale})`, async ({ page, request }, testInfo) => {
      const rep = await createRepViaApi(request, `day-${testInfo.project.name}`);
      const c = await createCustomerViaApi(request, rep.token, { name: uniqueName(locale === 'en-US' ? 'Day Ltd' : '今日公司', testInfo) });
      // noon in Shanghai, today and yesterday
      const today = `${shanghaiDate(0)}T04:00:00Z`;
      const yesterday = `${shanghaiDate(-1)}T04:00:00Z`;
      await createActivityViaApi(request, rep.token, c.id, { kind: 'visit', subject: 'Site visit', due_at: today, all_day: true });
      await createActivityViaApi(request, rep.token, c.id, { kind: 'task', subject: 'Send samples', due_at: yesterday, all_day: true });
      await createActivityViaApi(request, rep.token, c.id, { kind: 'call', subject: 'First call', done_at: yesterday, next_follow_up_on: shanghaiDate(0) });

      // a reminder for now, which the scheduler rings within a tick or two
      const auth = { Authorization: `Bearer ${rep.token}` };
      const r = await request.post('/api/v1/reminders', {
        headers: auth,
        data: { remind_at: new Date().toISOString(), note: 'Bring the samples', customer_id: c.id },
      });
      expect(r.status(), await r.text()).toBe(201);
      const unread = async () =>
        (await (await request.get('/api/v1/notifications?unread=true', { headers: auth })).json()).data.map((n: { title: string }) => n.title);
      await expect.poll(unread).toContain('Bring the samples');

      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(rep.email, 'kehu-demo');
      await expect(page).toHaveURL(/\/day$/);
      const reminder = page.getByTestId('day-reminder').filter({ hasText: 'Bring the samples' });
      await expect(reminder).toHaveCount(1);
      await expect(page.getByTestId('day-today').getByTestId('activity')).toContainText('Site visit');
      const overdue = page.getByTestId('day-overdue').getByTestId('activity');
      await expect(overdue).toContainText('Send samples');
      await expect(page.getByTestId('day-follow-up')).toContainText(c.name);
      await expect(page.getByTestId('day-recent').first()).toContainText(c.name);
      await attachScreenshot(page, testInfo, `my-day-${locale}`);

      // a reminder is read where it stands, and the bell follows
      const before = (await unread()).length;
      await expect(page.getByTestId('bell-count')).toHaveText(String(before));
      await reminder.getByTestId('day-reminder-read').click();
      await expect(reminder).toHaveCount(0);
      await expect(page.getByTestId('bell-count')).toHaveText(String(before - 1));

      // done from the list, where it stands
      await overdue.getByTestId('activity-done').click();
      await expect(overdue.getByTestId('activity-status')).toHaveText(locale === 'en-US' ? 'Done' : '已完成');

      // the next day has nothing planned; "today" comes back
      await page.getByTestId('day-next').click();
      await expect(page).toHaveURL(new RegExp(`/day\\?date=${shanghaiDate(1)}$`));
      await expect(page.getByTestId('day-nothing')).toBeVisible();
      await page.getByTestId('day-go-today').click();
      await expect(page.getByTestId('day-today').getByTestId('activity').filter({ hasText: 'Site visit' })).toHaveCount(1);
      // the overdue task was done: it is overdue no more
      await expect(page.getByTestId('day-overdue')).toHaveCount(0);
    });
  });
}

test('my day is in the navigation and its failure to load can be retried', async ({ page, request }, testInfo) => {
  const rep = await createRepViaApi(request, `nav-${testInfo.project.name}`);
  const login = new LoginPage(page);
  await page.goto('/customers');
  await login.signIn(rep.email, 'kehu-demo');
  await expect(page.getByTestId('customer-search')).toBeVisible();
  let fail = true;
  await page.route('**/api/v1/me/day*', (route) => (fail ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: '/problems/unavailable', title: 'Unavailable', status: 503 }) }) : route.fallback()));
  await page.getByTestId(/^(nav|tab)-day$/).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/day$/);
  await expect(page.getByTestId('load-error')).toBeVisible();
  fail = false;
  await page.getByTestId('load-error').getByRole('button').click();
  await expect(page.getByTestId('day-nothing')).toBeVisible();
});
