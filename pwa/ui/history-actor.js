// Who did a history entry: "Name · role", or "System" for what the server did by itself.

import { h } from './dom.js';
import { t, addTexts } from '../lib/i18n.js';

addTexts({
  role_system: ['System', 'Система', 'Система', 'Süsteem'],
  history_by: ['by {who}', 'автор: {who}', 'автор: {who}', 'tegi: {who}'],
});

export function actorLine(actor) {
  if (!actor || !actor.role) return null;
  const role = t(`role_${actor.role}`);
  const who = actor.role === 'system' || !actor.name ? role : `${actor.name} · ${role}`;
  return h('small', { class: 'actor', 'data-actor-role': actor.role }, t('history_by', { who }));
}
