import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

// The administrators' clean-up list: customers saved although they looked
// alike show up together, by the key they share.
test.use({ locale: 'zh-CN' });

test('the duplicates report groups customers that share a name', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  // a leading number sorts the group onto the first page
  const base = uniqueName('000 重复检查', testInfo);
  await createCustomerViaApi(request, admin, { name: `${base}有限公司` });
  await createCustomerViaApi(request, admin, {
    name: `${base}股份有限公司`,
    duplicate_reason: 'e2e: 同一家公司的两条记录',
  });

  await signIn(page, ADMIN_EMAIL, '/admin/duplicates');
  await expect(page.getByTestId('admin-title')).toHaveText('重复客户');
  const group = page.getByTestId('duplicate-group').filter({ hasText: `${base}有限公司` });
  await expect(group).toContainText('名称相同');
  await expect(group).toContainText(`${base}股份有限公司`);
  // each customer's page, and merging the second into the first
  await expect(group.getByRole('link')).toHaveCount(3);
  await expect(group.getByTestId('duplicate-merge')).toHaveCount(1);
  await attachScreenshot(page, testInfo, `admin-duplicates-${testInfo.project.name}`);
});
