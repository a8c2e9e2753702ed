import { ADMIN, expect, test } from '../fixtures';
import { AdminKeysPage, AdminRolesPage, attachShot, signInAs, unique } from '../pages/admin';

test.use({ locale: 'en-US' });

test('the roles grid shows what each role may do; built-in roles are read-only', async ({ page }, testInfo) => {
  const roles = new AdminRolesPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await roles.goto();
  await roles.pick('sales_rep').click();
  await expect(roles.pick('sales_rep')).toHaveAttribute('aria-pressed', 'true');
  await expect(roles.cell('customer', 'read')).toHaveText('Own');
  await expect(roles.cell('customer', 'delete')).toHaveText('None');
  await expect(roles.cell('region', 'read')).toHaveText('All');
  await expect(page.getByTestId('role-edit')).toHaveCount(0);
  await attachShot(page, testInfo, 'admin-roles');
});

test('an API key is shown once, works, and stops working when revoked', async ({ page, request }, testInfo) => {
  const name = `ERP ${unique(testInfo)}`;
  const keys = new AdminKeysPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await keys.goto();

  await keys.newKey.click();
  await keys.name.fill(name);
  await keys.user.selectOption({ label: '陈东 <rep.east@example.com>' });
  await attachShot(page, testInfo, 'admin-api-key-form');
  await page.getByTestId('key-save').click();

  await expect(keys.created).toBeVisible();
  await expect(keys.created).toContainText('shown only this once');
  const key = await keys.key.inputValue();
  expect(key).toMatch(/^kehu_/);
  await expect(keys.row(name)).toBeVisible();
  await attachShot(page, testInfo, 'admin-api-key-created');

  const asKey = { headers: { Authorization: `Bearer ${key}` } };
  const me = await request.get('/api/v1/me', asKey);
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe('rep.east@example.com');

  await keys.done.click();
  await expect(keys.created).toHaveCount(0);
  await page.reload();
  await expect(keys.row(name)).toBeVisible();
  await expect(keys.key).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);

  await keys.row(name).getByTestId('key-revoke').click();
  await keys.row(name).getByTestId('key-revoke-confirm').click();
  await expect(keys.row(name).getByTestId('key-status')).toHaveText('Revoked');
  expect((await request.get('/api/v1/me', asKey)).status()).toBe(401);
  await attachShot(page, testInfo, 'admin-api-keys');
});
