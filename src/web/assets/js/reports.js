// Reports: the reports the account owns or that are shared with it, with the way to build a
// new one and to open each in the builder (where its RaaS button is).
import {api} from './api.js';
import {byId, formatDateTime, h} from './dom.js';
import {startPage} from './layout.js';

function row(report) {
  const open = `/reports/edit?id=${encodeURIComponent(report.id)}`;
  return h(
      'tr',
      {'data-report-id': report.id},
      h('th', {scope: 'row', 'data-label': 'Name'}, h('a', {href: open}, report.name)),
      h('td', {'data-label': 'Report ID'}, h('code', {}, String(report.id))),
      h('td', {'data-label': 'Data source'}, report.sourceDisplayName ?? report.source),
      h('td', {'data-label': 'Owner'},
        report.owned ? 'You' : `${report.owner.displayName} (shared with you)`),
      h('td', {'data-label': 'Updated', class: 'nowrap'}, formatDateTime(report.updatedAt)),
      h(
          'td',
          {'data-label': 'Actions', class: 'row-actions'},
          h('a', {
            class: 'button secondary small',
            href: open,
            'aria-label': `${report.owned ? 'Edit' : 'Open'} ${report.name}`
          },
            report.owned ? 'Edit' : 'Open'),
          h('a', {
            class: 'button secondary small',
            href: `${open}&raas=1`,
            'aria-label': `RaaS endpoints of ${report.name}`
          },
            'RaaS'),
          ),
  );
}

startPage(async () => {
  const {reports} = await api('GET', '/api/v1/reports');
  const body = byId('reports-body');
  body.replaceChildren(...reports.map(row));
  byId('reports-empty').hidden = reports.length > 0;
  byId('reports-table').hidden = reports.length === 0;
});
