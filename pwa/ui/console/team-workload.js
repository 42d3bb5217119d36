// Workload of the region's territories against their reps' weekly hours, and the button that
// asks for a rebalance proposal (shown on the map by the team screen, applied there).

import { h, fill } from '../dom.js';
import { t } from '../../lib/i18n.js';
import './team-map-texts.js';

const num = (x, digits = 1) => (x == null ? '—' : Number(x).toFixed(digits));

export function workloadPanel(ctx, { query, fail, showProposal }) {
  const body = h('tbody');
  const spread = h('p', { class: 'muted', id: 'spread' });
  const ask = h('button', { type: 'button', class: 'btn', id: 'rebalance' }, t('tm_rebalance'));
  const el = h('div', { class: 'panel', id: 'workload' },
    h('div', { class: 'toolbar' }, h('h2', { style: 'flex:1;margin:0' }, t('tm_workload')), ask),
    h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, [t('tm_territories'), t('tm_customers_n'), t('tm_visits_week'), t('tm_hours_week'), t('tm_capacity'), t('tm_load')]
        .map((x) => h('th', {}, x)))), body),
    spread);

  async function reload() {
    const params = query();
    const r = await ctx.api.request('GET', `/api/territories/workload${params ? `?${params}` : ''}`);
    fill(body, r.territories.map((w) => {
      const pct = w.load == null ? null : Math.round(w.load * 100);
      return h('tr', { 'data-territory': w.territory_id, class: pct != null && pct > 100 ? 'over' : null },
        h('td', {}, w.name), h('td', { class: 'num' }, String(w.customers)),
        h('td', { class: 'num' }, num(w.visits_per_week)), h('td', { class: 'num' }, num(w.hours_per_week)),
        h('td', { class: 'num' }, w.capacity_hours_per_week == null ? t('tm_no_rep') : num(w.capacity_hours_per_week)),
        h('td', { class: 'load' }, pct == null ? '—' : h('div', { class: 'bar', title: `${pct}%` },
          h('span', { style: `width:${Math.min(pct, 100)}%` })), pct == null ? '' : h('small', {}, ` ${pct}%`)));
    }));
    spread.textContent = t('tm_spread', { p: Math.round(r.spread * 100) });
  }

  ask.addEventListener('click', async () => {
    try {
      const params = new URLSearchParams(query());
      const region = params.get('region_id');
      const p = await ctx.api.request('POST', '/api/territories/rebalance/preview', { body: region ? { region_id: region } : {} });
      showProposal(p);
    } catch (e) { fail(e); }
  });
  return { el, reload: () => reload().catch(fail) };
}
