// After logging in with a temporary password from the office: the person chooses their own
// before anything else (the server opens nothing else to that session).

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import { NetworkError } from '../lib/api.js';

export function passwordChangeScreen(ctx) {
  const error = h('p', { class: 'error', role: 'alert', id: 'pwc-error' });
  const attrs = { type: 'password', autocomplete: 'new-password', minlength: 12, maxlength: 128, required: true };
  const first = h('input', { ...attrs, name: 'new_password', id: 'pwc-new' });
  const second = h('input', { ...attrs, name: 'repeat', id: 'pwc-repeat' });
  const submit = h('button', { class: 'btn primary big', type: 'submit', id: 'pwc-save' }, t('pwc_save'));
  return h('form', {
    class: 'login', id: 'password-change',
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      if (first.value !== second.value) { error.textContent = t('pwc_mismatch'); second.focus(); return; }
      submit.disabled = true;
      try {
        await ctx.choosePassword(first.value);
      } catch (e) {
        // The server says what is wrong with it (too short, too common, the temporary one).
        error.textContent = e instanceof NetworkError ? t('needs_network') : (e.detail || t('pwc_refused'));
        first.focus();
      } finally { submit.disabled = false; }
    },
  }, h('h1', {}, t('pwc_title')),
  h('p', {}, t('pwc_explain')),
  h('label', {}, t('pwc_new'), first), h('label', {}, t('pwc_repeat'), second), submit, error,
  h('button', { class: 'btn', type: 'button', id: 'pwc-logout', onclick: () => ctx.logout() }, t('logout')));
}
