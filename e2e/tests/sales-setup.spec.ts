import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { createRepViaApi } from '../pages/work';
import { Board, createDealViaApi, createPipelineViaApi, getDealViaApi, inDays } from '../pages/sales';

test.use({ locale: 'en-US' });

test('a stage added and one renamed in the pipeline editor are saved and shown on the board', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const name = uniqueName('Editor', testInfo);
  const pipeline = await createPipelineViaApi(request, admin, name);

  await signIn(page, ADMIN_EMAIL, '/sales/settings');
  const card = page.getByTestId('pipeline').filter({ hasText: name });
  await card.getByTestId('pipeline-edit').click();
  const editor = card.getByTestId('pipeline-editor');
  const stages = editor.getByTestId('stage-editor');
  await expect(stages).toHaveCount(4);

  // "Propose" becomes "Tender", and a stage "Negotiate" follows it
  await stages.nth(1).getByTestId('stage-name').fill('Tender');
  await editor.getByTestId('stage-add').click();
  await expect(stages).toHaveCount(5);
  const added = stages.nth(2);
  await added.getByTestId('stage-name').fill('Negotiate');
  await added.getByTestId('stage-probability').fill('80');
  await added.getByTestId('checklist-add').click();
  await added.getByTestId('checklist-edit-label').fill('Terms agreed');
  await added.getByTestId('checklist-edit-required').check();
  // the name typed before adding the stage is still there
  await expect(stages.nth(1).getByTestId('stage-name')).toHaveValue('Tender');
  await attachScreenshot(page, testInfo, `pipeline-editor-${testInfo.project.name}`);
  await editor.getByTestId('pipeline-save').click();
  await expect(editor).toHaveCount(0);

  await page.reload();
  const rows = page.getByTestId('pipeline').filter({ hasText: name }).getByTestId('pipeline-stage');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(1)).toContainText('Tender');
  await expect(rows.nth(2)).toContainText('Negotiate');
  await expect(rows.nth(2)).toContainText('80 %');
  await expect(rows.nth(2)).toContainText('Terms agreed');

  const board = new Board(page);
  await board.goto(pipeline.id);
  const names = board.columns.getByTestId('column-name');
  await expect(names).toHaveText(['Discover', 'Tender', 'Negotiate', 'Won', 'Lost']);
  await attachScreenshot(page, testInfo, `pipeline-board-${testInfo.project.name}`);
});

test("a competitor's strengths, weaknesses and status are edited on a deal, and a note of what they did is kept", async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'rival');
  const rival = await request.post('/api/v1/competitors', {
    headers: { Authorization: `Bearer ${admin}` },
    data: { name: uniqueName('Rival Works', testInfo) },
  });
  expect(rival.status(), await rival.text()).toBe(201);
  const competitor = await rival.json();
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Rival Ltd', testInfo) });
  const deal = await createDealViaApi(request, rep.token, {
    name: uniqueName('Boiler', testInfo),
    customer_id: customer.id,
    amount_minor: 2_000_000,
    currency: 'CNY',
    expected_close_on: inDays(20),
  });
  const current = await getDealViaApi(request, rep.token, deal.id);
  const added = await request.post(`/api/v1/opportunities/${deal.id}/competitors`, {
    headers: { Authorization: `Bearer ${rep.token}`, 'If-Match': `"${current.version}"` },
    data: { competitor_id: competitor.id, strengths: 'Local service' },
  });
  expect(added.status(), await added.text()).toBe(201);

  await signIn(page, rep.email, `/opportunities/${deal.id}`);
  const item = page.getByTestId('deal-competitor').filter({ hasText: competitor.name });
  await expect(item).toContainText('Local service');
  await expect(item.getByTestId('competitor-status')).toHaveText('Competing');

  await item.getByTestId('competitor-edit').click();
  await expect(item.getByTestId('competitor-edit-strengths')).toHaveValue('Local service');
  await item.getByTestId('competitor-edit-strengths').fill('Local service, fast delivery');
  await item.getByTestId('competitor-edit-weaknesses').fill('No 24 h hotline');
  await item.getByTestId('competitor-status-pick').selectOption('withdrawn');
  await item.scrollIntoViewIfNeeded();
  await attachScreenshot(page, testInfo, `competitor-edit-${testInfo.project.name}`);
  await item.getByTestId('competitor-edit-save').click();
  await expect(item.getByTestId('competitor-status')).toHaveText('Withdrew');
  await expect(item.getByTestId('competitor-strengths')).toHaveText('Local service, fast delivery');
  await expect(item.getByTestId('competitor-weaknesses')).toHaveText('No 24 h hotline');

  // what they did, on a day of its own
  await item.getByTestId('competitor-note-date').fill(inDays(-3));
  await item.getByTestId('competitor-note-text').fill('Called the buyer directly');
  await item.getByTestId('competitor-note-save').click();
  await expect(item.getByTestId('competitor-note')).toContainText('Called the buyer directly');
  await expect(item.getByTestId('competitor-note-text')).toHaveValue('');

  await page.reload();
  await expect(item.getByTestId('competitor-status')).toHaveText('Withdrew');
  await expect(item.getByTestId('competitor-weaknesses')).toHaveText('No 24 h hotline');
  await expect(item.getByTestId('competitor-note')).toContainText(rep.name);
  const saved = await getDealViaApi(request, rep.token, deal.id);
  expect(saved.competitors[0].status).toBe('withdrawn');
  expect(saved.competitors[0].activities[0].happened_on).toBe(inDays(-3));
  await item.scrollIntoViewIfNeeded();
  await attachScreenshot(page, testInfo, `competitor-saved-${testInfo.project.name}`);
});
