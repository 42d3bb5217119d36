// Price lists: their validity and prices, and who buys from them (a customer's own list,
// or a distributor's list for every order the distributor places).

import { h } from '../dom.js';
import { t, fmtMoney } from '../../lib/i18n.js';
import { field, input, select, table, showErrors, clearErrors, values, title, byName, decimalText } from './forms.js';

const NULLABLE = ['valid_from', 'valid_to'];

function headerForm(ctx, pl, onSaved) {
  const isNew = !pl.id;
  const form = h('form', { class: 'grid-form panel', id: isNew ? 'price-list-new' : 'price-list-edit' },
    isNew ? h('h2', { class: 'wide' }, t('c_new_price_list')) : null,
    field(t('c_code'), input('code', pl.code, { required: true })),
    field(t('c_name'), input('name', pl.name, { required: true })),
    field(t('c_currency'), input('currency', pl.currency || 'EUR', { maxlength: 3 })),
    field(t('c_valid_from'), input('valid_from', pl.valid_from, { type: 'date' })),
    field(t('c_valid_to'), input('valid_to', pl.valid_to, { type: 'date' })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'prices_include_tax', checked: pl.prices_include_tax }), t('c_incl_tax')),
    h('div', { class: 'wide row' }, h('button', { class: 'btn primary', type: 'submit' }, isNew ? t('c_create') : t('save')),
      h('span', { class: 'ok', role: 'status' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const body = values(form, NULLABLE);
      const saved = isNew ? await ctx.api.request('POST', '/api/price-lists', { body })
        : await ctx.api.request('PATCH', `/api/price-lists/${pl.id}`, { body });
      form.querySelector('.ok').textContent = t('saved');
      onSaved(saved);
    } catch (e) { showErrors(form, e); }
  });
  return form;
}

export async function priceListsScreen(ctx) {
  const lists = await ctx.api.request('GET', '/api/price-lists');
  const editor = h('div');
  return h('section', { class: 'screen', id: 'price-lists' },
    title(t('c_price_lists'), h('button', {
      class: 'btn primary', id: 'new-price-list', type: 'button',
      onclick: () => editor.replaceChildren(headerForm(ctx, {}, (pl) => ctx.go(`#/office/price-lists/${pl.id}`))),
    }, t('c_new_price_list'))),
    editor,
    table([t('c_code'), t('c_name'), t('c_currency'), t('c_valid_from'), t('c_valid_to')],
      lists.sort(byName).map((pl) => h('tr', { 'data-price-list': pl.code },
        h('td', {}, pl.code), h('td', {}, h('a', { href: `#/office/price-lists/${pl.id}` }, pl.name)),
        h('td', {}, pl.currency), h('td', {}, pl.valid_from || ''), h('td', {}, pl.valid_to || '')))));
}

export async function priceListScreen(ctx, id) {
  const [pl, distributors] = await Promise.all([
    ctx.api.request('GET', `/api/price-lists/${id}`), ctx.api.request('GET', '/api/distributors'),
  ]);
  const reload = () => ctx.rerender();
  const items = table([t('c_sku'), t('c_name'), t('c_price'), t('c_min_qty'), ''],
    (pl.items || []).map((it) => {
      const price = input('price', it.price, { inputmode: 'decimal', size: 8 });
      const minq = input('min_quantity', it.min_quantity, { inputmode: 'decimal', size: 6 });
      const row = h('tr', { 'data-item': it.sku },
        h('td', {}, it.sku), h('td', {}, it.name), h('td', {}, price), h('td', {}, minq),
        h('td', {}, h('button', { class: 'btn small', type: 'button', onclick: () => putItem(it.product_id, decimalText(price.value), decimalText(minq.value), row) }, t('save')), ' ',
          h('button', { class: 'btn small', type: 'button', 'data-remove': it.sku, onclick: async () => {
            await ctx.api.request('DELETE', `/api/price-lists/${id}/items/${it.product_id}`); reload();
          } }, t('c_remove'))));
      return row;
    }), { id: 'items' });
  const note = h('p', { role: 'status', id: 'item-note' });
  async function putItem(productId, price, minQuantity, row = null) {
    note.textContent = '';
    note.className = '';
    try {
      await ctx.api.request('PUT', `/api/price-lists/${id}/items/${productId}`, { body: { price, min_quantity: minQuantity || '1' } });
      if (row) { note.className = 'ok'; note.textContent = `${t('saved')}: ${fmtMoney(price, pl.currency)}`; } else reload();
    } catch (e) { note.className = 'error'; note.textContent = e.detail || e.message; }
  }
  // Adding a product: search the catalogue, pick, price.
  const q = input('product_q', '', { type: 'search', placeholder: t('search_products'), id: 'item-search' });
  const pick = select('product_id', [['', t('c_choose')]], '', { id: 'item-product' });
  const newPrice = input('new_price', '', { inputmode: 'decimal', placeholder: t('c_price'), id: 'item-price' });
  q.addEventListener('input', async () => {
    const page = await ctx.api.request('GET', '/api/products', { query: { q: q.value.trim() || null, limit: 30 } });
    pick.replaceChildren(h('option', { value: '' }, t('c_choose')), ...page.items.map((p) => h('option', { value: p.id }, `${p.sku} · ${p.name}`)));
    if (page.items.length === 1) pick.value = page.items[0].id;
  });
  const add = h('div', { class: 'toolbar' }, field(t('search_products'), q), field(t('c_products'), pick), field(t('c_price'), newPrice),
    h('button', { class: 'btn primary', type: 'button', id: 'item-add', onclick: () => pick.value && putItem(pick.value, decimalText(newPrice.value), '1') }, t('c_set_price')));
  return h('section', { class: 'screen', id: 'price-list' },
    title(`${pl.code} · ${pl.name}`, h('a', { class: 'btn', href: '#/office/price-lists' }, t('c_back'))),
    headerForm(ctx, pl, () => null),
    h('div', { class: 'panel' }, h('h2', {}, t('c_items')), add, note, items),
    assignPanel(ctx, pl, distributors));
}

function assignPanel(ctx, pl, distributors) {
  const out = h('p', { role: 'status', id: 'assign-note' });
  const cq = input('customer_q', '', { type: 'search', placeholder: t('search_customers'), id: 'assign-customer-q' });
  const customer = select('customer_id', [['', t('c_choose')]], '', { id: 'assign-customer' });
  let asked = 0;
  const findCustomers = async () => {
    const mine = ++asked;
    const page = await ctx.api.request('GET', '/api/customers', { query: { q: cq.value.trim() || null, limit: 30 } });
    if (mine !== asked) return; // a later search (typed meanwhile) owns the list
    customer.replaceChildren(h('option', { value: '' }, t('c_choose')), ...page.items.map((c) => h('option', { value: c.id }, `${c.code} · ${c.name}`)));
    if (page.items.length === 1) customer.value = page.items[0].id;
  };
  cq.addEventListener('input', findCustomers);
  findCustomers().catch(() => null); // the first customers at once, not an empty list until typing
  const distributor = select('distributor_id', [['', t('c_choose')], ...distributors.sort(byName).map((d) => [d.id, `${d.code} · ${d.name}`])], '', { id: 'assign-distributor' });
  // PATCH /api/customers/{id} and PATCH /api/distributors/{id} both take price_list_id.
  const give = (kind, sel) => async () => {
    if (!sel.value) { // say so instead of doing nothing
      out.className = 'error';
      out.textContent = t(kind === 'customers' ? 'c_pick_customer' : 'c_pick_distributor');
      sel.focus();
      return;
    }
    out.className = '';
    try {
      const row = await ctx.api.request('PATCH', `/api/${kind}/${sel.value}`, { body: { price_list_id: pl.id } });
      out.className = 'ok';
      out.textContent = `${t('c_assigned')}: ${row.code} · ${row.name} → ${pl.code}`;
    } catch (e) { out.className = 'error'; out.textContent = e.detail || e.message; }
  };
  const using = distributors.filter((d) => d.price_list_id === pl.id);
  return h('div', { class: 'panel', id: 'assign' }, h('h2', {}, t('c_assign')),
    h('div', { class: 'toolbar' }, field(t('search_customers'), cq), field(t('c_customer'), customer),
      h('button', { class: 'btn', type: 'button', id: 'assign-customer-btn', onclick: give('customers', customer) }, t('c_assign_customer'))),
    h('div', { class: 'toolbar' }, field(t('c_distributor'), distributor),
      h('button', { class: 'btn', type: 'button', id: 'assign-distributor-btn', onclick: give('distributors', distributor) }, t('c_assign_distributor'))),
    using.length ? h('p', { class: 'muted' }, `${t('c_distributor')}: ${using.map((d) => d.name).join(', ')}`) : null,
    out);
}
