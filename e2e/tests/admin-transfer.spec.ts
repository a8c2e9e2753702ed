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

test('customers handed to a team wait in that team\'s pool, as their history says', async ({ page, request }, testInfo) => {
  const admin = await apiToken(request, ADMIN_EMAIL);
  const auth = { Authorization: `Bearer ${admin}` };
  const tag = uniqueName('mover', testInfo).replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  const team = await request.post('/api/v1/teams', { headers: auth, data: { name: uniqueName('华南二组', testInfo) } });
  expect(team.status(), await team.text()).toBe(201);
  const teamBody = await team.json();
  const res = await request.post('/api/v1/users', {
    headers: auth,
    data: { email: `${tag}@example.com`, display_name: `调岗销售 ${tag}`, password: 'kehu-demo-long', role_ids: ['sales_rep'] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const mover = await res.json();
  const name = uniqueName('划转客户', testInfo);
  const { id } = await createCustomerViaApi(request, admin, { name, owner_id: mover.id });

  await signIn(page, ADMIN_EMAIL, '/admin/transfer');
  await page.getByTestId('transfer-from').selectOption(mover.id);
  await page.getByTestId('transfer-to').selectOption(`team:${teamBody.id}`);
  await page.getByTestId('transfer-reason').fill('调岗，客户划归华南二组');
  await page.getByTestId('transfer-preview-button').click();
  await expect(page.getByTestId('transfer-preview')).toContainText(name);
  await page.getByTestId('transfer-confirm').click();
  await expect(page.getByTestId('transfer-done')).toHaveText('已交接 1 个客户。');

  const c = await (await request.get(`/api/v1/customers/${id}`, { headers: auth })).json();
  expect(c.owner_id).toBeNull();
  expect(c.team_id).toBe(teamBody.id);
  await page.goto(`/customers/${id}`);
  await expect(page.getByTestId('customer-owner')).toHaveText(`${teamBody.name}公海`);
  await expect(page.getByTestId('owner-change').first()).toContainText(`${teamBody.name}公海`);
  await attachScreenshot(page, testInfo, `admin-transfer-team-${testInfo.project.name}`);
});
