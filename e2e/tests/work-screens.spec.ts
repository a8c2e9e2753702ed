import { expect, test } from '../fixtures';
import { REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { ActivityForm, createActivityViaApi } from '../pages/work';

// Screenshots of the customer page's activities, the form and an activity in Chinese, for review (see the attachments).
test.use({ locale: 'zh-CN' });

test('customer page, activity form and activity in Chinese', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('上海华联超市有限公司', testInfo) });
  const a = await createActivityViaApi(request, token, c.id, {
    kind: 'visit',
    subject: '季度回访',
    notes: '客户对新品感兴趣，需要样品。',
    outcome: '约定下周报价',
    done: true,
    next_follow_up_on: '2030-01-15',
    place: { label: '上海市浦东新区世纪大道 100 号', lat: 31.2304, lon: 121.4737 },
  });

  await signIn(page, REP, `/customers/${c.id}`);
  await expect(page.getByTestId('customer-activities')).toBeVisible();
  await expect(page.getByTestId('log-visit')).toHaveText('记录拜访');
  await attachScreenshot(page, testInfo, 'customer-activities-zh');

  await page.getByTestId('log-visit').click();
  await expect(new ActivityForm(page).form).toBeVisible();
  await expect(page.getByRole('heading', { name: '记录活动' })).toBeVisible();
  await attachScreenshot(page, testInfo, 'log-form-zh');

  await page.goto(`/activities/${a.id}`);
  await expect(page.getByTestId('activity-heading')).toHaveText('季度回访');
  await expect(page.getByTestId('activity-status')).toHaveText('已完成');
  await expect(page.getByTestId('activity-owner')).toHaveText('陈东');
  await attachScreenshot(page, testInfo, 'activity-zh');
});
