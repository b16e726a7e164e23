// Keyboard only: from sign-in to generating and inactivating a key without the mouse, with a
// visible focus indicator, the dialog focus trap, Escape, and focus returned to the opener.
import {auditRow, expect, test} from '../support/fixtures.js';

// Presses Tab (or Shift+Tab) until the focused element matches `selector`.
async function tabTo(page, selector, {backwards = false, max = 40} = {}) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${selector} with the keyboard`);
}

async function expectVisibleFocus(page) {
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

test('keyboard only: sign in, generate and inactivate a key', async ({page}) => {
  await page.goto('/login');
  await expect(page.getByLabel('Username')).toBeFocused();
  await expect(page.locator('#login-submit')).toBeEnabled();
  await page.keyboard.type('sam.supplier');
  await page.keyboard.press('Tab');
  await page.keyboard.type('keygate-demo');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);

  // User icon menu: open with Enter, Escape closes it and returns focus.
  await tabTo(page, '#user-menu-button');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.locator('#user-menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#user-menu')).toBeHidden();
  await expect(page.locator('#user-menu-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#menu-profile')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/profile$/);
  await tabTo(page, '.side-nav a[href="/profile/keys"]');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/profile\/keys$/);
  await expect(page.locator('#generate-button')).toBeEnabled();

  // Generate: the dialog opens on Name; Escape closes it and focus goes back to Generate.
  await tabTo(page, '#generate-button');
  await page.keyboard.press('Enter');
  await expect(page.locator('#key-name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('#generate-dialog')).toBeHidden();
  await expect(page.locator('#generate-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#key-name')).toBeFocused();
  await page.keyboard.type('Keyboard key');
  // Focus stays inside the dialog: Shift+Tab from the first field wraps to the last button.
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('#generate-submit')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('#key-name')).toBeFocused();
  await tabTo(page, '#scope-workers-write');
  await expectVisibleFocus(page);
  await page.keyboard.press('Space');
  await expect(page.locator('#scope-workers-write')).toBeChecked();
  await tabTo(page, '#generate-submit');
  await page.keyboard.press('Enter');

  // Values dialog: confirm with Space, close with Enter.
  const values = page.locator('#values-dialog');
  await expect(values).toBeVisible();
  await expect(values.getByRole('button', {name: 'Copy Credential Key'})).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(values).toBeVisible();
  await tabTo(page, '#values-saved');
  await page.keyboard.press('Space');
  await tabTo(page, '#values-close');
  await page.keyboard.press('Enter');
  await expect(values).toBeHidden();
  await expect(page.locator('#credentials-body')).toContainText('workers:write');
  // Closing the dialog returns focus to Generate once the table has re-rendered; wait for it,
  // so the Tab presses below start from there and do not race the focus move.
  await expect(page.locator('#generate-button')).toBeFocused();

  // Inactivate: the confirmation opens on Cancel (the safe choice).
  await tabTo(page, 'button[aria-label="Inactivate key Keyboard key"]');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.locator('#inactivate-cancel')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('#inactivate-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#inactivate-dialog')).toBeHidden();
  await expect(auditRow(page, 'Keyboard key')).toContainText('Inactive');
  await expect(page.locator('#generate-button')).toBeFocused();
});
