// An order's place in the office's flow (submitted → confirmed → shipped → delivered, or
// cancelled), shown next to its sync badge so the two are never confused.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

export const ORDER_STATUSES = ['submitted', 'confirmed', 'shipped', 'delivered', 'cancelled'];

export function orderStatus(o) {
  const s = ORDER_STATUSES.includes(o?.status) ? o.status : 'submitted';
  return h('span', { class: `ostatus ostatus-${s}`, 'data-order-status': s }, t(`order_${s}`));
}
