// One translation table for every text (English, Russian, Ukrainian, Estonian) and Intl
// formatting of dates, numbers and money in the user's locale.

import { PARTNER_TEXTS } from './i18n-partners.js';

import { A11Y_TEXTS, A11Y_PLURALS } from './i18n-a11y.js';

export const LOCALES = { en: 'English', ru: 'Русский', uk: 'Українська', et: 'Eesti' };

// key: [en, ru, uk, et]
const T = {
  app: ['Rounds', 'Rounds', 'Rounds', 'Rounds'],
  login: ['Log in', 'Войти', 'Увійти', 'Logi sisse'],
  email: ['Email', 'Эл. почта', 'Ел. пошта', 'E-post'],
  password: ['Password', 'Пароль', 'Пароль', 'Parool'],
  pwc_title: ['Choose your own password', 'Задайте свой пароль', 'Встановіть свій пароль', 'Valige oma parool'],
  pwc_explain: [
    'You logged in with a temporary password from the office. Choose your own to go on: at least 12 characters; a few words make a good one.',
    'Вы вошли с временным паролем от офиса. Чтобы продолжить, задайте свой: не меньше 12 символов; хорошо подходят несколько слов.',
    'Ви увійшли з тимчасовим паролем від офісу. Щоб продовжити, встановіть свій: щонайменше 12 символів; добре підходять кілька слів.',
    'Logisite sisse kontori ajutise parooliga. Jätkamiseks valige oma: vähemalt 12 märki; hea on mitu sõna.',
  ],
  pwc_new: ['New password', 'Новый пароль', 'Новий пароль', 'Uus parool'],
  pwc_repeat: ['The same again', 'Ещё раз', 'Ще раз', 'Sama uuesti'],
  pwc_mismatch: ['The two passwords differ', 'Пароли не совпадают', 'Паролі не збігаються', 'Paroolid ei ühti'],
  pwc_save: ['Save and go on', 'Сохранить и продолжить', 'Зберегти й продовжити', 'Salvesta ja jätka'],
  pwc_refused: ['The password was not accepted', 'Пароль не принят', 'Пароль не прийнято', 'Parooli ei võetud vastu'],
  login_failed: ['Login failed', 'Не удалось войти', 'Не вдалося увійти', 'Sisselogimine ebaõnnestus'],
  use_planned_visit: ['Check in on the visit planned for {date}', 'Начать визит, запланированный на {date}', 'Почати візит, запланований на {date}', 'Alusta {date} planeeritud külastust'],
  unsent_other_user: [
    '{email} has {n} unsent change(s) on this device. They log in here with a connection to send them first; nothing is lost.',
    'У {email} на этом устройстве есть неотправленные изменения ({n}). Пусть {email} войдёт здесь при наличии сети и отправит их; ничего не потеряно.',
    'У {email} на цьому пристрої є невідправлені зміни ({n}). Хай {email} увійде тут за наявності мережі й надішле їх; нічого не втрачено.',
    'Kasutajal {email} on selles seadmes saatmata muudatusi ({n}). Ta logib siin võrgu olemasolul sisse ja saadab need ära; midagi ei kao.',
  ],
  need_network: ['The first login needs a connection', 'Для первого входа нужна сеть', 'Для першого входу потрібна мережа', 'Esimeseks sisselogimiseks on vaja võrku'],
  today: ['Today', 'Сегодня', 'Сьогодні', 'Täna'],
  customers: ['Customers', 'Клиенты', 'Клієнти', 'Kliendid'],
  sync: ['Sync', 'Синхр.', 'Синхр.', 'Sünkr.'],
  settings: ['Settings', 'Настройки', 'Налаштування', 'Seaded'],
  next_visit: ['Next visit', 'Следующий визит', 'Наступний візит', 'Järgmine külastus'],
  navigate: ['Navigate', 'Маршрут', 'Маршрут', 'Navigeeri'],
  no_route: ['No route for today. Customers due:', 'Маршрута на сегодня нет. Пора посетить:', 'Маршруту на сьогодні немає. Час відвідати:', 'Tänaseks marsruuti pole. Külastamist ootavad:'],
  search_customers: ['Search name, code, address', 'Поиск: имя, код, адрес', 'Пошук: назва, код, адреса', 'Otsi nime, koodi, aadressi'],
  nearby: ['Nearby', 'Рядом', 'Поруч', 'Lähedal'],
  no_results: ['Nothing found', 'Ничего не найдено', 'Нічого не знайдено', 'Midagi ei leitud'],
  due: ['Due', 'Пора', 'Час', 'Tähtaeg'],
  overdue: ['Overdue', 'Просрочен', 'Прострочено', 'Üle tähtaja'],
  pending: ['Pending', 'Ожидает', 'Очікує', 'Ootel'],
  synced: ['Synced', 'Синхронизировано', 'Синхронізовано', 'Sünkroonitud'],
  rejected: ['Rejected', 'Отклонено', 'Відхилено', 'Tagasi lükatud'],
  details: ['Details', 'Сведения', 'Відомості', 'Andmed'],
  contacts: ['Contacts', 'Контакты', 'Контакти', 'Kontaktid'],
  history: ['History', 'История', 'Історія', 'Ajalugu'],
  call: ['Call', 'Позвонить', 'Зателефонувати', 'Helista'],
  write: ['Email', 'Написать', 'Написати', 'Kirjuta'],
  visit: ['Visit', 'Визит', 'Візит', 'Külastus'],
  new_order: ['New order', 'Новый заказ', 'Нове замовлення', 'Uus tellimus'],
  order: ['Order', 'Заказ', 'Замовлення', 'Tellimus'],
  check_in: ['Check in', 'Отметиться', 'Відмітитися', 'Registreeri saabumine'],
  check_out: ['Check out', 'Завершить визит', 'Завершити візит', 'Lõpeta külastus'],
  locating: ['Getting your position…', 'Определяем местоположение…', 'Визначаємо місцезнаходження…', 'Asukoha määramine…'],
  verified: ['Verified', 'Подтверждено', 'Підтверджено', 'Kinnitatud'],
  too_far: ['Too far', 'Слишком далеко', 'Надто далеко', 'Liiga kaugel'],
  nearby_no_fix: ['Your position is not available: allow location for this app in the browser, or search by name.', 'Местоположение недоступно: разрешите приложению доступ к геолокации в браузере или ищите по названию.', 'Місцезнаходження недоступне: дозвольте застосунку доступ до геолокації в браузері або шукайте за назвою.', 'Asukoht pole saadaval: luba brauseris rakendusele asukoht või otsi nime järgi.'],
  showing_of: ['Showing {n} of {total}: type to narrow the list', 'Показано {n} из {total}: введите запрос, чтобы сузить список', 'Показано {n} з {total}: введіть запит, щоб звузити список', 'Näidatakse {n} / {total}: kirjuta, et loendit kitsendada'],
  // Customer segments: the usual codes read as words; any other code is shown as it is.
  segment_horeca: ['Hotels, restaurants, cafés', 'HoReCa (отели, рестораны, кафе)', 'HoReCa (готелі, ресторани, кафе)', 'Hotellid, restoranid, kohvikud'],
  segment_retail: ['Retail', 'Розница', 'Роздріб', 'Jaekaubandus'],
  segment_wholesale: ['Wholesale', 'Опт', 'Гурт', 'Hulgikaubandus'],
  segment_kiosk: ['Kiosks', 'Киоски', 'Кіоски', 'Kioskid'],
  segment_pharmacy: ['Pharmacies', 'Аптеки', 'Аптеки', 'Apteegid'],
  segment_supermarket: ['Supermarkets', 'Супермаркеты', 'Супермаркети', 'Supermarketid'],
  no_fix: ['No position', 'Нет координат', 'Немає координат', 'Asukoht puudub'],
  accuracy: ['accuracy {m} m', 'точность {m} м', 'точність {m} м', 'täpsus {m} m'],
  distance: ['{m} m away', 'в {m} м', 'за {m} м', '{m} m kaugusel'],
  checked_in_at: ['Checked in at {t}', 'Отметка в {t}', 'Відмітка о {t}', 'Saabumine {t}'],
  outcome: ['Outcome', 'Результат', 'Результат', 'Tulemus'],
  notes: ['Notes', 'Заметки', 'Нотатки', 'Märkmed'],
  next_action: ['Next action', 'Следующий шаг', 'Наступний крок', 'Järgmine samm'],
  edit: ['Edit', 'Изменить', 'Змінити', 'Muuda'],
  phone: ['Phone', 'Телефон', 'Телефон', 'Telefon'],
  save: ['Save', 'Сохранить', 'Зберегти', 'Salvesta'],
  saved: ['Saved', 'Сохранено', 'Збережено', 'Salvestatud'],
  outcome_ordered: ['Order taken', 'Заказ получен', 'Замовлення отримано', 'Tellimus võetud'],
  outcome_no_order: ['No order', 'Без заказа', 'Без замовлення', 'Tellimuseta'],
  outcome_closed: ['Closed', 'Закрыто', 'Зачинено', 'Suletud'],
  outcome_not_available: ['Nobody there', 'Никого нет', 'Нікого немає', 'Kedagi polnud'],
  outcome_other: ['Other', 'Другое', 'Інше', 'Muu'],
  catalogue: ['Catalogue', 'Каталог', 'Каталог', 'Kataloog'],
  search_products: ['Search products', 'Поиск товаров', 'Пошук товарів', 'Otsi tooteid'],
  add: ['Add', 'Добавить', 'Додати', 'Lisa'],
  remove: ['Remove', 'Удалить', 'Видалити', 'Eemalda'],
  quantity: ['Qty', 'Кол.', 'К-сть', 'Kogus'],
  discount: ['Disc. %', 'Скидка %', 'Знижка %', 'Allah. %'],
  lines: ['Lines', 'Строки', 'Рядки', 'Read'],
  subtotal: ['Subtotal', 'Без налога', 'Без податку', 'Vahesumma'],
  tax: ['Tax', 'Налог', 'Податок', 'Maks'],
  total: ['Total', 'Итого', 'Разом', 'Kokku'],
  place_order: ['Place order', 'Оформить заказ', 'Оформити замовлення', 'Esita tellimus'],
  order_saved: ['Order {n} saved', 'Заказ {n} сохранён', 'Замовлення {n} збережено', 'Tellimus {n} salvestatud'],
  no_price: ['No price', 'Нет цены', 'Немає ціни', 'Hind puudub'],
  empty_order: ['Add at least one line', 'Добавьте хотя бы одну строку', 'Додайте хоча б один рядок', 'Lisa vähemalt üks rida'],
  last_sync: ['Last sync', 'Последняя синхронизация', 'Остання синхронізація', 'Viimane sünkroonimine'],
  never: ['never', 'никогда', 'ніколи', 'mitte kunagi'],
  sync_now: ['Sync now', 'Синхронизировать', 'Синхронізувати', 'Sünkrooni kohe'],
  pending_changes: ['Pending changes', 'Ожидают отправки', 'Очікують надсилання', 'Saatmata muudatused'],
  rejected_changes: ['Rejected changes', 'Отклонённые изменения', 'Відхилені зміни', 'Tagasi lükatud muudatused'],
  conflicts: ['Resolved conflicts', 'Разрешённые конфликты', 'Розв\'язані конфлікти', 'Lahendatud konfliktid'],
  conflict_line: ['{field}: yours “{yours}”, office “{theirs}”, kept “{kept}”', '{field}: ваше «{yours}», офис «{theirs}», оставлено «{kept}»', '{field}: ваше «{yours}», офіс «{theirs}», залишено «{kept}»', '{field}: teie „{yours}“, kontor „{theirs}“, jäeti „{kept}“'],
  fix: ['Fix', 'Исправить', 'Виправити', 'Paranda'],
  discard: ['Discard', 'Отменить', 'Скасувати', 'Loobu'],
  nothing_pending: ['Everything is synced', 'Всё синхронизировано', 'Усе синхронізовано', 'Kõik on sünkroonitud'],
  offline: ['Offline', 'Нет сети', 'Немає мережі', 'Võrguühenduseta'],
  syncing: ['Syncing…', 'Синхронизация…', 'Синхронізація…', 'Sünkroonimine…'],
  retrying: ['Server busy, retrying', 'Сервер занят, повтор', 'Сервер зайнятий, повтор', 'Server hõivatud, proovin uuesti'],
  sync_error: ['Sync failed', 'Ошибка синхронизации', 'Помилка синхронізації', 'Sünkroonimine ebaõnnestus'],
  relogin: ['Please log in again', 'Войдите снова', 'Увійдіть знову', 'Palun logi uuesti sisse'],
  language: ['Language', 'Язык', 'Мова', 'Keel'],
  account: ['Account', 'Учётная запись', 'Обліковий запис', 'Konto'],
  storage: ['Storage used', 'Занято памяти', 'Використано пам\'яті', 'Kasutatud salvestusruum'],
  persisted: ['Kept by the browser', 'Хранится постоянно', 'Зберігається постійно', 'Brauser säilitab'],
  logout: ['Log out', 'Выйти', 'Вийти', 'Logi välja'],
  role_rep: ['Sales rep', 'Торговый представитель', 'Торговий представник', 'Müügiesindaja'],
  role_manager: ['Manager', 'Менеджер', 'Менеджер', 'Juht'],
  role_admin: ['Administrator', 'Администратор', 'Адміністратор', 'Administraator'],
  role_distributor: ['Distributor', 'Дистрибьютор', 'Дистриб\'ютор', 'Edasimüüja'],
  role_customer: ['Customer', 'Клиент', 'Клієнт', 'Klient'],
  tab_settings: ['Settings', 'Настр.', 'Налашт.', 'Seaded'],
  version: ['Version', 'Версия', 'Версія', 'Versioon'],
  update_ready: ['A new version is ready', 'Доступна новая версия', 'Доступна нова версія', 'Uus versioon on valmis'],
  update: ['Update', 'Обновить', 'Оновити', 'Uuenda'],
  back: ['Back', 'Назад', 'Назад', 'Tagasi'],
  planned: ['Planned', 'Запланирован', 'Заплановано', 'Planeeritud'],
  checked_in: ['Checked in', 'На месте', 'На місці', 'Kohal'],
  done: ['Done', 'Завершён', 'Завершено', 'Tehtud'],
  visits: ['Visits', 'Визиты', 'Візити', 'Külastused'],
  orders: ['Orders', 'Заказы', 'Замовлення', 'Tellimused'],
  not_found: ['Not found', 'Не найдено', 'Не знайдено', 'Ei leitud'],
  primary: ['primary', 'основной', 'основний', 'peamine'],
  every_days: ['every {n} days', 'каждые {n} дн.', 'кожні {n} дн.', 'iga {n} päeva'],
  opening_hours: ['Open', 'Часы работы', 'Години роботи', 'Avatud'],
  frequency: ['Visits', 'Визиты', 'Візити', 'Külastused'],
  last_visit: ['Last visit', 'Последний визит', 'Останній візит', 'Viimane külastus'],
  map: ['Map', 'Карта', 'Мапа', 'Kaart'],
  list: ['List', 'Список', 'Список', 'Nimekiri'],
  replan: ['Re-plan the rest', 'Перестроить маршрут', 'Перебудувати маршрут', 'Planeeri ülejäänu'],
  replanning: ['Re-planning…', 'Перестраиваем…', 'Перебудовуємо…', 'Planeerin…'],
  replanned: ['Route re-planned by the server', 'Маршрут перестроен сервером', 'Маршрут перебудовано сервером', 'Server planeeris marsruudi ümber'],
  reordered_offline: ['Re-ordered on this phone; the server plan replaces it when online', 'Порядок изменён на телефоне; план сервера заменит его в сети', 'Порядок змінено на телефоні; план сервера замінить його в мережі', 'Järjestatud telefonis; serveri plaan asendab selle võrgus'],
  you_are_here: ['You are here', 'Вы здесь', 'Ви тут', 'Te olete siin'],
  no_tiles: ['Map background unavailable: stops and route shown', 'Подложка карты недоступна: показаны точки и маршрут', 'Підкладка мапи недоступна: показано точки й маршрут', 'Kaardi taust puudub: peatused ja marsruut on näha'],
  stops: ['{n} stops', '{n} точек', '{n} зупинок', '{n} peatust'],
  planning: ['Planning', 'Планирование', 'Планування', 'Planeerimine'],
  tab_plan: ['Plan', 'План', 'План', 'Plaan'],
  rep: ['Rep', 'Представитель', 'Представник', 'Esindaja'],
  week_of: ['Week of {d}', 'Неделя с {d}', 'Тиждень з {d}', 'Nädal alates {d}'],
  prev_week: ['Previous week', 'Предыдущая неделя', 'Попередній тиждень', 'Eelmine nädal'],
  next_week: ['Next week', 'Следующая неделя', 'Наступний тиждень', 'Järgmine nädal'],
  plan_week: ['Plan this week', 'Спланировать неделю', 'Спланувати тиждень', 'Planeeri nädal'],
  planning_now: ['Planning the week… {s} s', 'Планируем неделю… {s} с', 'Плануємо тиждень… {s} с', 'Planeerin nädalat… {s} s'],
  planned_n: ['{n} routes planned, {u} customers left out', 'Запланировано маршрутов: {n}, не вошло клиентов: {u}', 'Заплановано маршрутів: {n}, не ввійшло клієнтів: {u}', 'Planeeritud {n} marsruuti, välja jäi {u} klienti'],
  no_routes_week: ['No routes this week', 'На этой неделе маршрутов нет', 'Цього тижня маршрутів немає', 'Sel nädalal marsruute pole'],
  needs_network: ['This needs a connection', 'Нужна сеть', 'Потрібна мережа', 'Selleks on vaja võrku'],
  // Estonian keeps quotes (hinnapakkumised) and offers (eripakkumised) apart.
  quotes: ['Quotes', 'Предложения', 'Пропозиції', 'Hinnapakkumised'],
  quote: ['Quote', 'Предложение', 'Пропозиція', 'Hinnapakkumine'],
  new_quote: ['New quote', 'Новое предложение', 'Нова пропозиція', 'Uus hinnapakkumine'],
  no_quotes: ['No quotes yet', 'Предложений пока нет', 'Пропозицій ще немає', 'Hinnapakkumisi veel pole'],
  doc_discount: ['Discount on the whole quote, %', 'Скидка на всё, %', 'Знижка на все, %', 'Allahindlus kogu pakkumisele, %'],
  valid_until: ['Valid until', 'Действует до', 'Діє до', 'Kehtib kuni'],
  terms: ['Terms', 'Условия', 'Умови', 'Tingimused'],
  save_draft: ['Save draft', 'Сохранить черновик', 'Зберегти чернетку', 'Salvesta mustand'],
  make_pdf: ['Make PDF', 'Создать PDF', 'Створити PDF', 'Koosta PDF'],
  pdf_loading: ['Starting the PDF engine…', 'Запуск PDF-модуля…', 'Запуск PDF-модуля…', 'PDF-mootori käivitamine…'],
  pdf_rendering: ['Making the PDF…', 'Создаём PDF…', 'Створюємо PDF…', 'PDF koostamine…'],
  pdf_ready: ['PDF ready ({kb} KB)', 'PDF готов ({kb} КБ)', 'PDF готовий ({kb} КБ)', 'PDF valmis ({kb} KB)'],
  pdf_failed: ['The PDF could not be made', 'Не удалось создать PDF', 'Не вдалося створити PDF', 'PDF-i ei õnnestunud koostada'],
  view: ['View', 'Открыть', 'Відкрити', 'Vaata'],
  share: ['Share', 'Поделиться', 'Поділитися', 'Jaga'],
  download: ['Download', 'Скачать', 'Завантажити', 'Laadi alla'],
  pdf_match: ['Server copy matches this PDF', 'Копия сервера совпадает с этим PDF', 'Копія сервера збігається з цим PDF', 'Serveri koopia ühtib selle PDF-iga'],
  pdf_mismatch: ['Server copy differs from this PDF', 'Копия сервера отличается от этого PDF', 'Копія сервера відрізняється від цього PDF', 'Serveri koopia erineb sellest PDF-ist'],
  pdf_unchecked: ['Not yet checked by the server', 'Сервер ещё не проверил', 'Сервер ще не перевірив', 'Server pole veel kontrollinud'],
  send_quote: ['Mark as sent to the customer', 'Отметить как отправленное', 'Позначити як надіслане', 'Märgi kliendile saadetuks'],
  quote_saved: ['Quote {n} saved', 'Предложение {n} сохранено', 'Пропозицію {n} збережено', 'Pakkumine {n} salvestatud'],
  status_draft: ['Draft', 'Черновик', 'Чернетка', 'Mustand'],
  status_sent: ['Sent', 'Отправлено', 'Надіслано', 'Saadetud'],
  status_accepted: ['Accepted', 'Принято', 'Прийнято', 'Vastu võetud'],
  status_rejected: ['Declined', 'Отклонено', 'Відхилено', 'Tagasi lükatud'],
  status_expired: ['Expired', 'Истекло', 'Минуло', 'Aegunud'],
  accept: ['Accept', 'Принять', 'Прийняти', 'Võta vastu'],
  reject: ['Decline', 'Отклонить', 'Відхилити', 'Lükka tagasi'],
  confirm_accept: ['Accept quote {n} for {total}? An order will be placed.', 'Принять предложение {n} на {total}? Будет оформлен заказ.', 'Прийняти пропозицію {n} на {total}? Буде оформлено замовлення.', 'Võtta pakkumine {n} summas {total} vastu? Esitatakse tellimus.'],
  confirm_reject: ['Decline quote {n}?', 'Отклонить предложение {n}?', 'Відхилити пропозицію {n}?', 'Lükata pakkumine {n} tagasi?'],
  yes: ['Yes', 'Да', 'Так', 'Jah'],
  cancel: ['Cancel', 'Отмена', 'Скасувати', 'Tühista'],
  order_made: ['Order {n} placed', 'Заказ {n} оформлен', 'Замовлення {n} оформлено', 'Tellimus {n} esitatud'],
  my_account: ['My account', 'Мой кабинет', 'Мій кабінет', 'Minu konto'],
  tab_mine: ['Mine', 'Моё', 'Моє', 'Minu'],
  offers: ['Offers', 'Акции', 'Акції', 'Eripakkumised'],
  offer: ['Offer', 'Акция', 'Акція', 'Eripakkumine'],
  no_offers: ['No offers yet', 'Акций пока нет', 'Акцій ще немає', 'Eripakkumisi veel pole'],
  offers_opt_in: ['Send me offers', 'Присылать мне акции', 'Надсилати мені акції', 'Saada mulle eripakkumisi'],
  offers_on: ['You receive offers', 'Вы получаете акции', 'Ви отримуєте акції', 'Saate eripakkumisi'],
  offers_off: ['You do not receive offers', 'Вы не получаете акции', 'Ви не отримуєте акцій', 'Te ei saa eripakkumisi'],
  no_orders: ['No orders yet', 'Заказов пока нет', 'Замовлень ще немає', 'Tellimusi veel pole'],
  discount_amount: ['Discount', 'Скидка', 'Знижка', 'Allahindlus'],
  price: ['Price', 'Цена', 'Ціна', 'Hind'],
  items: ['{n} items', '{n} шт.', '{n} шт.', '{n} tk'],
  approval_pending: ['Awaiting approval', 'Ждёт одобрения', 'Чекає на схвалення', 'Ootab kinnitust'],
  approval_rejected: ['Discount not approved', 'Скидка не одобрена', 'Знижку не схвалено', 'Allahindlust ei kinnitatud'],
};

Object.assign(T, PARTNER_TEXTS); // the distributor's and customer's apps (lib/i18n-partners.js)
for (const [k, row] of Object.entries(A11Y_TEXTS)) if (!(k in T)) T[k] = row; // lib/i18n-a11y.js

// key -> {en: {one, other}, ru: {one, few, many, other}, ...}: the forms Intl.PluralRules picks.
const PLURALS = {};

let locale = 'en';
let timeZone; // the user's zone from their account; the device's when unknown or invalid

export function setTimeZone(zone) {
  try { new Intl.DateTimeFormat('en', { timeZone: zone }); timeZone = zone || undefined; } catch { timeZone = undefined; }
}
const IDX = { en: 0, ru: 1, uk: 2, et: 3 };

export function setLocale(l) {
  locale = IDX[l] != null ? l : (IDX[String(l).slice(0, 2)] != null ? String(l).slice(0, 2) : 'en');
  if (globalThis.document) document.documentElement.lang = locale;
  return locale;
}
export const getLocale = () => locale;

const rules = {};
/** The CLDR plural category of n in the current locale ("one", "few", "many", "other"). */
export const pluralOf = (n) => (rules[locale] ||= new Intl.PluralRules(locale)).select(Number(n));

/** Translate `key`, filling {placeholders} from params; a numeric params.n picks the plural form. */
export function t(key, params = {}) {
  const forms = typeof params.n === 'number' && PLURALS[key];
  let text;
  if (forms) {
    const own = forms[locale] || forms.en;
    text = own[pluralOf(params.n)] ?? own.other;
  } else {
    const row = T[key];
    text = row ? (row[IDX[locale]] || row[0]) : key;
  }
  const num = typeof params.n === 'number' ? fmtNumber(params.n) : null;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k === 'n' && num != null ? num : String(params[k] ?? '')));
}

/** A count in words: tn('stops', 3) → "3 stops", "3 точки", "3 зупинки", "3 peatust". */
export const tn = (key, n, params = {}) => t(key, { ...params, n: Number(n) });

/** Translate `key` if the table has it, else null (for raw words such as a collection name). */
export const tOr = (key, fallback) => (key in T ? t(key) : fallback);

/** A customer segment's code as words, when it is one of the usual ones. */
export const segmentName = (code) => tOr(`segment_${String(code || '').toLowerCase()}`, code);

/** Register plural forms (see PLURALS); every locale must give "other". */
export function addPlurals(rows) {
  for (const [k, forms] of Object.entries(rows)) if (!(k in PLURALS)) PLURALS[k] = forms;
}
addPlurals(A11Y_PLURALS);
export const PLURAL_TABLE = PLURALS;

// 2024-01-01 was a Monday: weekday names come from Intl, never from a table.
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** "mon".."sun" (or 0..6 from Monday, or "monday") as the locale's weekday name. */
export function weekdayName(day, style = 'short') {
  const i = typeof day === 'number' ? day : DAYS.indexOf(String(day).slice(0, 3).toLowerCase());
  if (i < 0) return String(day);
  return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i));
}

export const hasKey = (key) => key in T;

/** Add a screen family's texts (same shape: key -> [en, ru, uk, et]); existing keys win. */
export function addTexts(rows) {
  for (const [k, row] of Object.entries(rows)) if (!(k in T)) T[k] = row;
}
export const TABLE = T;

const tryDate = (v) => { const d = v instanceof Date ? v : new Date(v); return Number.isNaN(d.getTime()) ? null : d; };

export function fmtDate(v, opts = { dateStyle: 'medium' }) {
  const d = tryDate(v);
  return d ? new Intl.DateTimeFormat(locale, { timeZone, ...opts }).format(d) : '';
}
export const fmtDateTime = (v) => fmtDate(v, { dateStyle: 'short', timeStyle: 'short' });
export const fmtTime = (v) => fmtDate(v, { timeStyle: 'short' });

export function fmtNumber(v, max = 3) {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: max }).format(String(v ?? 0));
}

/** Money from a decimal string, exactly (Intl formats the string without going through float). */
export function fmtMoney(amount, currency = 'EUR') {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(String(amount ?? '0'));
  } catch {
    return `${amount} ${currency}`;
  }
}
