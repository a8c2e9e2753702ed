import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { createRepViaApi } from '../pages/work';
import { createDealViaApi, createLossReasonViaApi, createPipelineViaApi, getDealViaApi, inDays, tickViaApi } from '../pages/sales';

test.use({ locale: 'en-US' });

test('a deal created from the customer, its checklist ticked, won: the customer becomes a customer', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'deal');
  const pipeline = await createPipelineViaApi(request, admin, uniqueName('Deals', testInfo));
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Win Ltd', testInfo) });
  await signIn(page, rep.email, `/customers/${customer.id}`);

  // from the customer's page
  await page.getByTestId('customer-new-deal').click();
  await expect(page).toHaveURL(new RegExp(`/opportunities/new\\?customer=${customer.id}`));
  await expect(page.getByTestId('deal-form-customer')).toHaveText(customer.name);
  const name = uniqueName('Chiller retrofit', testInfo);
  await page.getByTestId('deal-form-name').fill(name);
  await page.getByTestId('deal-form-pipeline').selectOption(pipeline.id);
  await page.getByTestId('deal-form-amount').fill('88000.50');
  await attachScreenshot(page, testInfo, `deal-new-${testInfo.project.name}`);
  await page.getByTestId('deal-form-save').click();

  await expect(page.getByTestId('deal-name')).toHaveText(name);
  await expect(page.getByTestId('deal-amount')).toContainText('88,000.50');
  await expect(page.getByTestId('deal-stage')).toHaveText('Discover');
  await expect(page.getByTestId('deal-probability')).toContainText('20 %');
  await expect(page.getByTestId('deal-status')).toHaveText('Open');

  // the stage's checklist: required marked, ticking records who and when
  const items = page.getByTestId('checklist-item');
  await expect(items).toHaveCount(2);
  const budget = items.filter({ hasText: 'Budget confirmed' });
  await expect(budget.getByTestId('checklist-required')).toBeVisible();
  await budget.getByTestId('checklist-tick').check();
  await expect(budget).toContainText(`Done by ${rep.name}`);
  await expect(budget.getByTestId('checklist-tick')).toBeChecked();
  await attachScreenshot(page, testInfo, `deal-checklist-${testInfo.project.name}`);

  // probability overridden, then back to the stage's
  await page.getByTestId('deal-edit').click();
  await page.getByTestId('deal-edit-probability').fill('35');
  await page.getByTestId('deal-edit-save').click();
  await expect(page.getByTestId('deal-probability')).toContainText('35 %');
  await expect(page.getByTestId('deal-probability')).toContainText('set by hand');
  await page.getByTestId('deal-probability-default').click();
  await expect(page.getByTestId('deal-probability')).toHaveText('20 %');

  // won
  await page.getByTestId('deal-win').click();
  await expect(page.getByTestId('win-amount')).toHaveValue('88000.50');
  await page.getByTestId('win-amount').fill('90000');
  await page.getByTestId('win-save').click();
  await expect(page.getByTestId('deal-status').first()).toHaveText('Won');
  await expect(page.getByTestId('deal-outcome')).toContainText('90,000');
  await expect(page.getByTestId('history-entry').first()).toContainText('Discover → Won');
  // a won deal's page is about the win: amount, day, and the checklist work done
  await page.reload();
  await expect(page.getByTestId('deal-close')).toContainText('Deal won');
  await expect(page.getByTestId('outcome-amount')).toContainText('90,000');
  await expect(page.getByTestId('outcome-date')).not.toBeEmpty();
  await expect(page.getByTestId('checklist-empty')).toHaveCount(0);
  await expect(page.getByTestId('deal-checklist')).toContainText('Checklist work done');
  const done = page.getByTestId('checklist-done-item');
  await expect(done).toHaveCount(1);
  await expect(done).toContainText('Budget confirmed');
  await expect(done).toContainText(`Discover · Done by ${rep.name}`);
  await expect(page.getByTestId('checklist-tick')).toHaveCount(0);
  await expect(page.getByTestId('deal-reopen')).toBeVisible();
  // first on a phone, where the cards stack
  const closeBox = await page.getByTestId('deal-close').boundingBox();
  const checklistBox = await page.getByTestId('deal-checklist').boundingBox();
  expect(closeBox!.y).toBeLessThan(checklistBox!.y);
  await attachScreenshot(page, testInfo, `deal-won-${testInfo.project.name}`);

  const c = await request.get(`/api/v1/customers/${customer.id}`, { headers: { Authorization: `Bearer ${rep.token}` } });
  expect((await c.json()).lifecycle_stage).toBe('customer');
  await page.getByTestId('deal-customer').click();
  await expect(page.getByTestId('customer-stage')).toHaveText('Customer');
});

test('a deal lost with a reason and the competitor who won, then reopened', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'lose');
  const reason = await createLossReasonViaApi(request, admin, uniqueName('Price too high', testInfo));
  const rival = await request.post('/api/v1/competitors', {
    headers: { Authorization: `Bearer ${admin}` },
    data: { name: uniqueName('Rival Co', testInfo) },
  });
  expect(rival.status(), await rival.text()).toBe(201);
  const rivalName = (await rival.json()).name;
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Lose Ltd', testInfo) });
  const deal = await createDealViaApi(request, rep.token, {
    name: uniqueName('Pump contract', testInfo),
    customer_id: customer.id,
    amount_minor: 5_000_000,
    currency: 'CNY',
    expected_close_on: inDays(10),
  });
  await signIn(page, rep.email, `/opportunities/${deal.id}`);
  await expect(page.getByTestId('deal-name')).toHaveText(deal.name);

  // a competitor with what they did
  await page.getByTestId('competitor-add').click();
  await page.getByTestId('competitor-pick').selectOption({ label: rivalName });
  await page.getByTestId('competitor-strengths').fill('Cheaper');
  await page.getByTestId('competitor-save').click();
  const competitor = page.getByTestId('deal-competitor').filter({ hasText: rivalName });
  await expect(competitor).toContainText('Cheaper');
  await competitor.getByTestId('competitor-note-text').fill('Offered 10 % off');
  await competitor.getByTestId('competitor-note-save').click();
  await expect(competitor.getByTestId('competitor-note')).toContainText('Offered 10 % off');

  // lost: the reason is required
  await page.getByTestId('deal-lose').click();
  await page.getByTestId('lose-save').click();
  await expect(page.getByTestId('form-error')).toContainText('Choose why the deal was lost');
  await page.getByTestId('lose-reason').selectOption(reason.id);
  await page.getByTestId('lose-competitor').selectOption({ label: rivalName });
  await page.getByTestId('lose-notes').fill('They matched our spec at a lower price.');
  await page.getByTestId('lose-save').click();
  await expect(page.getByTestId('deal-status').first()).toHaveText('Lost');
  await expect(page.getByTestId('deal-loss-reason')).toContainText(reason.label);
  await expect(page.getByTestId('deal-outcome')).toContainText(rivalName);
  await page.reload();
  await expect(page.getByTestId('deal-close')).toContainText('Deal lost');
  await expect(page.getByTestId('outcome-competitor')).toHaveText(rivalName);
  await expect(page.getByTestId('outcome-notes')).toHaveText('They matched our spec at a lower price.');
  await expect(page.getByTestId('checklist-none-done')).toBeVisible();
  // the deal's changes, newest first: who lost it and what that changed
  const changes = page.getByTestId('deal-changes').getByTestId('change-entry');
  await expect(changes.first()).toContainText('Lost');
  await expect(changes.first()).toContainText(rep.name);
  await expect(changes.first()).toContainText('Status: Open → Lost');
  await expect(changes.first()).toContainText('Loss reason changed');
  await expect(changes.last()).toContainText('Deal created');
  await expect(changes.last()).toContainText('Amount: CN¥50,000.00');
  await attachScreenshot(page, testInfo, `deal-lost-${testInfo.project.name}`);
  const lost = await getDealViaApi(request, rep.token, deal.id);
  expect(lost.status).toBe('lost');
  expect(lost.loss_reason_id).toBe(reason.id);

  // reopened
  await page.getByTestId('deal-reopen').click();
  await expect(page.getByTestId('deal-status').first()).toHaveText('Open');
  await expect(page.getByTestId('deal-win')).toBeVisible();
  expect((await getDealViaApi(request, rep.token, deal.id)).status).toBe('open');
});

test('a closed deal of a deleted customer stays readable and says the customer is gone', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'gone');
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Gone Ltd', testInfo) });
  const deal = await createDealViaApi(request, rep.token, {
    name: uniqueName('Chiller', testInfo),
    customer_id: customer.id,
    amount_minor: 1_000_000,
    currency: 'CNY',
    expected_close_on: inDays(5),
  });
  // an open deal keeps its customer out of the trash; a lost one does not
  const refused = await request.delete(`/api/v1/customers/${customer.id}`, { headers: { Authorization: `Bearer ${admin}` } });
  expect(refused.status(), await refused.text()).toBe(409);
  const lost = await request.post(`/api/v1/opportunities/${deal.id}/lose`, {
    headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': '*' },
    data: { reason_id: 'price' },
  });
  expect(lost.status(), await lost.text()).toBe(200);
  const trashed = await request.delete(`/api/v1/customers/${customer.id}`, { headers: { Authorization: `Bearer ${admin}` } });
  expect(trashed.status(), await trashed.text()).toBe(204);

  await signIn(page, rep.email, `/opportunities/${deal.id}`);
  await expect(page.getByTestId('deal-name')).toHaveText(deal.name);
  await expect(page.getByTestId('deal-customer')).toHaveText(customer.name);
  await expect(page.getByTestId('deal-customer-deleted')).toHaveText('deleted customer');
  // no way to a page that is gone
  await expect(page.locator('a[data-testid="deal-customer"]')).toHaveCount(0);
  await expect(page.getByTestId('deal-timeline')).toHaveCount(0);
  await expect(page.getByTestId('deal-close')).toContainText('Deal lost');
  await attachScreenshot(page, testInfo, `deal-customer-deleted-${testInfo.project.name}`);
});

test('the list of deals filters by status and close date', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'list');
  const pipeline = await createPipelineViaApi(request, admin, uniqueName('List', testInfo));
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('List Ltd', testInfo) });
  const soon = await createDealViaApi(request, rep.token, {
    name: uniqueName('Soon', testInfo),
    customer_id: customer.id,
    pipeline_id: pipeline.id,
    stage_id: pipeline.stages[1].id,
    amount_minor: 100_000,
    currency: 'CNY',
    expected_close_on: inDays(5),
  });
  const later = await createDealViaApi(request, rep.token, {
    name: uniqueName('Later', testInfo),
    customer_id: customer.id,
    amount_minor: 200_000,
    currency: 'CNY',
    expected_close_on: inDays(60),
  });
  const current = await getDealViaApi(request, rep.token, soon.id);
  const won = await request.post(`/api/v1/opportunities/${soon.id}/win`, {
    headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': `"${current.version}"` },
    data: {},
  });
  expect(won.status(), await won.text()).toBe(200);

  await signIn(page, rep.email, '/opportunities?owner=me');
  const rows = page.getByTestId('deal-row');
  await expect(rows).toHaveCount(2);
  // ordered by expected close
  await expect(rows.first()).toContainText(soon.name);
  await page.getByTestId('filter-status').selectOption('won');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(soon.name);
  await expect(rows.first().getByTestId('deal-status')).toHaveText('Won');
  await page.getByTestId('filter-status').selectOption('');
  await page.getByTestId('filter-close-from').fill(inDays(30));
  await page.getByTestId('filter-close-from').dispatchEvent('change');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(later.name);
  await attachScreenshot(page, testInfo, `deal-list-${testInfo.project.name}`);
  await rows.first().getByRole('link', { name: later.name }).click();
  await expect(page.getByTestId('deal-name')).toHaveText(later.name);
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('a deal won long ago is in the books: no reopen, and the page says why', async ({ page, request }, testInfo) => {
    const rep = await createRepViaApi(request, 'books');
    const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('入账客户', testInfo) });
    const deal = await createDealViaApi(request, rep.token, {
      name: uniqueName('旧单', testInfo),
      customer_id: customer.id,
      stage_id: 'stage-proposal',
      amount_minor: 12_345_600,
      currency: 'CNY',
      expected_close_on: inDays(10),
    });
    // winning needs the last open stage's required item
    await tickViaApi(request, rep.token, deal.id, 'Proposal sent');
    const current = await getDealViaApi(request, rep.token, deal.id);
    const won = await request.post(`/api/v1/opportunities/${deal.id}/win`, {
      headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': `"${current.version}"` },
      data: { closed_on: inDays(-40) },
    });
    expect(won.status(), await won.text()).toBe(200);

    await signIn(page, rep.email, `/opportunities/${deal.id}`);
    await expect(page.getByTestId('deal-close')).toContainText('已赢单');
    await expect(page.getByTestId('outcome-amount')).toContainText('123,456');
    await expect(page.getByTestId('deal-reopen')).toHaveCount(0);
    await expect(page.getByTestId('deal-in-books')).toContainText('已计入业绩');
    // the default stage named in Chinese beside who ticked it
    await expect(page.getByTestId('checklist-done-item')).toContainText(`制订方案 · ${rep.name} 于`);
    // the win in the deal's changes, in Chinese
    const changes = page.getByTestId('deal-changes').getByTestId('change-entry');
    await expect(changes.first()).toContainText('赢单');
    await expect(changes.first()).toContainText('状态');
    // default stages by their Chinese names, in the stage history and the changes
    await expect(changes.first()).toContainText('阶段: 制订方案 → 赢单');
    await expect(page.getByTestId('deal-history').getByTestId('history-entry').first()).toContainText('制订方案 → 赢单');
    await attachScreenshot(page, testInfo, `deal-in-books-zh-${testInfo.project.name}`);
  });
});
