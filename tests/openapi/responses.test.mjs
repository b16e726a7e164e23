// Validates real responses of a running keygate against docs/openapi.yaml: starts the built
// binary on a free port with the demo data, signs in as a demo supplier user, generates a key
// with every Supplier API scope, calls each documented operation (successes and errors) and
// checks every body against the schema the description declares for that operation, status
// and media type (JSON Schema 2020-12 via Ajv, as OpenAPI 3.1 specifies).
import addFormats from 'ajv-formats';
import Ajv2020 from 'ajv/dist/2020.js';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const specPath = path.resolve(here, '../../docs/openapi.yaml');
const binary = process.env.KEYGATE_BINARY;
const spec = YAML.parse(fs.readFileSync(specPath, 'utf8'));

const ajv = new Ajv2020({strict: false, allErrors: true});
addFormats(ajv);
ajv.addFormat('int64', true);
ajv.addSchema(spec, 'openapi.json');

const escape = (segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
const validators = new Map();
const checked = new Set();

// The validator of the schema declared for (path template, method, status, media type).
function validatorFor(template, method, status, mediaType) {
  const key = `${method} ${template} ${status} ${mediaType}`;
  if (validators.has(key)) return validators.get(key);
  const operation = spec.paths[template]?.[method];
  assert.ok(operation, `no operation ${method} ${template} in the description`);
  let response = operation.responses[String(status)];
  assert.ok(response, `${method} ${template} does not document status ${status}`);
  let pointer = `#/paths/${escape(template)}/${method}/responses/${status}`;
  if (response.$ref) {
    pointer = response.$ref;
    response = response.$ref.split('/').slice(1).reduce((node, part) => node[part], spec);
  }
  assert.ok(
      response.content?.[mediaType],
      `${method} ${template} ${status} does not document ${mediaType}`);
  const validate =
      ajv.compile({$ref: `openapi.json${pointer}/content/${escape(mediaType)}/schema`});
  validators.set(key, validate);
  return validate;
}

let server;
let base;
let token;
let dataDir;

async function call(method, url, {body, headers = {}, bearer = token} = {}) {
  const h = {...headers};
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
  const res = await fetch(base + url, {
    method,
    headers: h,
    body: body === undefined     ? undefined :
        typeof body === 'string' ? body :
                                   JSON.stringify(body),
  });
  const text = await res.text();
  return {status: res.status, headers: res.headers, text, json: text ? safeJson(text) : null};
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Calls, checks the status, and validates the body against the description.
async function expectValid(template, method, url, status, options = {}) {
  const res = await call(method.toUpperCase(), url, options);
  assert.equal(res.status, status, `${method} ${url}: ${res.text}`);
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0];
  const validate = validatorFor(template, method, status, mediaType);
  const ok = validate(res.json);
  assert.ok(
      ok,
      `${method} ${url} ${status} does not match the description: ` +
          `${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 2000)}`);
  checked.add(`${method} ${template} ${status}`);
  return res;
}

before(async () => {
  assert.ok(binary, 'set KEYGATE_BINARY to the built keygate');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-openapi-'));
  server = spawn(binary, ['serve', '--demo'], {
    env: {
      PATH: process.env.PATH,
      KEYGATE_STORAGE_DATA_DIR: dataDir,
      KEYGATE_SERVER_PORT: '0',
      KEYGATE_SECURITY_PASSWORD_COST: 'minimum',
      KEYGATE_LIMITS_PER_IP_RATE: '0',
      KEYGATE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`keygate did not start: ${stderr}`)), 60000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/running at (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`keygate exited with ${code}: ${stderr}`)));
  });

  // Sign in as the demo supplier user and generate a key with every Supplier API scope.
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username: 'sam.supplier', password: 'keygate-demo'}),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const {csrfToken} = await login.json();
  const generated = await fetch(`${base}/api/v1/me/keys`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrfToken},
    body: JSON.stringify({
      name: 'openapi test',
      scopes: [
        'engagements:read', 'billing:read', 'workers:write', 'timecards:write',
        'candidate-insights:read'
      ],
    }),
  });
  assert.equal(generated.status, 201);
  const key = await generated.json();
  const issued = await expectValid('/api/v1/get-api-token', 'post', '/api/v1/get-api-token', 200, {
    bearer: null,
    body: {
      credentialKey: key.credentialKey,
      clientKey: key.clientKey,
      clientSecret: key.clientSecret
    },
  });
  token = issued.json.accessToken;
  await expectValid('/oauth/token', 'post', '/oauth/token', 200, {
    bearer: null,
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: key.clientKey,
            client_secret: key.clientSecret
          }).toString(),
  });
});

after(() => {
  server?.kill('SIGTERM');
  if (dataDir) fs.rmSync(dataDir, {recursive: true, force: true});
});

const lists = [
  ['/supplier/v1/engagements', '/supplier/v1/engagements/{id}'],
  ['/supplier/v1/billingitems', '/supplier/v1/billingitems/{id}'],
  ['/supplier/v1/invoices', '/supplier/v1/invoices/{id}'],
  ['/supplier/v1/workers', '/supplier/v1/workers/{id}'],
  ['/supplier/v1/timecards', '/supplier/v1/timecards/{id}'],
  ['/supplier/v1/staffingrequests', '/supplier/v1/staffingrequests/{id}'],
];

test('every list and every single resource matches its schema', async () => {
  for (const [list, single] of lists) {
    const page = await expectValid(list, 'get', `${list}?limit=3`, 200);
    assert.ok(page.json.data.length > 0, `${list} is empty in the demo data`);
    assert.match(page.json.next, /^http:\/\//);
    // The whole list, so every record of the demo data is checked.
    const everything = await expectValid(list, 'get', `${list}?limit=1000`, 200);
    for (const item of everything.json.data.slice(0, 40)) {
      await expectValid(single, 'get', single.replace('{id}', item.id), 200);
    }
    const res = await call('GET', single.replace('{id}', page.json.data[0].id));
    const notModified = await call(
        'GET', single.replace('{id}', page.json.data[0].id),
        {headers: {'If-None-Match': res.headers.get('etag')}});
    assert.equal(notModified.status, 304);
  }
  await expectValid('/api/v1/whoami', 'get', '/api/v1/whoami', 200);
});

test('writes and their errors match their schemas', async () => {
  const created = await expectValid('/supplier/v1/workers', 'post', '/supplier/v1/workers', 201, {
    body: {externalId: 'OPENAPI-1', firstName: 'Open', lastName: 'Api', email: 'open@api.example'},
  });
  await expectValid('/supplier/v1/workers', 'post', '/supplier/v1/workers', 409, {
    body: {externalId: 'OPENAPI-1', firstName: 'Open', lastName: 'Api'},
  });
  await expectValid('/supplier/v1/workers', 'post', '/supplier/v1/workers', 422, {
    body: {firstName: 'Open'},
  });
  await expectValid('/supplier/v1/workers', 'post', '/supplier/v1/workers', 400, {body: '{"x":'});
  await expectValid(
      '/supplier/v1/workers/{id}', 'patch', `/supplier/v1/workers/${created.json.id}`, 200, {
        body: {phone: '+1 512 555 0100', email: null},
        headers: {'Content-Type': 'application/merge-patch+json'},
      });

  const engagements = (await call('GET', '/supplier/v1/engagements?status=active')).json.data;
  const today = new Date();
  const sunday =
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7) - 7);
  const monday = new Date(sunday);
  monday.setUTCDate(monday.getUTCDate() - 6);
  const day = (d) => d.toISOString().slice(0, 10);
  const timecard =
      await expectValid('/supplier/v1/timecards', 'post', '/supplier/v1/timecards', 201, {
        body: {
          engagementId: engagements[0].id,
          weekEnding: day(sunday),
          entries: [
            {workDate: day(monday), rateType: 'ST', hours: 8, timeIn: '09:00', timeOut: '17:30'}
          ],
        },
      });
  await expectValid('/supplier/v1/timecards', 'post', '/supplier/v1/timecards', 409, {
    body: {engagementId: engagements[0].id, weekEnding: day(sunday)},
  });
  await expectValid('/supplier/v1/timecards', 'post', '/supplier/v1/timecards', 404, {
    body: {engagementId: 987654, weekEnding: day(sunday)},
  });
  const tc = `/supplier/v1/timecards/${timecard.json.id}`;
  await expectValid('/supplier/v1/timecards/{id}', 'patch', tc, 422, {
    body: {entries: [{workDate: day(monday), hours: 30}]},
  });
  await expectValid('/supplier/v1/timecards/{id}', 'patch', tc, 200, {body: {action: 'submit'}});
  await expectValid('/supplier/v1/timecards/{id}', 'patch', tc, 409, {body: {action: 'approve'}});

  const requests = (await call('GET', '/supplier/v1/staffingrequests')).json.data;
  const insight = await expectValid(
      '/supplier/v1/candidateinsights', 'post', '/supplier/v1/candidateinsights', 201, {
        body: {
          staffingRequestId: requests[0].id,
          candidate: {
            skills: [{name: 'Go', years: 5}, {name: 'postgres', years: 3}],
            location: 'Austin, TX, US',
            desiredRate: '105.00',
            availableFrom: day(sunday),
            resumeText: 'Go services on PostgreSQL'
          },
        },
      });
  await expectValid(
      '/supplier/v1/candidateinsights/{id}', 'get',
      `/supplier/v1/candidateinsights/${insight.json.id}`, 200);
  await expectValid(
      '/supplier/v1/candidateinsights', 'post', '/supplier/v1/candidateinsights', 404, {
        body: {staffingRequestId: 987654, candidateId: 1},
      });
});

test('read errors match their schemas', async () => {
  await expectValid(
      '/supplier/v1/engagements', 'get', '/supplier/v1/engagements', 401, {bearer: null});
  await expectValid('/supplier/v1/engagements', 'get', '/supplier/v1/engagements?offset=x', 400);
  await expectValid('/supplier/v1/timecards', 'get', '/supplier/v1/timecards?status=nope', 400);
  await expectValid('/supplier/v1/invoices/{id}', 'get', '/supplier/v1/invoices/987654', 404);
  await expectValid('/supplier/v1/engagements/{id}', 'get', '/supplier/v1/engagements/987654', 404);
  await expectValid('/api/v1/get-api-token', 'post', '/api/v1/get-api-token', 401, {
    bearer: null,
    body: {credentialKey: 1, clientKey: 'kgck_x', clientSecret: 'nope'},
  });
  const yaml = await call('GET', '/openapi.yaml', {bearer: null});
  assert.equal(yaml.status, 200);
  assert.equal(yaml.text, fs.readFileSync(specPath, 'utf8'), 'the binary serves docs/openapi.yaml');
});

test('every operation of the Supplier API was exercised', () => {
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!template.startsWith('/supplier/v1/')) continue;
    for (const method of Object.keys(item)) {
      const seen = [...checked].some((k) => k.startsWith(`${method} ${template} 2`));
      assert.ok(seen, `${method} ${template} has no validated success response`);
    }
  }
});
