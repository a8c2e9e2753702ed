import { expect, test } from '../fixtures';
import {
  ADMIN_EMAIL,
  apiToken,
  attachScreenshot,
  createCustomerViaApi,
  patchCustomerViaApi,
  signIn,
  uniqueName,
} from '../pages/customers';

// 合并: two records of one customer become one. The user finds the
// duplicate, picks per field what stays, chooses the contacts to keep, and the
// duplicate's address leads to the record that stays.

async function addContact(request: import('@playwright/test').APIRequestContext, token: string, customer: string, name: string) {
  const res = await request.post(`/api/v1/customers/${customer}/contacts`, {
    data: { name },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe('zh-CN', () => {
  test.use({ locale: 'zh-CN' });

  test('a duplicate found from the customer page is merged into it', async ({ page, request }, testInfo) => {
    const admin = await apiToken(request, ADMIN_EMAIL);
    const base = uniqueName('合并测试', testInfo);
    const keep = await createCustomerViaApi(request, admin, { name: `${base}有限公司`, industry: '零售' });
    const dup = await createCustomerViaApi(request, admin, {
      name: `${base} 分店`,
      address: '上海市黄浦区南京东路1号',
      duplicate_reason: 'e2e: 同一家公司的两条记录',
    });
    await addContact(request, admin, dup.id, '李采购');

    await signIn(page, ADMIN_EMAIL, `/customers/${keep.id}`);
    await page.getByTestId('customer-merge').click();
    await expect(page).toHaveURL(new RegExp(`/merge\\?into=${keep.id}$`));
    await page.getByTestId('merge-search').fill(base);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByTestId('merge-hit').filter({ hasText: `${base} 分店` }).click();

    const form = page.getByTestId('merge-form');
    await expect(form).toBeVisible();
    await expect(page.getByTestId('merge-summary')).toContainText(`${base} 分店`);
    // the survivor has no address: the duplicate's is proposed
    await expect(page.getByTestId('pick-address-other')).toBeChecked();
    await expect(page.getByTestId('pick-name-survivor')).toBeChecked();
    await expect(page.getByTestId('merge-keep-contact')).toHaveCount(1);
    await expect(page.getByTestId('merge-keep-contact')).toBeChecked();
    await attachScreenshot(page, testInfo, `merge-form-${testInfo.project.name}`);
    await page.getByTestId('merge-confirm').click();

    await expect(page).toHaveURL(new RegExp(`/customers/${keep.id}\\?merged=done$`));
    await expect(page.getByTestId('merge-notice')).toContainText('已合并');
    await expect(page.getByTestId('customer-name')).toHaveText(`${base}有限公司`);
    await expect(page.getByTestId('section-reach')).toContainText('上海市黄浦区南京东路1号');
    await expect(page.getByTestId('contacts')).toContainText('李采购');
    await expect(page.getByTestId('history')).toContainText('客户已合并');

    // the duplicate's address leads to the record that stays
    await page.goto(`/customers/${dup.id}`);
    await expect(page).toHaveURL(new RegExp(`/customers/${keep.id}\\?merged=redirect$`));
    await expect(page.getByTestId('merge-notice')).toContainText('已并入本客户');
    await attachScreenshot(page, testInfo, `merge-redirect-${testInfo.project.name}`);
  });
});

test.describe('en', () => {
  test.use({ locale: 'en-US' });

  test('merging from the duplicates report keeps only the ticked contacts, and a stale duplicate is refused', async ({
    page,
    request,
  }, testInfo) => {
    const admin = await apiToken(request, ADMIN_EMAIL);
    // a leading number sorts the group onto the report's first page
    const base = uniqueName('000 Merge Report', testInfo);
    const keep = await createCustomerViaApi(request, admin, { name: `${base} Ltd`, tags: ['key'] });
    const dup = await createCustomerViaApi(request, admin, {
      name: `${base} Limited`,
      tags: ['east'],
      duplicate_reason: 'e2e: the same company twice',
    });
    await addContact(request, admin, dup.id, 'Wang Keep');
    await addContact(request, admin, dup.id, 'Wang Drop');

    await signIn(page, ADMIN_EMAIL, '/admin/duplicates');
    const group = page.getByTestId('duplicate-group').filter({ hasText: `${base} Ltd` });
    await group.getByTestId('duplicate-merge').click();
    await expect(page.getByTestId('merge-form')).toBeVisible();
    await expect(page.getByTestId('pick-tags-both')).toBeChecked();

    // someone changes the duplicate meanwhile: the merge is refused, nothing lost
    await patchCustomerViaApi(request, admin, dup.id, { industry: 'Retail' });
    await page.getByTestId('merge-confirm').click();
    await expect(page.getByRole('alert')).toContainText(/changed/i);
    await attachScreenshot(page, testInfo, `merge-stale-${testInfo.project.name}`);

    await page.reload();
    await expect(page.getByTestId('merge-form')).toBeVisible();
    await page.locator('label', { hasText: 'Wang Drop' }).getByTestId('merge-keep-contact').uncheck();
    await page.getByTestId('merge-confirm').click();
    await expect(page.getByTestId('merge-notice')).toContainText('Merged');
    await expect(page.getByTestId('contacts')).toContainText('Wang Keep');
    await expect(page.getByTestId('contacts')).not.toContainText('Wang Drop');
    await expect(page.getByTestId('customer-name')).toHaveText(`${base} Ltd`);
  });
});
