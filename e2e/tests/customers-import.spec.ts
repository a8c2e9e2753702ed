import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { attachShot } from '../pages/admin';
import { REP, signIn, uniqueMobile, uniqueName } from '../pages/customers';
import { ImportPage } from '../pages/import';

// Importing a spreadsheet: choose the file, check the suggested columns, dry
// run, import with progress, read why a row failed, undo the whole import.
test.use({ locale: 'zh-CN' });

test('a rep imports a sheet, sees why a row failed and undoes the import', async ({ page }, testInfo) => {
  const first = uniqueName('导入甲公司', testInfo);
  const second = uniqueName('导入乙公司', testInfo);
  const csv = `\ufeff公司名称,联系人,手机\r\n${first},张三,${uniqueMobile().digits}\r\n坏行公司,李四,12\r\n${second},王五,${uniqueMobile().digits}\r\n`;
  const screen = new ImportPage(page);

  await signIn(page, REP, '/customers');
  await page.getByTestId('import-customers').click();
  await expect(page.getByRole('heading', { name: '导入客户' })).toBeVisible();
  await screen.choose('客户名单.csv', csv);

  await expect(screen.mapping).toBeVisible();
  await expect(screen.summary).toContainText('3 行');
  // the headers were recognised: 公司名称 → company, 联系人 → contact, 手机 → phones
  await expect(screen.field(0)).toHaveValue('name');
  await expect(screen.field(1)).toHaveValue('contact_name');
  await expect(screen.field(2)).toHaveValue('phones');
  await attachShot(page, testInfo, 'import-mapping');

  await screen.dryRun.click();
  await expect(screen.dryCounts).toContainText('新建 2');
  await expect(screen.dryCounts).toContainText('失败 1');
  await expect(screen.dryResult).toContainText('第 3 行');

  await screen.run.click();
  await expect(screen.progress).toBeVisible();
  await expect(screen.counts).toContainText('新建 2');
  // the reason in the user's language, after the column at fault; not the API's English
  await expect(screen.report).toContainText('手机: 不是有效的电话号码');
  await expect(screen.report).not.toContainText('must be');
  await attachShot(page, testInfo, 'import-report');

  // the failed rows come back as a file to fix: the original cells, the line and the reason
  const [download] = await Promise.all([page.waitForEvent('download'), screen.failedDownload.click()]);
  expect(download.suggestedFilename()).toBe('kehu-import-failed-rows.csv');
  const path = testInfo.outputPath('failed.csv');
  await download.saveAs(path);
  const lines = readFileSync(path, 'utf8').replace(/^\ufeff/, '').split('\r\n').filter((l) => l);
  expect(lines).toEqual(['公司名称,联系人,手机,行号,失败原因', '坏行公司,李四,12,3,手机: 不是有效的电话号码']);

  await screen.undo.click();
  await screen.undoConfirm.click();
  await expect(screen.undone).toBeVisible();
  await page.goto(`/customers?q=${encodeURIComponent(first)}`);
  await expect(page.getByTestId('customer-row')).toHaveCount(0);
});
