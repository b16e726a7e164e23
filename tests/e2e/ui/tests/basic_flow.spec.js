// The seed help page's flow for a basic-auth supplier user, end to end with a real SMTP server
// (aiosmtpd): generate with two scopes, copy (read back from the clipboard), masked after
// closing, View with the emailed code, a token with those values, Inactivate, Audit Log, 401.
import path from 'node:path';

import {auditRow, credentialRow, ensureScreenshotDir, expect, generateKey, openKeysPage, readShownValues, screenshotDir, signIn, test,} from '../support/fixtures.js';
import {lastCode} from '../support/keygate.js';

test.use({smtp: true});

test(
    'basic-auth supplier: generate, copy, view with emailed code, token, inactivate',
    async ({page, request, smtpSink}) => {
      ensureScreenshotDir();
      await signIn(page, 'sam.supplier');
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole('heading', {level: 1})).toHaveText('Welcome, Sam Supplier');
      await openKeysPage(page);

      // The first time: empty state explaining keys, expiry and scopes; empty tables.
      const empty = page.locator('#empty-state');
      await expect(empty).toBeVisible();
      await expect(empty).toContainText('Expiry');
      await expect(empty).toContainText('can never be removed or extended');
      await expect(empty).toContainText('Scopes');
      await expect(page.locator('#credentials-body')).toContainText('You have no active keys.');

      // The generation form: default date = the organization's latest, which is also the max.
      await page.getByRole('button', {name: 'Generate', exact: true}).click();
      const form = page.locator('#generate-dialog');
      const expiry = form.getByLabel('Expiration date');
      const latest = await expiry.getAttribute('max');
      expect(latest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await expect(expiry).toHaveValue(latest);
      await expect(form).toContainText('can never be removed or extended');
      const raas = form.getByRole('checkbox', {name: 'RaaS (raas)'});
      await expect(raas).toBeChecked();
      await expect(raas).toBeDisabled();
      await expect(form).toContainText('always included');
      for (const scope
               of ['engagements:read', 'billing:read', 'workers:write', 'timecards:write',
                   'candidate-insights:read'])
        await expect(form.getByRole('checkbox', {name: scope, exact: true})).toBeVisible();
      await form.getByRole('button', {name: 'Cancel'}).click();
      await expect(form).toBeHidden();

      const shown = await generateKey(page, {
        name: 'Invoice export',
        scopes: ['engagements:read', 'billing:read'],
        screenshot: 'generate-dialog.png',
      });
      expect(shown.credentialKey).toMatch(/^\d+$/);
      expect(shown.clientKey).toMatch(/^kgck_/);
      expect(shown.clientSecret).toMatch(/^kgcs_/);

      // Copy buttons put each value on the clipboard, with a visible confirmation.
      const dialog = page.locator('#values-dialog');
      await expect(dialog).toContainText('only time they can be copied');
      for (const [label, value] of [
               ['Credential Key', shown.credentialKey], ['Client Key', shown.clientKey],
               ['Client Secret', shown.clientSecret]]) {
        await dialog.getByRole('button', {name: `Copy ${label}`}).click();
        await expect(dialog.getByRole('button', {name: `Copy ${label}`})
                         .locator('xpath=following-sibling::*[1]'))
            .toHaveText('Copied');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
      }

      // Basic auth: Close stays disabled (and Escape does nothing) until the user confirms.
      const close = dialog.getByRole('button', {name: 'Close'});
      await expect(close).toBeDisabled();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeVisible();
      await dialog.getByLabel('I have saved the Credential Key, Client Key and Client Secret')
          .check();
      await close.click();
      await expect(dialog).toBeHidden();
      // The revealed values are gone from the DOM once the dialog is closed.
      await expect(page.locator('#value-clientSecret')).toHaveCount(0);
      expect(await page.content()).not.toContain(shown.clientSecret);

      // Your Credentials: masked client key, scopes, expiry with days left.
      const row = credentialRow(page, 'Invoice export');
      await expect(row).toBeVisible();
      await expect(row).toContainText(shown.credentialKey);
      await expect(row).toContainText('RaaS, engagements:read, billing:read');
      await expect(row).toContainText(latest);
      await expect(row).toContainText(/\d+ days left/);
      await expect(row).toContainText('Never');
      const masked = await row.locator('td[data-label="Client Key"] code').textContent();
      expect(masked).not.toBe(shown.clientKey);
      expect(masked).toContain('•');
      await expect(page.locator('#empty-state')).toBeHidden();
      await page.screenshot({path: path.join(screenshotDir, 'keys-page.png')});

      // View: send a code, read it from the SMTP server, enter it, get the same values.
      await row.getByRole('button', {name: 'View key Invoice export'}).click();
      const popup = page.locator('#code-dialog');
      await expect(popup).toBeVisible();
      await popup.getByRole('button', {name: 'Send code'}).click();
      const codeInput = popup.getByLabel('8-digit code');
      await expect(codeInput).toBeFocused();
      await expect(codeInput).toHaveAttribute('inputmode', 'numeric');
      await expect(codeInput).toHaveAttribute('autocomplete', 'one-time-code');
      await expect(codeInput).toHaveAttribute('maxlength', '8');
      await expect(popup).toContainText('Tries left: 5');
      await expect(popup).toContainText(/expires at \d{2}:\d{2}:\d{2} UTC/);
      await expect(popup).toContainText(/request a new code after \d{2}:\d{2}:\d{2} UTC/);
      await expect(popup).toContainText(/We sent a code to s\S*@acme\.example/);
      await expect.poll(() => lastCode(smtpSink.messages()), {message: 'the code email arrives'})
          .not.toBeNull();
      const code = lastCode(smtpSink.messages());
      await page.screenshot({path: path.join(screenshotDir, 'code-popup.png')});
      // Pasted with a space in the middle, as codes are often copied from email.
      await codeInput.focus();
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.getElementById('code-input')
            .dispatchEvent(new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true}));
      }, `${code.slice(0, 4)} ${code.slice(4)}`);
      await expect(codeInput).toHaveValue(code);
      await popup.getByRole('button', {name: 'Show values'}).click();
      const revealed = await readShownValues(page);
      expect(revealed).toEqual(shown);
      await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();
      await expect(page.locator('#values-dialog')).toBeHidden();
      expect(await page.content()).not.toContain(shown.clientSecret);

      // The values work: a token through the API, and a call with it.
      const tokenResponse = await request.post('/api/v1/get-api-token', {
        data: {
          credentialKey: Number(shown.credentialKey),
          clientKey: shown.clientKey,
          clientSecret: shown.clientSecret
        },
      });
      expect(tokenResponse.status()).toBe(200);
      const {accessToken, scopes} = await tokenResponse.json();
      expect(scopes).toEqual(expect.arrayContaining(['raas', 'engagements:read', 'billing:read']));
      const headers = {Authorization: `Bearer ${accessToken}`};
      expect((await request.get('/api/v1/whoami', {headers})).status()).toBe(200);

      // Inactivate with confirmation: the row moves to the Audit Log, the token stops working.
      await row.getByRole('button', {name: 'Inactivate key Invoice export'}).click();
      const confirm = page.locator('#inactivate-dialog');
      await expect(confirm).toBeVisible();
      await expect(confirm).toContainText('Invoice export');
      await expect(confirm).toContainText('cannot be undone');
      await confirm.getByRole('button', {name: 'Inactivate key'}).click();
      await expect(confirm).toBeHidden();
      await expect(credentialRow(page, 'Invoice export')).toHaveCount(0);
      const audit = auditRow(page, 'Invoice export');
      await expect(audit).toContainText('Inactive');
      await expect(audit).toContainText('Sam Supplier');
      await expect(audit).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      expect((await request.get('/api/v1/whoami', {headers})).status()).toBe(401);

      // With SMTP as the transport there is no demo mailbox.
      expect((await request.get('/mailbox')).status()).toBe(404);
    });
