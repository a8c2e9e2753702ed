import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, signIn, uniqueName } from '../pages/customers';
import { LeadSetup, createLeadViaApi, createRuleViaApi } from '../pages/leads';

test.use({ locale: 'en-US' });

test("a target industry's weight changes a lead's score and its explanation", async ({ page, request }, testInfo) => {
  // The weights are one document that a save replaces whole: the phone run of
  // this test, saving at the same moment, would drop this run's industry. The
  // phone's screen is covered by the Chinese test below, which does not save.
  test.skip(testInfo.project.name === 'phone', 'saves the shared weights; once is enough');
  const token = await apiToken(request, ADMIN_EMAIL);
  // an industry of this test only, so no other test's scores move
  const industry = uniqueName('Ship repair', testInfo);
  const lead = await createLeadViaApi(request, token, { name: uniqueName('Scored Person', testInfo), industry });
  const before = lead.score;

  await signIn(page, ADMIN_EMAIL, `/leads/${lead.id}`);
  await expect(page.getByTestId('lead-score-total')).toHaveText(String(before));
  await expect(page.getByTestId('score-industry')).toContainText('+0');
  await page.getByTestId('lead-scoring-link').click();
  await expect(page).toHaveURL(/\/leads\/scoring$/);

  const weights = page.getByTestId('score-weights');
  await expect(page.getByTestId('weight-company')).toHaveValue('10');
  // a weight above its ceiling is refused before anything is sent, at its field
  await page.getByTestId('weight-company').fill('41');
  await page.getByTestId('weights-save').click();
  await expect(weights.locator('.field__error').first()).toBeVisible();
  await page.getByTestId('weight-company').fill('10');

  await page.getByTestId('weight-industry-add').click();
  const row = page.getByTestId('weight-industry').last();
  await row.getByTestId('weight-industry-name').fill(industry);
  await row.getByTestId('weight-industry-points').fill('12');
  await attachScreenshot(page, testInfo, `lead-scoring-${testInfo.project.name}`);
  await page.getByTestId('weights-save').click();
  await expect(page.getByTestId('weights-saved')).toBeVisible();

  await page.goto(`/leads/${lead.id}`);
  await expect(page.getByTestId('score-industry')).toContainText('+12');
  await expect(page.getByTestId('lead-score-total')).toHaveText(String(before + 12));
});

test('an assignment rule is edited in place and two rules change places, kept after a reload', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, ADMIN_EMAIL);
  // positions of this test's own, apart from the other project's run
  const base = (testInfo.project.name === 'phone' ? 6000 : 3000) + 2 * Math.floor(Math.random() * 900);
  const first = await createRuleViaApi(request, token, { position: base, industry: uniqueName('Rule A', testInfo) });
  const second = await createRuleViaApi(request, token, { position: base + 1, industry: uniqueName('Rule B', testInfo) });

  await signIn(page, ADMIN_EMAIL, '/leads/setup');
  const setup = new LeadSetup(page);
  await expect(setup.rule(first.industry)).toHaveCount(1);
  await expect(setup.rule(second.industry)).toHaveCount(1);
  expect(await setup.order(first.industry, second.industry)).toBe(-1);

  // edit in place: the capacity
  await setup.rule(first.industry).getByTestId('lead-rule-edit').click();
  const form = setup.rule(first.industry).getByTestId('lead-rule-edit-form');
  await expect(form.getByTestId('rule-industry')).toHaveValue(first.industry);
  await form.getByTestId('rule-capacity').fill('7');
  await attachScreenshot(page, testInfo, `lead-rule-edit-${testInfo.project.name}`);
  await form.getByTestId('rule-save').click();
  await expect(form).toHaveCount(0);
  await expect(setup.rule(first.industry)).toContainText('at most 7 open');

  // the second one up, above the first
  await setup.rule(second.industry).getByTestId('lead-rule-up').click();
  await expect.poll(() => setup.order(first.industry, second.industry)).toBe(1);
  await attachScreenshot(page, testInfo, `lead-rules-${testInfo.project.name}`);

  await page.reload();
  await expect(setup.rule(first.industry)).toContainText('at most 7 open');
  await expect(setup.rule(second.industry)).toHaveCount(1);
  expect(await setup.order(first.industry, second.industry)).toBe(1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
});

test.describe('zh-CN', () => {
  test.use({ locale: 'zh-CN' });

  test('the score weights speak Chinese', async ({ page }, testInfo) => {
    await signIn(page, ADMIN_EMAIL, '/leads/setup');
    await page.getByTestId('open-scoring').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('评分权重');
    await expect(page.getByText('信息完整度')).toBeVisible();
    await expect(page.getByLabel('转介绍')).toBeVisible();
    await expect(page.getByTestId('weight-company')).not.toHaveValue('');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await attachScreenshot(page, testInfo, `lead-scoring-zh-${testInfo.project.name}`);
  });
});
