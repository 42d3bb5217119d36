// The desktop console's routes and who gets it: admins and managers on a screen at least
// 1024 px wide. The phone app's screens stay reachable inside the console (planning,
// customers, settings); everything here loads lazily, so a rep's phone never fetches it.

const lazy = (path, name) => (ctx, ...args) => import(path).then((m) => m[name](ctx, ...args));

export const CONSOLE_MIN_WIDTH = 1024;

export function wantsConsole(user) {
  return Boolean(user && (user.role === 'admin' || user.role === 'manager')
    && window.matchMedia(`(min-width: ${CONSOLE_MIN_WIDTH}px)`).matches);
}

/** The first screen of the console for a role. */
export const consoleHome = (user) => (user?.role === 'admin' ? '#/office/users' : '#/office/team');

// Console screens read the server, not the replica: a background sync never redraws them
// (app.js keeps a screen marked `form` as it is on a soft render).
const OWN = { form: true };

// [pattern, nav key, screen, options]: the same shape as app.js ROUTES.
export const CONSOLE_ROUTES = [
  [/^#\/office\/team$/, 'team', lazy('./team.js', 'teamScreen'), OWN],
  [/^#\/office\/plan$/, 'plan', lazy('./team-plan.js', 'teamPlanScreen'), OWN],
  [/^#\/office\/users$/, 'users', lazy('./users.js', 'usersScreen'), OWN],
  [/^#\/office\/users\/([\w-]+)$/, 'users', lazy('./users.js', 'userScreen'), OWN],
  [/^#\/office\/products$/, 'products', lazy('./products.js', 'productsScreen'), OWN],
  [/^#\/office\/price-lists$/, 'price-lists', lazy('./price-lists.js', 'priceListsScreen'), OWN],
  [/^#\/office\/price-lists\/([\w-]+)$/, 'price-lists', lazy('./price-lists.js', 'priceListScreen'), OWN],
  [/^#\/office\/company$/, 'company', lazy('./company.js', 'companyScreen'), OWN],
  [/^#\/office\/import$/, 'import', lazy('./import.js', 'importScreen'), OWN],
  [/^#\/office\/exports$/, 'exports', lazy('./exports.js', 'exportsScreen'), OWN],
  [/^#\/office\/reports$/, 'reports', lazy('./reports.js', 'reportsScreen'), OWN],
  [/^#\/office\/devices$/, 'devices', lazy('./devices.js', 'devicesScreen'), OWN],
  [/^#\/office\/offers$/, 'offers', lazy('./offers.js', 'offersScreen'), OWN],
];
