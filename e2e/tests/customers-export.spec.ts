import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { attachShot } from '../pages/admin';
import { REP, apiToken, createCustomerViaApi, signIn, uniqueName } from '../pages/customers';

// Exporting the list as it is filtered, as a CSV file Excel opens in Chinese.
test.use({ locale: 'zh-CN' });

test('the filtered customer list downloads as CSV with what the rep sees', async ({ page, request }, testInfo) => {
  const token = await apiToken(request, REP);
  const name = uniqueName('导出测试客户', testInfo);
  await createCustomerViaApi(request, token, { name, industry: '零售' });

  await signIn(page, REP, `/customers?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('customer-row').first()).toContainText(name);
  await page.getByTestId('export-customers').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
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

test('the list downloads as an Excel workbook, also on a phone', async ({ page, request }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const token = await apiToken(request, REP);
  const name = uniqueName('导出表格客户', testInfo);
  await createCustomerViaApi(request, token, { name, industry: '制造' });

  await signIn(page, REP, `/customers?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('customer-row').first()).toContainText(name);
  await page.getByTestId('export-customers').click();
  await expect(page.getByTestId('export-xlsx')).toBeVisible();
  await expect(page.getByTestId('export-xlsx')).toContainText('Excel');
  await attachShot(page, testInfo, 'export-menu-phone');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(download.suggestedFilename()).toBe('kehu-customers.xlsx');
  const path = testInfo.outputPath('customers.xlsx');
  await download.saveAs(path);
  const bytes = readFileSync(path);
  // a zip file (an .xlsx is one) holding a worksheet, not an error page
  expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect(bytes.length).toBeGreaterThan(2000);
  expect(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml'))).toBe(true);
  await expect(page.getByTestId('export-error')).toHaveCount(0);
});
