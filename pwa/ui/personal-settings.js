// Personal settings every role has (PATCH /api/me): time zone, quiet hours without pushes,
// which reminders to get and how early. They live on the server: the notifications worker
// reads them there; offline the section says so instead of pretending to save.

import { h } from './dom.js';
import { t, setTimeZone } from '../lib/i18n.js';
import './console/texts.js';

const KINDS = {
  rep: ['visit_soon', 'day_plan', 'follow_up', 'overdue_customers', 'order_status'],
  manager: ['day_plan', 'missed_visits', 'overdue_customers', 'order_status'],
  admin: ['missed_visits', 'order_status'],
  distributor: ['order_status'],
  customer: ['order_status', 'offer'],
};

function zones(current) {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export async function personalSettings(ctx) {
  let me;
  try { me = await ctx.api.request('GET', '/api/me'); } catch { return h('p', { class: 'muted', id: 'personal-offline' }, t('s_off_line')); }
  if (me.role === 'customer') await ctx.store.setMeta('offers_opt_in', me.offers_opt_in);
  const zone = h('select', { name: 'time_zone', id: 'time-zone' }, zones(me.time_zone).map((z) => h('option', { value: z, selected: z === me.time_zone }, z)));
  const quietOn = h('input', { type: 'checkbox', name: 'quiet_on', id: 'quiet-on', checked: Boolean(me.quiet_hours) });
  const from = h('input', { type: 'time', name: 'quiet_start', id: 'quiet-start', value: me.quiet_hours?.start || '22:00' });
  const to = h('input', { type: 'time', name: 'quiet_end', id: 'quiet-end', value: me.quiet_hours?.end || '07:00' });
  const lead = h('input', { type: 'number', name: 'reminder_lead_minutes', id: 'lead', min: 1, max: 180, value: me.reminder_lead_minutes ?? 30 });
  const kinds = KINDS[me.role] || [];
  const boxes = kinds.map((k) => h('label', { class: 'switch' }, t(`s_remind_${k}`),
    h('input', { type: 'checkbox', name: k, 'data-kind': k, checked: me.reminders[k] !== false })));
  const note = h('p', { role: 'status', id: 'personal-note' });
  const form = h('form', { id: 'personal', class: 'edit personal' }, // .edit: no background redraw
    h('h2', {}, t('s_personal')),
    h('label', {}, t('s_time_zone'), zone),
    h('label', { class: 'switch' }, t('s_quiet_hours'), quietOn),
    h('div', { class: 'row' }, h('label', { class: 'inline' }, t('s_from'), from), h('label', { class: 'inline' }, t('s_to'), to)),
    kinds.length ? h('h2', {}, t('s_reminders')) : null, boxes,
    kinds.includes('visit_soon') ? h('label', {}, t('s_minutes_before'), lead) : null,
    h('button', { class: 'btn primary', type: 'submit', id: 'personal-save' }, t('save')), note);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    note.className = ''; note.textContent = '';
    const body = {
      time_zone: zone.value,
      quiet_hours: quietOn.checked ? { start: from.value, end: to.value } : null,
      reminders: Object.fromEntries(boxes.map((b) => { const i = b.querySelector('input'); return [i.dataset.kind, i.checked]; })),
    };
    if (kinds.includes('visit_soon')) body.reminder_lead_minutes = Number(lead.value);
    try {
      const saved = await ctx.api.request('PATCH', '/api/me', { body });
      setTimeZone(saved.time_zone);
      note.className = 'ok'; note.textContent = t('saved');
    } catch (e) {
      note.className = 'error';
      note.textContent = [e.detail || e.message, ...(e.errors || []).map((x) => `${x.field}: ${x.message}`)].join(' · ');
    }
  });
  return form;
}
