// Texts of the cross-cutting layer: screen titles, the skip link, live announcements, the
// sync screen's words for collections and operations, and every count with its plural forms.

// key: [en, ru, uk, et]
export const A11Y_TEXTS = {
  skip_to_content: ['Skip to content', 'Перейти к содержимому', 'Перейти до вмісту', 'Liigu sisu juurde'],
  title_suffix: ['Rounds', 'Rounds', 'Rounds', 'Rounds'],
  zoom_in: ['Zoom in', 'Приблизить', 'Наблизити', 'Suurenda'],
  zoom_out: ['Zoom out', 'Отдалить', 'Віддалити', 'Vähenda'],
  dismiss: ['Close', 'Закрыть', 'Закрити', 'Sulge'],
  screen_customer: ['Customer', 'Клиент', 'Клієнт', 'Klient'],
  screen_login: ['Log in', 'Вход', 'Вхід', 'Sisselogimine'],
  screen_offer: ['Offer', 'Акция', 'Акція', 'Eripakkumine'],
  screen_partner: ['Home', 'Главная', 'Головна', 'Avaleht'],
  // Words the sync screen used to show raw: the kinds of record and what was done to them.
  cancelled: ['Cancelled', 'Отменён', 'Скасовано', 'Tühistatud'],
  missed: ['Missed', 'Пропущен', 'Пропущено', 'Vahele jäänud'],
  routes: ['Route', 'Маршрут', 'Маршрут', 'Marsruut'],
  coll_customers: ['Customer', 'Клиент', 'Клієнт', 'Klient'],
  coll_contacts: ['Contact', 'Контакт', 'Контакт', 'Kontakt'],
  coll_visits: ['Visit', 'Визит', 'Візит', 'Külastus'],
  coll_orders: ['Order', 'Заказ', 'Замовлення', 'Tellimus'],
  coll_quotes: ['Quote', 'Предложение', 'Пропозиція', 'Hinnapakkumine'],
  coll_routes: ['Route', 'Маршрут', 'Маршрут', 'Marsruut'],
  coll_notes: ['Note', 'Заметка', 'Нотатка', 'Märkus'],
  coll_history: ['History', 'История', 'Історія', 'Ajalugu'],
  coll_photos: ['Photo', 'Фото', 'Фото', 'Foto'],
  coll_notifications: ['Notification', 'Уведомление', 'Сповіщення', 'Teavitus'],
  op_create: ['new', 'создание', 'створення', 'uus'],
  op_update: ['changed', 'изменение', 'зміна', 'muudetud'],
  op_delete: ['deleted', 'удаление', 'видалення', 'kustutatud'],
  op_put: ['saved', 'сохранение', 'збереження', 'salvestatud'],
};

// Counts: {locale: {CLDR category: text}}. Russian and Ukrainian need one/few/many (and other
// for fractions); English and Estonian one/other.
const forms = (en, ru, uk, et) => ({ en, ru, uk, et });
export const A11Y_PLURALS = {
  stops: forms(
    { one: '{n} stop', other: '{n} stops' },
    { one: '{n} точка', few: '{n} точки', many: '{n} точек', other: '{n} точки' },
    { one: '{n} зупинка', few: '{n} зупинки', many: '{n} зупинок', other: '{n} зупинки' },
    { one: '{n} peatus', other: '{n} peatust' },
  ),
  items: forms(
    { one: '{n} item', other: '{n} items' },
    { one: '{n} шт.', few: '{n} шт.', many: '{n} шт.', other: '{n} шт.' },
    { one: '{n} шт.', few: '{n} шт.', many: '{n} шт.', other: '{n} шт.' },
    { one: '{n} tk', other: '{n} tk' },
  ),
  every_days: forms(
    { one: 'every day', other: 'every {n} days' },
    { one: 'каждый {n} день', few: 'каждые {n} дня', many: 'каждые {n} дней', other: 'каждые {n} дня' },
    { one: 'кожен {n} день', few: 'кожні {n} дні', many: 'кожні {n} днів', other: 'кожні {n} дня' },
    { one: 'iga päev', other: 'iga {n} päeva järel' },
  ),
  pending_count: forms(
    { one: '{n} change waiting', other: '{n} changes waiting' },
    { one: '{n} изменение ждёт', few: '{n} изменения ждут', many: '{n} изменений ждут', other: '{n} изменения ждут' },
    { one: '{n} зміна чекає', few: '{n} зміни чекають', many: '{n} змін чекають', other: '{n} зміни чекають' },
    { one: '{n} muudatus ootab', other: '{n} muudatust ootab' },
  ),
  refused_waiting: forms(
    {
      one: '{n} change was refused by the server and is not saved there. Fix or discard it below.',
      other: '{n} changes were refused by the server and are not saved there. Fix or discard each one below.',
    },
    {
      one: 'Сервер отклонил {n} изменение; оно там не сохранено. Исправьте или отмените его ниже.',
      few: 'Сервер отклонил {n} изменения; они там не сохранены. Исправьте или отмените каждое ниже.',
      many: 'Сервер отклонил {n} изменений; они там не сохранены. Исправьте или отмените каждое ниже.',
      other: 'Сервер отклонил {n} изменения; они там не сохранены. Исправьте или отмените каждое ниже.',
    },
    {
      one: 'Сервер відхилив {n} зміну; її там не збережено. Виправте або скасуйте її нижче.',
      few: 'Сервер відхилив {n} зміни; їх там не збережено. Виправте або скасуйте кожну нижче.',
      many: 'Сервер відхилив {n} змін; їх там не збережено. Виправте або скасуйте кожну нижче.',
      other: 'Сервер відхилив {n} зміни; їх там не збережено. Виправте або скасуйте кожну нижче.',
    },
    {
      one: 'Server lükkas {n} muudatuse tagasi; seda seal ei salvestatud. Parandage see või loobuge sellest allpool.',
      other: 'Server lükkas {n} muudatust tagasi; neid seal ei salvestatud. Parandage või loobuge igaühest allpool.',
    },
  ),
  unsent_other_user: forms(
    {
      one: '{email} has {n} unsent change on this device. They log in here with a connection to send it first; nothing is lost.',
      other: '{email} has {n} unsent changes on this device. They log in here with a connection to send them first; nothing is lost.',
    },
    {
      one: 'У {email} на этом устройстве {n} неотправленное изменение. Пусть {email} войдёт здесь при наличии сети и отправит его; ничего не потеряно.',
      few: 'У {email} на этом устройстве {n} неотправленных изменения. Пусть {email} войдёт здесь при наличии сети и отправит их; ничего не потеряно.',
      many: 'У {email} на этом устройстве {n} неотправленных изменений. Пусть {email} войдёт здесь при наличии сети и отправит их; ничего не потеряно.',
      other: 'У {email} на этом устройстве {n} неотправленных изменения. Пусть {email} войдёт здесь при наличии сети и отправит их; ничего не потеряно.',
    },
    {
      one: 'У {email} на цьому пристрої {n} невідправлена зміна. Хай {email} увійде тут за наявності мережі й надішле її; нічого не втрачено.',
      few: 'У {email} на цьому пристрої {n} невідправлені зміни. Хай {email} увійде тут за наявності мережі й надішле їх; нічого не втрачено.',
      many: 'У {email} на цьому пристрої {n} невідправлених змін. Хай {email} увійде тут за наявності мережі й надішле їх; нічого не втрачено.',
      other: 'У {email} на цьому пристрої {n} невідправленої зміни. Хай {email} увійде тут за наявності мережі й надішле їх; нічого не втрачено.',
    },
    {
      one: 'Kasutajal {email} on selles seadmes {n} saatmata muudatus. Ta logib siin võrgu olemasolul sisse ja saadab selle ära; midagi ei kao.',
      other: 'Kasutajal {email} on selles seadmes {n} saatmata muudatust. Ta logib siin võrgu olemasolul sisse ja saadab need ära; midagi ei kao.',
    },
  ),
  planned_n: forms(
    { one: '{n} route planned; customers left out: {u}', other: '{n} routes planned; customers left out: {u}' },
    { one: 'Запланирован {n} маршрут, не вошло клиентов: {u}', few: 'Запланировано {n} маршрута, не вошло клиентов: {u}', many: 'Запланировано {n} маршрутов, не вошло клиентов: {u}', other: 'Запланировано маршрутов: {n}, не вошло клиентов: {u}' },
    { one: 'Заплановано {n} маршрут, не ввійшло клієнтів: {u}', few: 'Заплановано {n} маршрути, не ввійшло клієнтів: {u}', many: 'Заплановано {n} маршрутів, не ввійшло клієнтів: {u}', other: 'Заплановано маршрутів: {n}, не ввійшло клієнтів: {u}' },
    { one: 'Planeeritud {n} marsruut, välja jäi kliente: {u}', other: 'Planeeritud {n} marsruuti, välja jäi kliente: {u}' },
  ),
};
