import { expect, test } from '../fixtures';
import { ADMIN_EMAIL, apiToken, attachScreenshot, signIn, uniqueMobile, uniqueName } from '../pages/customers';

test.use({ locale: 'en-US' });

test('a lead is entered, its score explained, and converted into a customer and an opportunity', async ({ page, request }, testInfo) => {
  const name = uniqueName('Lead Person', testInfo);
  const company = uniqueName('Lead Co', testInfo);
  const phone = uniqueMobile();
  await signIn(page, ADMIN_EMAIL, '/leads');
  await expect(page.getByTestId(testInfo.project.name === 'phone' ? 'tab-leads' : 'nav-leads')).toBeVisible();
  await page.getByTestId('new-lead').click();
  await expect(page).toHaveURL(/\/leads\/new$/);
  await page.getByTestId('name').fill(name);
  await page.getByTestId('company').fill(company);
  await page.getByTestId('phone').fill(phone.digits);
  await page.getByTestId('source').selectOption('referral');
  await page.getByTestId('lead-save').click();

  await expect(page.getByTestId('lead-heading')).toHaveText(name);
  await expect(page.getByTestId('lead-status')).toHaveText('New');
  // company 10 + phone 10 + referral 25
  await expect(page.getByTestId('lead-score-total')).toHaveText('45');
  await expect(page.getByTestId('score-source')).toContainText('+25');
  await expect(page.getByTestId('score-completeness-email')).toContainText('+0');
  await attachScreenshot(page, testInfo, 'lead-page');

  await page.getByTestId('status-contacted').click();
  await expect(page.getByTestId('lead-status')).toHaveText('Contacted');

  await expect(page.getByTestId('convert-name')).toHaveValue(company);
  // with an opportunity: a wrong amount is caught before anything is sent
  await page.getByTestId('convert-deal').check();
  await page.getByTestId('deal-amount').fill('12k');
  await page.getByTestId('deal-close').fill('2027-03-31');
  await page.getByTestId('convert-go').click();
  await expect(page.getByTestId('deal-amount-error')).toBeVisible();
  await page.getByTestId('deal-amount').fill('120,000.50');
  await page.getByTestId('convert-go').click();
  await expect(page.getByTestId('lead-converted')).toBeVisible();
  await expect(page.getByTestId('lead-converted-deal')).toBeVisible();
  await expect(page.getByTestId('lead-status')).toHaveText('Converted');
  await expect(page.getByTestId('lead-convert')).toHaveCount(0);
  const leadId = page.url().split('/').pop();
  const token = await apiToken(request, ADMIN_EMAIL);
  const lead = await (await request.get(`/api/v1/leads/${leadId}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const deal = await (
    await request.get(`/api/v1/opportunities/${lead.converted_opportunity_id}`, { headers: { Authorization: `Bearer ${token}` } })
  ).json();
  expect(deal.source_lead_id).toBe(leadId);
  expect(deal.amount_minor).toBe(12000050);
  expect(deal.expected_close_on).toBe('2027-03-31');
  await page.getByTestId('converted-customer').click();
  await expect(page).toHaveURL(/\/customers\/[A-Za-z0-9_-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(company);
});

test('a lead that looks like an existing customer is attached to it', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, ADMIN_EMAIL);
  const headers = { Authorization: `Bearer ${token}` };
  const phone = uniqueMobile();
  const company = uniqueName('Known Co', testInfo);
  const c = await request.post('/api/v1/customers', { headers, data: { name: company, phones: [phone.digits] } });
  expect(c.status(), await c.text()).toBe(201);
  const customerId = (await c.json()).id;
  const l = await request.post('/api/v1/leads', { headers, data: { name: uniqueName('Dup Person', testInfo), company, phone: phone.digits } });
  expect(l.status(), await l.text()).toBe(201);
  const leadId = (await l.json()).id;

  await signIn(page, ADMIN_EMAIL, `/leads/${leadId}`);
  await page.getByTestId('convert-go').click();
  const dups = page.getByTestId('convert-duplicates');
  await expect(dups).toContainText(company);
  await attachScreenshot(page, testInfo, 'lead-duplicates');
  await dups.getByTestId('convert-attach').first().click();
  await expect(page.getByTestId('lead-converted')).toBeVisible();
  await expect(page.getByTestId('converted-customer')).toHaveAttribute('href', `/customers/${customerId}`);
});

test('a web-form submission lands in the queue, and the lists fit a phone', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, ADMIN_EMAIL);
  const f = await request.post('/api/v1/lead-forms', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: uniqueName('Website form', testInfo), campaign: 'Spring' },
  });
  expect(f.status(), await f.text()).toBe(201);
  const form = await f.json();
  const visitor = uniqueName('Visitor', testInfo);
  // as a website's HTML form posts it, without signing in
  const r = await request.post(new URL(form.submit_url).pathname, {
    form: { name: visitor, email: `v${Date.now()}@example.com`, consent: 'on', website: '' },
  });
  expect(r.status(), await r.text()).toBe(202);
  const refused = await request.post(new URL(form.submit_url).pathname, { data: { name: visitor } });
  expect(refused.status()).toBe(422);

  await signIn(page, ADMIN_EMAIL, '/leads');
  await page.getByTestId('lead-queue-filter').check();
  await page.getByTestId('lead-search').fill(visitor);
  await page.getByTestId('lead-search').press('Enter');
  const row = page.getByTestId('lead-row').filter({ hasText: visitor });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('lead-owner')).toHaveText('In the queue');
  await expect(row).toContainText('Web form');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await attachScreenshot(page, testInfo, 'lead-queue');

  await row.getByRole('link').click();
  await expect(page.getByTestId('lead-campaign')).toHaveText('Spring');
  await expect(page.getByTestId('score-engagement-form_submissions')).toContainText('+4');
  const width2 = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width2).toBeLessThanOrEqual(page.viewportSize()!.width);
});

test('a web form is made in the setup and its address shown once', async ({ page }, testInfo) => {
  await signIn(page, ADMIN_EMAIL, '/leads/setup');
  const name = uniqueName('Fair form', testInfo);
  await page.getByTestId('form-name').fill(name);
  // a site's address that is not one is refused, naming the field
  await page.getByTestId('form-origins').fill('www.example.com');
  await page.getByTestId('form-create').click();
  await expect(page.getByRole('alert')).toContainText('allowed_origins');
  await expect(page.getByTestId('lead-form-row').filter({ hasText: name })).toHaveCount(0);
  // only the company's own site may post to it from a browser
  await page.getByTestId('form-origins').fill('https://www.example.com\nhttps://shop.example.com');
  await page.getByTestId('form-create').click();
  await expect(page.getByTestId('lead-form-url')).toContainText('/api/v1/forms/');
  const row = page.getByTestId('lead-form-row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('lead-form-origins')).toHaveText('From https://www.example.com, https://shop.example.com');
  await attachScreenshot(page, testInfo, 'lead-setup');
});

test.describe('zh-CN', () => {
  test.use({ locale: 'zh-CN' });

  test('the lead screens speak Chinese', async ({ page, request }, testInfo) => {
    const token = await apiToken(request, ADMIN_EMAIL);
    const l = await request.post('/api/v1/leads', {
      headers: { Authorization: `Bearer ${token}` },
      data: { name: uniqueName('王经理', testInfo), company: uniqueName('上海某某机械', testInfo), source: 'event', industry: '制造业' },
    });
    expect(l.status(), await l.text()).toBe(201);
    await signIn(page, ADMIN_EMAIL, `/leads/${(await l.json()).id}`);
    await expect(page.getByTestId('lead-status')).toHaveText('新线索');
    await expect(page.getByTestId('score-source')).toContainText('展会活动');
    await expect(page.getByTestId('convert-go')).toHaveText('转化为客户');
    await attachScreenshot(page, testInfo, 'lead-page-zh');
    await page.goto('/leads');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('销售线索');
    await attachScreenshot(page, testInfo, 'lead-list-zh');
  });
});
