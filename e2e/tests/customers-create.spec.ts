import { expect, test } from '../fixtures';
import { CustomerForm, CustomerPage, REP, attachScreenshot, signIn, uniqueMobile, uniqueName } from '../pages/customers';

test.use({ locale: 'en-US' });

test('creates a customer, with the API\'s phone check shown at the field, then adds a contact', async ({ page }, testInfo) => {
  await signIn(page, REP, '/customers/new');
  const form = new CustomerForm(page);
  await expect(form.name).toBeVisible();
  await expect(form.name).toHaveAttribute('aria-required', 'true');
  await attachScreenshot(page, testInfo, 'create-form-en');

  // the name is checked before sending
  await form.save.click();
  await expect(page.getByTestId('name-error')).toBeVisible();
  await expect(form.name).toBeFocused();

  const name = uniqueName('华东测试客户', testInfo);
  await form.name.fill(name);
  await form.industry.fill('制造');
  await form.phone(0).fill('12');
  const email = `buyer-${uniqueMobile().digits}@example.com`;
  const mobile = uniqueMobile();
  await form.email(0).fill(email);
  await form.save.click();

  // "12" passes the client and is refused by the API: shown at the field, nothing lost
  await expect(form.phoneError(0)).toContainText('Enter a phone number');
  await expect(form.phone(0)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.error).toContainText('Some fields need attention.');
  await expect(form.name).toHaveValue(name);
  await expect(form.email(0)).toHaveValue(email);
  await attachScreenshot(page, testInfo, 'create-form-error-en');

  await form.phone(0).fill(`+86 ${mobile.spaced}`);
  await form.save.click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{20,}$/);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(name);
  await expect(customer.stage).toHaveText('Prospect');
  await expect(customer.section('reach').getByRole('link', { name: `+86 ${mobile.spaced}` })).toHaveAttribute(
    'href',
    `tel:+86${mobile.digits}`,
  );

  // a contact: name required, then saved with call and mail links
  await page.getByTestId('add-contact').click();
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-name-error')).toBeVisible();
  await page.getByTestId('contact-name').fill('王小明');
  await page.getByTestId('contact-title').fill('采购经理');
  await page.getByTestId('contact-phones-0').fill('021-6888 8888');
  await page.getByTestId('contact-emails-0').fill('wang@example.com');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-added')).toBeVisible();
  const contact = customer.contacts.filter({ hasText: '王小明' });
  await expect(contact).toContainText('采购经理');
  await expect(contact.getByRole('link', { name: /021-6888 8888/ })).toHaveAttribute('href', 'tel:02168888888');
  await expect(contact.getByRole('link', { name: /wang@example.com/ })).toHaveAttribute('href', 'mailto:wang@example.com');
  await attachScreenshot(page, testInfo, 'customer-page-en');
});

test('a contact with an invalid phone shows the API\'s message at the field', async ({ page }, testInfo) => {
  await signIn(page, REP, '/customers/new');
  const form = new CustomerForm(page);
  await form.name.fill(uniqueName('Contact check', testInfo));
  await form.save.click();
  await expect(new CustomerPage(page).heading).toBeVisible();

  await page.getByTestId('add-contact').click();
  await page.getByTestId('contact-name').fill('Li Lei');
  await page.getByTestId('contact-phones-0').fill('12');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-phones-0-error')).toContainText('Enter a phone number');
  await expect(page.getByTestId('contact-name')).toHaveValue('Li Lei');
});
