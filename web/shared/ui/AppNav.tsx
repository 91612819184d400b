import { pick, useLang } from '../i18n';
import { Link } from '../router';

interface NavRoute {
  path: string;
  nav?: { vi: string; en: string; order: number };
}

interface AppNavProps {
  /** The app's own class for the <nav>: "site-nav", "app-nav". */
  class: string;
  label: string;
  /** The routes to list, those with a `nav` entry, in their `order`. */
  routes: NavRoute[];
  /** The path marked as the current page, if any. */
  current: string | null;
}

/** An app's navigation bar; nothing at all when there is nothing to list. */
export function AppNav({ class: className, label, routes, current }: AppNavProps) {
  const lang = useLang();
  const entries = routes.filter((route) => route.nav).sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
  if (entries.length === 0) return null;
  return (
    <nav class={className} aria-label={label}>
      <ul>
        {entries.map((route) => (
          <li key={route.path}>
            <Link to={route.path} aria-current={route.path === current ? 'page' : undefined}>
              {route.nav ? pick(route.nav, lang) : route.path}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
