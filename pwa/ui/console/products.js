// Products: search, create and change the catalogue (prices live in price lists).

import { h } from '../dom.js';
import { t } from '../../lib/i18n.js';
import { field, input, table, showErrors, clearErrors, values, title } from './forms.js';

function productForm(ctx, p, onSaved) {
  const isNew = !p.id;
  const form = h('form', { class: 'grid-form panel', id: isNew ? 'product-new' : 'product-edit' },
    h('h2', { class: 'wide' }, isNew ? t('c_new_product') : `${p.sku} · ${p.name}`),
    field(t('c_sku'), input('sku', p.sku, { required: true })),
    field(t('c_name'), input('name', p.name, { required: true })),
    field(t('c_category'), input('category', p.category)),
    field(t('c_unit'), input('unit', p.unit || 'pcs')),
    field(t('c_tax_rate'), input('tax_rate', p.tax_rate ?? '0', { inputmode: 'decimal' })),
    field('EAN', input('barcode', p.barcode)),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'active', checked: p.active !== false }), t('c_active')),
    h('div', { class: 'wide row' }, h('button', { class: 'btn primary', type: 'submit' }, isNew ? t('c_create') : t('save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const body = values(form);
      const saved = isNew ? await ctx.api.request('POST', '/api/products', { body })
        : await ctx.api.request('PATCH', `/api/products/${p.id}`, { body });
      onSaved(saved);
    } catch (e) { showErrors(form, e); }
  });
  return form;
}

export async function productsScreen(ctx) {
  const box = h('div');
  const editor = h('div');
  const q = input('q', '', { type: 'search', class: 'search', placeholder: t('search_products'), id: 'product-search' });
  const load = async () => {
    const page = await ctx.api.request('GET', '/api/products', { query: { q: q.value.trim() || null, limit: 100 } });
    box.replaceChildren(table([t('c_sku'), t('c_name'), t('c_category'), t('c_unit'), t('c_tax_rate'), ''],
      page.items.map((p) => h('tr', { 'data-product': p.sku, class: p.active ? null : 'off' },
        h('td', {}, p.sku), h('td', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); edit(p); } }, p.name)),
        h('td', {}, p.category), h('td', {}, p.unit), h('td', { class: 'num' }, p.tax_rate),
        h('td', {}, p.active ? '' : t('c_disabled'))))));
  };
  const edit = (p) => {
    editor.replaceChildren(productForm(ctx, p, async (saved) => { editor.replaceChildren(); q.value = saved.sku; await load(); }));
    editor.scrollIntoView();
  };
  let timer = null;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 250); });
  await load();
  return h('section', { class: 'screen', id: 'products' },
    title(t('c_products'), h('button', { class: 'btn primary', id: 'new-product', type: 'button', onclick: () => edit({}) }, t('c_new_product'))),
    editor, h('div', { class: 'toolbar' }, q), box);
}
