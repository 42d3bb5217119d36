// The login screen; the session (refresh token and user) is kept for offline starts.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import { ApiError, NetworkError } from '../lib/api.js';

export function loginScreen(ctx) {
  const error = h('p', { class: 'error', role: 'alert' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'btn primary', type: 'submit' }, t('login'));
  const form = h('form', {
    class: 'login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        await ctx.login(email.value.trim(), password.value);
      } catch (e) {
        error.textContent = e.userMessage ? e.userMessage
          : e instanceof NetworkError ? t('need_network')
          : e instanceof ApiError ? (e.detail || e.title || t('login_failed')) : t('login_failed');
      } finally {
        submit.disabled = false;
      }
    },
  }, h('h1', {}, t('app')),
  h('label', {}, t('email'), email), h('label', {}, t('password'), password), submit, error);
  return form;
}
