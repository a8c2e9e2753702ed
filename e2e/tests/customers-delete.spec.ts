import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, CustomerList, CustomerPage, apiToken, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

test.use({ locale: 'en-US' });

test('deletes a customer, it leaves the list, and Undo restores it', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, ADMIN_EMAIL);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Delete me', testInfo) });
  await signIn(page, ADMIN_EMAIL, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  await customer.delete.click();
  await expect(page).toHaveURL(/\/customers$/);
  const list = new CustomerList(page);
  await expect(list.toast).toContainText(c.name);

  await list.search.fill(c.name);
  await expect(list.emptyFiltered).toBeVisible();
  await expect(list.row(c.name)).toHaveCount(0);

  await list.undo.click();
  await expect(list.toast).toContainText('is back');
  await expect(list.row(c.name)).toHaveCount(1);
  await list.row(c.name).getByRole('link').click();
  await expect(customer.heading).toHaveText(c.name);
});

test('a sales rep is not offered Delete', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, 'rep.east@example.com');
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Keep me', testInfo) });
  await signIn(page, 'rep.east@example.com', `/customers/${c.id}`);
  await expect(new CustomerPage(page).heading).toHaveText(c.name);
  await expect(page.getByTestId('customer-delete')).toHaveCount(0);
});
