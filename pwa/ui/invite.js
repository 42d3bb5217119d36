// An invitation link (#/invite/<token>): the new user chooses a password and is logged in.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';
import '../ui/console/texts.js';

export function inviteScreen(ctx, token) {
  const error = h('p', { class: 'error', role: 'alert' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 12, maxlength: 128, required: true });
  const submit = h('button', { class: 'btn primary', type: 'submit' }, t('save'));
  return h('form', {
    class: 'login', id: 'invite-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        await ctx.acceptInvite(token, password.value);
      } catch (e) {
        error.textContent = e.status === 422 && e.errors?.some((x) => x.field === 'token') ? t('inv_bad') : (e.detail || e.message);
      } finally { submit.disabled = false; }
    },
  }, h('h1', {}, t('inv_title')), h('label', {}, t('password'), password), submit, error);
}
