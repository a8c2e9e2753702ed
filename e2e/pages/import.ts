import { type Locator, type Page } from '@playwright/test';

/** The import screen (/import): file, column mapping, dry run, progress, report, undo. */
export class ImportPage {
  readonly file: Locator;
  readonly mapping: Locator;
  readonly summary: Locator;
  readonly dryRun: Locator;
  readonly dryCounts: Locator;
  readonly dryResult: Locator;
  readonly run: Locator;
  readonly progress: Locator;
  readonly counts: Locator;
  readonly report: Locator;
  readonly undo: Locator;
  readonly undoConfirm: Locator;
  readonly undone: Locator;
  readonly failedDownload: Locator;

  constructor(readonly page: Page) {
    this.file = page.getByTestId('import-file');
    this.mapping = page.getByTestId('import-mapping');
    this.summary = page.getByTestId('import-summary');
    this.dryRun = page.getByTestId('import-dry-run');
    this.dryCounts = page.getByTestId('import-dry-counts');
    this.dryResult = page.getByTestId('import-dry-result');
    this.run = page.getByTestId('import-run');
    this.progress = page.getByTestId('import-progress');
    this.counts = page.getByTestId('import-counts');
    this.report = page.getByTestId('import-report');
    this.undo = page.getByTestId('import-undo');
    this.undoConfirm = page.getByTestId('import-undo-confirm');
    this.undone = page.getByTestId('import-undone');
    this.failedDownload = page.getByTestId('import-failed-download');
  }

  /** The field chosen for the file's column `n` (0-based). */
  field(n: number): Locator {
    return this.page.getByTestId(`import-field-${n}`);
  }

  async choose(name: string, text: string) {
    await this.file.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  }
}
