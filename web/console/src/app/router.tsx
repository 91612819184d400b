// The console's routing is web/shared/router's (app paths under /console/); only the sign-in rule is its own.
export { currentLocation, findRoute, href, Link, matchPath, navigate, useLocation, useScreen } from '../../../shared/router';
export type { Location } from '../../../shared/router';

/** Only paths inside the console may be returned to after sign-in (no open redirect). */
export function safeReturnPath(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/sign-in')) return '/';
  return value;
}
