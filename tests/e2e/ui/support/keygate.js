// Starts the built keygate binary for one test: a fresh data directory, a free port, demo
// data, the cheapest password hashing, the test clock control, and mail either to the outbox
// (the demo mailbox page) or to a real SMTP server.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');

function waitForOutput(child, pattern, timeoutMs, describe) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`${describe} did not start within ${timeoutMs} ms. Output:\n${seen}`));
    }, timeoutMs);
    const onData = (chunk) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${describe} exited with ${code} before it was ready. Output:\n${seen}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// A real SMTP server (aiosmtpd) storing each message as NNNNNN.eml in a directory.
export async function startSmtpSink() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-ui-smtp-'));
  const port = await freePort();
  const child = spawn(
      '/usr/bin/python3',
      ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'smtp_sink.MaildirSink', dir],
      {
        env: {...process.env, PYTHONPATH: path.join(repoRoot, 'tests/support')},
        stdio: ['ignore', 'pipe', 'pipe']
      },
  );
  await waitForPort(port, 15_000);
  return {
    port,
    dir,
    messages() {
      return fs.readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .sort()
          .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    },
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

export async function startKeygate({smtpPort = null} = {}) {
  const binary = process.env.KG_BINARY;
  if (!binary) throw new Error('set KG_BINARY to the built keygate binary');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-ui-'));
  // Keygate rejects unknown KEYGATE_* variables: pass only the ones meant for it.
  const env =
      Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYGATE_')));
  Object.assign(env, {
    KEYGATE_STORAGE_DATA_DIR: dir,
    KEYGATE_SERVER_ADDRESS: '127.0.0.1',
    KEYGATE_SERVER_PORT: '0',
    KEYGATE_SECURITY_PASSWORD_COST: 'minimum',
    KEYGATE_TEST_CLOCK_CONTROL: 'true',
    KEYGATE_DEMO_ENABLED: 'true',
    KEYGATE_LOG_LEVEL: 'warn',
  });
  if (smtpPort) {
    Object.assign(env, {
      KEYGATE_MAIL_TRANSPORT: 'smtp',
      KEYGATE_MAIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      KEYGATE_MAIL_SMTP_TLS: 'off',
    });
  }
  const child = spawn(binary, ['serve', '--demo'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout.on('data', (c) => {
    output += c.toString();
  });
  child.stderr.on('data', (c) => {
    output += c.toString();
  });
  const match =
      await waitForOutput(child, /Keygate is running at (http:\/\/\S+)/, 60_000, 'keygate');
  return {
    url: match[1],
    dir,
    output: () => output,
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

// The newest 8-digit code in the bodies of a list of raw messages (headers hold dates such as
// 20261126T…, so they are skipped).
export function lastCode(messages) {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const body = messages[i].split(/\r?\n\r?\n/).slice(1).join('\n');
    const match = body.match(/(?<!\d)(\d{8})(?!\d)/);
    if (match) return match[1];
  }
  return null;
}
