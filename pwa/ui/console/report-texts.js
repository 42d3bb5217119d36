// Texts of the plan-vs-actual and device-health screens (issue 17), added to the i18n table.

import { addTexts, addPlurals } from '../../lib/i18n.js';

addTexts({
  r_reports: ['Plan vs actual', 'План и факт', 'План і факт', 'Plaan ja tegelikkus'],
  r_devices: ['Device sync', 'Синхронизация устройств', 'Синхронізація пристроїв', 'Seadmete sünkroonimine'],
  r_from: ['From', 'С', 'З', 'Alates'],
  r_to: ['To', 'По', 'По', 'Kuni'],
  r_group: ['Per', 'По', 'За', 'Kaupa'],
  r_day: ['Day', 'Дням', 'Днями', 'Päev'],
  r_week: ['Week', 'Неделям', 'Тижнями', 'Nädal'],
  r_rep: ['Rep', 'Представитель', 'Представник', 'Esindaja'],
  r_all_reps: ['All reps', 'Все представители', 'Усі представники', 'Kõik esindajad'],
  r_show: ['Show', 'Показать', 'Показати', 'Näita'],
  r_period: ['Period', 'Период', 'Період', 'Periood'],
  r_planned: ['Planned', 'Запланировано', 'Заплановано', 'Plaanitud'],
  r_done: ['Done', 'Выполнено', 'Виконано', 'Tehtud'],
  r_missed: ['Missed', 'Пропущено', 'Пропущено', 'Vahele jäänud'],
  r_unplanned: ['Unplanned', 'Вне плана', 'Поза планом', 'Plaaniväline'],
  r_checkins: ['Check-ins (verified)', 'Отметки (подтверждённые)', 'Відмітки (підтверджені)', 'Registreerimised (kinnitatud)'],
  r_orders: ['Orders', 'Заказы', 'Замовлення', 'Tellimused'],
  r_value: ['Order value', 'Сумма заказов', 'Сума замовлень', 'Tellimuste summa'],
  r_quotes: ['Quotes sent / accepted', 'КП отправлено / принято', 'КП надіслано / прийнято', 'Pakkumisi saadetud / vastu võetud'],
  r_planned_km: ['Planned km', 'План, км', 'План, км', 'Plaanitud km'],
  r_driven_km: ['Driven km (GPS)', 'Пройдено, км (GPS)', 'Пройдено, км (GPS)', 'Sõidetud km (GPS)'],
  r_km: ['Km planned / driven', 'Км: план / пройдено', 'Км: план / пройдено', 'Km plaanitud / sõidetud'],
  r_total: ['Total', 'Итого', 'Разом', 'Kokku'],
  r_completion: ['Done of planned', 'Выполнено от плана', 'Виконано від плану', 'Plaanist tehtud'],
  r_chart_periods: ['Visits per period', 'Визиты по периодам', 'Візити за періодами', 'Külastused perioodide kaupa'],
  r_chart_reps: ['Visits per rep', 'Визиты по представителям', 'Візити за представниками', 'Külastused esindajate kaupa'],
  r_nothing: ['Nothing planned or done in these days.', 'В эти дни ничего не запланировано и не сделано.', 'У ці дні нічого не заплановано й не зроблено.', 'Neil päevadel pole midagi plaanitud ega tehtud.'],
  r_terms: ['Planned: a stop on the rep\'s route or a visit due that day. Done: checked in that day. Missed: planned, not done, once the day is over (or skipped). Unplanned: a visit made on the spot. Days are the rep\'s local days (their time zone).', 'Запланировано: остановка в маршруте или визит на этот день. Выполнено: отметка в тот же день. Пропущено: запланировано, но не выполнено к концу дня (или пропущено). Вне плана: визит, созданный на месте. Дни — местные дни представителя (его часовой пояс).', 'Заплановано: зупинка в маршруті або візит на цей день. Виконано: відмітка того ж дня. Пропущено: заплановано, але не виконано до кінця дня (або пропущено). Поза планом: візит, створений на місці. Дні — місцеві дні представника (його часовий пояс).', 'Plaanitud: peatus esindaja marsruudil või sel päeval tähtajaga külastus. Tehtud: samal päeval registreeritud. Vahele jäänud: plaanitud, kuid päeva lõpuks tegemata (või vahele jäetud). Plaaniväline: kohapeal tehtud külastus. Päevad on esindaja kohalikud päevad (tema ajavöönd).'],
  r_user: ['User', 'Пользователь', 'Користувач', 'Kasutaja'],
  r_app_version: ['App version', 'Версия приложения', 'Версія застосунку', 'Rakenduse versioon'],
  r_last_pull: ['Last pull', 'Последнее получение', 'Останнє отримання', 'Viimane allalaadimine'],
  r_last_push: ['Last push', 'Последняя отправка', 'Останнє надсилання', 'Viimane saatmine'],
  r_pending: ['Waiting on device', 'Ждут на устройстве', 'Чекають на пристрої', 'Seadmes ootel'],
  r_rejected: ['Rejected', 'Отклонено', 'Відхилено', 'Tagasi lükatud'],
  r_behind: ['Changes behind', 'Отстаёт на изменений', 'Відстає на змін', 'Muudatusi maas'],
  r_state: ['State', 'Состояние', 'Стан', 'Olek'],
  r_stale: ['Silent > 24 h', 'Молчит > 24 ч', 'Мовчить > 24 год', 'Vaikne > 24 h'],
  r_fresh: ['In touch', 'На связи', 'На зв\'язку', 'Ühenduses'],
  r_never: ['never', 'никогда', 'ніколи', 'mitte kunagi'],
  r_nothing_sent: ['nothing to send yet', 'пока нечего отправлять', 'поки нічого надсилати', 'veel pole midagi saata'],
  r_stale_only: ['Only silent devices', 'Только молчащие', 'Лише мовчазні', 'Ainult vaiksed seadmed'],
  r_no_devices: ['No device has synced yet.', 'Ни одно устройство ещё не синхронизировалось.', 'Жоден пристрій ще не синхронізувався.', 'Ükski seade pole veel sünkroonitud.'],
  r_sort_hint: ['Click a column heading to sort.', 'Нажмите заголовок столбца для сортировки.', 'Натисніть заголовок стовпця для сортування.', 'Sortimiseks klõpsake veeru pealkirjal.'],
});

// "1 seadet" was wrong: the count of devices takes its plural form.
addPlurals({
  r_devices_count: {
    en: { one: '{n} device, {s} silent for over a day', other: '{n} devices, {s} silent for over a day' },
    ru: { one: 'Устройств: {n}, молчат больше суток: {s}', other: 'Устройств: {n}, молчат больше суток: {s}' },
    uk: { one: 'Пристроїв: {n}, мовчать понад добу: {s}', other: 'Пристроїв: {n}, мовчать понад добу: {s}' },
    et: { one: '{n} seade, üle päeva vaikne: {s}', other: '{n} seadet, üle päeva vaikne: {s}' },
  },
});
