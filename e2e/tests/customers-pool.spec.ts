import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, CustomerPage, REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

// 公海: a rep finds a customer of their region in the company pool, claims
// it, gives it back with a reason, and cannot take it straight back.
test.use({ locale: 'zh-CN' });

test('a rep claims a pool customer of their region, releases it with a reason, and waits to reclaim', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const regions = await request.get('/api/v1/regions', { headers: { Authorization: `Bearer ${admin}` } });
  expect(regions.status()).toBe(200);
  const shanghai = (await regions.json()).data.find((r: { name: string }) => r.name === '上海');
  const c = await createCustomerViaApi(request, admin, {
    name: uniqueName('公海客户', testInfo),
    owner_id: null,
    region_id: shanghai.id,
  });

  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);
  await expect(customer.owner).toHaveText('公海');
  await expect(page.getByTestId('no-owner-changes')).toBeVisible();
  // the pool is there to claim from, not to edit
  await expect(page.getByTestId('edit-profile')).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'pool-customer-zh');

  await customer.claim.click();
  await expect(customer.owner).toHaveText('陈东');
  await expect(customer.ownerChanges.first()).toContainText('认领: 公海 → 陈东');
  // as the owner the rep may edit it now
  await expect(page.getByTestId('edit-profile')).toBeVisible();

  await customer.release.click();
  const confirm = page.getByTestId('release-confirm');
  await expect(confirm).toHaveAttribute('aria-disabled', 'true');
  await page.getByTestId('release-reason').fill('客户已搬迁到外地');
  await confirm.click();
  // released, it waits in the pool of the rep's team (the demo's 华东销售部)
  await expect(customer.owner).toHaveText('华东销售部公海');
  await expect(customer.ownerChanges.first()).toContainText('退回公海: 陈东 → 公海');
  await expect(customer.ownerChanges.first()).toContainText('客户已搬迁到外地');

  // the cool-down (7 days by default) keeps the former owner out for now
  await customer.claim.click();
  await expect(page.getByTestId('pool-error')).toContainText('冷却期过后您才能再次认领');
  await expect(customer.owner).toHaveText('华东销售部公海');
  await attachScreenshot(page, testInfo, 'pool-cooling-down-zh');
});
