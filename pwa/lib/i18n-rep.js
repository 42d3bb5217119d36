// Texts of the rep's record screens (prospects, contacts, notes, address and opening hours,
// order list, edit and cancel, too-far check-ins), added to lib/i18n.js's one table.

import { addTexts, t, hasKey, getLocale } from './i18n.js';

export const REP_TEXTS = {
  // The PDF file's own checksum; the PDF prints the quote's content fingerprint, another hash.
  pdf_file_checksum: ['File checksum (SHA-256 of the PDF file):', 'Контрольная сумма файла (SHA-256 PDF-файла):', 'Контрольна сума файлу (SHA-256 PDF-файлу):', 'Faili kontrollsumma (PDF-faili SHA-256):'],
  hours_closed: ['closed', 'закрыто', 'зачинено', 'suletud'],
  visit_orders: ['Orders in this visit', 'Заказы этого визита', 'Замовлення цього візиту', 'Selle külastuse tellimused'],
  new_prospect: ['New prospect', 'Новый потенциальный клиент', 'Новий потенційний клієнт', 'Uus potentsiaalne klient'],
  prospect_name: ['Business name', 'Название', 'Назва', 'Ettevõtte nimi'],
  street: ['Street and number', 'Улица и дом', 'Вулиця і будинок', 'Tänav ja maja'],
  city: ['City', 'Город', 'Місто', 'Linn'],
  postal_code: ['Postal code', 'Почтовый индекс', 'Поштовий індекс', 'Postiindeks'],
  name: ['Name', 'Имя', 'Ім’я', 'Nimi'],
  contact_person: ['Contact person', 'Контактное лицо', 'Контактна особа', 'Kontaktisik'],
  contact_title: ['Position', 'Должность', 'Посада', 'Ametikoht'],
  territory: ['Territory', 'Территория', 'Територія', 'Piirkond'],
  save_prospect: ['Save prospect', 'Сохранить клиента', 'Зберегти клієнта', 'Salvesta klient'],
  prospect_saved: ['Prospect saved', 'Клиент сохранён', 'Клієнта збережено', 'Klient salvestatud'],
  name_required: ['Enter a name.', 'Введите название.', 'Введіть назву.', 'Sisestage nimi.'],
  pin_hint: [
    'Drag the pin to the entrance if it is not right. Without a moved pin, the server finds the address when online.',
    'Перетащите метку ко входу, если она стоит неверно. Если метку не двигать, сервер найдёт адрес, когда будет связь.',
    'Перетягніть мітку до входу, якщо вона стоїть неправильно. Якщо мітку не рухати, сервер знайде адресу, коли буде зв’язок.',
    'Lohistage nööpnõel sissepääsu juurde, kui see pole õiges kohas. Kui nööpnõela ei liiguta, leiab server aadressi võrguühenduse korral.',
  ],
  pin_moved: ['Pin set by hand', 'Метка поставлена вручную', 'Мітку встановлено вручну', 'Nööpnõel käsitsi paigutatud'],
  location_pending: ['Address will be located when online', 'Адрес будет найден при связи', 'Адресу буде знайдено, коли буде зв’язок', 'Aadress leitakse võrguühenduse korral'],
  location_manual: ['Pin set by hand', 'Метка поставлена вручную', 'Мітку встановлено вручну', 'Nööpnõel käsitsi paigutatud'],
  location_failed: ['Address not found on the map', 'Адрес не найден на карте', 'Адресу не знайдено на мапі', 'Aadressi ei leitud kaardilt'],
  add_contact: ['Add contact', 'Добавить контакт', 'Додати контакт', 'Lisa kontakt'],
  contact_saved: ['Contact saved', 'Контакт сохранён', 'Контакт збережено', 'Kontakt salvestatud'],
  make_primary: ['Main contact', 'Основной контакт', 'Основний контакт', 'Peamine kontakt'],
  add_note: ['Add note', 'Добавить заметку', 'Додати нотатку', 'Lisa märkus'],
  note_text: ['Note', 'Заметка', 'Нотатка', 'Märkus'],
  note_saved: ['Note saved', 'Заметка сохранена', 'Нотатку збережено', 'Märkus salvestatud'],
  note_empty: ['Write the note first.', 'Сначала напишите заметку.', 'Спершу напишіть нотатку.', 'Kirjutage esmalt märkus.'],
  edit_address: ['Address and opening hours', 'Адрес и часы работы', 'Адреса і години роботи', 'Aadress ja lahtiolekuajad'],
  address: ['Address', 'Адрес', 'Адреса', 'Aadress'],
  closed_day: ['Closed', 'Закрыто', 'Зачинено', 'Suletud'],
  opens: ['Opens', 'Открывается', 'Відчиняється', 'Avatakse'],
  closes: ['Closes', 'Закрывается', 'Зачиняється', 'Suletakse'],
  hours_invalid: ['Give both times for each open day.', 'Укажите оба времени для каждого рабочего дня.', 'Вкажіть обидва часи для кожного робочого дня.', 'Märkige iga lahtioleku päeva jaoks mõlemad kellaajad.'],
  changes_saved: ['Changes saved', 'Изменения сохранены', 'Зміни збережено', 'Muudatused salvestatud'],
  no_changes: ['Nothing changed.', 'Ничего не изменено.', 'Нічого не змінено.', 'Midagi ei muudetud.'],
  orders: ['Orders', 'Заказы', 'Замовлення', 'Tellimused'],
  no_orders: ['No orders yet.', 'Заказов пока нет.', 'Замовлень ще немає.', 'Tellimusi veel pole.'],
  order_draft: ['Not sent yet', 'Ещё не отправлен', 'Ще не надіслано', 'Veel saatmata'],
  edit_order: ['Change order', 'Изменить заказ', 'Змінити замовлення', 'Muuda tellimust'],
  save_order_changes: ['Save changes', 'Сохранить изменения', 'Зберегти зміни', 'Salvesta muudatused'],
  cancel_order: ['Cancel order', 'Отменить заказ', 'Скасувати замовлення', 'Tühista tellimus'],
  cancel_order_sure: ['Yes, cancel this order', 'Да, отменить заказ', 'Так, скасувати замовлення', 'Jah, tühista tellimus'],
  keep_order: ['Keep it', 'Оставить', 'Залишити', 'Jäta alles'],
  order_changed: ['Order changed', 'Заказ изменён', 'Замовлення змінено', 'Tellimus muudetud'],
  order_cancel_queued: ['Order will be cancelled', 'Заказ будет отменён', 'Замовлення буде скасовано', 'Tellimus tühistatakse'],
  order_editable_until: ['You can change or cancel it until the office confirms it.', 'Его можно изменить или отменить, пока офис не подтвердил.', 'Його можна змінити або скасувати, доки офіс не підтвердив.', 'Seda saab muuta või tühistada, kuni kontor pole seda kinnitanud.'],
  order_locked: [
    'The office confirmed this order before your change arrived: it can no longer be changed or cancelled here. Call the office.',
    'Офис подтвердил заказ раньше, чем пришло ваше изменение: здесь его уже нельзя изменить или отменить. Позвоните в офис.',
    'Офіс підтвердив замовлення раніше, ніж надійшла ваша зміна: тут його вже не можна змінити чи скасувати. Зателефонуйте в офіс.',
    'Kontor kinnitas tellimuse enne teie muudatuse saabumist: siin ei saa seda enam muuta ega tühistada. Helistage kontorisse.',
  ],
  only_author: ['Only the rep who took the order can change it.', 'Изменить заказ может только принявший его представитель.', 'Змінити замовлення може лише представник, який його прийняв.', 'Tellimust saab muuta ainult selle võtnud esindaja.'],
  repeat_order: ['Repeat order', 'Повторить заказ', 'Повторити замовлення', 'Korda tellimust'],
  repeat_prices_note: ['Prices are today’s.', 'Цены сегодняшние.', 'Ціни сьогоднішні.', 'Hinnad on tänased.'],
  far_title: ['You are far from the customer', 'Вы далеко от клиента', 'Ви далеко від клієнта', 'Olete kliendist kaugel'],
  far_explain: ['{m} m from the pin. Why are you checking in here?', '{m} м от метки. Почему вы отмечаетесь здесь?', '{m} м від мітки. Чому ви відмічаєтеся тут?', 'Nööpnõelast {m} m. Miks te siin registreerite?'],
  far_reason: ['Reason', 'Причина', 'Причина', 'Põhjus'],
  far_pin_wrong: ['The pin is in the wrong place', 'Метка стоит неверно', 'Мітка стоїть неправильно', 'Nööpnõel on vales kohas'],
  far_met_elsewhere: ['Met the customer elsewhere', 'Встреча с клиентом в другом месте', 'Зустріч із клієнтом в іншому місці', 'Kohtusin kliendiga mujal'],
  far_gps_poor: ['Poor GPS signal', 'Плохой сигнал GPS', 'Поганий сигнал GPS', 'Nõrk GPS-signaal'],
  far_other: ['Other', 'Другое', 'Інше', 'Muu'],
  far_note: ['In your words', 'Своими словами', 'Своїми словами', 'Oma sõnadega'],
  far_note_needed: ['Say in a few words why.', 'Коротко напишите почему.', 'Коротко напишіть чому.', 'Kirjutage lühidalt, miks.'],
  far_pick_reason: ['Pick a reason.', 'Выберите причину.', 'Виберіть причину.', 'Valige põhjus.'],
  check_in_anyway: ['Check in with this reason', 'Отметиться с этой причиной', 'Відмітитися з цією причиною', 'Registreeri selle põhjusega'],
  due_on: ['due {date}', 'к {date}', 'до {date}', 'tähtaeg {date}'],
  cancel: ['Cancel', 'Отмена', 'Скасувати', 'Tühista'],
};

addTexts(REP_TEXTS);

/** A server's refusal of a queued change, in the user's language when the app knows it. */
export function rejectionText(error) {
  if (!error) return t('rejected');
  const codes = (error.errors || []).map((e) => e.code);
  if (codes.includes('order_locked')) return t('order_locked');
  if (error.code === 'permission-denied' && /author/i.test(error.detail || '')) return t('only_author');
  const key = `error_${error.code}`;
  return hasKey(key) ? t(key) : (error.detail || error.code || t('rejected'));
}

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** [key, name] for Monday to Sunday, named by Intl in the user's language. */
export function weekdays(style = 'long') {
  const fmt = new Intl.DateTimeFormat(getLocale(), { weekday: style, timeZone: 'UTC' });
  // 1 Jan 2024 was a Monday.
  return WEEKDAY_KEYS.map((k, i) => [k, fmt.format(new Date(Date.UTC(2024, 0, 1 + i)))]);
}
