// Company settings: the header printed on every new quote and its logo. Any common image
// format is accepted; the server converts it to the JPEG both PDF engines draw.

import { h } from '../dom.js';
import { t } from '../../lib/i18n.js';
import { field, input, showErrors, clearErrors, values, title, bearer } from './forms.js';

async function logoPreview(ctx, has) {
  if (!has) return h('p', { class: 'muted', id: 'logo-preview' }, t('c_no_logo'));
  // The logo is behind the bearer token: fetch it through the session, show it as a blob.
  const res = await fetch('/api/company/logo', { headers: await bearer(ctx), cache: 'no-store' });
  if (!res.ok) return h('p', { class: 'muted', id: 'logo-preview' }, t('c_no_logo'));
  return h('img', { class: 'logo-preview', id: 'logo-preview', alt: t('c_logo'), src: URL.createObjectURL(await res.blob()) });
}

export async function companyScreen(ctx) {
  const c = await ctx.api.request('GET', '/api/company');
  const form = h('form', { class: 'grid-form panel', id: 'company-form' },
    field(t('c_company_name'), input('name', c.name)),
    field(t('c_vat_no'), input('vat_no', c.vat_no)),
    field(t('c_reg_no'), input('reg_no', c.reg_no)),
    field(t('phone'), input('phone', c.phone)),
    field(t('email'), input('email', c.email, { type: 'email' })),
    field(t('c_address'), h('textarea', { name: 'address', rows: 3 }, c.address), 'wide'),
    h('div', { class: 'wide row' }, h('button', { class: 'btn primary', type: 'submit' }, t('save')), h('span', { class: 'ok', role: 'status' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await ctx.api.request('PATCH', '/api/company', { body: values(form) });
      form.querySelector('.ok').textContent = t('saved');
    } catch (e) { showErrors(form, e); }
  });
  const preview = h('div', {}, await logoPreview(ctx, c.has_logo));
  const file = h('input', { type: 'file', name: 'logo', accept: 'image/png,image/jpeg,image/webp,image/gif,image/*', id: 'logo-file' });
  const logoForm = h('form', { class: 'panel', id: 'logo-form' }, h('h2', {}, t('c_logo')), preview, field(t('c_logo'), file),
    h('div', { class: 'row' }, h('button', { class: 'btn primary', type: 'submit' }, t('save')),
      h('button', { class: 'btn', type: 'button', id: 'logo-remove', onclick: async () => {
        await ctx.api.request('DELETE', '/api/company/logo');
        preview.replaceChildren(await logoPreview(ctx, false));
      } }, t('c_remove'))));
  logoForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(logoForm);
    if (!file.files[0]) return;
    const body = new FormData();
    body.append('logo', file.files[0]);
    const res = await fetch('/api/company/logo', { method: 'PUT', body, headers: await bearer(ctx) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) { showErrors(logoForm, { detail: data.detail || `HTTP ${res.status}`, errors: data.errors || [] }); return; }
    preview.replaceChildren(await logoPreview(ctx, data.has_logo));
  });
  return h('section', { class: 'screen', id: 'company' }, title(t('c_company')), h('p', { class: 'muted' }, t('c_quote_header')), form, logoForm);
}
