import { expect, type Locator, type Page } from '@playwright/test';

/** The sign-in page, the home page it leads to, and the language switch on both. */
export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly formError: Locator;
  readonly emailError: Locator;
  readonly passwordError: Locator;
  readonly signedInAs: Locator;
  readonly signOut: Locator;
  readonly chinese: Locator;
  readonly english: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByTestId('email');
    this.password = page.getByTestId('password');
    this.submit = page.getByTestId('sign-in-submit');
    this.formError = page.getByRole('alert');
    this.emailError = page.getByTestId('email-error');
    this.passwordError = page.getByTestId('password-error');
    this.signedInAs = page.getByTestId('signed-in-as');
    this.signOut = page.getByTestId('sign-out');
    this.chinese = page.getByRole('button', { name: '简体中文' });
    this.english = page.getByRole('button', { name: 'English' });
  }

  async goto() {
    await this.page.goto('/');
    await expect(this.submit).toBeVisible();
  }

  async signIn(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  async expectSignedOut() {
    await expect(this.submit).toBeVisible();
    await expect(this.signedInAs).toHaveCount(0);
  }
}
