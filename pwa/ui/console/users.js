// Users: the list, a new account, and one account's role, region, territories, the
// distributor or customer it belongs to, its access (invitation link or temporary password)
// and whether it is active.

import { h } from '../dom.js';
import { t, LOCALES } from '../../lib/i18n.js';
import { field, input, select, table, showErrors, clearErrors, values, title, byName, noneOption } from './forms.js';
import './plan-texts.js';

const ROLES = ['admin', 'manager', 'rep', 'distributor', 'customer'];

async function lookups(api) {
  const [regions, territories, distributors] = await Promise.all([
    api.request('GET', '/api/regions'), api.request('GET', '/api/territories'), api.request('GET', '/api/distributors'),
  ]);
  return { regions: regions.sort(byName), territories: territories.sort(byName), distributors: distributors.sort(byName) };
}

export async function usersScreen(ctx) {
  const [users, look] = await Promise.all([ctx.api.request('GET', '/api/users'), lookups(ctx.api)]);
  const regionName = new Map(look.regions.map((r) => [r.id, r.name]));
  const filter = input('q', '', { type: 'search', placeholder: t('c_name'), class: 'search' });
  const roleFilter = select('role', [['', t('c_role')], ...ROLES.map((r) => [r, t(`role_${r}`)])], '', { 'aria-label': t('c_role') });
  const body = h('tbody');
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    body.replaceChildren(...users
      .filter((u) => (!roleFilter.value || u.role === roleFilter.value)
        && (!q || `${u.name} ${u.email}`.toLowerCase().includes(q)))
      .map((u) => h('tr', { 'data-user': u.id, class: u.active ? null : 'off' },
        h('td', {}, h('a', { href: `#/office/users/${u.id}` }, u.name)),
        h('td', {}, u.email), h('td', {}, t(`role_${u.role}`)),
        h('td', {}, regionName.get(u.region_id) || ''),
        h('td', {}, u.active ? t('c_active') : t('c_disabled')))));
  };
  filter.addEventListener('input', draw);
  roleFilter.addEventListener('change', draw);
  draw();
  const tbl = table([t('c_name'), t('email'), t('c_role'), t('c_region'), ''], []);
  tbl.querySelector('tbody').replaceWith(body);
  return h('section', { class: 'screen', id: 'users' },
    title(t('c_users'), h('a', { class: 'btn primary', href: '#/office/users/new', id: 'new-user' }, t('c_new_user'))),
    h('div', { class: 'toolbar' }, filter, roleFilter), tbl);
}

export async function userScreen(ctx, id) {
  const isNew = id === 'new';
  const [user, look] = await Promise.all([
    isNew ? null : ctx.api.request('GET', `/api/users/${id}`), lookups(ctx.api),
  ]);
  const u = user || { role: 'rep', locale: 'en', time_zone: 'Europe/Tallinn', territory_ids: [], active: true };
  const form = h('form', { class: 'grid-form panel', id: 'user-form' });
  const role = select('role', ROLES.map((r) => [r, t(`role_${r}`)]), u.role);
  const region = select('region_id', [noneOption(), ...look.regions.map((r) => [r.id, r.name])], u.region_id);
  const distributor = select('distributor_id', [noneOption(), ...look.distributors.map((d) => [d.id, d.name])], u.distributor_id);
  const customerQ = input('customer_q', '', { type: 'search', placeholder: t('search_customers') });
  customerQ.disabled = false;
  const customer = select('customer_id', [noneOption()], u.customer_id);
  const terrBox = h('fieldset', { class: 'wide', id: 'territories' });
  const drawTerritories = () => {
    const chosen = new Set([...terrBox.querySelectorAll('input:checked')].map((x) => x.value).concat(terrBox.dataset.init ? [] : u.territory_ids));
    terrBox.dataset.init = '1';
    terrBox.replaceChildren(h('legend', {}, t('c_territories')),
      ...look.territories.filter((x) => x.region_id === region.value).map((x) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'territory_ids', 'data-multi': '1', value: x.id, checked: chosen.has(x.id) }), `${x.code} · ${x.name}`)));
    terrBox.hidden = role.value !== 'rep';
    const route = form.querySelector('#route-settings');
    if (route) route.hidden = role.value !== 'rep';
  };
  const findCustomers = async () => {
    const q = customerQ.value.trim();
    const page = await ctx.api.request('GET', '/api/customers', { query: { q: q || null, limit: 30 } });
    const keep = customer.value;
    customer.replaceChildren(...[noneOption(), ...page.items.map((c) => [c.id, `${c.code} · ${c.name}`])]
      .map(([v, text]) => h('option', { value: v, selected: v === keep }, text)));
    if (keep && !page.items.some((c) => c.id === keep)) customer.prepend(h('option', { value: keep, selected: true }, keep));
  };
  let timer = null;
  customerQ.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(findCustomers, 250); });
  const showFor = () => {
    drawTerritories();
    distributor.closest('label').hidden = role.value !== 'distributor';
    customer.closest('label').hidden = role.value !== 'customer';
    customerQ.closest('label').hidden = role.value !== 'customer';
    if (role.value === 'customer' && customer.options.length <= 1) findCustomers();
  };
  role.addEventListener('change', showFor);
  region.addEventListener('change', drawTerritories);
  form.append(
    field(t('c_name'), input('name', u.name, { required: true })),
    field(t('email'), input('email', u.email, { type: 'email', required: true, disabled: !isNew })),
    field(t('c_role'), role), field(t('c_region'), region),
    field(t('c_distributor'), distributor), field(t('search_customers'), customerQ), field(t('c_customer'), customer),
    field(t('phone'), input('phone', u.phone)),
    field(t('language'), select('locale', Object.entries(LOCALES), u.locale)),
    field(t('s_time_zone'), input('time_zone', u.time_zone)),
    ...(isNew ? [terrBox] : [terrBox, routeBlock(u)]), // append() would print a null
    h('div', { class: 'wide row' }, h('button', { class: 'btn primary', type: 'submit' }, isNew ? t('c_create') : t('save')),
      h('span', { class: 'ok', id: 'saved', role: 'status' })));
  if (u.customer_id) customer.append(h('option', { value: u.customer_id, selected: true }, u.customer_id));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = values(form, ['region_id', 'distributor_id', 'customer_id']);
    delete v.customer_q;
    if (v.role !== 'rep') v.territory_ids = [];
    if (v.role !== 'distributor') v.distributor_id = null;
    if (v.role !== 'customer') v.customer_id = null;
    routeValues(v);
    form.querySelector('#saved').textContent = ''; // never an earlier save's "Saved" next to a refusal
    try {
      if (isNew) {
        const made = await ctx.api.request('POST', '/api/users', { body: v });
        ctx.go(`#/office/users/${made.id}`);
      } else {
        delete v.email;
        await ctx.api.request('PATCH', `/api/users/${id}`, { body: v });
        form.querySelector('#saved').textContent = t('saved');
      }
    } catch (e) { showErrors(form, e); }
  });
  setTimeout(showFor);
  if (isNew) {
    return h('section', { class: 'screen', id: 'user' }, title(t('c_new_user'), h('a', { class: 'btn', href: '#/office/users' }, t('c_back'))), form);
  }
  return h('section', { class: 'screen', id: 'user' },
    title(u.name, h('a', { class: 'btn', href: '#/office/users' }, t('c_back'))),
    h('p', { class: 'muted' }, u.email, ' · ', u.active ? t('c_active') : t('c_disabled')),
    form, accessPanel(ctx, u));
}

function accessPanel(ctx, u) {
  const out = h('div', { id: 'credential', role: 'status' });
  const issue = (kind) => async () => {
    out.replaceChildren();
    try {
      const c = await ctx.api.request('POST', `/api/users/${u.id}/credentials`, { body: { kind } });
      const secret = c.link ? new URL(c.link, location.origin).href : c.temporary_password;
      out.append(...[h('p', {}, t('c_give_once')), h('p', { class: 'secret', 'data-kind': c.kind }, secret),
        c.expires_at ? h('p', { class: 'muted' }, t('c_valid_until', { t: new Date(c.expires_at).toLocaleString() })) : null,
        c.temporary_password ? h('p', { class: 'muted', id: 'temp-explain' }, t('c_temp_explain')) : null].filter(Boolean));
    } catch (e) { out.append(h('p', { class: 'error' }, e.detail || e.message)); }
  };
  const toggle = async () => {
    try {
      await ctx.api.request('PATCH', `/api/users/${u.id}`, { body: { active: !u.active } });
      ctx.rerender();
    } catch (e) { out.replaceChildren(h('p', { class: 'error' }, e.detail || e.message)); }
  };
  return h('div', { class: 'panel' }, h('h2', {}, t('c_credentials')),
    h('div', { class: 'row' },
      h('button', { class: 'btn', type: 'button', id: 'invite', onclick: issue('invite_link') }, t('c_invite_link')),
      h('button', { class: 'btn', type: 'button', id: 'temp-password', onclick: issue('temporary_password') }, `${t('c_reset_password')}: ${t('c_temp_password')}`),
      h('button', { class: 'btn', type: 'button', id: 'toggle-active', onclick: toggle }, u.active ? t('c_disable') : t('c_enable'))),
    out);
}

// A rep's home base and working hours (route planning starts and ends at home, in these hours).
function routeBlock(u) {
  const num = (name, value) => input(name, value ?? '', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  return h('fieldset', { class: 'wide', id: 'route-settings' },
    h('legend', {}, t('tp_route_block')),
    h('p', { class: 'muted' }, t('tp_home_hint')),
    h('div', { class: 'row' },
      field(t('tp_home_lat'), num('home.lat', u.home?.lat)),
      field(t('tp_home_lng'), num('home.lng', u.home?.lng)),
      field(t('tp_work_start'), input('work_start', u.work_start || '08:00', { type: 'time' })),
      field(t('tp_work_end'), input('work_end', u.work_end || '17:00', { type: 'time' }))));
}

/** Fold the block's fields into the PATCH body: home {lat, lng} or null, hours for reps only. */
function routeValues(v) {
  if (!('home.lat' in v)) return;
  const lat = v['home.lat'];
  const lng = v['home.lng'];
  delete v['home.lat'];
  delete v['home.lng'];
  if (v.role !== 'rep') { delete v.work_start; delete v.work_end; return; }
  const num = (x) => (x === '' ? null : (Number.isFinite(Number(x.replace(',', '.'))) ? Number(x.replace(',', '.')) : x));
  v.home = lat === '' && lng === '' ? null : { lat: num(lat), lng: num(lng) };
}
