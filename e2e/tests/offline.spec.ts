import { expect, test } from '../fixtures';
import { CustomerList, REP, signIn } from '../pages/customers';

test.use({ locale: 'en-US' });

test('offline: the screen says so, and loads by itself when the connection returns', async ({ page, context }, testInfo) => {
  await signIn(page, REP);
  const list = new CustomerList(page);
  await expect(list.rows.first()).toBeVisible();
  const first = list.rows.first().getByRole('link');
  const name = (await first.innerText()).trim();

  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  // opening a customer while offline fails, and says what happened
  await first.click();
  await expect(page.getByTestId('customer-error')).toBeVisible();
  await expect(page.getByTestId('customer-error')).toContainText('connection');
  const shot = testInfo.outputPath('offline-customer.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('offline-customer', { path: shot, contentType: 'image/png' });

  // back online: no Retry press needed
  await context.setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('customer-error')).toHaveCount(0);
});
