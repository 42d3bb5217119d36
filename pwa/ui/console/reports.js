// Plan vs actual: a date range and day/week, the reps' planned, done, missed and unplanned
// visits with check-ins, sales and distance, two charts (Chart.js, vendored, loaded lazily)
// and the same table as CSV or XLSX (GET /api/reports/plan-vs-actual).

import { h } from '../dom.js';
import { t, fmtDate, fmtMoney, fmtNumber } from '../../lib/i18n.js';
import { field, input, select, table, title, bearer, byName, showErrors, clearErrors } from './forms.js';
import './report-texts.js';

let chartLib = null;

/** Load Chart.js once; resolves with the global `Chart`. */
export function loadChart() {
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      if (window.Chart) { resolve(window.Chart); return; }
      const s = h('script', { src: '/vendor/chartjs/chart.umd.min.js' });
      s.onload = () => resolve(window.Chart);
      s.onerror = () => { chartLib = null; reject(new Error('chart library unavailable')); };
      document.head.append(s);
    });
  }
  return chartLib;
}

const iso = (d) => d.toISOString().slice(0, 10);
const COLOURS = { planned: '#0d2350', done: '#1b8a3a', missed: '#c62828', unplanned: '#e0a100' };
// What the screen asked last, kept while the app runs (coming back shows the same range).
const state = { from: null, to: null, group: 'day', rep: '' };

function periodLabel(item, group) {
  const text = fmtDate(`${item.period}T12:00:00Z`, { dateStyle: 'medium', timeZone: 'UTC' });
  return group === 'week' ? `${t('r_week')} ${text}` : text;
}

const km = (v) => (v == null ? '—' : fmtNumber(v, 1));
const num = (v) => h('td', { class: 'num' }, String(v));

function row(cells, props = {}) {
  return h('tr', props, cells);
}

function figures(x) {
  return [
    num(x.planned), num(x.done), num(x.missed), num(x.unplanned),
    h('td', { class: 'num' }, `${x.checkins} (${x.verified_checkins})`),
    num(x.orders), h('td', { class: 'num' }, fmtMoney(x.orders_value)),
    h('td', { class: 'num' }, `${x.quotes_sent} / ${x.quotes_accepted}`),
    h('td', { class: 'num' }, km(x.planned_km)), h('td', { class: 'num' }, km(x.driven_km)),
  ];
}

function card(label, value, id) {
  return h('div', { class: 'kpi', 'data-kpi': id }, h('span', { class: 'muted' }, label), h('strong', {}, value));
}

function summary(total) {
  const pct = total.planned ? Math.round((100 * total.done) / total.planned) : null;
  return h('div', { class: 'kpis', id: 'pva-kpis' },
    card(t('r_planned'), String(total.planned), 'planned'),
    card(t('r_done'), String(total.done), 'done'),
    card(t('r_missed'), String(total.missed), 'missed'),
    card(t('r_unplanned'), String(total.unplanned), 'unplanned'),
    card(t('r_completion'), pct == null ? '—' : `${pct} %`, 'completion'),
    card(t('r_value'), fmtMoney(total.orders_value), 'value'),
    card(t('r_km'), `${km(total.planned_km)} / ${km(total.driven_km)}`, 'km'));
}

/** Sum items by a key (the period or the rep) for a chart. */
function sums(items, keyOf) {
  const out = new Map();
  for (const i of items) {
    const k = keyOf(i);
    const s = out.get(k) || { planned: 0, done: 0, missed: 0, unplanned: 0 };
    for (const f of Object.keys(s)) s[f] += i[f];
    out.set(k, s);
  }
  return out;
}

function barChart(Chart, canvas, labels, series) {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'line', label: t('r_planned'), data: series.map((s) => s.planned), borderColor: COLOURS.planned, backgroundColor: COLOURS.planned, tension: 0.2 },
        { label: t('r_done'), data: series.map((s) => s.done), backgroundColor: COLOURS.done, stack: 'v' },
        { label: t('r_missed'), data: series.map((s) => s.missed), backgroundColor: COLOURS.missed, stack: 'v' },
        { label: t('r_unplanned'), data: series.map((s) => s.unplanned), backgroundColor: COLOURS.unplanned, stack: 'v' },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

async function drawCharts(box, report) {
  const Chart = await loadChart();
  const byPeriod = sums(report.items, (i) => i.period);
  const periods = [...byPeriod.keys()].sort();
  const byRep = sums(report.items, (i) => i.rep_name);
  const reps = [...byRep.keys()].sort((a, b) => a.localeCompare(b));
  const one = h('canvas', { id: 'pva-chart-periods', 'aria-label': t('r_chart_periods'), role: 'img' });
  const two = h('canvas', { id: 'pva-chart-reps', 'aria-label': t('r_chart_reps'), role: 'img' });
  box.replaceChildren(
    h('figure', { class: 'panel chart' }, h('figcaption', {}, t('r_chart_periods')), h('div', { class: 'chart-box' }, one)),
    h('figure', { class: 'panel chart' }, h('figcaption', {}, t('r_chart_reps')), h('div', { class: 'chart-box' }, two)));
  barChart(Chart, one, periods.map((p) => periodLabel({ period: p }, report.group)), periods.map((p) => byPeriod.get(p)));
  barChart(Chart, two, reps, reps.map((r) => byRep.get(r)));
  box.dataset.drawn = 'true';
}

function reportTable(report) {
  const headers = [t('r_period'), t('r_rep'), t('r_planned'), t('r_done'), t('r_missed'), t('r_unplanned'),
    t('r_checkins'), t('r_orders'), t('r_value'), t('r_quotes'), t('r_planned_km'), t('r_driven_km')];
  const tbl = table(headers, report.items.map((i) => row([
    h('td', {}, periodLabel(i, report.group)), h('td', {}, i.rep_name), ...figures(i),
  ], { 'data-rep': i.rep_id, 'data-period': i.period })), { id: 'pva-table' });
  tbl.append(h('tfoot', {}, row([h('th', { colspan: 2 }, t('r_total')), ...figures(report.totals)], { class: 'total' })));
  return tbl;
}

async function download(ctx, query, format, note) {
  note.className = ''; note.textContent = '…';
  try {
    const res = await fetch(`/api/reports/plan-vs-actual?${new URLSearchParams({ ...query, format })}`, { headers: await bearer(ctx), cache: 'no-store' });
    if (!res.ok) {
      const p = await res.json().catch(() => ({}));
      throw new Error(p.detail || p.title || `HTTP ${res.status}`);
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || `plan-vs-actual.${format}`;
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    note.className = 'ok'; note.textContent = name;
  } catch (e) {
    note.className = 'error'; note.textContent = e.message;
  }
}

export async function reportsScreen(ctx) {
  const today = new Date();
  state.to = state.to || iso(today);
  state.from = state.from || iso(new Date(today.getTime() - 13 * 86400000));
  const reps = (await ctx.api.request('GET', '/api/users', { query: { role: 'rep' } })).sort(byName);
  const form = h('form', { class: 'toolbar panel', id: 'pva-form' });
  const from = input('from', state.from, { type: 'date', id: 'pva-from', required: true });
  const to = input('to', state.to, { type: 'date', id: 'pva-to', required: true });
  const group = select('group', [['day', t('r_day')], ['week', t('r_week')]], state.group, { id: 'pva-group' });
  const rep = select('rep_id', [['', t('r_all_reps')], ...reps.map((r) => [r.id, r.name])], state.rep, { id: 'pva-rep' });
  const show = h('button', { class: 'btn primary', type: 'submit', id: 'pva-show' }, t('r_show'));
  const csv = h('button', { class: 'btn', type: 'button', id: 'pva-csv', title: `${t('c_download')} CSV` }, '⬇ CSV');
  const xlsx = h('button', { class: 'btn', type: 'button', id: 'pva-xlsx', title: `${t('c_download')} XLSX` }, '⬇ XLSX');
  const note = h('p', { role: 'status', id: 'pva-note' });
  form.append(field(t('r_from'), from), field(t('r_to'), to), field(t('r_group'), group), field(t('r_rep'), rep), show,
    h('span', { class: 'spacer' }), csv, xlsx);
  const out = h('div', { id: 'pva-out' });
  const query = () => {
    const q = { from: from.value, to: to.value, group: group.value };
    if (rep.value) q.rep_id = rep.value;
    return q;
  };
  // Only the last Show is drawn: an earlier answer that comes back later is dropped.
  // data-rep names whose report is shown ('' for all reps).
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    Object.assign(state, { from: from.value, to: to.value, group: group.value, rep: rep.value });
    clearErrors(form);
    out.setAttribute('aria-busy', 'true');
    try {
      const q = query();
      const report = await ctx.api.request('GET', '/api/reports/plan-vs-actual', { query: q });
      if (mine !== asked) return;
      out.dataset.rep = q.rep_id || '';
      const charts = h('div', { class: 'charts', id: 'pva-charts' });
      out.replaceChildren(summary(report.totals),
        report.items.length ? charts : h('p', { class: 'muted', id: 'pva-empty' }, t('r_nothing')),
        // Sixteen columns do not fit 1280 px: the table scrolls inside its box, not the page.
        h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('r_reports') }, reportTable(report)));
      if (report.items.length) {
        await drawCharts(charts, report).catch((e) => charts.replaceChildren(h('p', { class: 'error' }, e.message)));
      }
    } catch (e) {
      if (mine === asked) showErrors(form, e);
    } finally { if (mine === asked) out.removeAttribute('aria-busy'); }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  csv.addEventListener('click', () => download(ctx, query(), 'csv', note));
  xlsx.addEventListener('click', () => download(ctx, query(), 'xlsx', note));
  load();
  return h('section', { class: 'screen', id: 'reports' }, title(t('r_reports')),
    h('p', { class: 'muted terms' }, t('r_terms')), form, note, out);
}
