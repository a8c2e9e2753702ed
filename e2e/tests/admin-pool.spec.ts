import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, attachScreenshot, signIn } from '../pages/customers';

// The administrator sets the company pool's limits; a value out of range is
// shown at its field and nothing is stored.
test.use({ locale: 'en-US' });

test('an administrator sets the pool rules, with the API\'s checks at the fields', async ({ page }, testInfo) => {
  // the rules are one document for the whole server: only one project may change them
  test.skip(testInfo.project.name !== 'desktop', 'changes server-wide rules; the phone run only looks');
  await signIn(page, ADMIN_EMAIL, '/admin/pool');
  await expect(page.getByTestId('admin-title')).toHaveText('Company pool');
  const form = page.getByTestId('pool-rules-form');
  await expect(form).toBeVisible();
  // the defaults
  await expect(page.getByTestId('max_owned')).toHaveValue('500');
  await expect(page.getByTestId('reclaim_cooldown_days')).toHaveValue('7');
  await attachScreenshot(page, testInfo, 'admin-pool-en');

  await page.getByTestId('max_claims_per_day').fill('0');
  await page.getByTestId('idle-prospect').fill('45');
  await page.getByTestId('pool-rules-save').click();
  await expect(page.getByTestId('max_claims_per_day-error')).toBeVisible();
  await expect(page.getByTestId('pool-rules-saved')).toHaveCount(0);

  await page.getByTestId('max_claims_per_day').fill('');
  await page.getByTestId('pool-rules-save').click();
  await expect(page.getByTestId('pool-rules-saved')).toBeVisible();
  // stored: a reload shows it
  await page.reload();
  await expect(page.getByTestId('idle-prospect')).toHaveValue('45');
  await expect(page.getByTestId('max_claims_per_day')).toHaveValue('');

  // put the defaults back for the other specs (the pool spec relies on the cool-down)
  await page.getByTestId('max_claims_per_day').fill('20');
  await page.getByTestId('idle-prospect').fill('');
  await page.getByTestId('pool-rules-save').click();
  await expect(page.getByTestId('pool-rules-saved')).toBeVisible();
});

test('the pool rules screen on a phone', async ({ page }, testInfo) => {
  await signIn(page, ADMIN_EMAIL, '/admin/pool');
  await expect(page.getByTestId('pool-rules-form')).toBeVisible();
  await expect(page.getByTestId('reclaim_cooldown_days')).toHaveValue('7');
  // nothing wider than the screen
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await attachScreenshot(page, testInfo, `admin-pool-${testInfo.project.name}`);
});
