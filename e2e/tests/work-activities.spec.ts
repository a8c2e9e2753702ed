import { expect, test } from '../fixtures';
import { CustomerPage, REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';
import { ActivityForm, Timeline, hoursFromNow } from '../pages/work';

test.use({ locale: 'en-US' });

test('a rep logs a visit in three taps after opening the customer', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Visit Ltd', testInfo) });
  await signIn(page, REP, `/customers/${c.id}`);
  const customer = new CustomerPage(page);
  await expect(customer.heading).toHaveText(c.name);

  // tap 1: "Log visit" opens the form with the kind chosen and "happened now"
  await page.getByTestId('log-visit').click();
  const form = new ActivityForm(page);
  await expect(form.kind('visit')).toBeChecked();
  await expect(page.getByTestId('mode-done')).toBeChecked();
  await attachScreenshot(page, testInfo, 'log-visit-form-en');
  // tap 2: Save
  await form.save.click();

  // the timeline shows it, done, at the top
  const timeline = new Timeline(page);
  await expect(page).toHaveURL(new RegExp(`/customers/${c.id}/timeline\\?saved=`));
  await expect(timeline.saved).toBeVisible();
  await expect(timeline.activities.first()).toContainText('Visit');
  await expect(timeline.activities.first().getByTestId('activity-status')).toHaveText('Done');
  await attachScreenshot(page, testInfo, 'timeline-after-visit-en');

  const res = await request.get(`/api/v1/activities?customer_id=${c.id}`, { headers: { Authorization: `Bearer ${token}` } });
  const list = (await res.json()).data;
  expect(list).toHaveLength(1);
  expect(list[0].kind).toBe('visit');
  expect(list[0].status).toBe('done');
});

test.describe('with the browser knowing where the rep is', () => {
  test.use({ geolocation: { latitude: 31.23041, longitude: 121.47370 }, permissions: ['geolocation'] });

  test('a call with outcome, contact, next follow-up and the place from the browser', async ({ page, request }, testInfo) => {
    const token = await apiToken(request, REP);
    const c = await createCustomerViaApi(request, token, { name: uniqueName('Call Ltd', testInfo) });
    const contact = await request.post(`/api/v1/customers/${c.id}/contacts`, {
      data: { name: 'Li Lei', title: 'Buyer' },
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(contact.status()).toBe(201);
    await signIn(page, REP, `/customers/${c.id}`);
    await page.getByTestId('log-call').click();
    const form = new ActivityForm(page);
    await expect(form.kind('call')).toBeChecked();
    await form.subject.fill('Price of the new line');
    await form.outcome.fill('Wants a quote by Friday');
    await form.followUp.fill('2030-01-15');
    await page.getByTestId('activity-contact').selectOption({ label: 'Li Lei · Buyer' });
    await form.locate.click();
    await expect(form.place).toHaveValue('31.2304, 121.4737');
    await form.save.click();

    const timeline = new Timeline(page);
    const call = timeline.activity('Price of the new line');
    await expect(call).toContainText('Wants a quote by Friday');
    await expect(call).toContainText('with Li Lei');
    await call.getByTestId('activity-title').click();
    await expect(page.getByTestId('activity-heading')).toHaveText('Price of the new line');
    await expect(page.getByTestId('activity-contact')).toHaveText('Li Lei');
    await expect(page.getByTestId('activity-place')).toContainText('31.2304, 121.4737');
    await expect(page.getByTestId('activity-follow-up')).toContainText('15');
    await attachScreenshot(page, testInfo, 'activity-page-en');
  });
});

test('a planned task is marked done, changed and deleted', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Task Ltd', testInfo) });
  await signIn(page, REP, `/customers/${c.id}`);
  await page.getByTestId('log-task-plan').click();
  const form = new ActivityForm(page);
  await expect(form.kind('task')).toBeChecked();
  await expect(page.getByTestId('mode-plan')).toBeChecked();
  await form.due.fill('2030-03-01T10:30');
  await form.subject.fill('Send the catalogue');
  await form.save.click();

  const timeline = new Timeline(page);
  const task = timeline.activity('Send the catalogue');
  await expect(task.getByTestId('activity-status')).toHaveText('Planned');
  // entered in the user's zone (Asia/Shanghai), stored in UTC
  const res = await request.get(`/api/v1/activities?customer_id=${c.id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect((await res.json()).data[0].due_at).toBe('2030-03-01T02:30:00Z');

  await task.getByTestId('activity-title').click();
  await page.getByTestId('activity-done').click();
  await expect(page.getByTestId('activity-status')).toHaveText('Done');

  await page.getByTestId('activity-edit').click();
  await form.subject.fill('Sent the catalogue');
  await form.save.click();
  await expect(page.getByTestId('activity-heading')).toHaveText('Sent the catalogue');

  await page.getByTestId('activity-delete').click();
  await page.getByTestId('confirm-delete-yes').click();
  await expect(page.getByTestId('activity-deleted')).toBeVisible();
  await expect(page.getByTestId('timeline-empty').or(timeline.kind)).toBeVisible();
  await expect(timeline.activity('Sent the catalogue')).toHaveCount(0);
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('a subject that is too long is refused next to the field, and nothing is stored', async ({ page, request }, testInfo) => {
    const token = await apiToken(request, REP);
    const c = await createCustomerViaApi(request, token, { name: uniqueName('太长主题公司', testInfo) });
    await signIn(page, REP, `/customers/${c.id}/log?kind=note`);
    const form = new ActivityForm(page);
    await form.subject.fill('长'.repeat(201));
    await form.save.click();
    await expect(page.getByTestId('activity-subject-error')).toBeVisible();
    await expect(form.subject).toHaveAttribute('aria-invalid', 'true');
    await attachScreenshot(page, testInfo, 'activity-error-zh');
    const res = await request.get(`/api/v1/activities?customer_id=${c.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await res.json()).data).toHaveLength(0);
  });

  test('an activity of a customer the reader may not see is not found', async ({ page }) => {
    await signIn(page, REP, '/activities/00000000-0000-0000-0000-000000000000');
    await expect(page.getByTestId('activity-not-found')).toBeVisible();
  });
});

test('planning a call shows when it is due in the user time zone', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const c = await createCustomerViaApi(request, token, { name: uniqueName('Due Ltd', testInfo) });
  const due = hoursFromNow(48);
  const res = await request.post(`/api/v1/customers/${c.id}/activities`, {
    data: { kind: 'call', subject: 'Check the delivery', due_at: due },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status()).toBe(201);
  await signIn(page, REP, `/customers/${c.id}/timeline`);
  const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(due));
  await expect(new Timeline(page).activity('Check the delivery').getByTestId('activity-when')).toHaveText(`Due ${expected}`);
});
