import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { createRepViaApi, shanghaiDate } from '../pages/work';
import { MANAGER, createDealViaApi, createPipelineViaApi, getDealViaApi } from '../pages/sales';

test.use({ locale: 'en-US' });

/**
 * The last day of this quarter in the users' zone, so that a deal closes
 * within the forecast's first period. The tests read quarters: the server's
 * "today" of a win and the page's "today" may be a day apart, but both in
 * the same quarter (except on its last evening).
 */
function endOfQuarter(): string {
  const [y, m] = shanghaiDate().split('-').map(Number);
  const last = Math.ceil(m / 3) * 3;
  return new Date(Date.UTC(y, last, 0)).toISOString().slice(0, 10);
}

test('forecast, quota and rep performance from deals made through the API', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  // a name of its own: the manager sees every rep of the region, those of parallel tests too
  const rep = await createRepViaApi(request, `fc${Date.now().toString(36)}${testInfo.project.name}`);
  // a pipeline whose last open stage has no checklist, so the deal may be won at once
  const pipeline = await createPipelineViaApi(request, admin, uniqueName('Forecast', testInfo));
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Forecast Ltd', testInfo) });
  const open = await createDealViaApi(request, rep.token, {
    name: uniqueName('Open deal', testInfo),
    customer_id: customer.id,
    amount_minor: 10_000_000,
    currency: 'CNY',
    expected_close_on: endOfQuarter(),
  });
  const won = await createDealViaApi(request, rep.token, {
    name: uniqueName('Won deal', testInfo),
    customer_id: customer.id,
    pipeline_id: pipeline.id,
    stage_id: pipeline.stages[1].id,
    amount_minor: 4_000_000,
    currency: 'CNY',
    expected_close_on: endOfQuarter(),
  });
  const current = await getDealViaApi(request, rep.token, won.id);
  const win = await request.post(`/api/v1/opportunities/${won.id}/win`, {
    headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': `"${current.version}"` },
    data: {},
  });
  expect(win.status(), await win.text()).toBe(200);
  expect(open.status).toBe('open');

  // the manager sees the rep's row, by owner, this quarter first
  await signIn(page, MANAGER, '/forecast?period=quarter&group=owner');
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

  // by month, then back
  await page.getByTestId('forecast-month').click();
  await expect(page).toHaveURL(/period=month/);
  await expect(page.getByTestId('forecast-total').first()).toBeVisible();
  await page.getByTestId('forecast-quarter').click();
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
  const rep = await createRepViaApi(request, `own${Date.now().toString(36)}${testInfo.project.name}`);
  const token = await apiToken(request, rep.email);
  const customer = await createCustomerViaApi(request, token, { name: uniqueName('Own Ltd', testInfo) });
  await createDealViaApi(request, token, {
    name: uniqueName('Mine', testInfo),
    customer_id: customer.id,
    amount_minor: 2_000_000,
    currency: 'CNY',
    expected_close_on: endOfQuarter(),
  });
  await signIn(page, rep.email, '/forecast?period=quarter');
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
