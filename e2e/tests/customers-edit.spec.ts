import { expect, test } from '../fixtures';
import { CustomerPage, REP, apiToken, attachScreenshot, createCustomerViaApi, patchCustomerViaApi, signIn, uniqueMobile, uniqueName } from '../pages/customers';

test.use({ locale: 'en-US' });

test('edits in place: the API\'s validation message at the field, then a successful save', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Edit me', testInfo) });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  await customer.edit('reach');
  // the edit puts the cursor in the section's first field, and it stays
  // there when the reference data arrives
  await expect(page.getByTestId('phones-0')).toBeFocused();
  await page.getByTestId('phones-0').fill('12');
  await customer.save('reach');
  await expect(page.getByTestId('phones-0-error')).toContainText('Enter a phone number');

  const mobile = uniqueMobile();
  const landline = `021 ${uniqueMobile().digits.slice(3)}`;
  await page.getByTestId('phones-0').fill(mobile.digits);
  await page.getByTestId('phones-add').click();
  await page.getByTestId('phones-1').fill(landline);
  await customer.save('reach');
  await expect(page.getByTestId('save-reach')).toHaveCount(0);
  await expect(customer.section('reach').getByRole('link', { name: mobile.digits })).toHaveAttribute('href', `tel:${mobile.digits}`);
  await expect(customer.section('reach').getByRole('link', { name: landline })).toBeVisible();

  // the change is stored: a reload shows it
  await page.reload();
  await expect(customer.section('reach')).toContainText(landline);

  // and the history says who changed what
  const latest = page.getByTestId('history-entry').first();
  await expect(latest).toContainText('Customer changed');
  await expect(latest).toContainText(`Phones: — → ${mobile.digits}, ${landline}`);
  await expect(page.getByTestId('history-entry').last()).toContainText('Customer created');
});

test('an edit conflict offers to reload and re-apply the change', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Conflict', testInfo), industry: '教育' });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  // someone else changes the customer after the page loaded
  await patchCustomerViaApi(request, token, c.id, { industry: '医疗' });

  await customer.edit('profile');
  await page.getByTestId('source').fill('展会');
  await customer.save('profile');
  await expect(customer.conflict).toBeVisible();
  await expect(customer.conflict).toContainText('Someone else changed this record meanwhile.');
  await expect(page.getByTestId('source')).toHaveValue('展会');

  await customer.reapply.click();
  await expect(customer.conflict).toHaveCount(0);
  await expect(page.getByTestId('save-profile')).toHaveCount(0);
  // their change and ours, both kept
  await expect(customer.section('profile')).toContainText('医疗');
  await expect(customer.section('profile')).toContainText('展会');
  await page.reload();
  await expect(customer.section('profile')).toContainText('医疗');
  await expect(customer.section('profile')).toContainText('展会');
});

test('an unknown customer shows a not-found page', async ({ page }) => {
  await signIn(page, REP, '/customers/00000000-0000-7000-8000-000000000000');
  await expect(page.getByTestId('customer-not-found')).toBeVisible();
});

test('a stage change that needs a reason asks for one at the field, then is made', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, {
    name: uniqueName('Upgrade me', testInfo),
    lifecycle_stage: 'customer',
  });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.stage).toHaveText('Customer');

  await customer.edit('profile');
  await page.getByTestId('stage').selectOption('vip');
  await customer.save('profile');
  await expect(page.getByTestId('lifecycle_reason-error')).toHaveText('Say why the stage changes.');
  await expect(page.getByTestId('lifecycle_reason')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('lifecycle_reason').fill('Buys over a million a year');
  await customer.save('profile');
  await expect(page.getByTestId('save-profile')).toHaveCount(0);
  await expect(customer.stage).toHaveText('VIP');
  // the page's stage history shows the move, who made it and why
  const latest = page.getByTestId('stage-change').first();
  await expect(latest).toContainText('Customer → VIP');
  await expect(latest).toContainText('Buys over a million a year');
  await expect(latest).toContainText('陈东');
  await attachScreenshot(page, testInfo, 'stage-history-en');

  // recorded with the reason and who made it
  const history = await request.get(`/api/v1/customers/${c.id}/stage-changes`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const changes = (await history.json()).data;
  expect(changes[0]).toMatchObject({ from: 'customer', to: 'vip', reason: 'Buys over a million a year' });
});

test('a long history shows the newest changes first and the rest on request', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Much changed', testInfo) });
  for (let i = 1; i <= 24; i++) {
    await patchCustomerViaApi(request, token, c.id, { notes: `visit ${i}` });
  }
  await signIn(page, REP, `/customers/${c.id}`);
  const entries = page.getByTestId('history-entry');
  await expect(entries).toHaveCount(20);
  await expect(entries.first()).toContainText('visit 24');
  await page.getByTestId('history-more').click();
  await expect(entries).toHaveCount(25);
  await expect(entries.last()).toContainText('Customer created');
  await expect(page.getByTestId('history-more')).toHaveCount(0);
});

test('renewal and maintenance dates are set in the profile, and a contact takes a birthday', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Dated', testInfo) });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  await customer.edit('profile');
  await page.getByTestId('renewal_on').fill('2027-03-31');
  await page.getByTestId('maintenance_on').fill('2026-12-15');
  await customer.save('profile');
  await expect(page.getByTestId('save-profile')).toHaveCount(0);
  await expect(customer.section('profile')).toContainText('2027-03-31');
  await expect(customer.section('profile')).toContainText('2026-12-15');
  await expect(page.getByTestId('history-entry').first()).toContainText('Renewal date: — → 2027-03-31');
  const stored = await request.get(`/api/v1/customers/${c.id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(await stored.json()).toMatchObject({ renewal_on: '2027-03-31', maintenance_on: '2026-12-15' });

  // a birthday without the year, then a malformed one refused at the field
  await page.getByTestId('add-contact').click();
  await page.getByTestId('contact-name').fill('Birthday Person');
  await page.getByTestId('contact-birthday').fill('1985-02-30');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-birthday-error')).toBeVisible();
  await page.getByTestId('contact-birthday').fill('--03-14');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-form')).toHaveCount(0);
  await expect(page.getByTestId('contact').filter({ hasText: 'Birthday Person' }).getByTestId('contact-birthday-shown')).toContainText('Birthday 03-14');
  await attachScreenshot(page, testInfo, 'dates-and-birthday-en');
});
