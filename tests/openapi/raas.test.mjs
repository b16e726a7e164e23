// Validates real RaaS responses of a running keygate against docs/openapi.yaml, like
// responses.test.mjs does for the Supplier API: starts the built binary with the demo data,
// builds a report through the UI's JSON API as a demo supplier user, then calls every RaaS
// operation with a key's token (successes and errors) and checks each body against the schema
// the description declares for that operation, status and media type.
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
const spec = YAML.parse(fs.readFileSync(path.resolve(here, '../../docs/openapi.yaml'), 'utf8'));
const binary = process.env.KEYGATE_BINARY;

const ajv = new Ajv2020({strict: false, allErrors: true});
addFormats(ajv);
ajv.addFormat('int64', true);
ajv.addSchema(spec, 'openapi.json');

const escape = (segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
const checked = new Set();

function validatorFor(template, method, status, mediaType) {
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
  return ajv.compile({$ref: `openapi.json${pointer}/content/${escape(mediaType)}/schema`});
}

let server;
let base;
let token;
let cookie;
let csrf;
let dataDir;

async function call(method, url, {body, headers = {}, bearer = token} = {}) {
  const h = {...headers};
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
  const res = await fetch(url.startsWith('http') ? url : base + url, {
    method,
    headers: h,
    body: body === undefined     ? undefined :
        typeof body === 'string' ? body :
                                   JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = undefined;
  }
  return {status: res.status, headers: res.headers, text, json};
}

async function expectValid(template, method, url, status, options = {}) {
  const res = await call(method.toUpperCase(), url, options);
  assert.equal(res.status, status, `${method} ${url}: ${res.text}`);
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0];
  const validate = validatorFor(template, method, status, mediaType);
  const ok = validate(mediaType === 'text/csv' ? res.text : res.json);
  assert.ok(
      ok,
      `${method} ${url} ${status} does not match the description: ` +
          `${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 2000)}`);
  checked.add(`${method} ${template} ${status}`);
  return res;
}

// The UI's JSON API as the signed-in user (session cookie and CSRF token).
async function ui(method, url, body) {
  return call(method, url, {body, bearer: null, headers: {Cookie: cookie, 'X-CSRF-Token': csrf}});
}

before(async () => {
  assert.ok(binary, 'set KEYGATE_BINARY to the built keygate');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-openapi-raas-'));
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
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username: 'sam.supplier', password: 'keygate-demo'}),
  });
  assert.equal(login.status, 200);
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  csrf = (await login.json()).csrfToken;
  const key = await ui('POST', '/api/v1/me/keys', {name: 'openapi raas'});
  assert.equal(key.status, 201);
  const issued = await call('POST', '/api/v1/get-api-token', {
    bearer: null,
    body: {
      credentialKey: key.json.credentialKey,
      clientKey: key.json.clientKey,
      clientSecret: key.json.clientSecret
    },
  });
  assert.equal(issued.status, 200);
  token = issued.json.accessToken;
});

after(() => {
  server?.kill('SIGTERM');
  if (dataDir) fs.rmSync(dataDir, {recursive: true, force: true});
});

const R = '/raas/v1/reports';
const REQUESTS = '/raas/v1/reports/{reportId}/requests';
const RUN = '/raas/v1/reports/{reportId}/requests/{runid}';
const DATA = '/raas/v1/reports/{reportId}/requests/{runid}/retrievePagedData';

async function untilEnded(report, run) {
  for (let i = 0; i < 600; i++) {
    const res = await expectValid(RUN, 'get', `${R}/${report}/requests/${run}`, 200);
    if (res.json.status === 'Completed' || res.json.status === 'Failed') return res.json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`run ${run} did not end`);
}

test('every RaaS operation and its errors match the description', async () => {
  const created = await ui('POST', '/api/v1/reports', {
    name: 'OpenAPI hours',
    source: 'timecard_lines',
    columns: [
      'timecard_id', 'line_number', 'work_date', 'time_in', 'rate',
      {column: 'hours', displayName: 'Hours, "worked"'}, 'worker_name'
    ],
    prompts: [{name: 'fromDate', column: 'work_date', op: 'gte', required: true}],
  });
  assert.equal(created.status, 201, created.text);
  const report = created.json.id;

  const list = await expectValid(R, 'get', R, 200);
  assert.ok(list.json.data.some((r) => r.reportid === report));

  const requested = await expectValid(
      REQUESTS, 'post', `${R}/${report}/requests`, 202, {body: {fromDate: '2000-01-01'}});
  assert.match(requested.headers.get('location'), /^http:\/\//);
  const run = requested.json.runid;
  const again =
      await expectValid(REQUESTS, 'post', `${R}/${report}/requests?fromDate=2000-01-01`, 202);
  assert.equal(again.json.runid, run);
  await expectValid(REQUESTS, 'post', `${R}/${report}/requests`, 422);  // the required prompt
  await expectValid(REQUESTS, 'post', `${R}/${report}/requests`, 400, {body: '{"fromDate":'});
  await expectValid(
      REQUESTS, 'post', `${R}/${report}/requests`, 415,
      {body: '<x/>', headers: {'Content-Type': 'application/xml'}});
  await expectValid(
      REQUESTS, 'post', `${R}/987654/requests`, 404, {body: {fromDate: '2000-01-01'}});
  await expectValid(
      REQUESTS, 'post', `${R}/${report}/requests`, 401,
      {body: {fromDate: '2000-01-01'}, bearer: null});

  const done = await untilEnded(report, run);
  assert.equal(done.status, 'Completed', done.message);
  assert.ok(done.totalrecords > 2);

  const first = await expectValid(
      DATA, 'get', `${R}/${report}/requests/${run}/retrievePagedData?page=1&size=2`, 200);
  assert.equal(first.json.data.length, 2);
  assert.match(first.json.nextpage, /^http:\/\/.*page=2&size=2$/);
  const last = await expectValid(
      DATA, 'get', `${R}/${report}/requests/${run}/retrievePagedData?size=20000`, 200);
  assert.equal(last.json.nextpage, null);
  const csv = await expectValid(
      DATA, 'get', `${R}/${report}/requests/${run}/retrievePagedData?format=csv`, 200);
  assert.ok(csv.text.startsWith(
      'Timecard ID,Line Number,Work Date,Time In,Rate,"Hours, ""worked""",Worker Name\r\n'));
  await expectValid(DATA, 'get', `${R}/${report}/requests/${run}/retrievePagedData?size=x`, 400);
  await expectValid(DATA, 'get', `${R}/${report}/requests/987654/retrievePagedData`, 404);
  await expectValid(RUN, 'get', `${R}/${report}/requests/987654`, 404);

  // Cancelling an ended run is a conflict. A fresh run is cancelled, unless a worker was
  // faster and it ended already: both answers must match the description.
  await expectValid(RUN, 'delete', `${R}/${report}/requests/${run}`, 409);
  const fresh = await expectValid(
      REQUESTS, 'post', `${R}/${report}/requests`, 202, {body: {fromDate: '2001-01-01'}});
  const cancel = await call('DELETE', `${R}/${report}/requests/${fresh.json.runid}`);
  assert.ok([200, 409].includes(cancel.status), cancel.text);
  const validate = validatorFor(
      RUN, 'delete', cancel.status,
      'application/' + (cancel.status === 200 ? 'json' : 'problem+json'));
  assert.ok(validate(cancel.json), ajv.errorsText(validate.errors));
  if (cancel.status === 200) {
    assert.equal(cancel.json.status, 'Failed');
    assert.match(cancel.json.message, /Cancelled/);
    await expectValid(
        DATA, 'get', `${R}/${report}/requests/${fresh.json.runid}/retrievePagedData`, 409);
  }
});

test('every RaaS operation was exercised', () => {
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!template.startsWith('/raas/v1/')) continue;
    for (const method of Object.keys(item)) {
      if (method === 'parameters') continue;
      if (method === 'delete') continue;  // 200 depends on winning a race with the workers
      const seen = [...checked].some((k) => k.startsWith(`${method} ${template} 2`));
      assert.ok(seen, `${method} ${template} has no validated success response`);
    }
  }
});
