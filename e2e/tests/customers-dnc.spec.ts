import { expect, test } from '../fixtures';
import { CustomerPage, REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueMobile, uniqueName } from '../pages/customers';

// 勿扰: a contact who asked not to be called shows it first, and offers no
// call link until the mark is lifted.
test.use({ locale: 'en-US' });

test('a do-not-call contact has no call link, and lifting the mark brings it back', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('DNC customer', testInfo) });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  const mobile = uniqueMobile();
  await page.getByTestId('add-contact').click();
  await page.getByTestId('contact-name').fill('Li Lei');
  await page.getByTestId('contact-phones-0').fill(mobile.digits);
  await page.getByTestId('dnc-call').check();
  await page.getByTestId('contact-save').click();
  const contact = customer.contacts.filter({ hasText: 'Li Lei' });
  await expect(contact.getByTestId('dnc-badge')).toHaveText(/Do not call/);
  await expect(contact.getByTestId('blocked-phone')).toContainText(mobile.digits);
  await expect(contact.getByRole('link', { name: new RegExp(mobile.digits) })).toHaveCount(0);
  await attachScreenshot(page, testInfo, `contact-dnc-${testInfo.project.name}`);

  // the mark survives a reload: it is stored
  await page.reload();
  const again = new CustomerPage(page).contacts.filter({ hasText: 'Li Lei' });
  await expect(again.getByTestId('dnc-badge')).toHaveText(/Do not call/);

  await again.getByTestId('dnc-edit').click();
  await again.getByTestId('dnc-call').uncheck();
  await again.getByTestId('dnc-save').click();
  const lifted = new CustomerPage(page).contacts.filter({ hasText: 'Li Lei' });
  await expect(lifted.getByTestId('dnc-badge')).toHaveCount(0);
  await expect(lifted.getByRole('link', { name: new RegExp(mobile.digits) })).toHaveAttribute('href', `tel:${mobile.digits}`);
});
