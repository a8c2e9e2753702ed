import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, attachScreenshot, signIn } from '../pages/customers';
import { MANAGER } from '../pages/sales';

test.use({ locale: 'zh-CN' });

test('on a phone the pages beyond the tab bar open from "More"; a desktop lists them on top', async ({ page }, testInfo) => {
  const phone = testInfo.project.name === 'phone';
  await signIn(page, MANAGER, '/day');
  if (!phone) {
    await expect(page.getByTestId('tab-more')).toBeHidden();
    await expect(page.getByTestId('nav-forecast')).toBeVisible();
    await expect(page.getByTestId('nav-performance')).toBeVisible();
    return;
  }
  // five tabs at most, each fully readable at 375 px
  const tabs = page.locator('.tabbar .tabbar__item');
  expect(await tabs.count()).toBeLessThanOrEqual(5);
  for (const tab of await tabs.all()) {
    const box = await tab.boundingBox();
    expect(box!.width).toBeGreaterThan(56);
  }
  await page.getByTestId('tab-more').click();
  await expect(page.getByTestId('more-sheet')).toBeVisible();
  await expect(page.getByTestId('more-performance')).toBeVisible();
  await expect(page.getByTestId('more-admin')).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'more-sheet');
  await page.getByTestId('more-forecast').click();
  await expect(page).toHaveURL(/\/forecast$/);
  await expect(page.getByTestId('more-sheet')).toHaveCount(0);
});

test('an administrator reaches administration from "More" on a phone', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the tab bar is for phones');
  await signIn(page, ADMIN_EMAIL, '/day');
  await page.getByTestId('tab-more').click();
  await page.getByTestId('more-admin').click();
  await expect(page).toHaveURL(/\/admin\/users$/);
});
