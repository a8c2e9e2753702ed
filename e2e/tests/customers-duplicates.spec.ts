import { expect, test } from '../fixtures';
import { CustomerForm, CustomerPage, REP, apiToken, attachScreenshot, createCustomerViaApi, signIn, uniqueMobile, uniqueName } from '../pages/customers';

// 客户查重: a rep about to create a second record of a customer is shown the
// first one to open instead; one they may not see is named only by whom to ask.

test.describe('in English', () => {
  test.use({ locale: 'en-US' });

  test('a customer that exists already is offered instead, and can be opened', async ({ page, request }, testInfo) => {
    const token = await apiToken(request, REP);
    const base = uniqueName('华联超市', testInfo);
    const name = `${base}有限公司`;
    const first = await createCustomerViaApi(request, token, { name });

    await signIn(page, REP, '/customers/new');
    const form = new CustomerForm(page);
    // the same company, written with another legal form and full-width brackets
    await form.name.fill(`（上海）${base}股份有限公司`);
    await form.save.click();
    const notice = page.getByTestId('duplicate-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('This looks like an existing customer');
    await expect(notice).toContainText('same name');
    await expect(page).toHaveURL(/\/customers\/new$/);
    await attachScreenshot(page, testInfo, 'duplicate-notice-en');

    await notice.getByTestId('duplicate-link').click();
    await expect(page).toHaveURL(new RegExp(`/customers/${first.id}$`));
    await expect(new CustomerPage(page).heading).toHaveText(name);
  });
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('a duplicate in another region names whom to ask; saving anyway needs a reason', async ({ page, request }, testInfo) => {
    const east = await apiToken(request, REP);
    const mobile = uniqueMobile();
    await createCustomerViaApi(request, east, { name: uniqueName('明达电子', testInfo), phones: [mobile.digits] });

    // the southern rep cannot see the eastern rep's customers
    await signIn(page, 'rep.south@example.com', '/customers/new');
    const form = new CustomerForm(page);
    const name = uniqueName('明达科技', testInfo);
    await form.name.fill(name);
    await form.phone(0).fill(`+86 ${mobile.spaced}`);
    await form.save.click();
    const notice = page.getByTestId('duplicate-notice');
    await expect(notice).toBeVisible();
    await expect(notice.getByRole('heading')).toHaveText('可能是重复客户');
    await expect(notice.getByTestId('duplicate-hidden')).toContainText('电话相同：请询问陈东');
    await expect(notice.getByRole('link', { name: 'rep.east@example.com' })).toHaveAttribute('href', 'mailto:rep.east@example.com');
    await expect(notice.getByTestId('duplicate-link')).toHaveCount(0);
    await attachScreenshot(page, testInfo, 'duplicate-hidden-zh');

    // no reason, no override
    const anyway = notice.getByTestId('duplicate-save-anyway');
    await expect(anyway).toHaveAttribute('aria-disabled', 'true');
    await notice.getByTestId('duplicate-reason').fill('同一个总机，不同的公司');
    await expect(anyway).not.toHaveAttribute('aria-disabled', 'true');
    await anyway.click();
    await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{20,}$/);
    await expect(new CustomerPage(page).heading).toHaveText(name);
  });
});
