import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { createRepViaApi } from '../pages/work';
import { Board, createDealViaApi, createPipelineViaApi, dealStage, inDays, tickViaApi, type Pipeline } from '../pages/sales';

test.use({ locale: 'en-US' });

/** A rep of their own with a pipeline, a customer and one deal in its first stage. */
async function setUp(request: Parameters<typeof createRepViaApi>[0], testInfo: Parameters<typeof uniqueName>[1]) {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const rep = await createRepViaApi(request, 'board');
  const pipeline: Pipeline = await createPipelineViaApi(request, admin, uniqueName('Board', testInfo));
  const [discover, propose] = pipeline.stages;
  const customer = await createCustomerViaApi(request, rep.token, { name: uniqueName('Board Ltd', testInfo) });
  const deal = await createDealViaApi(request, rep.token, {
    name: uniqueName('Boiler upgrade', testInfo),
    customer_id: customer.id,
    pipeline_id: pipeline.id,
    stage_id: discover.id,
    amount_minor: 1_250_000,
    currency: 'CNY',
    expected_close_on: inDays(20),
  });
  return { rep, pipeline, discover, propose, deal };
}

test('a refused move says which checklist items are missing and leaves the card', async ({ page, request }, testInfo) => {
  const { rep, pipeline, discover, propose, deal } = await setUp(request, testInfo);
  await signIn(page, rep.email, `/pipeline?pipeline=${pipeline.id}&owner=me`);
  const board = new Board(page);
  const card = board.column(discover.id).getByTestId('deal-card').filter({ hasText: deal.name });
  await expect(card).toBeVisible();
  await expect(board.column(discover.id).getByTestId('column-count')).toHaveText('1');
  await expect(board.column(discover.id).getByTestId('column-sum')).toContainText('12');

  // the way without dragging: "move to" on the card
  await card.getByTestId('deal-card-move').selectOption(propose.id);
  await expect(board.refused).toBeVisible();
  await expect(board.missing).toHaveText(['Budget confirmed']);
  await expect(board.column(discover.id).getByTestId('deal-card').filter({ hasText: deal.name })).toBeVisible();
  await expect(board.column(propose.id).getByTestId('deal-card')).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'board-refused-en');
  expect(await dealStage(request, rep.token, deal.id)).toBe(discover.id);

  // the refusal links to the deal, where the item can be ticked
  await page.getByTestId('missing-open-deal').click();
  await expect(page.getByTestId('deal-name')).toHaveText(deal.name);
});

test('a move over someone else\'s change reads the board again and says so', async ({ page, request }, testInfo) => {
  const { rep, pipeline, discover, propose, deal } = await setUp(request, testInfo);
  await tickViaApi(request, rep.token, deal.id, 'Budget confirmed');
  await signIn(page, rep.email, `/pipeline?pipeline=${pipeline.id}&owner=me`);
  const board = new Board(page);
  await expect(board.card(deal.name)).toBeVisible();
  // meanwhile, elsewhere: the deal changes (the board still holds the old version)
  await tickViaApi(request, rep.token, deal.id, 'Met the buyer');
  // the board reads itself again after the refusal; the next move waits for it
  const reread = page.waitForResponse((r) => r.url().includes('/api/v1/opportunities/board') && r.ok());
  await board.card(deal.name).getByTestId('deal-card-move').selectOption(propose.id);
  await expect(board.refused).toContainText('changed this deal meanwhile');
  await reread;
  await expect(board.column(discover.id).getByTestId('deal-card').filter({ hasText: deal.name })).toBeVisible();
  expect(await dealStage(request, rep.token, deal.id)).toBe(discover.id);
  // the board was read again: the next move goes through
  await board.card(deal.name).getByTestId('deal-card-move').selectOption(propose.id);
  await expect(board.column(propose.id).getByTestId('deal-card').filter({ hasText: deal.name })).toBeVisible();
  await expect.poll(() => dealStage(request, rep.token, deal.id)).toBe(propose.id);
});

test('a card is dragged to the next stage with the mouse or a finger', async ({ page, request }, testInfo) => {
  const { rep, pipeline, discover, propose, deal } = await setUp(request, testInfo);
  await tickViaApi(request, rep.token, deal.id, 'Budget confirmed');
  await signIn(page, rep.email, `/pipeline?pipeline=${pipeline.id}&owner=me`);
  const board = new Board(page);
  const card = board.card(deal.name);
  await expect(card).toBeVisible();
  await attachScreenshot(page, testInfo, `board-before-drag-${testInfo.project.name}`);

  if (testInfo.project.name === 'phone') {
    // a finger on the card's grip: real touch input through the browser, which
    // the board sees as pointer events; at the screen's edge the board scrolls
    const grip = card.getByTestId('deal-card-grip');
    const g = (await grip.boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: string, x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
      });
    const y = g.y + g.height / 2;
    let x = g.x + g.width / 2;
    await touch('touchStart', x, y);
    for (; x < 360; x += 20) {
      await touch('touchMove', x, y);
    }
    await touch('touchMove', 362, y);
    const target = board.column(propose.id);
    // the board scrolls the next column into view; the column marked is the
    // one under the finger, also when the board moved and the finger did not
    await expect.poll(async () => (await target.boundingBox())!.x).toBeLessThan(60);
    await expect(target).not.toHaveClass(/board-col--over/);
    const t = (await target.boundingBox())!;
    await touch('touchMove', t.x + t.width / 2, y);
    await expect(target).toHaveClass(/board-col--over/);
    await attachScreenshot(page, testInfo, 'board-dragging-phone');
    await touch('touchEnd', t.x + t.width / 2, y);
  } else {
    const c = (await card.boundingBox())!;
    const t = (await board.column(propose.id).boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + 20);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width / 2 + 30, c.y + 30, { steps: 3 });
    await page.mouse.move(t.x + t.width / 2, t.y + 60, { steps: 8 });
    await expect(board.column(propose.id)).toHaveClass(/board-col--over/);
    await attachScreenshot(page, testInfo, 'board-dragging-desktop');
    await page.mouse.up();
  }

  await expect(board.column(propose.id).getByTestId('deal-card').filter({ hasText: deal.name })).toBeVisible();
  await expect(board.column(discover.id).getByTestId('deal-card')).toHaveCount(0);
  await expect.poll(() => dealStage(request, rep.token, deal.id)).toBe(propose.id);
  await expect(board.column(propose.id).getByTestId('column-count')).toHaveText('1');
  // the drag did not open the deal
  await expect(page).toHaveURL(/\/pipeline/);
  await attachScreenshot(page, testInfo, `board-after-drag-${testInfo.project.name}`);
});

test('the board scrolls column by column on a phone and shows the weighted sums', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone layout');
  const { rep, pipeline, discover } = await setUp(request, testInfo);
  await signIn(page, rep.email, `/pipeline?pipeline=${pipeline.id}&owner=me`);
  const board = new Board(page);
  await expect(board.columns).toHaveCount(4);
  const first = (await board.column(discover.id).boundingBox())!;
  expect(first.width).toBeGreaterThan(250);
  expect(first.width).toBeLessThan(375);
  await expect(board.column(discover.id).getByTestId('column-weighted')).toContainText('weighted');
  await expect(page.locator('.board')).toHaveCSS('scroll-snap-type', 'x mandatory');
  await attachScreenshot(page, testInfo, 'board-phone-en');
});
