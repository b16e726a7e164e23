// The report builder (DESIGN §4.1, §5): data source, columns picked, ordered and renamed,
// filters, sort, prompts, sharing, save and delete; "Run now" with a preview of the first
// rows; and the RaaS button, a dialog with the token endpoint and the report's three RaaS
// endpoints as copyable curl commands. A report shared with the account opens read-only.
import {api, ApiError} from './api.js';
import {copyButton} from './copy.js';
import {setupDialog} from './dialog.js';
import {announce, byId, h, showError} from './dom.js';
import {startPage} from './layout.js';

const OPS = [
  {value: 'eq', label: 'equals', ranges: false},
  {value: 'in', label: 'is one of', ranges: false},
  {value: 'gte', label: 'at least', ranges: true},
  {value: 'lte', label: 'at most', ranges: true},
  {value: 'between', label: 'between', ranges: true},
];
const FORMATS = {
  date: 'YYYY-MM-DD',
  datetime: 'YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ',
  time: 'HH:MM',
  money: '12.50',
  decimal: '7.25',
  integer: '42',
  text: 'text',
};
const PREVIEW_ROWS = 50;

let sources = [];
let report = null;  // as saved (null for a new report)
let readOnly = false;
let candidates = [];
const state = {
  source: '',
  columns: [],
  filters: [],
  sort: [],
  prompts: [],
  sharedWith: new Set()
};
const dialogs = {};
let uid = 0;

const nextId = (prefix) => `${prefix}-${++uid}`;
const source = () => sources.find((s) => s.name === state.source);
const columnInfo = (name) => source()?.columns.find((c) => c.name === name);

// ---- small builders --------------------------------------------------------------------------

function columnSelect(value, label, onChange, {id} = {}) {
  const select = h('select', {id, 'aria-label': label, disabled: readOnly});
  for (const column of source()?.columns ?? []) {
    select.append(
        h('option', {value: column.name, selected: column.name === value}, column.displayName));
  }
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function opSelect(value, label, ops, onChange) {
  const select = h('select', {'aria-label': label, disabled: readOnly});
  for (const op of ops)
    select.append(h('option', {value: op.value, selected: op.value === value}, op.label));
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function opsFor(columnName, {allowBetween = true} = {}) {
  const ranges = columnInfo(columnName)?.ranges ?? false;
  return OPS.filter((op) => (ranges || !op.ranges) && (allowBetween || op.value !== 'between'));
}

function textInput(value, label, onInput, placeholder) {
  const input = h('input', {
    value: value ?? '',
    'aria-label': label,
    placeholder,
    autocomplete: 'off',
    disabled: readOnly
  });
  input.addEventListener('input', () => onInput(input.value));
  return input;
}

function removeButton(label, onClick) {
  return h(
      'button', {
        type: 'button',
        class: 'button danger-outline small',
        'aria-label': label,
        onclick: onClick,
        disabled: readOnly
      },
      'Remove');
}

const splitList = (text) => text.split(',').map((v) => v.trim()).filter((v) => v !== '');

// ---- sections ----------------------------------------------------------------------------------

function renderSourceHint() {
  byId('report-source-hint').textContent = source()?.description ?? '';
}

function renderPicker() {
  const list = byId('column-picker');
  list.replaceChildren();
  for (const column of source()?.columns ?? []) {
    const id = nextId('pick');
    const checkbox = h('input', {
      type: 'checkbox',
      id,
      checked: state.columns.some((c) => c.column === column.name),
      disabled: readOnly,
    });
    checkbox.addEventListener('change', () => {
      if (checkbox.checked)
        state.columns.push({column: column.name, displayName: column.displayName});
      else
        state.columns = state.columns.filter((c) => c.column !== column.name);
      renderColumns();
    });
    list.append(
        h('li', {class: 'checkbox'}, checkbox,
          h('label',
            { for: id
            },
            column.displayName, h('span', {class: 'type'}, column.type))),
    );
  }
}

function move(index, delta) {
  const target = index + delta;
  if (target < 0 || target >= state.columns.length) return;
  const [item] = state.columns.splice(index, 1);
  state.columns.splice(target, 0, item);
  renderColumns();
  announce(
      `${columnInfo(item.column)?.displayName ?? item.column} moved to position ${target + 1}`);
  // Keep the keyboard where it was: on the same button of the moved row.
  document.querySelector(`[data-move="${delta < 0 ? 'up' : 'down'}-${target}"]`)?.focus();
}

function renderColumns() {
  const body = byId('columns-body');
  body.replaceChildren();
  if (state.columns.length === 0) {
    body.append(
        h('tr', {class: 'empty-row'}, h('td', {colspan: 4}, 'Pick at least one column above.')));
    return;
  }
  state.columns.forEach((c, index) => {
    const info = columnInfo(c.column);
    const name = info?.displayName ?? c.column;
    const display = textInput(c.displayName, `Display name of ${name}`, (value) => {
      c.displayName = value;
    });
    display.maxLength = 100;
    body.append(
        h('tr', {}, h('td', {}, String(index + 1)),
          h('th', {scope: 'row'}, name,
            h('span', {class: 'type muted small'}, ` ${info?.type ?? ''}`)),
          h('td', {}, display),
          h('td', {class: 'row-actions'},
            h('button', {
              type: 'button',
              class: 'button secondary small',
              'data-move': `up-${index}`,
              'aria-label': `Move ${name} up`,
              disabled: readOnly || index === 0,
              onclick: () => move(index, -1)
            },
              'Up'),
            h('button', {
              type: 'button',
              class: 'button secondary small',
              'data-move': `down-${index}`,
              'aria-label': `Move ${name} down`,
              disabled: readOnly || index === state.columns.length - 1,
              onclick: () => move(index, 1)
            },
              'Down'),
            removeButton(
                `Remove column ${name}`,
                () => {
                  state.columns.splice(index, 1);
                  renderPicker();
                  renderColumns();
                }))),
    );
  });
}

function filterValueCell(filter, label) {
  const type = columnInfo(filter.column)?.type ?? 'text';
  const placeholder = FORMATS[type] ?? '';
  if (filter.op === 'between') {
    return h('td', {}, textInput(filter.values[0], `${label}: from`, (v) => {
               filter.values[0] = v;
             }, `from ${placeholder}`), textInput(filter.values[1], `${label}: to`, (v) => {
               filter.values[1] = v;
             }, `to ${placeholder}`));
  }
  if (filter.op === 'in') {
    return h(
        'td', {},
        textInput(filter.values.join(', '), `${label}: values separated by commas`, (v) => {
          filter.values = splitList(v);
        }, `${placeholder}, …`));
  }
  return h('td', {}, textInput(filter.values[0], `${label}: value`, (v) => {
             filter.values = [v];
           }, placeholder));
}

function renderFilters() {
  const body = byId('filters-body');
  body.replaceChildren();
  if (state.filters.length === 0) {
    body.append(
        h('tr', {class: 'empty-row'}, h('td', {colspan: 4}, 'No filters: every row you may see.')));
  }
  state.filters.forEach((filter, index) => {
    const label = `Filter ${index + 1}`;
    body.append(
        h('tr', {},
          h('td', {},
            columnSelect(
                filter.column, `${label}: column`,
                (value) => {
                  filter.column = value;
                  if (!opsFor(value).some((op) => op.value === filter.op)) filter.op = 'eq';
                  renderFilters();
                })),
          h('td', {},
            opSelect(
                filter.op, `${label}: condition`, opsFor(filter.column),
                (value) => {
                  filter.op = value;
                  filter.values = value === 'between' ? [filter.values[0] ?? '', ''] :
                                                        filter.values.slice(0, 1);
                  renderFilters();
                })),
          filterValueCell(filter, label),
          h('td', {},
            removeButton(
                `Remove filter ${index + 1}`,
                () => {
                  state.filters.splice(index, 1);
                  renderFilters();
                }))),
    );
  });
}

function renderSort() {
  const body = byId('sort-body');
  body.replaceChildren();
  if (state.sort.length === 0) {
    body.append(
        h('tr', {class: 'empty-row'},
          h('td', {colspan: 3}, 'No sort: the data source\'s own order.')));
  }
  state.sort.forEach((key, index) => {
    const label = `Sort ${index + 1}`;
    body.append(
        h('tr', {},
          h('td', {},
            columnSelect(
                key.column, `${label}: column`,
                (value) => {
                  key.column = value;
                })),
          h('td', {},
            opSelect(
                key.direction, `${label}: direction`,
                [{value: 'asc', label: 'ascending'}, {value: 'desc', label: 'descending'}],
                (value) => {
                  key.direction = value;
                })),
          h('td', {},
            removeButton(
                `Remove sort ${index + 1}`,
                () => {
                  state.sort.splice(index, 1);
                  renderSort();
                }))),
    );
  });
}

function renderPrompts() {
  const body = byId('prompts-body');
  body.replaceChildren();
  if (state.prompts.length === 0) {
    body.append(h('tr', {class: 'empty-row'}, h('td', {colspan: 7}, 'No prompts.')));
  }
  state.prompts.forEach((prompt, index) => {
    const label = `Prompt ${index + 1}`;
    const required = h('input', {
      type: 'checkbox',
      checked: prompt.required,
      'aria-label': `${label}: required`,
      disabled: readOnly
    });
    required.addEventListener('change', () => {
      prompt.required = required.checked;
    });
    const type = columnInfo(prompt.column)?.type ?? 'text';
    body.append(
        h('tr', {},
          h('td', {},
            textInput(
                prompt.name, `${label}: name`,
                (v) => {
                  prompt.name = v.trim();
                },
                'fromDate')),
          h('td', {},
            textInput(
                prompt.label, `${label}: label`,
                (v) => {
                  prompt.label = v;
                },
                'From date')),
          h('td', {},
            columnSelect(
                prompt.column, `${label}: column`,
                (value) => {
                  prompt.column = value;
                  if (!opsFor(value, {allowBetween: false}).some((op) => op.value === prompt.op))
                    prompt.op = 'eq';
                  renderPrompts();
                })),
          h('td', {},
            opSelect(
                prompt.op, `${label}: condition`, opsFor(prompt.column, {allowBetween: false}),
                (value) => {
                  prompt.op = value;
                })),
          h('td', {}, required),
          h('td', {},
            textInput(
                prompt.default, `${label}: default value`,
                (v) => {
                  prompt.default = v;
                },
                FORMATS[type])),
          h('td', {},
            removeButton(
                `Remove prompt ${index + 1}`,
                () => {
                  state.prompts.splice(index, 1);
                  renderPrompts();
                }))),
    );
  });
}

function renderShares() {
  const section = byId('share-section');
  section.hidden = readOnly;
  const list = byId('share-list');
  list.replaceChildren();
  if (candidates.length === 0) {
    list.append(h('li', {class: 'muted'}, 'Nobody else in your organization has an account yet.'));
    return;
  }
  for (const user of candidates) {
    const id = nextId('share');
    const checkbox =
        h('input', {type: 'checkbox', id, checked: state.sharedWith.has(user.username)});
    checkbox.addEventListener('change', () => {
      if (checkbox.checked)
        state.sharedWith.add(user.username);
      else
        state.sharedWith.delete(user.username);
    });
    list.append(h('li', {class: 'checkbox'}, checkbox, h('label', { for: id
                  }, `${user.displayName} (${user.username})`)));
  }
}

function renderAll() {
  renderSourceHint();
  renderPicker();
  renderColumns();
  renderFilters();
  renderSort();
  renderPrompts();
  renderShares();
}

// ---- load and save
// -------------------------------------------------------------------------------

function loadState(saved) {
  state.source = saved.source;
  state.columns = saved.columns.map((c) => ({...c}));
  state.filters = saved.filters.map((f) => ({column: f.column, op: f.op, values: [...f.values]}));
  state.sort = saved.sort.map((s) => ({...s}));
  state.prompts = saved.prompts.map(
      (p) => ({
        ...p,
        default: Array.isArray(p.default) ? p.default.join(', ') : (p.default ?? ''),
      }));
  state.sharedWith = new Set(saved.sharedWith.map((u) => u.username));
  byId('report-name').value = saved.name;
  byId('report-description').value = saved.description;
  byId('report-source').value = saved.source;
}

function body() {
  return {
    name: byId('report-name').value,
    description: byId('report-description').value,
    source: state.source,
    columns: state.columns,
    filters: state.filters.map((f) => ({column: f.column, op: f.op, values: f.values})),
    sort: state.sort,
    prompts:
        state.prompts.map((p) => ({
                            name: p.name,
                            label: p.label,
                            column: p.column,
                            op: p.op,
                            required: p.required,
                            default: p.op === 'in' ? splitList(p.default ?? '') : (p.default ?? ''),
                          })),
    sharedWith: [...state.sharedWith],
  };
}

function showReport(saved) {
  report = saved;
  readOnly = !saved.owned;
  byId('report-title').textContent = saved.name;
  document.title = `${saved.name} · Keygate`;
  byId('raas-button').hidden = false;
  byId('delete-button').hidden = readOnly;
  byId('save-button').hidden = readOnly;
  byId('run-section').hidden = false;
  for (const id of ['report-name', 'report-description', 'report-source'])
    byId(id).disabled = readOnly;
  const note = byId('readonly-note');
  note.hidden = !readOnly;
  note.textContent = readOnly ?
      `${
          saved.owner
              .displayName} shared this report with you: you can run it, and see its RaaS endpoints, but not change it.` :
      '';
  renderRunPrompts();
}

async function save(event) {
  event.preventDefault();
  const error = byId('form-error');
  showError(error, '');
  const button = byId('save-button');
  button.disabled = true;
  try {
    const saved = report ? await api('PUT', `/api/v1/reports/${report.id}`, body()) :
                           await api('POST', '/api/v1/reports', body());
    if (!report) history.replaceState(null, '', `/reports/edit?id=${saved.id}`);
    loadState(saved);
    showReport(saved);
    renderAll();
    announce(`Report “${saved.name}” saved`);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    showError(error, e.field ? `${e.message} (${e.field})` : e.message);
    error.focus?.();
  } finally {
    button.disabled = false;
  }
}

// ---- run now
// ---------------------------------------------------------------------------------------

function renderRunPrompts() {
  const box = byId('run-prompts');
  box.replaceChildren();
  for (const prompt of report?.prompts ?? []) {
    const id = nextId('run-prompt');
    const type = sources.find((s) => s.name === report.source)
                     ?.columns.find((c) => c.name === prompt.column)
                     ?.type ??
        'text';
    box.append(
        h('div', {class: 'field'},
          h('label',
            { for: id
            },
            `${prompt.label}${prompt.required ? ' (required)' : ''}`),
          h('input', {
            id,
            'data-prompt': prompt.name,
            placeholder: FORMATS[type],
            value: Array.isArray(prompt.default) ? prompt.default.join(', ') :
                                                   (prompt.default ?? ''),
            autocomplete: 'off'
          })),
    );
  }
}

const sleep = (ms) => new Promise((resolve) => {
  setTimeout(resolve, ms);
});

function previewTable(page) {
  if (page.data.length === 0) return h('p', {class: 'muted'}, 'No rows.');
  const keys = Object.keys(page.data[0]);
  return h(
      'table', {class: 'data-table'},
      h('caption', {class: 'visually-hidden'}, 'First rows of the run'),
      h('thead', {}, h('tr', {}, keys.map((k) => h('th', {scope: 'col'}, k)))),
      h('tbody', {},
        page.data.map(
            (row) =>
                h('tr', {}, keys.map((k) => h('td', {}, row[k] === null ? '' : String(row[k])))))));
}

async function runNow() {
  const status = byId('run-status');
  const error = byId('run-error');
  const preview = byId('run-preview');
  showError(error, '');
  preview.replaceChildren();
  const prompts = {};
  for (const input of document.querySelectorAll('[data-prompt]')) {
    if (input.value.trim() !== '') prompts[input.dataset.prompt] = input.value.trim();
  }
  const button = byId('run-button');
  button.disabled = true;
  try {
    const requested = await api('POST', `/api/v1/reports/${report.id}/runs`, {prompts});
    const base = `/api/v1/reports/${report.id}/runs/${requested.runid}`;
    for (;;) {
      const run = await api('GET', base);
      status.textContent = `Run ${run.runid}: ${run.status}. ${run.message}`;
      if (run.status === 'Completed') {
        const page = await api('GET', `${base}/data?page=1&size=${PREVIEW_ROWS}`);
        preview.replaceChildren(
            h('p', {class: 'small'}, `Showing ${page.data.length} of ${page.totalrecords} rows.`),
            previewTable(page));
        break;
      }
      if (run.status === 'Failed') break;
      await sleep(1000);
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    showError(error, e.message);
  } finally {
    button.disabled = false;
  }
}

// ---- RaaS dialog
// -------------------------------------------------------------------------------------

function curlStep(title, description, command) {
  return h(
      'li', {}, h('h3', {}, title), h('p', {class: 'small'}, description),
      h('pre', {class: 'curl'}, h('code', {}, command)),
      copyButton(`${title} command`, () => command));
}

function showRaas() {
  const r = report.raas;
  const example = {};
  for (const p of report.prompts) example[p.name] = p.default ?? (p.op === 'in' ? ['…'] : '…');
  const promptBody = Object.keys(example).length > 0 ?
      ` \\\n  -H 'Content-Type: application/json' -d '${JSON.stringify(example)}'` :
      '';
  const steps = byId('raas-steps');
  steps.replaceChildren(
      curlStep(
          'Get a token',
          `POST ${
              r.tokenEndpoint} with your key's Credential Key, Client Key and Client Secret. The token is valid for an hour.`,
          `curl -s -X POST '${
              r.tokenEndpoint}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"credentialKey": CREDENTIAL_KEY, "clientKey": "CLIENT_KEY", "clientSecret": "CLIENT_SECRET"}'`),
      curlStep(
          'Request a run',
          `POST ${
              r.requestEndpoint} answers 202 with a runid. The same request within 15 minutes returns the same runid.${
              report.prompts.length ? ' Prompts go in the JSON body or the query string.' : ''}`,
          `curl -s -X POST '${r.requestEndpoint}' \\\n  -H "Authorization: Bearer $TOKEN"${
              promptBody}`),
      curlStep(
          'Poll the status',
          `GET ${r.statusEndpoint}: Queued, Running, Completed or Failed, with totalrecords.`,
          `curl -s "${
              r.statusEndpoint.replace(
                  '{runid}', '$RUNID')}" \\\n  -H "Authorization: Bearer $TOKEN"`),
      curlStep(
          'Read the rows',
          `GET ${
              r.dataEndpoint}: up to 20,000 rows a page; follow nextpage until it is null. Add &format=csv for CSV.`,
          `curl -s "${
              r.dataEndpoint.replace(
                  '{runid}', '$RUNID')}" \\\n  -H "Authorization: Bearer $TOKEN"`),
  );
  dialogs.raas.open(byId('raas-close'));
}

// ---- delete
// -------------------------------------------------------------------------------------------

async function confirmDelete() {
  const error = byId('delete-error');
  showError(error, '');
  try {
    await api('DELETE', `/api/v1/reports/${report.id}`);
    location.assign('/reports');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    showError(error, e.message);
  }
}

// ---- start
// ---------------------------------------------------------------------------------------------

startPage(async () => {
  const params = new URLSearchParams(location.search);
  const id = params.get('id');
  const [catalogue, people] = await Promise.all([
    api('GET', '/api/v1/raas/sources'),
    api('GET', '/api/v1/reports/share-candidates'),
  ]);
  sources = catalogue.sources;
  candidates = people.users;

  const select = byId('report-source');
  for (const s of sources) select.append(h('option', {value: s.name}, s.displayName));
  select.addEventListener('change', () => {
    // Columns belong to a source: a new source starts a new column list.
    state.source = select.value;
    state.columns = [];
    state.filters = [];
    state.sort = [];
    state.prompts = [];
    renderAll();
  });

  if (id) {
    const saved = await api('GET', `/api/v1/reports/${encodeURIComponent(id)}`);
    loadState(saved);
    showReport(saved);
  } else {
    state.source = sources[0]?.name ?? '';
    select.value = state.source;
  }
  renderAll();

  byId('add-filter').addEventListener('click', () => {
    const first = source()?.columns[0]?.name ?? '';
    state.filters.push({column: first, op: 'eq', values: ['']});
    renderFilters();
  });
  byId('add-sort').addEventListener('click', () => {
    state.sort.push({column: source()?.columns[0]?.name ?? '', direction: 'asc'});
    renderSort();
  });
  byId('add-prompt').addEventListener('click', () => {
    const date = source()?.columns.find((c) => c.type === 'date') ?? source()?.columns[0];
    state.prompts.push({
      name: '',
      label: '',
      column: date?.name ?? '',
      op: date?.ranges ? 'gte' : 'eq',
      required: false,
      default: ''
    });
    renderPrompts();
  });
  byId('report-form').addEventListener('submit', save);
  byId('run-button').addEventListener('click', runNow);

  dialogs.raas = setupDialog(byId('raas-dialog'));
  byId('raas-button').addEventListener('click', showRaas);
  byId('raas-close').addEventListener('click', () => dialogs.raas.close());
  dialogs.remove =
      setupDialog(byId('delete-dialog'), {onClose: () => showError(byId('delete-error'), '')});
  byId('delete-button').addEventListener('click', () => dialogs.remove.open(byId('delete-cancel')));
  byId('delete-cancel').addEventListener('click', () => dialogs.remove.close());
  byId('delete-confirm').addEventListener('click', confirmDelete);

  if (report && params.get('raas') === '1') showRaas();
});
