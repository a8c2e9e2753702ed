import { expect, test } from '../fixtures';
import { attachScreenshot } from '../pages/customers';
import { LoginPage } from '../pages/login';
import { createRepViaApi } from '../pages/work';

test.use({ locale: 'en-US' });

test('notification settings are saved and kept', async ({ page, request }, testInfo) => {
  const rep = await createRepViaApi(request, `prefs-${testInfo.project.name}`);
  const login = new LoginPage(page);
  await page.goto('/settings');
  await login.signIn(rep.email, 'kehu-demo');
  const form = page.getByTestId('preferences-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('time-zone')).toHaveValue('Asia/Shanghai');
  await page.getByTestId('time-zone').selectOption('Europe/Berlin');
  await page.getByTestId('email').uncheck();
  await page.getByTestId('quiet-hours').check();
  await page.getByTestId('quiet-start').fill('21:30');
  await page.getByTestId('kind-birthday').uncheck();
  await page.getByTestId('renewal_days_before').fill('45');
  await attachScreenshot(page, testInfo, 'settings-en');
  await page.getByTestId('preferences-save').click();
  await expect(page.getByTestId('preferences-saved')).toBeVisible();

  const res = await request.get('/api/v1/me/preferences', { headers: { Authorization: `Bearer ${rep.token}` } });
  const prefs = await res.json();
  expect(prefs.time_zone).toBe('Europe/Berlin');
  expect(prefs.email).toBe(false);
  expect(prefs.quiet_hours).toEqual({ start: '21:30', end: '08:00' });
  expect(prefs.kinds.birthday).toBe(false);
  expect(prefs.renewal_days_before).toBe(45);

  await page.reload();
  await expect(page.getByTestId('time-zone')).toHaveValue('Europe/Berlin');
  await expect(page.getByTestId('quiet-start')).toHaveValue('21:30');
});

test('a number out of range is refused next to its field', async ({ page, request }, testInfo) => {
  const rep = await createRepViaApi(request, `range-${testInfo.project.name}`);
  const login = new LoginPage(page);
  await page.goto('/settings');
  await login.signIn(rep.email, 'kehu-demo');
  await page.getByTestId('birthday_days_before').fill('99');
  await page.getByTestId('preferences-save').click();
  await expect(page.getByTestId('birthday_days_before-error')).toBeVisible();
});

test('the calendar feed is created, copied, renewed and turned off', async ({ page, request, context }, testInfo) => {
  const rep = await createRepViaApi(request, `cal-${testInfo.project.name}`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const login = new LoginPage(page);
  await page.goto('/settings');
  await login.signIn(rep.email, 'kehu-demo');
  const card = page.getByTestId('calendar');
  await expect(card.getByTestId('calendar-inactive')).toBeVisible();
  await card.getByTestId('calendar-create').click();
  const url = card.getByTestId('calendar-url');
  await expect(url).toHaveValue(/\/calendar\/.+\.ics$/);
  const first = await url.inputValue();
  const feed = await request.get(first);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');

  await card.getByTestId('calendar-copy').click();
  await expect(card.getByTestId('calendar-copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await attachScreenshot(page, testInfo, 'calendar-en');

  await card.getByTestId('calendar-rotate').click();
  await card.getByTestId('calendar-confirm-yes').click();
  await expect(url).not.toHaveValue(first);
  expect((await request.get(first)).status()).toBe(404);
  const second = await url.inputValue();
  expect((await request.get(second)).status()).toBe(200);

  // back later, the address is not shown again (the server keeps only its hash)
  await page.reload();
  await expect(card.getByTestId('calendar-active')).toBeVisible();
  await expect(url).toHaveCount(0);
  await card.getByTestId('calendar-revoke').click();
  await card.getByTestId('calendar-confirm-yes').click();
  await expect(card.getByTestId('calendar-inactive')).toBeVisible();
  expect((await request.get(second)).status()).toBe(404);
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('the settings page in Chinese', async ({ page, request }, testInfo) => {
    const rep = await createRepViaApi(request, `prefs-zh-${testInfo.project.name}`);
    const login = new LoginPage(page);
    await page.goto('/settings');
    await login.signIn(rep.email, 'kehu-demo');
    await expect(page.getByRole('heading', { name: '通知设置' })).toBeVisible();
    await expect(page.getByTestId('calendar-inactive')).toHaveText('您还没有日历订阅。');
    await attachScreenshot(page, testInfo, 'settings-zh');
  });
});
