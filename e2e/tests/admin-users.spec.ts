import { ADMIN, expect, test } from '../fixtures';
import { AdminUsersPage, attachShot, signInAs, unique } from '../pages/admin';

test.use({ locale: 'zh-CN' });

test('the admin creates a sales rep who then sees only their own scope, until deactivated', async ({
  page,
  browser,
}, testInfo) => {
  const email = `rep.${unique(testInfo)}@example.com`.toLowerCase();
  const users = new AdminUsersPage(page);

  await signInAs(page, ADMIN.email, ADMIN.password);
  await expect(users.navLink).toBeVisible();
  await users.goto();
  await attachShot(page, testInfo, 'admin-users-list');

  await users.newUser.click();
  await expect(users.sheet).toBeVisible();
  // the form checks the rules before sending
  await users.save.click();
  await expect(page.getByTestId('user-email-error')).toBeVisible();

  await users.name.fill('测试代表');
  await users.email.fill(email);
  await users.password.fill('a-long-secret');
  await users.role('销售代表').check();
  await users.team.selectOption({ label: '华南销售部' });
  await users.region('广东').check();
  await attachShot(page, testInfo, 'admin-user-form');
  await users.save.click();
  await expect(users.sheet).toHaveCount(0);

  await users.find(email);
  const row = users.row(email);
  await expect(row).toContainText('测试代表');
  await expect(row).toContainText('销售代表');
  await expect(row).toContainText('华南销售部');
  await expect(row).toContainText('广东');

  // The new user signs in, in a browser of their own.
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: testInfo.project.use.viewport,
    locale: 'zh-CN',
  });
  const repPage = await context.newPage();
  const rep = await signInAs(repPage, email, 'a-long-secret');
  await expect(rep.signedInAs).toContainText('测试代表');
  await expect(repPage.getByTestId(/^(nav|tab)-admin$/)).toHaveCount(0);

  // Their scope, as the API tells their own session: customers they own (none
  // yet), and the company pool of their region to claim from, nothing else.
  const scope = await repPage.evaluate(async () => {
    const token = sessionStorage.getItem('kehu.access_token');
    const headers = { Authorization: `Bearer ${token}` };
    const me = await (await fetch('/api/v1/me', { headers })).json();
    const mine = await (await fetch('/api/v1/customers?owner=me&limit=200', { headers })).json();
    const all = await (await fetch('/api/v1/customers?limit=200', { headers })).json();
    const read = me.permissions.find((p: { resource: string; action: string }) =>
      p.resource === 'customer' && p.action === 'read');
    return {
      read: read?.scopes,
      mine: mine.data.length,
      othersOwned: all.data.filter((c: { owner_id: string | null }) => c.owner_id !== null).length,
    };
  });
  expect(scope).toEqual({ read: ['own'], mine: 0, othersOwned: 0 });

  await repPage.goto('/admin/users');
  await expect(repPage.getByTestId('admin-not-allowed')).toBeVisible();
  await expect(repPage.getByTestId('users-table')).toHaveCount(0);
  await attachShot(repPage, testInfo, 'admin-not-allowed');

  // The admin deactivates the user; the user's session ends.
  await row.getByTestId('user-edit').click();
  await expect(users.name).toHaveValue('测试代表');
  await page.getByTestId('user-deactivate').click();
  await page.getByTestId('user-deactivate-confirm').click();
  await expect(users.notice).toBeVisible();
  await expect(page.getByTestId('user-reactivate')).toBeVisible();
  await page.getByTestId('sheet-close').click();
  await expect(row.getByTestId('user-status')).toHaveText('已停用');

  await repPage.reload();
  await rep.expectSignedOut();
  await rep.signIn(email, 'a-long-secret');
  await expect(rep.formError).toBeVisible();
  await rep.expectSignedOut();
  await context.close();
});
