// Expiry: a key close to its date is highlighted with its days left; once the test clock moves
// past the expiration date, the key is listed in the Audit Log as expired.
import {advanceServerClock, auditRow, credentialRow, expect, generateKey, openKeysPage, signIn, test} from '../support/fixtures.js';

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test(
    'expiry: highlighted within 14 days, expired after the date passes',
    async ({page, request}) => {
      await signIn(page, 'sam.supplier');
      await openKeysPage(page);
      const soon = isoDay(3);
      await generateKey(page, {name: 'Short lived', expiresOn: soon});
      await page.locator('#values-dialog').getByLabel(/I have saved/).check();
      await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
      await generateKey(page, {name: 'Long lived'});
      await page.locator('#values-dialog').getByLabel(/I have saved/).check();
      await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();

      const short = credentialRow(page, 'Short lived');
      const expires = short.locator('td[data-label="Expires"]');
      await expect(expires).toContainText(soon);
      await expect(expires).toContainText(/Expires soon: \d days? left/);
      await expect(expires).toHaveClass(/expiring/);
      await expect(credentialRow(page, 'Long lived').locator('td[data-label="Expires"]'))
          .not.toHaveClass(/expiring/);

      // A date later than the organization's maximum is refused by the form's limit.
      await page.getByRole('button', {name: 'Generate', exact: true}).click();
      const max = await page.locator('#key-expiry').getAttribute('max');
      expect(max > soon).toBe(true);
      await page.locator('#generate-dialog').getByRole('button', {name: 'Cancel'}).click();

      // Five days later (the session has gone idle by then: sign in again).
      await advanceServerClock(request, 5 * 86_400);
      await page.reload();
      await expect(page).toHaveURL(/\/login\?next=%2Fprofile%2Fkeys|\/login\?next=\/profile\/keys/);
      await page.getByLabel('Username').fill('sam.supplier');
      await page.getByLabel('Password').fill('keygate-demo');
      await page.getByRole('button', {name: 'Sign in'}).click();
      await expect(page).toHaveURL(/\/profile\/keys$/);
      await expect(credentialRow(page, 'Short lived')).toHaveCount(0);
      const row = auditRow(page, 'Short lived');
      await expect(row.locator('td[data-label="Status"]')).toHaveText('Expired');
      await expect(row.locator('td[data-label="Date"]')).toContainText(isoDay(4));
      await expect(credentialRow(page, 'Long lived')).toBeVisible();
    });
