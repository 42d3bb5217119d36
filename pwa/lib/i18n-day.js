// Texts of the rep's day and week: KPIs, the day switcher, "Could not fit" with the re-plan's
// reasons, the map of my customers and the inbox (key: [en, ru, uk, et]). Counted phrases
// have one key per plural category (_one, _few, _many, _other) picked by Intl.PluralRules.

import { addTexts, getLocale, t } from './i18n.js';

export const DAY_TEXTS = {
  booked_today: ['Booked for today', 'Назначено на сегодня', 'Призначено на сьогодні', 'Tänaseks kokku lepitud'],
  booked_day: ['Booked for this day', 'Назначено на этот день', 'Призначено на цей день', 'Selleks päevaks kokku lepitud'],
  booked_off_route: ['Also booked, not on the route', 'Также назначено, не в маршруте', 'Також призначено, не в маршруті', 'Veel kokku lepitud, marsruudil pole'],
  plan_days: ['Plan my days', 'Спланировать дни', 'Спланувати дні', 'Planeeri päevad'],
  kpi_visits: ['Visits', 'Визиты', 'Візити', 'Külastused'],
  kpi_of: ['{done} of {planned}', '{done} из {planned}', '{done} з {planned}', '{done} / {planned}'],
  kpi_orders: ['Orders', 'Заказы', 'Замовлення', 'Tellimused'],
  kpi_value: ['Orders value', 'Сумма заказов', 'Сума замовлень', 'Tellimuste summa'],
  day_tomorrow: ['Tomorrow', 'Завтра', 'Завтра', 'Homme'],
  day_week: ['Week', 'Неделя', 'Тиждень', 'Nädal'],
  day_choice: ['Which day', 'Какой день', 'Який день', 'Milline päev'],
  no_route_day: ['No route planned for this day.', 'На этот день маршрут не запланирован.', 'На цей день маршрут не заплановано.', 'Selleks päevaks pole marsruuti planeeritud.'],
  stops_n_one: ['{n} stop', '{n} остановка', '{n} зупинка', '{n} peatus'],
  stops_n_few: ['{n} stops', '{n} остановки', '{n} зупинки', '{n} peatust'],
  stops_n_many: ['{n} stops', '{n} остановок', '{n} зупинок', '{n} peatust'],
  stops_n_other: ['{n} stops', '{n} остановки', '{n} зупинки', '{n} peatust'],
  could_not_fit: ['Could not fit', 'Не поместились', 'Не вмістилися', 'Ei mahtunud'],
  could_not_fit_hint: ['Still yours to visit: call ahead or move them to another day.', 'Их всё ещё нужно посетить: позвоните заранее или перенесите на другой день.', 'Їх усе ще треба відвідати: зателефонуйте заздалегідь або перенесіть на інший день.', 'Need on ikka sinu külastada: helista ette või vii teisele päevale.'],
  replanned_all: ['Re-planned: every stop fits.', 'Маршрут перестроен: все остановки помещаются.', 'Маршрут перебудовано: усі зупинки вміщаються.', 'Ümber planeeritud: kõik peatused mahuvad.'],
  replanned_left_one: ['Re-planned: {n} stop could not fit, listed below with the reason.', 'Маршрут перестроен: {n} остановка не поместилась, она ниже с причиной.', 'Маршрут перебудовано: {n} зупинка не вмістилася, вона нижче з причиною.', 'Ümber planeeritud: {n} peatus ei mahtunud, see on all koos põhjusega.'],
  replanned_left_few: ['Re-planned: {n} stops could not fit, listed below with the reasons.', 'Маршрут перестроен: {n} остановки не поместились, они ниже с причинами.', 'Маршрут перебудовано: {n} зупинки не вмістилися, вони нижче з причинами.', 'Ümber planeeritud: {n} peatust ei mahtunud, need on all koos põhjustega.'],
  replanned_left_many: ['Re-planned: {n} stops could not fit, listed below with the reasons.', 'Маршрут перестроен: {n} остановок не поместились, они ниже с причинами.', 'Маршрут перебудовано: {n} зупинок не вмістилися, вони нижче з причинами.', 'Ümber planeeritud: {n} peatust ei mahtunud, need on all koos põhjustega.'],
  replanned_left_other: ['Re-planned: {n} stops could not fit, listed below with the reasons.', 'Маршрут перестроен: {n} остановки не поместились, они ниже с причинами.', 'Маршрут перебудовано: {n} зупинки не вмістилися, вони нижче з причинами.', 'Ümber planeeritud: {n} peatust ei mahtunud, need on all koos põhjustega.'],
  offline_note: ['Re-ordered on this phone; the server re-checks it when online.', 'Порядок составлен на телефоне; сервер проверит его в сети.', 'Порядок складено на телефоні; сервер перевірить його в мережі.', 'Järjestatud telefonis; server kontrollib seda võrgus.'],
  reason_window_unreachable: ['Cannot be reached while open and before your work day ends', 'Не успеть, пока открыто и до конца рабочего дня', 'Не встигнути, поки відчинено й до кінця робочого дня', 'Ei jõua kohale lahtiolekuajal ega enne tööpäeva lõppu'],
  reason_no_time_left: ['No time left in your working day', 'В рабочем дне не осталось времени', 'У робочому дні не залишилося часу', 'Tööpäevas pole enam aega'],
  reason_closed: ['Closed today', 'Сегодня закрыто', 'Сьогодні зачинено', 'Täna suletud'],
  reason_not_due: ['Not due for a visit', 'Визит пока не нужен', 'Візит поки не потрібен', 'Külastus pole veel tähtaegne'],
  reason_appointment_passed: ['The booked time has already passed', 'Назначенное время уже прошло', 'Призначений час уже минув', 'Kokkulepitud aeg on juba möödas'],
  reason_appointment_outside_hours: ['The appointment is outside your working hours', 'Встреча вне вашего рабочего времени', 'Зустріч поза вашим робочим часом', 'Kohtumine on väljaspool su tööaega'],
  reason_no_location: ['No map position: pin the customer first', 'Нет точки на карте: сначала отметьте клиента', 'Немає точки на мапі: спершу позначте клієнта', 'Kaardil asukoht puudub: märgi klient esmalt kaardile'],
  reason_over_capacity: ['The order is larger than your vehicle takes', 'Заказ больше, чем вмещает машина', 'Замовлення більше, ніж вміщує авто', 'Tellimus on suurem, kui auto mahutab'],
  reason_capacity_exhausted: ['The vehicle is full', 'Машина заполнена', 'Авто заповнене', 'Auto on täis'],
  reason_window_missed: ['Its opening hours today are already missed', 'Часы работы на сегодня уже упущены', 'Години роботи на сьогодні вже пропущено', 'Tänane lahtiolekuaeg on juba möödas'],
  reason_after_work_end: ['Would end after your work day ({time})', 'Закончится после конца рабочего дня ({time})', 'Закінчиться після кінця робочого дня ({time})', 'Lõpeks pärast tööpäeva lõppu ({time})'],
  reason_unknown: ['Could not be planned', 'Не удалось запланировать', 'Не вдалося запланувати', 'Ei õnnestunud planeerida'],
  customers_map: ['Map', 'Карта', 'Мапа', 'Kaart'],
  customers_map_title: ['My customers on the map', 'Мои клиенты на карте', 'Мої клієнти на мапі', 'Minu kliendid kaardil'],
  filter_all: ['All', 'Все', 'Усі', 'Kõik'],
  filter_due: ['Due', 'Пора', 'Час', 'Tähtaeg'],
  filter_overdue: ['Overdue', 'Просрочено', 'Прострочено', 'Üle tähtaja'],
  map_shown_one: ['{n} customer shown', 'Показан {n} клиент', 'Показано {n} клієнта', 'Näidatud {n} klient'],
  map_shown_few: ['{n} customers shown', 'Показано {n} клиента', 'Показано {n} клієнти', 'Näidatud {n} klienti'],
  map_shown_many: ['{n} customers shown', 'Показано {n} клиентов', 'Показано {n} клієнтів', 'Näidatud {n} klienti'],
  map_shown_other: ['{n} customers shown', 'Показано {n} клиента', 'Показано {n} клієнта', 'Näidatud {n} klienti'],
  map_unplaced: ['{n} without a map position', 'Без точки на карте: {n}', 'Без точки на мапі: {n}', 'Kaardil asukohata: {n}'],
  map_pick: ['Tap a dot to open the customer', 'Нажмите на точку, чтобы открыть клиента', 'Торкніться точки, щоб відкрити клієнта', 'Kliendi avamiseks puuduta täppi'],
  open_customer: ['Open', 'Открыть', 'Відкрити', 'Ava'],
  rep_inbox: ['Inbox', 'Почта', 'Вхідні', 'Postkast'],
  inbox_empty: ['No reminders or notifications.', 'Нет напоминаний и уведомлений.', 'Немає нагадувань і сповіщень.', 'Meeldetuletusi ega teateid pole.'],
  inbox_unread: ['{n} unread', 'Непрочитанных: {n}', 'Непрочитаних: {n}', 'Lugemata: {n}'],
  inbox_mark_read: ['Mark read', 'Прочитано', 'Прочитано', 'Märgi loetuks'],
  inbox_mark_all: ['Mark all read', 'Прочитать все', 'Прочитати всі', 'Märgi kõik loetuks'],
  inbox_offline: ['Offline: as of the last sync.', 'Нет сети: по последней синхронизации.', 'Немає мережі: станом на останню синхронізацію.', 'Võrguta: viimase sünkroonimise seisuga.'],
  inbox_read: ['Read', 'Прочитано', 'Прочитано', 'Loetud'],
  inbox_new: ['New', 'Новое', 'Нове', 'Uus'],
};

addTexts(DAY_TEXTS);

const CATEGORIES = ['one', 'few', 'many', 'other'];

/** A counted phrase: `${base}_${category}` for n in the current language. */
export function tn(base, n, params = {}) {
  const cat = new Intl.PluralRules(getLocale()).select(n);
  return t(`${base}_${CATEGORIES.includes(cat) ? cat : 'other'}`, { n, ...params });
}

/** A re-plan reason in the user's language (the server's slug or the phone's own). */
export function reasonText(reason, params = {}) {
  const key = `reason_${reason}`;
  return key in DAY_TEXTS ? t(key, params) : t('reason_unknown');
}
