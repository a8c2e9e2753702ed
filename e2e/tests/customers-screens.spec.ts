import { expect, test } from '../fixtures';
import { CustomerList, REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueMobile, uniqueName } from '../pages/customers';

// Screenshots of the three screens in Chinese, for review (see the attachments).
test.use({ locale: 'zh-CN' });

test('list, customer page and create form in Chinese', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, {
    name: uniqueName('上海华联超市有限公司', testInfo),
    industry: '零售',
    source: '展会',
    lifecycle_stage: 'interested',
    tags: ['重点', '华东'],
    phones: [`+86 ${uniqueMobile().spaced}`, `021-${uniqueMobile().digits.slice(3, 7)} ${uniqueMobile().digits.slice(7)}`],
    emails: [`purchasing-${uniqueMobile().digits}@example.com`],
    address: '上海市浦东新区世纪大道 100 号',
    notes: '年底前需要报价。',
  });
  await signIn(page, REP);
  const list = new CustomerList(page);
  await expect(list.rows.first()).toBeVisible();
  await expect(page.getByRole('heading', { name: '客户' })).toBeVisible();
  await attachScreenshot(page, testInfo, 'customer-list-zh');

  await page.goto(`/customers/${c.id}`);
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);
  await expect(page.getByTestId('no-contacts').or(page.getByTestId('contact-list'))).toBeVisible();
  await attachScreenshot(page, testInfo, 'customer-page-zh');

  await page.goto('/customers/new');
  await expect(page.getByTestId('name')).toBeVisible();
  await attachScreenshot(page, testInfo, 'create-form-zh');
});
