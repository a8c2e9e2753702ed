import { ADMIN, expect, test } from '../fixtures';
import { AdminOrgPage, AdminRolesPage, AdminUsersPage, attachShot, signInAs, unique } from '../pages/admin';

test.use({ locale: 'en-US' });

test('a custom role is created, then its scopes are edited in the grid', async ({ page }, testInfo) => {
  const name = `Field support ${unique(testInfo)}`;
  const roles = new AdminRolesPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await roles.goto();

  await page.getByTestId('role-new').click();
  const form = page.getByTestId('role-form');
  await form.getByTestId('role-name').fill(name);
  await form.getByTestId('scope-customer-read').selectOption('team');
  await form.getByTestId('role-save').click();
  await expect(form).toHaveCount(0);
  const detail = page.getByTestId('role-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(roles.cell('customer', 'read')).toHaveText('Team');
  await expect(roles.cell('customer', 'update')).toHaveText('None');

  await detail.getByTestId('role-edit').click();
  await expect(form.getByTestId('role-name')).toHaveValue(name);
  await expect(form.getByTestId('scope-customer-read')).toHaveValue('team');
  await form.getByTestId('scope-customer-read').selectOption('region');
  await form.getByTestId('scope-customer-update').selectOption('own');
  await attachShot(page, testInfo, 'admin-role-edit');
  await form.getByTestId('role-save').click();
  await expect(form).toHaveCount(0);
  await expect(roles.cell('customer', 'read')).toHaveText('Region');
  await expect(roles.cell('customer', 'update')).toHaveText('Own');

  // stored, not only shown
  await page.reload();
  await page.getByRole('button', { name }).click();
  await expect(roles.cell('customer', 'read')).toHaveText('Region');
});

test('a region moves to another parent, with everything below it', async ({ page }, testInfo) => {
  const suffix = unique(testInfo);
  const parent = `District ${suffix}`;
  const child = `Town ${suffix}`;
  const org = new AdminOrgPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await org.goto();

  await org.action('华东', 'unit-add-below').click();
  await org.unitName.fill(parent);
  await org.save.click();
  await expect(org.row(parent)).toBeVisible();
  await org.action(parent, 'unit-add-below').click();
  await org.unitName.fill(child);
  await org.save.click();
  await expect(org.row(parent).locator(`[data-name="${child}"]`)).toHaveCount(0);
  await expect(org.row(child)).toHaveAttribute('style', /--depth:2/);

  // move the district from 华东 to 华北: its town comes along
  await org.action(parent, 'unit-edit').click();
  await org.unitParent.selectOption({ label: '华北' });
  await org.save.click();
  // the tree lists units in order: the district now follows 华北, before the next top-level region
  const order = () =>
    page.getByTestId('unit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  await expect
    .poll(async () => {
      const names = await order();
      const at = names.indexOf(parent);
      const north = names.indexOf('华北');
      const nextTop = names.indexOf('华南');
      return at > north && (nextTop < 0 || at < nextTop) && names.indexOf(child) === at + 1;
    })
    .toBe(true);
  await expect(org.row(parent)).toHaveAttribute('style', /--depth:1/);
  await expect(org.row(child)).toHaveAttribute('style', /--depth:2/);
  await attachShot(page, testInfo, 'admin-org-moved');

  // a unit cannot move below itself: its own subtree is not offered
  await org.action(parent, 'unit-edit').click();
  const offered = await org.unitParent.locator('option').allInnerTexts();
  expect(offered.map((o) => o.trim())).not.toContain(child);
  expect(offered.map((o) => o.trim())).not.toContain(parent);
});

test('saving a user someone else changed meanwhile offers to reload it', async ({ page, request }, testInfo) => {
  const email = `clash.${unique(testInfo)}@example.com`.toLowerCase();
  const login = await request.post('/api/v1/auth/login', { data: ADMIN });
  const auth = { Authorization: `Bearer ${(await login.json()).access_token}` };
  const created = await request.post('/api/v1/users', {
    headers: auth,
    data: { email, display_name: 'Before', password: 'a-long-secret' },
  });
  expect(created.status()).toBe(201);
  const user = await created.json();

  const users = new AdminUsersPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await users.goto();
  await users.find(email);
  // the search has replaced the list once only this user is left
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await users.row(email).getByTestId('user-edit').click();
  await expect(users.name).toHaveValue('Before');

  // another admin renames the user while the form is open
  const current = await request.get(`/api/v1/users/${user.id}`, { headers: auth });
  const changed = await request.patch(`/api/v1/users/${user.id}`, {
    headers: { ...auth, 'If-Match': current.headers()['etag'] },
    data: { display_name: 'Changed elsewhere' },
  });
  expect(changed.status()).toBe(200);

  await users.name.fill('Mine');
  await users.save.click();
  await expect(users.sheet.getByRole('alert')).toContainText('changed this record meanwhile');
  await attachShot(page, testInfo, 'admin-user-conflict');
  await users.sheet.getByTestId('reload').click();
  await expect(users.name).toHaveValue('Changed elsewhere');
  await users.name.fill('Mine after all');
  await users.save.click();
  await expect(users.sheet).toHaveCount(0);
  await expect(users.row(email)).toContainText('Mine after all');
  const after = await request.get(`/api/v1/users/${user.id}`, { headers: auth });
  expect((await after.json()).display_name).toBe('Mine after all');
});

test('the navigation crosses between my day, administration and customers, and the session comes along', async ({ page }) => {
  const users = new AdminUsersPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  // signing in opens the user's day, a module of its own
  await expect(page).toHaveURL(/\/day$/);
  await expect(page.getByTestId('day-heading')).toBeVisible();
  // administration is a module of its own: the click loads it, still signed in
  await users.openFromNav();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(users.table).toBeVisible();
  await page.getByTestId('subnav-roles').click();
  await expect(page.getByTestId('role-detail')).toBeVisible();
  await page.getByTestId(/^(nav|tab)-customers$/).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByTestId('customer-search')).toBeVisible();
  // and back with the browser's Back button
  await page.goBack();
  await expect(page.getByTestId('role-detail')).toBeVisible();
});
