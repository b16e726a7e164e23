// Sign-in messages (wrong password, SSO organizations), the security headers of the pages,
// and the organization admin page: policy changes and inactivating another user's key.
import {credentialRow, expect, generateKey, openKeysPage, signIn, test,} from '../support/fixtures.js';

// The wrong password (401) and the SSO refusal (403) are expected answers.
test.use({allowedConsoleErrors: /status of (401|403) /});

test(
    'sign-in: wrong password and SSO organizations are explained; pages carry a strict CSP',
    async ({page, request}) => {
      const response = await request.get('/login');
      const headers = response.headers();
      expect(headers['content-security-policy'])
          .toBe(
              'default-src \'self\'; script-src \'self\'; style-src \'self\'; img-src \'self\' data:; object-src \'none\'; base-uri \'none\'; frame-ancestors \'none\'; form-action \'self\'',
          );
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-frame-options']).toBe('DENY');
      const html = await response.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(html).not.toMatch(/\sstyle=/);

      // Signed-out visits to a page go to sign-in and come back afterwards.
      await page.goto('/profile/keys');
      await expect(page).toHaveURL(/\/login\?next=/);
      await page.getByLabel('Username').fill('sam.supplier');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', {name: 'Sign in'}).click();
      await expect(page.locator('#login-error')).toHaveText('The username or password is wrong.');
      await page.getByLabel('Password').fill('keygate-demo');
      await page.getByRole('button', {name: 'Sign in'}).click();
      await expect(page).toHaveURL(/\/profile\/keys$/);
      await page.locator('#user-menu-button').click();
      await page.getByRole('button', {name: 'Sign out'}).click();
      await expect(page).toHaveURL(/\/login$/);

      await page.getByLabel('Username').fill('ivan.sso');
      await page.getByLabel('Password').fill('keygate-demo');
      await page.getByRole('button', {name: 'Sign in'}).click();
      const sso = page.locator('#sso-message');
      await expect(sso).toBeVisible();
      await expect(sso).toContainText('single sign-on');
      await expect(sso).toContainText('does not offer single sign-on yet');
      await expect(page.locator('#login-form')).toBeHidden();
    });

test(
    'org admin: policy settings and every key of the organization with Inactivate',
    async ({page, browser, baseURL}) => {
      // Sam generates a key in another browser context.
      const samContext = await browser.newContext({baseURL});
      const sam = await samContext.newPage();
      await signIn(sam, 'sam.supplier');
      await openKeysPage(sam);
      await generateKey(sam, {name: 'Sam warehouse feed'});
      await sam.locator('#values-dialog').getByLabel(/I have saved/).check();
      await sam.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();

      await signIn(page, 'alex.admin');
      await page.locator('#user-menu-button').click();
      await page.locator('#user-menu').getByRole('link', {name: 'Organization settings'}).click();
      await expect(page).toHaveURL(/\/admin$/);
      await expect(page.getByLabel('Sign-in method')).toHaveValue('basic');
      await expect(page.getByLabel('Key lifetime')).toHaveValue('180');
      await expect(page.getByLabel('API tier')).toHaveValue('professional');
      await page.getByLabel('Key lifetime').selectOption('30');
      await page.getByLabel('API tier').selectOption('enterprise');
      await page.getByRole('button', {name: 'Save settings'}).click();
      await expect(page.locator('#announcer')).toHaveText('Settings saved.');
      await page.reload();
      await expect(page.getByLabel('Key lifetime')).toHaveValue('30');
      await expect(page.getByLabel('API tier')).toHaveValue('enterprise');

      const row = page.locator('#org-keys-body tr', {hasText: 'Sam warehouse feed'});
      await expect(row.locator('td[data-label="Owner"]')).toHaveText('sam.supplier');
      await expect(row.locator('td[data-label="Status"]')).toHaveText('Active');
      await row.getByRole('button', {name: /Inactivate key Sam warehouse feed/}).click();
      const confirm = page.locator('#admin-inactivate-dialog');
      await expect(confirm).toContainText('cannot be undone');
      await confirm.getByRole('button', {name: 'Inactivate key'}).click();
      await expect(row.locator('td[data-label="Status"]')).toHaveText('Inactive');

      // Sam sees it in the Audit Log, inactivated by the administrator; new keys follow 30 days.
      await sam.reload();
      await expect(credentialRow(sam, 'Sam warehouse feed')).toHaveCount(0);
      await expect(sam.locator('#audit-body')).toContainText('Alex Admin');
      await sam.getByRole('button', {name: 'Generate', exact: true}).click();
      await expect(sam.locator('#generate-dialog')).toContainText('At most 30 days ahead');
      await samContext.close();

      // A user without the org_admin role is told the page is not for them.
      await page.locator('#user-menu-button').click();
      await page.getByRole('button', {name: 'Sign out'}).click();
      // Signing out navigates to /login once the session is deleted; wait for that navigation,
      // or signIn's own navigation to /login races it.
      await expect(page).toHaveURL(/\/login$/);
      await signIn(page, 'sam.supplier');
      await page.goto('/admin');
      await expect(page.locator('#admin-denied')).toBeVisible();
      await expect(page.locator('#admin-content')).toBeHidden();
    });
