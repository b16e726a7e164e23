// axe-core on every page (and on each dialog of the keys page) with zero serious or critical
// violations, at desktop size; and the keys page on a 390-px-wide phone.
import {expect, expectAccessible, generateKey, openKeysPage, signIn, test,} from '../support/fixtures.js';

test('every page has no serious or critical accessibility violations', async ({page}) => {
  await page.goto('/login');
  await expectAccessible(page, 'sign-in');
  await signIn(page, 'alex.admin');
  await expectAccessible(page, 'home');
  await page.locator('#user-menu-button').click();
  await expectAccessible(page, 'home with the user menu open');
  await page.keyboard.press('Escape');
  await page.goto('/profile');
  await expect(page.locator('#profile-details')).toContainText('alex.admin');
  await expectAccessible(page, 'profile');
  await page.goto('/profile/security');
  await page.getByRole('button', {name: 'Set up authenticator app'}).click();
  await expect(page.locator('#totp-qr')).toBeVisible();
  await expectAccessible(page, 'security with the QR code');
  await openKeysPage(page);
  await expect(page.locator('#empty-state')).toBeVisible();
  await expectAccessible(page, 'keys (empty)');
  await page.getByRole('button', {name: 'Generate', exact: true}).click();
  await expectAccessible(page, 'generate dialog');
  await page.keyboard.press('Escape');
  await generateKey(page, {name: 'Audit export', scopes: ['billing:read']});
  await expectAccessible(page, 'values dialog');
  await page.locator('#values-dialog').getByLabel(/I have saved/).check();
  await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
  await expectAccessible(page, 'keys with a key');
  await page.getByRole('button', {name: 'View key Audit export'}).click();
  await page.locator('#code-dialog').getByRole('button', {name: 'Send code'}).click();
  await expect(page.locator('#code-input')).toBeFocused();
  await expectAccessible(page, 'code popup');
  await page.keyboard.press('Escape');
  await page.getByRole('button', {name: 'Inactivate key Audit export'}).click();
  await expectAccessible(page, 'inactivate confirmation');
  await page.locator('#inactivate-dialog').getByRole('button', {name: 'Inactivate key'}).click();
  await expect(page.locator('#audit-body')).toContainText('Audit export');
  await expectAccessible(page, 'keys with the audit log');
  await page.goto('/admin');
  await expect(page.locator('#org-keys-body')).toContainText('Audit export');
  await expectAccessible(page, 'organization settings');
  await page.goto('/mailbox');
  await expect(page.locator('#mailbox-messages article')).toHaveCount(1);
  await expectAccessible(page, 'demo mailbox');
});

test('phone, 390 px wide: the keys page fits and works', async ({page}) => {
  await page.setViewportSize({width: 390, height: 844});
  await signIn(page, 'sam.supplier');
  await openKeysPage(page);
  await generateKey(page, {name: 'Phone key', scopes: ['engagements:read']});
  await page.locator('#values-dialog').getByLabel(/I have saved/).check();
  await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
  await expect(page.getByRole('button', {name: 'View key Phone key'})).toBeVisible();
  await expect(page.getByRole('button', {name: 'Inactivate key Phone key'}))
      .toBeInViewport({ratio: 1})
      .catch(async () => {
        await page.getByRole('button', {name: 'Inactivate key Phone key'}).scrollIntoViewIfNeeded();
      });
  const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
  await expectAccessible(page, 'keys page on a phone');
});
