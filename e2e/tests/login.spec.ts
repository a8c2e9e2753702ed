import { ADMIN, expect, test } from '../fixtures';
import { LoginPage } from '../pages/login';

test.use({ locale: 'en-US' });

test('signs in as the demo admin and sees who is signed in', async ({ page, adminName }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ADMIN.email, ADMIN.password);

  await expect(login.signedInAs).toContainText(adminName);
  await expect(page.getByTestId('user-roles')).toHaveText('Administrator');
  // signing in opens the user's day
  await expect(page).toHaveURL(/\/day$/);

  // The session survives a reload of the tab.
  await page.reload();
  await expect(login.signedInAs).toContainText(adminName);
});

test('a wrong password shows the error and stays on the sign-in page', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ADMIN.email, 'not-the-password');

  await expect(login.formError).toBeVisible();
  await expect(login.formError).not.toHaveText('');
  await expect(login.submit).toHaveText('Sign in');
  await expect(login.email).toHaveValue(ADMIN.email);
  await expect(login.signedInAs).toHaveCount(0);
});

test('empty fields are reported next to each field', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.submit.click();

  await expect(login.emailError).toBeVisible();
  await expect(login.passwordError).toBeVisible();
  await expect(login.email).toHaveAttribute('aria-invalid', 'true');
  await expect(login.email).toHaveAttribute('aria-describedby', 'email-error');
});

test('the language switch changes the texts and is remembered', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await expect(login.submit).toHaveText('Sign in');

  await login.chinese.click();
  await expect(login.submit).toHaveText('登录');
  await expect(login.chinese).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.reload();
  await expect(login.submit).toHaveText('登录');

  await login.english.click();
  await expect(login.submit).toHaveText('Sign in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test.describe('with a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test('starts in Chinese', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await expect(login.submit).toHaveText('登录');
  });
});

test('sign out returns to the sign-in page', async ({ page, adminName }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ADMIN.email, ADMIN.password);
  await expect(login.signedInAs).toContainText(adminName);

  await login.signOut.click();
  await login.expectSignedOut();

  // Signed out for good: a reload does not bring the session back.
  await page.reload();
  await login.expectSignedOut();
});
