import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, CustomerList, REP, attachScreenshot, signIn } from '../pages/customers';

test.use({ locale: 'en-US' });

test('search as you type finds demo customers by a Chinese substring, and reload keeps it', async ({ page }, testInfo) => {
  await signIn(page, REP);
  const list = new CustomerList(page);
  await expect(list.rows.first()).toBeVisible();
  await attachScreenshot(page, testInfo, 'customer-list-en');

  await list.search.pressSequentially('上海', { delay: 50 });
  await expect(page).toHaveURL(/q=%E4%B8%8A%E6%B5%B7/);
  await expect(list.rows.first()).toContainText('上海');
  for (const name of await list.rows.locator('a').allInnerTexts()) {
    expect(name).toContain('上海');
  }

  await page.reload();
  await expect(list.search).toHaveValue('上海');
  await expect(list.rows.first()).toContainText('上海');
});

test('a search without matches offers to clear it', async ({ page }) => {
  await signIn(page, REP);
  const list = new CustomerList(page);
  await list.search.fill('没有这个客户-zzz');
  await expect(list.emptyFiltered).toBeVisible();
  await list.emptyFiltered.getByRole('button').click();
  await expect(list.search).toHaveValue('');
  await expect(list.rows.first()).toBeVisible();
});

test('filters narrow the list: stage, then the company pool', async ({ page, isMobile }) => {
  await signIn(page, ADMIN_EMAIL);
  const list = new CustomerList(page);
  const all = await list.total();
  expect(all).toBeGreaterThan(0);

  await list.withFilters(isMobile, async () => {
    await list.stage.selectOption('vip');
  });
  await expect(page).toHaveURL(/stage=vip/);
  await expect.poll(() => list.total()).toBeLessThan(all);
  const vip = await list.total();
  await expect(list.rows.first().locator('.badge')).toHaveText('VIP');

  await list.withFilters(isMobile, async () => {
    await list.owner.selectOption('none');
  });
  await expect(page).toHaveURL(/owner=none/);
  await expect.poll(() => list.total()).toBeLessThanOrEqual(vip);
  await expect(list.rows.first()).toContainText('Company pool');

  // Back and reload keep the filters (they live in the URL).
  await page.reload();
  await expect(page).toHaveURL(/owner=none/);
  await expect(list.rows.first()).toContainText('Company pool');
});

test('phone: the filters open in a bottom sheet that keeps the focus and Escape closes', async ({ page, isMobile }, testInfo) => {
  test.skip(!isMobile, 'the sheet is for phones; desktops show the filters beside the list');
  await signIn(page, REP);
  const list = new CustomerList(page);
  await expect(list.stage).toBeHidden();
  await list.openFilters.click();
  const sheet = page.getByRole('dialog', { name: 'Filters' });
  await expect(sheet).toBeVisible();
  await expect(list.stage).toBeFocused();
  // the keyboard stays in the sheet: Tab from its last control wraps to the
  // first, Shift+Tab from the first to the last
  await list.filtersDone.focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('filters-clear')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(list.filtersDone).toBeFocused();
  await attachScreenshot(page, testInfo, 'filter-sheet-en');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(list.openFilters).toBeFocused();
});
