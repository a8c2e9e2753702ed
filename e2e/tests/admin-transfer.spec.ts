import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

// A rep leaves: the administrator hands their customers to the company pool
// in one step, after a preview.
test.use({ locale: 'zh-CN' });

test('an administrator previews and hands over a leaving rep\'s customers', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const auth = { Authorization: `Bearer ${admin}` };
  const tag = uniqueName('leaver', testInfo).replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  const res = await request.post('/api/v1/users', {
    headers: auth,
    data: { email: `${tag}@example.com`, display_name: `离职销售 ${tag}`, password: 'kehu-demo-long', role_ids: ['sales_rep'] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const leaver = await res.json();
  const names = [uniqueName('交接客户甲', testInfo), uniqueName('交接客户乙', testInfo)];
  const ids = [];
  for (const name of names) {
    ids.push((await createCustomerViaApi(request, admin, { name, owner_id: leaver.id })).id);
  }

  await signIn(page, ADMIN_EMAIL, '/admin/transfer');
  await expect(page.getByTestId('admin-title')).toHaveText('客户交接');
  await page.getByTestId('transfer-from').selectOption(leaver.id);
  await page.getByTestId('transfer-to').selectOption('pool');

  // the reason is required: the API's message at the field
  await page.getByTestId('transfer-preview-button').click();
  await expect(page.getByTestId('transfer-reason-error')).toBeVisible();

  await page.getByTestId('transfer-reason').fill('离职，客户退回公海');
  await page.getByTestId('transfer-preview-button').click();
  const preview = page.getByTestId('transfer-preview');
  await expect(preview).toContainText('将交接 2 个客户');
  await expect(preview).toContainText(names[0]);
  await attachScreenshot(page, testInfo, `admin-transfer-${testInfo.project.name}`);
  // nothing moved yet
  let c = await request.get(`/api/v1/customers/${ids[0]}`, { headers: auth });
  expect((await c.json()).owner_id).toBe(leaver.id);

  await page.getByTestId('transfer-confirm').click();
  await expect(page.getByTestId('transfer-done')).toHaveText('已交接 2 个客户。');
  c = await request.get(`/api/v1/customers/${ids[1]}`, { headers: auth });
  expect((await c.json()).owner_id).toBeNull();
});
