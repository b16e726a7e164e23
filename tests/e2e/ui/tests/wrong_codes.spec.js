// Wrong View codes: tries left shown after each, the code is burned after 5, the resend
// throttle is shown, and a new code (read on the demo mailbox page) works.
import {advanceServerClock, credentialRow, expect, generateKey, openKeysPage, readShownValues, signIn, test} from '../support/fixtures.js';

// The browser notes every 4xx answer in the console; here the 422s and the 429 are expected.
test.use({allowedConsoleErrors: /status of (422|429) /});

test(
    'wrong codes: tries left, burned after five, throttled resend, a new code works',
    async ({page, context, request}) => {
      await page.clock.install();
      await signIn(page, 'sam.supplier');
      await openKeysPage(page);
      const shown = await generateKey(page, {name: 'Payroll sync'});
      await page.locator('#values-dialog').getByLabel(/I have saved/).check();
      await page.locator('#values-dialog').getByRole('button', {name: 'Close'}).click();

      await credentialRow(page, 'Payroll sync')
          .getByRole('button', {name: 'View key Payroll sync'})
          .click();
      const popup = page.locator('#code-dialog');
      await popup.getByRole('button', {name: 'Send code'}).click();
      await expect(popup).toContainText('Tries left: 5');

      // Asking again at once is throttled: the wait is shown and the button disabled meanwhile.
      await popup.getByRole('button', {name: 'Send a new code'}).click();
      await expect(popup.locator('#code-resend-info'))
          .toContainText(/You can request a new one in \d+ seconds/);
      await expect(popup.getByRole('button', {name: 'Send a new code'})).toBeDisabled();

      // The mailbox page of this demo server shows the code (the first one; the throttled request
      // sent none).
      const mailbox = await context.newPage();
      await mailbox.goto('/mailbox');
      await expect(mailbox.locator('#mailbox-messages article')).toHaveCount(1);
      const firstCode =
          (await mailbox.locator('.message-body').first().textContent()).match(/\b(\d{8})\b/)[1];
      const wrong = firstCode === '00000000' ? '11111111' : '00000000';

      const input = popup.getByLabel('8-digit code');
      for (const left of [4, 3, 2, 1]) {
        await input.fill(wrong);
        await popup.getByRole('button', {name: 'Show values'}).click();
        await expect(popup.locator('#code-error'))
            .toHaveText(`The code is wrong. ${left} ${left === 1 ? 'try' : 'tries'} left.`);
        await expect(popup.locator('#code-tries')).toHaveText(`Tries left: ${left}`);
      }
      await input.fill(wrong);
      await popup.getByRole('button', {name: 'Show values'}).click();
      await expect(popup.locator('#code-error')).toContainText('no longer works');
      await expect(popup.locator('#code-tries')).toHaveText('Tries left: 0');
      await expect(input).toBeDisabled();

      // Even the right code no longer works once burned (checked through the API).
      const csrf = await page.evaluate(
          async () => (await (await fetch('/api/v1/session')).json()).csrfToken);
      const id = shown.credentialKey;
      const burned = await page.evaluate(async ({id, code, csrf}) => {
        const r = await fetch(`/api/v1/me/keys/${id}/reveal`, {
          method: 'POST',
          headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
          body: JSON.stringify({code})
        });
        return r.status;
      }, {id, code: firstCode, csrf});
      expect(burned).not.toBe(200);

      // After the throttle (server clock and browser clock both move on), a new code works.
      await advanceServerClock(request, 61);
      await page.clock.fastForward(61_000);
      await expect(popup.locator('#code-resend-info'))
          .toHaveText('You can request a new code now.');
      await popup.getByRole('button', {name: 'Send a new code'}).click();
      await expect(popup.locator('#code-tries')).toHaveText('Tries left: 5');
      await expect(input).toBeEnabled();
      await mailbox.getByRole('button', {name: 'Refresh'}).click();
      await expect(mailbox.locator('#mailbox-messages article')).toHaveCount(2);
      const newCode =
          (await mailbox.locator('.message-body').first().textContent()).match(/\b(\d{8})\b/)[1];
      await mailbox.close();
      await input.fill(newCode);
      await popup.getByRole('button', {name: 'Show values'}).click();
      expect(await readShownValues(page)).toEqual(shown);
    });
