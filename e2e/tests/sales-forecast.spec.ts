import { expect, test } from '../fixtures';
import { apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { createRepViaApi } from '../pages/work';
import { MANAGER, createDealViaApi, getDealViaApi } from '../pages/sales';

test.use({ locale: 'en-US' });

/** The last day of this month (UTC), so a deal closes within the forecast's first period. */
function endOfMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

test('forecast, quota and rep performance from deals made through the API', async ({ page, request }, testInfo) => {
  const rep = await createRepViaApi(request, 'fc');
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Forecast Ltd', testInfo) });
  const open = await createDealViaApi(request, rep.token, {
    name: uniqueName('Open deal', testInfo),
    customer_id: customer.id,
    amount_minor: 10_000_000,
    currency: 'CNY',
    expected_close_on: endOfMonth(),
  });
  const won = await createDealViaApi(request, rep.token, {
    name: uniqueName('Won deal', testInfo),
    customer_id: customer.id,
    amount_minor: 4_000_000,
    currency: 'CNY',
    expected_close_on: endOfMonth(),
  });
  const current = await getDealViaApi(request, rep.token, won.id);
  const win = await request.post(`/api/v1/opportunities/${won.id}/win`, {
    headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': `"${current.version}"` },
    data: {},
  });
  expect(win.status(), await win.text()).toBe(200);
  expect(open.status).toBe('open');

  // the manager sees the rep's row, by owner, this month first
  await signIn(page, MANAGER, '/forecast?period=month&group=owner');
  await expect(page.getByTestId('forecast-chart')).toBeVisible();
  await expect(page.getByTestId('forecast-bar').first()).toBeVisible();
  const row = page.getByTestId('forecast-row').filter({ hasText: rep.name }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('40,000');

  // a quota for the rep, and the attainment it gives
  await row.getByTestId('quota-edit').click();
  await row.getByTestId('quota-input').fill('80000');
  await row.getByTestId('quota-save').click();
  const again = page.getByTestId('forecast-row').filter({ hasText: rep.name }).first();
  await expect(again.getByTestId('quota-edit')).toContainText('80,000');
  await expect(again.getByTestId('forecast-attainment')).toHaveText('50 %');
  await attachScreenshot(page, testInfo, `forecast-${testInfo.project.name}`);

  // by quarter
  await page.getByTestId('forecast-quarter').click();
  await expect(page).toHaveURL(/period=quarter/);
  await expect(page.getByTestId('forecast-row').filter({ hasText: rep.name }).first()).toBeVisible();

  // performance: the rep with one win, one open deal; the funnel
  await page.goto('/performance');
  const perf = page.getByTestId('perf-rep').filter({ hasText: rep.name });
  await expect(perf).toBeVisible();
  await expect(perf.getByTestId('perf-win-rate')).toHaveText('100 %');
  await expect(perf.getByTestId('perf-open')).toHaveText('1');
  await expect(page.getByTestId('funnel-step').first()).toBeVisible();
  await expect(page.getByTestId('perf-stale-list')).toBeVisible();
  await attachScreenshot(page, testInfo, `performance-${testInfo.project.name}`);
});

test('a rep sees the forecast of their own deals and no quota editing', async ({ page, request }, testInfo) => {
  const rep = await createRepViaApi(request, 'fcrep');
  const token = await apiToken(request, rep.email);
  const customer = await createCustomerViaApi(request, token, { name: uniqueName('Own Ltd', testInfo) });
  await createDealViaApi(request, token, {
    name: uniqueName('Mine', testInfo),
    customer_id: customer.id,
    amount_minor: 2_000_000,
    currency: 'CNY',
    expected_close_on: endOfMonth(),
  });
  await signIn(page, rep.email, '/forecast');
  const row = page.getByTestId('forecast-row').filter({ hasText: rep.name }).first();
  await expect(row).toBeVisible();
  await expect(row.getByTestId('quota-edit')).toHaveCount(0);
  await expect(page.getByTestId('nav-performance')).toHaveCount(0);
});

test('a manager keeps the loss reasons and sees the pipelines', async ({ page }, testInfo) => {
  await signIn(page, MANAGER, '/sales/settings');
  const label = uniqueName('No budget', testInfo);
  await page.getByTestId('loss-reasons-new').fill(label);
  await page.getByTestId('loss-reasons-add').click();
  await expect
    .poll(() => page.getByTestId('loss-reasons-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)))
    .toContain(label);
  await expect(page.getByTestId('pipeline').first()).toBeVisible();
  await expect(page.getByTestId('pipeline-stage').first()).toBeVisible();
  await attachScreenshot(page, testInfo, `sales-settings-${testInfo.project.name}`);
});
