import { ADMIN, expect, test } from '../fixtures';
import { AdminOrgPage, attachShot, signInAs, unique } from '../pages/admin';

test.use({ locale: 'zh-CN' });

test('regions: create below 华东, rename, see it in the tree; in-use regions are refused', async ({
  page,
}, testInfo) => {
  const suffix = unique(testInfo);
  const name = `新区${suffix}`;
  const renamed = `改名${suffix}`;
  const org = new AdminOrgPage(page);

  await signInAs(page, ADMIN.email, ADMIN.password);
  await org.goto();
  await expect(org.tab('regions')).toHaveAttribute('aria-pressed', 'true');
  await attachShot(page, testInfo, 'admin-org-regions');

  await org.action('华东', 'unit-add-below').click();
  await expect(org.unitParent).toHaveValue(/.+/);
  await org.unitName.fill(name);
  await org.save.click();
  await expect(org.notice).toContainText(name);
  const created = org.row(name);
  await expect(created).toHaveAttribute('style', /--depth:1/);
  // it sits below 华东, in the tree
  await expect(org.row('华东').locator(`[data-name="${name}"]`)).toHaveCount(0);
  const names = await page.getByTestId('unit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  const at = names.indexOf(name);
  const parentAt = names.indexOf('华东');
  const nextTop = names.indexOf('华北');
  expect(at).toBeGreaterThan(parentAt);
  expect(at).toBeLessThan(nextTop);

  await org.action(name, 'unit-edit').click();
  await org.unitName.fill(renamed);
  await org.save.click();
  await expect(org.row(renamed)).toBeVisible();
  await expect(org.row(name)).toHaveCount(0);
  await attachShot(page, testInfo, 'admin-org-renamed');

  // 广东 has customers and users: the API refuses and the screen says why.
  await org.action('广东', 'unit-delete').click();
  await org.action('广东', 'unit-delete-confirm').click();
  await expect(org.actionError).toContainText('仍在使用中');
  await expect(org.actionError).toContainText('个客户');
  await expect(org.row('广东')).toBeVisible();
  await attachShot(page, testInfo, 'admin-org-refused');

  // an unused region can go
  await org.action(renamed, 'unit-delete').click();
  await org.action(renamed, 'unit-delete-confirm').click();
  await expect(org.row(renamed)).toHaveCount(0);
});

test('product lines: create one', async ({ page }, testInfo) => {
  const name = `产品${unique(testInfo)}`;
  const org = new AdminOrgPage(page);
  await signInAs(page, ADMIN.email, ADMIN.password);
  await org.goto();
  await org.tab('product-lines').click();
  await expect(org.row('打印机')).toBeVisible();
  await org.newUnit.click();
  await expect(org.unitParent).toHaveCount(0);
  await org.unitName.fill(name);
  await org.save.click();
  await expect(org.row(name)).toBeVisible();
  await attachShot(page, testInfo, 'admin-org-product-lines');
});
