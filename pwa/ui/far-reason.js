// A check-in too far from the customer's pin asks why (a reason from a list and the rep's own
// words) before it is queued; the server keeps both on the visit and in the history.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import '../lib/i18n-rep.js';

export const FAR_REASONS = ['pin_wrong', 'met_elsewhere', 'gps_poor', 'other'];

/** Show the question inside `slot`; resolves {reason, reason_note}, or null when cancelled. */
export function askFarReason(slot, distanceM) {
  return new Promise((resolve) => {
    const select = h('select', { name: 'far-reason', id: 'far-reason', 'aria-required': 'true' },
      h('option', { value: '' }, '—'), FAR_REASONS.map((r) => h('option', { value: r }, t(`far_${r}`))));
    const note = h('textarea', { name: 'far-note', id: 'far-note', rows: 2, maxlength: 300 });
    const msg = h('p', { class: 'error', role: 'alert' });
    const form = h('form', {
      class: 'stack far-reason', id: 'far-reason-form',
      onsubmit: (ev) => {
        ev.preventDefault();
        if (!select.value) { msg.textContent = t('far_pick_reason'); select.focus(); return; }
        if (select.value === 'other' && !note.value.trim()) { msg.textContent = t('far_note_needed'); note.focus(); return; }
        form.remove();
        resolve({ reason: select.value, reason_note: note.value.trim() });
      },
    },
    h('h2', {}, t('far_title')),
    h('p', {}, t('far_explain', { m: Math.round(distanceM ?? 0) })),
    h('label', {}, t('far_reason'), select),
    h('label', {}, t('far_note'), note),
    h('button', { class: 'btn primary big', type: 'submit', id: 'far-confirm' }, t('check_in_anyway')),
    h('button', { class: 'btn', type: 'button', id: 'far-cancel', onclick: () => { form.remove(); resolve(null); } }, t('cancel')),
    msg);
    slot.append(form);
    select.focus();
  });
}
