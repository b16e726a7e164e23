// Test fixtures: a keygate server per test (outbox mail, or a real SMTP server with
// test.use({ smtp: true })), baseURL pointing at it, a page that fails the test on any console
// error or uncaught exception, and helpers for the flows every test shares.
import AxeBuilder from '@axe-core/playwright';
import {expect, test as base} from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

import {repoRoot, startKeygate, startSmtpSink} from './keygate.js';

export {expect};

export const DEMO_PASSWORD = 'keygate-demo';
// The docs' screenshots are refreshed by running tests/e2e/ui/run.sh by hand; CTest sets
// KEYGATE_SCREENSHOT_DIR to the build tree so that a test run leaves tracked files alone.
export const screenshotDir =
    process.env.KEYGATE_SCREENSHOT_DIR || path.join(repoRoot, 'docs/screenshots');

export const test = base.extend({
  smtp: [false, {option: true}],
  smtpSink: async ({smtp}, use) => {
    if (!smtp) {
      await use(null);
      return;
    }
    const sink = await startSmtpSink();
    await use(sink);
    await sink.stop();
  },
  keygate: async ({smtpSink}, use) => {
    const server = await startKeygate({smtpPort: smtpSink?.port ?? null});
    await use(server);
    await server.stop();
  },
  baseURL: async ({keygate}, use) => {
    await use(keygate.url);
  },
  // A RegExp of console errors the test expects: the browser notes every 4xx answer (e.g. the
  // 422 of a wrong code) in the console. null: none is expected.
  allowedConsoleErrors: [null, {option: true}],
  page: async ({page, allowedConsoleErrors}, use) => {
    const problems = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (allowedConsoleErrors?.test(text)) return;
      problems.push(`console error: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    await use(page);
    expect(problems, 'the pages logged no console errors').toEqual([]);
  },
});

export async function signIn(page, username, {totpCode} = {}) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', {name: 'Sign in'}).click();
  if (totpCode) {
    const field = page.getByLabel('6-digit code from your authenticator app');
    await expect(field).toBeVisible();
    await field.fill(await totpCode());
    await page.getByRole('button', {name: 'Sign in'}).click();
  }
  await expect(page.locator('#user-menu-button')).toBeVisible();
}

// Home → user icon → User Profile → RaaS API Keys, as a person would go.
export async function openKeysPage(page) {
  await page.locator('#user-menu-button').click();
  await page.locator('#user-menu').getByRole('link', {name: 'User Profile'}).click();
  await expect(page).toHaveURL(/\/profile$/);
  await page.getByRole('navigation', {name: 'User Profile'})
      .getByRole('link', {name: 'RaaS API Keys'})
      .click();
  await expect(page).toHaveURL(/\/profile\/keys$/);
  await expect(page.getByRole('heading', {level: 1, name: 'RaaS API Keys'})).toBeVisible();
  await expect(page.locator('#generate-button')).toBeEnabled();
}

// Generates a key through the dialog; returns the three values as shown.
export async function generateKey(page, {name, scopes = [], expiresOn = null, screenshot = null}) {
  await page.getByRole('button', {name: 'Generate', exact: true}).click();
  const dialog = page.locator('#generate-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name').fill(name);
  if (expiresOn) await dialog.getByLabel('Expiration date').fill(expiresOn);
  for (const scope of scopes)
    await dialog.getByRole('checkbox', {name: scope, exact: true}).check();
  if (screenshot) await page.screenshot({path: path.join(screenshotDir, screenshot)});
  await dialog.getByRole('button', {name: 'Generate key'}).click();
  const values = page.locator('#values-dialog');
  await expect(values).toBeVisible();
  return {
    credentialKey: await values.locator('#value-credentialKey').textContent(),
    clientKey: await values.locator('#value-clientKey').textContent(),
    clientSecret: await values.locator('#value-clientSecret').textContent(),
  };
}

export async function readShownValues(page) {
  const values = page.locator('#values-dialog');
  await expect(values).toBeVisible();
  return {
    credentialKey: await values.locator('#value-credentialKey').textContent(),
    clientKey: await values.locator('#value-clientKey').textContent(),
    clientSecret: await values.locator('#value-clientSecret').textContent(),
  };
}

export function credentialRow(page, name) {
  return page.locator(
      '#credentials-body tr', {has: page.getByRole('rowheader', {name, exact: true})});
}

export function auditRow(page, name) {
  return page.locator('#audit-body tr', {has: page.getByRole('rowheader', {name, exact: true})});
}

export async function advanceServerClock(request, seconds) {
  const response = await request.post('/api/v1/test/clock', {data: {advanceSeconds: seconds}});
  expect(response.status()).toBe(200);
}

// axe-core: zero serious or critical violations on what the page shows now.
export async function expectAccessible(page, what) {
  const results = await new AxeBuilder({page})
                      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
                      .analyze();
  const severe =
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = severe.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${
          v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `accessibility of ${what}`).toEqual([]);
}

export function ensureScreenshotDir() { fs.mkdirSync(screenshotDir, {recursive: true}); }
