// Playwright configuration for the Keygate UI tests. The browser is Debian's chromium
// (never a downloaded one); each test starts its own keygate binary (see support/fixtures.js),
// whose path comes from the KG_BINARY environment variable set by CTest.
import {defineConfig} from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: {timeout: 10_000},
  fullyParallel: true,
  workers: Number(process.env.KG_UI_WORKERS ?? 2),
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: process.env.KG_UI_OUTPUT_DIR ?? 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: {width: 1280, height: 800},
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
