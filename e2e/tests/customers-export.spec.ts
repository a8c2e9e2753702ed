import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { REP, apiToken, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

// Exporting the list as it is filtered, as a CSV file Excel opens in Chinese.
test.use({ locale: 'zh-CN' });

test('the filtered customer list downloads as CSV with what the rep sees', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const name = uniqueName('导出测试客户', testInfo);
  await createCustomerViaApi(request, token, { name, industry: '零售' });

  await signIn(page, REP, `/customers?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('customer-row').first()).toContainText(name);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-customers').click(),
  ]);
  expect(download.suggestedFilename()).toBe('kehu-customers.csv');
  const path = testInfo.outputPath('customers.csv');
  await download.saveAs(path);
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  const lines = text.slice(1).split('\r\n').filter((l) => l);
  expect(lines[0]).toContain('id,name,kind,lifecycle_stage');
  // the search applies: the header and this one customer
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(name);
  expect(lines[1]).toContain('零售');
  await testInfo.attach('customers.csv', { path, contentType: 'text/csv' });
});
