// The keyboard and screen-reader layer every screen inherits: a skip link, the screen's h1 as
// focus target and document title, focus and scroll kept across a background redraw, and one
// polite live region that announces sync state and confirmations once.

import { h } from './dom.js';
import { t } from '../lib/i18n.js';

/** The screen's heading: its h1, or a visually hidden one named after the tab when it has none. */
export function screenHeading(main, fallback) {
  if (!main) return null;
  let h1 = main.querySelector('h1');
  if (!h1 && fallback) {
    h1 = h('h1', { class: 'sr-only' }, fallback);
    main.prepend(h1);
  }
  if (h1) h1.setAttribute('tabindex', '-1');
  return h1;
}

/** "Today · Rounds": the title says where the user is (WCAG 2.4.2). */
export function setTitle(heading) {
  // The heading's words without the status badges some screens put in it.
  const copy = heading?.cloneNode(true);
  copy?.querySelectorAll('.badge, .ostatus, .sr-only-in-title').forEach((b) => b.remove());
  const name = copy?.textContent?.replace(/\s+/g, ' ').trim();
  const app = t('app');
  document.title = name && name !== app ? `${name} · ${app}` : app;
}

function focusHeading() {
  const h1 = document.querySelector('main h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
}

/** First tab stop of every page: jumps over the banners and the navigation to the heading. */
export function skipLink() {
  // Not a fragment link: the hash is the app's route.
  return h('a', {
    class: 'skip-link', href: '#content',
    onclick: (e) => { e.preventDefault(); focusHeading(); },
  }, t('skip_to_content'));
}

/** Where focus is inside the app, as a path that survives a redraw of the same screen. */
export function rememberFocus(root) {
  const el = document.activeElement;
  const at = { x: window.scrollX, y: window.scrollY, path: null, id: null };
  if (!el || el === document.body || !root.contains(el)) return at;
  if (el.id) { at.id = el.id; return at; }
  const path = [];
  for (let n = el; n && n !== root; n = n.parentElement) {
    path.unshift([...n.parentElement.children].indexOf(n));
  }
  at.path = path;
  at.tag = el.tagName;
  return at;
}

/** Put focus back where it was (or on the heading), without scrolling the page. */
export function restoreFocus(root, at) {
  let el = at.id ? document.getElementById(at.id) : null;
  if (!el && at.path) {
    el = root;
    for (const i of at.path) { el = el?.children[i]; }
    if (el && el.tagName !== at.tag) el = null;
  }
  // Focus never falls to the body (a pressed button may have been disabled or redrawn away):
  // the screen's heading is the next best place to read on from.
  if (el && el !== document.activeElement) el.focus({ preventScroll: true });
  else if (!el) document.querySelector('main h1')?.focus({ preventScroll: true });
  window.scrollTo(at.x, at.y);
}

/** After a new screen is drawn: title, and focus on its heading (never left on the body). */
export function screenShown(main, fallback) {
  const heading = screenHeading(main, fallback);
  setTitle(heading);
  if (heading) heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

let region = null;
let said = '';
/** Announce `text` once through a live region that lives outside the redrawn app. */
export function announce(text) {
  if (!region) {
    region = h('div', { id: 'live', class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    document.body.append(region);
  }
  if (!text) { said = ''; return; }
  if (text === said) return;
  said = text;
  region.textContent = text;
}
