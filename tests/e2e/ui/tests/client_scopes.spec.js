// A client organization's user is offered RaaS only: no Supplier API scopes.
import {expect, generateKey, openKeysPage, signIn, test} from '../support/fixtures.js';

test('client organization: no Supplier API scopes are offered', async ({page}) => {
  await signIn(page, 'carla.client');
  await openKeysPage(page);
  await expect(page.locator('#empty-state'))
      .toContainText('Supplier API scopes are for supplier organizations only');
  await page.getByRole('button', {name: 'Generate', exact: true}).click();
  const form = page.locator('#generate-dialog');
  const boxes = form.getByRole('checkbox');
  await expect(boxes).toHaveCount(1);
  await expect(boxes.first()).toHaveAccessibleName('RaaS (raas)');
  await expect(boxes.first()).toBeChecked();
  for (const scope
           of ['engagements:read', 'billing:read', 'workers:write', 'timecards:write',
               'candidate-insights:read'])
    await expect(form).not.toContainText(scope);
  // Client organizations default to 90 days.
  await expect(form).toContainText('At most 90 days ahead');
  await form.getByRole('button', {name: 'Cancel'}).click();

  await generateKey(page, {name: 'Spend report'});
  await page.locator('#values-dialog').getByLabel(/I have saved/).check();
  await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
  await expect(page.locator('#credentials-body')).toContainText('Spend report');
  await expect(page.locator('#credentials-body td[data-label="Scopes"]')).toHaveText('RaaS');
});
