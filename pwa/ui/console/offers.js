// Offer campaigns: the list with each campaign's funnel (sent → displayed → clicked →
// ordered), and the composer: texts per language, an image, the audience with its live
// count, the push as the customer will see it, then send now, schedule or cancel.

import { h, fill } from '../dom.js';
import { t, addTexts, fmtDateTime, fmtNumber, getLocale } from '../../lib/i18n.js';
import { field, input, select, table, showErrors, clearErrors, title, bearer, decimalText } from './forms.js';

addTexts({
  o_offers: ['Offer campaigns', 'Рекламные кампании', 'Рекламні кампанії', 'Pakkumiskampaaniad'],
  o_new: ['New offer', 'Новое предложение', 'Нова пропозиція', 'Uus pakkumine'],
  o_none: ['No offers yet.', 'Предложений пока нет.', 'Пропозицій ще немає.', 'Pakkumisi veel pole.'],
  o_status: ['Status', 'Статус', 'Статус', 'Olek'],
  o_when: ['When', 'Когда', 'Коли', 'Millal'],
  o_funnel: ['Funnel', 'Воронка', 'Воронка', 'Lehter'],
  o_sent: ['sent', 'отправлено', 'надіслано', 'saadetud'],
  o_displayed: ['displayed', 'показано', 'показано', 'kuvatud'],
  o_clicked: ['clicked', 'открыто', 'відкрито', 'avatud'],
  o_ordered: ['ordered', 'заказали', 'замовили', 'tellitud'],
  o_st_draft: ['draft', 'черновик', 'чернетка', 'mustand'],
  o_st_scheduled: ['scheduled', 'запланировано', 'заплановано', 'ajastatud'],
  o_st_sending: ['sending', 'отправляется', 'надсилається', 'saatmisel'],
  o_st_sent: ['sent', 'отправлено', 'надіслано', 'saadetud'],
  o_st_cancelled: ['cancelled', 'отменено', 'скасовано', 'tühistatud'],
  o_st_expired: ['expired', 'истекло', 'минуло', 'aegunud'],
  o_cancel: ['Cancel offer', 'Отменить предложение', 'Скасувати пропозицію', 'Tühista pakkumine'],
  o_texts: ['Texts', 'Тексты', 'Тексти', 'Tekstid'],
  o_default_lang: ['Default language', 'Язык по умолчанию', 'Мова за замовчуванням', 'Vaikekeel'],
  o_default_note: ['Customers whose language has no text get the default language.', 'Клиенты, для языка которых нет текста, получат язык по умолчанию.', 'Клієнти, для мови яких немає тексту, отримають мову за замовчуванням.', 'Kliendid, kelle keeles teksti pole, saavad vaikekeele teksti.'],
  o_title: ['Title', 'Заголовок', 'Заголовок', 'Pealkiri'],
  o_text: ['Text', 'Текст', 'Текст', 'Tekst'],
  o_price: ['Price', 'Цена', 'Ціна', 'Hind'],
  o_discount: ['Discount %', 'Скидка %', 'Знижка %', 'Allahindlus %'],
  o_image: ['Image', 'Изображение', 'Зображення', 'Pilt'],
  o_image_hint: ['PNG, JPEG, WebP or GIF; resized to 1200 px.', 'PNG, JPEG, WebP или GIF; уменьшается до 1200 px.', 'PNG, JPEG, WebP або GIF; зменшується до 1200 px.', 'PNG, JPEG, WebP või GIF; vähendatakse 1200 px-ni.'],
  o_remove_image: ['Remove image', 'Убрать изображение', 'Прибрати зображення', 'Eemalda pilt'],
  o_audience: ['Audience', 'Аудитория', 'Аудиторія', 'Sihtrühm'],
  o_all_territories: ['All territories of the region', 'Все территории региона', 'Усі території регіону', 'Kõik piirkonna territooriumid'],
  o_segments: ['Segments (comma-separated)', 'Сегменты (через запятую)', 'Сегменти (через кому)', 'Segmendid (komaga eraldatud)'],
  o_bought: ['Bought', 'Покупали', 'Купували', 'Ostsid'],
  o_never: ['…but never', '…но никогда', '…але ніколи', '…aga mitte kunagi'],
  o_days: ['within days', 'за дней', 'за днів', 'päeva jooksul'],
  o_any: ['— any —', '— любой —', '— будь-який —', '— ükskõik —'],
  o_count: ['Customers: {customers} · get the push: {recipients}', 'Клиентов: {customers} · получат push: {recipients}', 'Клієнтів: {customers} · отримають push: {recipients}', 'Kliente: {customers} · saavad teavituse: {recipients}'],
  o_preview: ['Push preview', 'Предпросмотр push', 'Попередній перегляд push', 'Teavituse eelvaade'],
  o_preview_as: ['As a customer reading', 'Как видит клиент на языке', 'Як бачить клієнт мовою', 'Nagu näeb klient keeles'],
  o_send_at: ['Send at (empty: now)', 'Отправить в (пусто: сейчас)', 'Надіслати о (порожньо: зараз)', 'Saada (tühi: kohe)'],
  o_sending: ['“{title}” goes out within a minute; the table shows when it was sent.', '«{title}» уйдёт в течение минуты; в таблице будет видно, когда отправлено.', '«{title}» піде протягом хвилини; у таблиці буде видно, коли надіслано.', '„{title}“ läheb välja minuti jooksul; tabelist näed, millal see saadeti.'],
  o_send_now: ['Send now', 'Отправить сейчас', 'Надіслати зараз', 'Saada kohe'],
  o_schedule: ['Schedule', 'Запланировать', 'Запланувати', 'Ajasta'],
  o_save_draft: ['Save draft', 'Сохранить черновик', 'Зберегти чернетку', 'Salvesta mustand'],
  o_saved: ['Offer {status}: {title}', 'Предложение {status}: {title}', 'Пропозиція {status}: {title}', 'Pakkumine {status}: {title}'],
  o_needs_future: ['Pick a time in the future.', 'Выберите время в будущем.', 'Виберіть час у майбутньому.', 'Vali tulevane aeg.'],
  o_now: ['now', 'сейчас', 'зараз', 'nüüd'],
  o_uploading: ['Uploading…', 'Загрузка…', 'Завантаження…', 'Laadin üles…'],
});

const LANGS = ['en', 'ru', 'uk', 'et'];
const LANG_NAMES = { en: 'English', ru: 'Русский', uk: 'Українська', et: 'Eesti' };
const STEPS = ['sent', 'displayed', 'clicked', 'ordered'];

function funnelBars(f) {
  if (!f) return null;
  const top = Math.max(f.sent, 1);
  return h('div', { class: 'offer-funnel' }, STEPS.map((k) => h('div', { class: 'funnel-step', 'data-step': k },
    h('span', { class: 'funnel-label' }, t(`o_${k}`)),
    h('div', { class: 'bar', role: 'img', 'aria-label': `${t(`o_${k}`)}: ${f[k]}` },
      h('span', { style: `width:${Math.round((100 * f[k]) / top)}%` })),
    h('b', { class: 'num' }, fmtNumber(f[k])))));
}

function offerRow(ctx, o, reload) {
  const when = o.sent_at || o.send_at;
  const cancel = ['draft', 'scheduled'].includes(o.status)
    ? h('button', { class: 'btn', type: 'button', 'data-cancel': o.id, onclick: async () => {
      await ctx.api.request('POST', `/api/offers/${o.id}/cancel`);
      await reload();
    } }, t('o_cancel')) : null;
  return h('tr', { 'data-offer': o.title },
    h('td', {}, o.image_url ? h('img', { class: 'offer-thumb', src: o.image_url, alt: '' }) : null),
    h('td', {}, h('b', {}, o.title), h('div', { class: 'muted' }, [o.language, ...Object.keys(o.texts || {})].join(' · '))),
    h('td', {}, h('span', { class: `badge offer-${o.status}` }, t(`o_st_${o.status}`))),
    h('td', {}, when ? fmtDateTime(when) : ''),
    h('td', { class: 'funnel-cell' }, funnelBars(o.funnel)),
    h('td', {}, cancel));
}

/** A local datetime-local value as an ISO instant with the browser's offset. */
function isoOf(local) {
  return local ? new Date(local).toISOString() : null;
}

function composer(ctx, refs, onDone) {
  const words = Object.fromEntries(LANGS.map((l) => [l, { title: '', text: '' }]));
  const first = LANGS.includes(getLocale()) ? getLocale() : 'en';
  let tab = first;
  let imageUrl = null;
  const defaultLang = select('language', LANGS.map((l) => [l, LANG_NAMES[l]]), first, { id: 'offer-language' });
  const titleIn = input('title', '', { id: 'offer-title', maxlength: 120 });
  const textIn = h('textarea', { name: 'text', id: 'offer-text', rows: 2, maxlength: 1000 });
  const tabs = h('div', { class: 'lang-tabs', role: 'tablist', 'aria-label': t('o_texts') });
  const drawTabs = () => fill(tabs, LANGS.map((l) => h('button', {
    type: 'button', role: 'tab', 'data-lang': l, 'aria-selected': String(l === tab),
    class: `tab${l === tab ? ' active' : ''}${words[l].title ? ' filled' : ''}`,
    onclick: () => { tab = l; titleIn.value = words[l].title; textIn.value = words[l].text; drawTabs(); drawPreview(); },
  }, LANG_NAMES[l], l === defaultLang.value ? ' ★' : '')));
  const onWords = () => { words[tab] = { title: titleIn.value, text: textIn.value }; drawTabs(); drawPreview(); };
  titleIn.addEventListener('input', onWords);
  textIn.addEventListener('input', onWords);
  defaultLang.addEventListener('change', () => { drawTabs(); drawPreview(); });

  const price = input('price', '', { id: 'offer-price', inputmode: 'decimal', placeholder: '0.00' });
  const discount = input('discount_pct', '', { id: 'offer-discount', inputmode: 'decimal', placeholder: '15' });
  [price, discount].forEach((el) => el.addEventListener('input', drawPreview));

  // Image: uploaded at once, converted by the server; its URL goes in the offer.
  const file = h('input', { type: 'file', name: 'image', id: 'offer-image', accept: 'image/*' });
  const imgNote = h('small', { class: 'muted', id: 'offer-image-note' }, t('o_image_hint'));
  const imgPreview = h('div', { class: 'offer-image-preview' });
  const showImage = () => fill(imgPreview, imageUrl ? [h('img', { src: imageUrl, alt: '', id: 'offer-image-preview' }),
    h('button', { class: 'btn', type: 'button', onclick: () => { imageUrl = null; file.value = ''; showImage(); drawPreview(); } }, t('o_remove_image'))] : null);
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    imgNote.className = 'muted'; imgNote.textContent = t('o_uploading');
    const res = await fetch('/api/offers/images', { method: 'POST', body: f, headers: { ...(await bearer(ctx)), 'Content-Type': f.type || 'application/octet-stream' } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      imageUrl = null;
      imgNote.className = 'error';
      imgNote.textContent = [body.detail, ...(body.errors || []).map((e) => `${e.field}: ${e.message}`)].filter(Boolean).join(' · ');
    } else {
      imageUrl = body.image_url;
      imgNote.className = 'muted'; imgNote.textContent = `${body.width}×${body.height} JPEG · ${fmtNumber(Math.round(body.bytes / 1024))} kB`;
    }
    showImage(); drawPreview();
  });

  // Audience and its live count.
  const terr = h('div', { class: 'checks', id: 'offer-territories' }, refs.territories.map((x) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'territory_ids', value: x.id, 'data-multi': '' }), x.name)));
  const segments = input('segments', '', { id: 'offer-segments', placeholder: 'horeca, retail' });
  const products = [['', t('o_any')], ...refs.products.map((p) => [p.id, `${p.sku} · ${p.name}`])];
  const bought = select('bought_product_id', products, '', { id: 'offer-bought' });
  const never = select('never_product_id', products, '', { id: 'offer-never' });
  const days = input('days', '90', { id: 'offer-days', type: 'number', min: 1, max: 3650, style: 'width:6em' });
  const count = h('p', { class: 'live-count', id: 'offer-count', role: 'status', 'aria-live': 'polite' }, '…');
  const target = () => ({
    territory_ids: [...terr.querySelectorAll('input:checked')].map((x) => x.value),
    segments: segments.value.split(',').map((s) => s.trim()).filter(Boolean),
    bought_product_id: bought.value || null,
    never_product_id: never.value || null,
    days: Number(days.value) || 90,
  });
  let asked = 0;
  let timer = null;
  const recount = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const n = await ctx.api.request('POST', '/api/offers/preview', { body: target() });
        if (mine !== asked) return; // a newer question is on its way
        count.className = 'live-count'; count.dataset.customers = n.customers;
        count.textContent = t('o_count', { customers: fmtNumber(n.customers), recipients: fmtNumber(n.recipients) });
      } catch (e) {
        if (mine === asked) { count.className = 'live-count error'; count.textContent = e.detail || e.message; }
      }
    }, 150);
  };
  for (const el of [terr, segments, bought, never, days]) { el.addEventListener('change', recount); el.addEventListener('input', recount); }

  // The push as the chosen customer language will show it.
  const previewLang = select('preview_lang', LANGS.map((l) => [l, LANG_NAMES[l]]), first, { id: 'offer-preview-lang' });
  const preview = h('div', { class: 'push-preview', id: 'offer-push-preview' });
  previewLang.addEventListener('change', drawPreview);
  function drawPreview() {
    const def = defaultLang.value;
    const w = words[previewLang.value]?.title ? words[previewLang.value] : words[def];
    const extra = price.value.trim() ? `${Number(decimalText(price.value)).toFixed(2)} EUR` : (discount.value.trim() ? `-${discount.value.trim()}%` : '');
    const body = w.text && extra ? `${w.text} (${extra})` : (w.text || extra);
    fill(preview,
      h('div', { class: 'push-head' }, h('img', { src: '/icons/icon-192.png', alt: '', width: 20, height: 20 }), h('span', {}, t('app')), h('span', { class: 'muted' }, t('o_now'))),
      h('b', { class: 'push-title' }, w.title || '—'),
      h('div', { class: 'push-body' }, body),
      imageUrl ? h('img', { class: 'push-image', src: imageUrl, alt: '' }) : null);
  }

  const sendAt = input('send_at', '', { id: 'offer-send-at', type: 'datetime-local' });
  const form = h('form', { class: 'panel offer-compose', id: 'offer-compose', novalidate: true });
  const submit = async (mode) => {
    clearErrors(form);
    const def = defaultLang.value;
    const texts = Object.fromEntries(LANGS.filter((l) => l !== def && words[l].title.trim())
      .map((l) => [l, { title: words[l].title.trim(), text: words[l].text.trim() }]));
    const when = mode === 'schedule' ? isoOf(sendAt.value) : null;
    if (mode === 'schedule' && (!when || new Date(when) <= new Date())) {
      showErrors(form, { detail: t('o_needs_future'), errors: [{ field: 'send_at', message: t('o_needs_future') }] });
      return;
    }
    const body = {
      title: words[def].title.trim(), text: words[def].text.trim(), language: def, texts,
      price: decimalText(price.value) || null, discount_pct: decimalText(discount.value) || null,
      image_url: imageUrl, target: target(),
    };
    try {
      let offer = await ctx.api.request('POST', '/api/offers', { body });
      if (mode !== 'draft') offer = await ctx.api.request('POST', `/api/offers/${offer.id}/schedule`, { body: { send_at: when } });
      onDone(offer);
    } catch (e) {
      if ((e.errors || []).some((x) => x.field === 'title')) { tab = def; drawTabs(); }
      showErrors(form, e);
    }
  };
  form.addEventListener('submit', (ev) => ev.preventDefault());
  form.append(
    h('h2', {}, t('o_new')),
    h('div', { class: 'offer-grid' },
      h('div', { class: 'offer-col' },
        h('fieldset', {}, h('legend', {}, t('o_texts')),
          field(t('o_default_lang'), defaultLang), h('small', { class: 'muted' }, t('o_default_note')),
          tabs, field(t('o_title'), titleIn), field(t('o_text'), textIn)),
        h('div', { class: 'pair' }, field(t('o_price'), price), field(t('o_discount'), discount)),
        h('fieldset', {}, h('legend', {}, t('o_image')), file, imgNote, imgPreview)),
      h('div', { class: 'offer-col' },
        h('fieldset', { id: 'offer-audience' }, h('legend', {}, t('o_audience')),
          h('small', { class: 'muted' }, t('o_all_territories')), terr,
          field(t('o_segments'), segments),
          h('div', { class: 'pair' }, field(t('o_bought'), bought), field(t('o_days'), days)),
          field(t('o_never'), never), count)),
      h('div', { class: 'offer-col' },
        h('fieldset', {}, h('legend', {}, t('o_preview')), field(t('o_preview_as'), previewLang), preview),
        field(t('o_send_at'), sendAt),
        h('div', { class: 'row' },
          h('button', { class: 'btn primary', type: 'button', id: 'offer-send', onclick: () => submit('now') }, t('o_send_now')),
          h('button', { class: 'btn', type: 'button', id: 'offer-schedule', onclick: () => submit('schedule') }, t('o_schedule')),
          h('button', { class: 'btn', type: 'button', id: 'offer-draft', onclick: () => submit('draft') }, t('o_save_draft'))))));
  drawTabs(); drawPreview(); recount();
  return form;
}

export async function offersScreen(ctx) {
  const list = h('div', { id: 'offer-list' });
  const editor = h('div');
  const note = h('p', { role: 'status', id: 'offer-note' });
  const [territories, products] = await Promise.all([
    ctx.api.request('GET', '/api/territories'),
    ctx.api.request('GET', '/api/products', { query: { limit: 500 } }),
  ]);
  const refs = { territories, products: products.items || products };
  const reload = async () => {
    const offers = await ctx.api.request('GET', '/api/offers');
    fill(list, offers.length ? table(['', t('o_title'), t('o_status'), t('o_when'), t('o_funnel'), ''],
      offers.map((o) => offerRow(ctx, o, reload)), { id: 'offers-table' }) : h('p', { class: 'muted' }, t('o_none')));
  };
  const compose = () => {
    fill(editor, composer(ctx, refs, async (offer) => {
      fill(editor);
      note.className = 'ok';
      // "Send now" is a schedule for now: the worker fans it out within half a minute.
      const now = offer.status === 'scheduled' && new Date(offer.send_at) <= new Date(Date.now() + 5000);
      note.textContent = now ? t('o_sending', { title: offer.title }) : t('o_saved', { status: t(`o_st_${offer.status}`), title: offer.title });
      await reload();
      if (now) setTimeout(() => { if (list.isConnected) reload(); }, 35000);
    }));
  };
  await reload();
  return h('section', { class: 'screen', id: 'offers' },
    title(t('o_offers'), h('button', { class: 'btn primary', type: 'button', id: 'new-offer', onclick: compose }, t('o_new'))),
    note, editor, list);
}
