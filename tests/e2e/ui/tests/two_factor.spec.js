// A two-factor organization's user: TOTP enrollment with the server-drawn QR code (the code is
// computed in the test, as an authenticator app would), sign-in with the TOTP step, and View
// showing the values directly, without an emailed code.
import {credentialRow, DEMO_PASSWORD, expect, generateKey, openKeysPage, readShownValues, test,} from '../support/fixtures.js';
import {totp} from '../support/totp.js';

// The sign-in step without (and with a wrong) TOTP code is answered 401, as expected.
test.use({allowedConsoleErrors: /status of 401 /});

test(
    'two-factor user: enroll TOTP, sign in with a code, View shows values without a code',
    async ({page}) => {
      await page.goto('/login');
      await page.getByLabel('Username').fill('tara.twofactor');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', {name: 'Sign in'}).click();

      // Not enrolled yet: sign-in leads to Security, which explains the requirement.
      await expect(page).toHaveURL(/\/profile\/security$/);
      await expect(page.locator('#security-required')).toBeVisible();
      await page.getByRole('button', {name: 'Set up authenticator app'}).click();
      const qr = page.getByRole('img', {name: 'QR code holding your authenticator secret'});
      await expect(qr).toBeVisible();
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(await qr.evaluate((img) => img.naturalWidth)).toBeGreaterThan(100);
      const secret = await page.locator('#totp-secret').getAttribute('data-secret');
      expect(secret).toMatch(/^[A-Z2-7]+$/);
      await page.getByLabel('6-digit code').fill(totp(secret, Date.now() / 1000));
      await page.getByRole('button', {name: 'Turn on two-factor sign-in'}).click();
      await expect(page.locator('#totp-done')).toContainText('Your authenticator app is set up');
      // The secret is no longer on the page once enrollment is done.
      expect(await page.content()).not.toContain(secret);

      // Sign out, then sign in again: the TOTP step appears after the password.
      await page.locator('#user-menu-button').click();
      await page.getByRole('button', {name: 'Sign out'}).click();
      await expect(page).toHaveURL(/\/login$/);
      await page.getByLabel('Username').fill('tara.twofactor');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', {name: 'Sign in'}).click();
      const totpField = page.getByLabel('6-digit code from your authenticator app');
      await expect(totpField).toBeFocused();
      await totpField.fill('000000' === totp(secret, Date.now() / 1000) ? '111111' : '000000');
      await page.getByRole('button', {name: 'Sign in'}).click();
      await expect(page.locator('#login-error')).toContainText('authenticator code is wrong');
      // The enrollment used the current step's code, and a code signs in only once: take the
      // next step's code (accepted within the ±1 step window), as if the user waited for it.
      await totpField.fill(totp(secret, Date.now() / 1000 + 30));
      await page.getByRole('button', {name: 'Sign in'}).click();
      await expect(page).toHaveURL(/\/$/);

      await openKeysPage(page);
      const shown = await generateKey(page, {name: 'Nightly RaaS', scopes: ['timecards:write']});
      const dialog = page.locator('#values-dialog');
      // No basic-auth confirmation step: Close works at once.
      await expect(dialog.locator('#values-confirm')).toBeHidden();
      await dialog.getByRole('button', {name: 'Close'}).click();
      await expect(dialog).toBeHidden();

      await credentialRow(page, 'Nightly RaaS')
          .getByRole('button', {name: 'View key Nightly RaaS'})
          .click();
      await expect(page.locator('#code-dialog')).toBeHidden();
      expect(await readShownValues(page)).toEqual(shown);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(page.locator('#value-clientSecret')).toHaveCount(0);
    });
