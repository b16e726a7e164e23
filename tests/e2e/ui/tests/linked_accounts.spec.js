// Linked accounts: switching from the user icon menu, and a key generated in one account is
// not listed in the other.
import {credentialRow, expect, generateKey, openKeysPage, signIn, test} from '../support/fixtures.js';

test('linked accounts: a key of one account is not listed in the other', async ({page}) => {
  await signIn(page, 'pat.acme');
  await openKeysPage(page);
  await generateKey(page, {name: 'Acme only key'});
  await page.locator('#values-dialog').getByLabel(/I have saved/).check();
  await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
  await expect(credentialRow(page, 'Acme only key')).toBeVisible();

  await page.locator('#user-menu-button').click();
  const menu = page.locator('#user-menu');
  await expect(menu.getByRole('group', {name: 'Switch account'})).toBeVisible();
  await menu.getByRole('button', {name: 'pat.globex · Globex Corporation'}).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('#home-who')).toContainText('pat.globex at Globex Corporation');

  await openKeysPage(page);
  await expect(credentialRow(page, 'Acme only key')).toHaveCount(0);
  await expect(page.locator('#empty-state')).toBeVisible();
  await expect(page.locator('#credentials-body')).toContainText('You have no active keys.');

  // And back: the key is there again.
  await page.locator('#user-menu-button').click();
  await page.locator('#user-menu').getByRole('button', {name: 'pat.acme · Acme Staffing'}).click();
  await openKeysPage(page);
  await expect(credentialRow(page, 'Acme only key')).toBeVisible();
});
