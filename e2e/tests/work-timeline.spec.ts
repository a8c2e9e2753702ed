import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, REP, apiToken, attachScreenshot, createCustomerViaApi, patchCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { Timeline, createActivityViaApi } from '../pages/work';
import { createDealViaApi, inDays, moveDealViaApi } from '../pages/sales';

test.use({ locale: 'zh-CN' });

test('the timeline mixes activities and changes, filters by kind and person, and pages', async ({ page, request }, testInfo) => {
  const rep = await apiToken(request, REP);
  const admin = await apiToken(request, ADMIN_EMAIL);
  const c = await createCustomerViaApi(request, rep, { name: uniqueName('时间线客户', testInfo) });
  await patchCustomerViaApi(request, rep, c.id, { lifecycle_stage: 'interested' });
  // 31 notes by the rep, one by the admin: more than a page
  for (let i = 1; i <= 31; i++) {
    await createActivityViaApi(request, rep, c.id, { kind: 'note', subject: `笔记 ${i}` });
  }
  await createActivityViaApi(request, admin, c.id, { kind: 'call', subject: '经理的电话', done: true });

  await signIn(page, REP, `/customers/${c.id}`);
  await page.getByTestId('open-timeline').click();
  const timeline = new Timeline(page);
  await expect(timeline.entries).toHaveCount(30);
  await expect(timeline.entries.first()).toContainText('经理的电话');
  // whose it is: the admin's call among the rep's notes
  await expect(timeline.entries.first().getByTestId('activity-owner')).toHaveText('系统管理员');
  await attachScreenshot(page, testInfo, 'timeline-zh');
  await timeline.more.click();
  // the rest: the last notes, the stage change and the creation
  await expect(page.getByTestId('activity-title').filter({ hasText: /^笔记 1$/ })).toHaveCount(1);
  await expect(timeline.entries.filter({ hasText: '阶段变更' })).toHaveCount(1);
  await expect(timeline.more).toHaveCount(0);

  await timeline.kind.selectOption('stage_change');
  await expect(timeline.entries).toHaveCount(1);
  await expect(timeline.entries.first()).toContainText('潜在 → 意向');

  await timeline.kind.selectOption('activity');
  await timeline.person.selectOption({ label: '我' });
  await expect(timeline.entries).toHaveCount(30);
  await expect(timeline.entries.filter({ hasText: '经理的电话' })).toHaveCount(0);
});

test('a hidden customer has no timeline', async ({ page, request }, testInfo) => {
  // another rep's customer (rep.south) is outside rep.east's scope
  const other = await apiToken(request, 'rep.south@example.com');
  const c = await createCustomerViaApi(request, other, { name: uniqueName('别人的客户', testInfo) });
  await signIn(page, REP, `/customers/${c.id}/timeline`);
  await expect(page.getByTestId('customer-not-found')).toBeVisible();
});

test("a deal's steps on the timeline name the default stages in the reader's language", async ({ page, request }, testInfo) => {
  const rep = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, rep, { name: uniqueName('商机时间线', testInfo) });
  const deal = await createDealViaApi(request, rep, {
    name: uniqueName('空调改造', testInfo),
    customer_id: c.id,
    stage_id: 'stage-qualify',
    amount_minor: 1_000_000,
    currency: 'CNY',
    expected_close_on: inDays(20),
  });
  // back a stage: no checklist needed
  await moveDealViaApi(request, rep, deal.id, 'stage-identify');

  await signIn(page, REP, `/customers/${c.id}/timeline`);
  const timeline = new Timeline(page);
  await timeline.kind.selectOption('deal');
  await expect(timeline.entries).toHaveCount(2);
  await expect(timeline.entries.first()).toContainText(`商机“${deal.name}”从资质判定推进到鉴别商机`);
  await expect(timeline.entries.last()).toContainText(`商机“${deal.name}”创建于资质判定`);
  // the stored English names stay out of a Chinese screen
  await expect(timeline.entries.filter({ hasText: /Qualify|Identify/ })).toHaveCount(0);
  await attachScreenshot(page, testInfo, `timeline-deal-zh-${testInfo.project.name}`);
});
