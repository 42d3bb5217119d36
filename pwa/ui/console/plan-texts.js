// Texts of team planning and of a rep's home base and working hours (console), in the one
// i18n table: English, Russian, Ukrainian, Estonian.

import { addTexts } from '../../lib/i18n.js';

addTexts({
  tp_title: ['Team planning', 'Планирование команды', 'Планування команди', 'Meeskonna planeerimine'],
  tp_this_week: ['Rest of this week (from now)', 'Остаток этой недели (с текущего момента)', 'Решта цього тижня (з цієї хвилини)', 'Selle nädala ülejäänud päevad (praegusest)'],
  tp_period: ['Days to plan', 'Дни для планирования', 'Дні для планування', 'Planeeritavad päevad'],
  tp_region: ['Region', 'Регион', 'Регіон', 'Piirkond'],
  tp_next_week: ['Next week (Monday to Sunday)', 'Следующая неделя (пн–вс)', 'Наступний тиждень (пн–нд)', 'Järgmine nädal (E–P)'],
  tp_today: ['Today (from now)', 'Сегодня (с текущего момента)', 'Сьогодні (з цієї хвилини)', 'Täna (praegusest)'],
  tp_plan: ['Plan the team', 'Спланировать команду', 'Спланувати команду', 'Planeeri meeskond'],
  tp_resolve: ['Re-solve (keep locked stops)', 'Пересчитать (закреплённые остаются)', 'Перерахувати (закріплені лишаються)', 'Lahenda uuesti (lukus peatused jäävad)'],
  tp_publish: ['Publish to the reps', 'Опубликовать представителям', 'Опублікувати представникам', 'Avalda esindajatele'],
  tp_draft: ['Draft: the reps do not see it until you publish.', 'Черновик: представители не видят его до публикации.', 'Чернетка: представники не бачать її до публікації.', 'Mustand: esindajad ei näe seda enne avaldamist.'],
  tp_live: ['Published: this is what the reps have. Plan the team again to change it.', 'Опубликовано: это маршруты представителей. Чтобы изменить, спланируйте команду заново.', 'Опубліковано: це маршрути представників. Щоб змінити, сплануйте команду знову.', 'Avaldatud: need on esindajate marsruudid. Muutmiseks planeeri meeskond uuesti.'],
  tp_stale_publish: ['Stops moved by hand still have their old times. Re-solve first, so the reps get the right arrival times?', 'У перенесённых вручную остановок старое время. Сначала пересчитать, чтобы представители получили верное время прибытия?', 'Зупинки, перенесені вручну, мають старий час. Спершу перерахувати, щоб представники отримали правильний час прибуття?', 'Käsitsi tõstetud peatustel on vanad ajad. Kas lahendada enne uuesti, et esindajad saaksid õiged saabumisajad?'],
  tp_solve_publish: ['Re-solve, then publish', 'Пересчитать и опубликовать', 'Перерахувати й опублікувати', 'Lahenda ja avalda'],
  tp_publish_anyway: ['Publish as it is', 'Опубликовать как есть', 'Опублікувати як є', 'Avalda nii'],
  tp_no_draft: ['No draft for these days yet: plan the team.', 'На эти дни черновика ещё нет: спланируйте команду.', 'На ці дні чернетки ще немає: сплануйте команду.', 'Nende päevade mustandit veel pole: planeeri meeskond.'],
  tp_published: ['{n} routes published; the reps get them on their next sync.', 'Опубликовано маршрутов: {n}; представители получат их при следующей синхронизации.', 'Опубліковано маршрутів: {n}; представники отримають їх під час наступної синхронізації.', 'Avaldatud {n} marsruuti; esindajad saavad need järgmisel sünkroonimisel.'],
  tp_planned: ['{n} stops planned, {u} customers left out.', 'Запланировано остановок: {n}, не вошло клиентов: {u}.', 'Заплановано зупинок: {n}, не ввійшло клієнтів: {u}.', 'Planeeritud {n} peatust, välja jäi {u} klienti.'],
  tp_needs_solve: ['Changed by hand: re-solve to update the times.', 'Изменено вручную: пересчитайте, чтобы обновить время.', 'Змінено вручну: перерахуйте, щоб оновити час.', 'Käsitsi muudetud: lahenda uuesti, et ajad uueneksid.'],
  tp_day: ['Day', 'День', 'День', 'Päev'],
  tp_lock: ['Lock', 'Закрепить', 'Закріпити', 'Lukusta'],
  tp_unlock: ['Unlock', 'Открепить', 'Відкріпити', 'Vabasta'],
  tp_locked: ['locked', 'закреплено', 'закріплено', 'lukus'],
  tp_move_to: ['Move to', 'Перенести на', 'Перенести на', 'Tõsta'],
  tp_move: ['Move', 'Перенести', 'Перенести', 'Tõsta'],
  tp_left_out: ['Left out', 'Не вошли в план', 'Не ввійшли до плану', 'Plaanist välja jäänud'],
  tp_none_left: ['Every due customer is planned.', 'Все клиенты к визиту запланированы.', 'Усіх клієнтів до візиту заплановано.', 'Kõik külastamist vajavad kliendid on planeeritud.'],
  tp_home: ['home', 'дом', 'дім', 'kodu'],
  tp_no_stops: ['No stops', 'Нет остановок', 'Немає зупинок', 'Peatusi pole'],
  tp_working: ['Working…', 'Выполняется…', 'Виконується…', 'Töötan…'],
  // Why a customer was left out (reason slugs of the planner).
  tp_r_not_due: ['not due for a visit in these days', 'визит в эти дни не нужен', 'візит у ці дні не потрібен', 'nendel päevadel pole külastust vaja'],
  tp_r_closed: ['closed whenever the rep works', 'закрыт во все рабочие часы представителя', 'зачинено в усі робочі години представника', 'suletud kogu esindaja tööaja'],
  tp_r_window_unreachable: ['cannot be reached within its opening hours and the rep\'s day', 'не успеть в часы работы клиента и рабочий день', 'не встигнути в години роботи клієнта та робочий день', 'ei jõua lahtiolekuaja ja tööpäeva sees kohale'],
  tp_r_no_time_left: ['no working time left on these days', 'не хватило рабочего времени в эти дни', 'забракло робочого часу в ці дні', 'nendel päevadel ei jätkunud tööaega'],
  tp_r_no_location: ['no map position (geocode or pin it first)', 'нет координат (сначала геокодируйте или отметьте на карте)', 'немає координат (спершу геокодуйте або позначте на мапі)', 'kaardil asukoht puudub (geokodeeri või märgi enne)'],
  tp_r_appointment_outside_hours: ['the appointment is outside the rep\'s days or hours', 'встреча вне рабочих дней или часов представителя', 'зустріч поза робочими днями чи годинами представника', 'kohtumine on väljaspool esindaja tööpäevi või -aega'],
  tp_r_appointment_passed: ['the booked time has already passed', 'назначенное время уже прошло', 'призначений час уже минув', 'kokkulepitud aeg on juba möödas'],
  tp_r_no_working_time: ['no working time left in these days (days off, or today\'s hours are over)', 'в эти дни не осталось рабочего времени (выходные или рабочий день окончен)', 'у ці дні не лишилося робочого часу (вихідні або робочий день скінчився)', 'nendel päevadel pole tööaega jäänud (puhkepäevad või tänane tööaeg on läbi)'],
  tp_r_over_capacity: ['too large for any vehicle', 'слишком велик для любой машины', 'завеликий для будь-якої машини', 'liiga suur igale sõidukile'],
  tp_r_capacity_exhausted: ['the fleet carries less than is needed', 'машины вмещают меньше, чем нужно', 'машини вміщають менше, ніж потрібно', 'sõidukid mahutavad vähem kui vaja'],
  // A rep's home base and working hours (users screen).
  tp_route_block: ['Route planning', 'Планирование маршрутов', 'Планування маршрутів', 'Marsruutide planeerimine'],
  tp_home_lat: ['Home latitude', 'Дом: широта', 'Дім: широта', 'Kodu laiuskraad'],
  tp_home_lng: ['Home longitude', 'Дом: долгота', 'Дім: довгота', 'Kodu pikkuskraad'],
  tp_home_hint: ['Plans start and end here; empty: at the centre of the day\'s customers.', 'Планы начинаются и заканчиваются здесь; пусто — в центре клиентов дня.', 'Плани починаються й закінчуються тут; порожньо — у центрі клієнтів дня.', 'Plaanid algavad ja lõpevad siin; tühi: päeva klientide keskel.'],
  tp_work_start: ['Working day starts', 'Начало рабочего дня', 'Початок робочого дня', 'Tööpäev algab'],
  tp_work_end: ['Working day ends', 'Конец рабочего дня', 'Кінець робочого дня', 'Tööpäev lõpeb'],
});

/** The translated reason a customer was left out (the server's words when the slug is new). */
export const reasonText = (t, u) => {
  const key = `tp_r_${u.reason}`;
  const text = t(key);
  return text === key ? u.detail : text;
};
