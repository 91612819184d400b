import type { ComponentChildren } from 'preact';
import { pick, setLang, useLang, useText } from '../../../shared/i18n';
import { Link } from '../../../shared/router';
import { LiveRegion, SkipLink } from '../../../shared/ui';
import { currentNav, type SiteRoute } from './routes';
import { appText } from './text';

/** The Open311 GeoReport v2 discovery document: where an Open311 client starts. */
export const OPEN311_DISCOVERY = '/open311/v2/discovery.json';
/** The API reference: a static page of its own (Swagger UI from swagger-ui-dist, see vite.config.ts). */
export const API_REFERENCE = '/docs/api/index.html';

interface LayoutProps {
  routes: SiteRoute[];
  currentPath: string;
  children: ComponentChildren;
}

function LanguageToggle() {
  const lang = useLang();
  const words = useText(appText);
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      class="btn btn--secondary lang-toggle"
      lang={other}
      aria-label={words.switchLanguageLabel}
      data-testid="language-toggle"
      onClick={() => setLang(other)}
    >
      {words.switchLanguage}
    </button>
  );
}

/** The frame of every page: skip link, header (name, navigation, language), main, footer. */
export function Layout({ routes, currentPath, children }: LayoutProps) {
  const lang = useLang();
  const words = useText(appText);
  const navigation = routes.filter((route) => route.nav).sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
  const here = currentNav(routes, currentPath);
  return (
    <>
      <SkipLink target="main" label={words.skip} />
      <header class="site-header">
        <Link to="/" class="site-header__brand">
          <span class="site-header__product">{words.product}</span>
          <span class="site-header__place">{words.place}</span>
        </Link>
        <LanguageToggle />
      </header>
      {navigation.length > 0 && (
        <nav class="site-nav" aria-label={words.navigation}>
          <ul>
            {navigation.map((route) => (
              <li key={route.path}>
                <Link to={route.path} aria-current={route.path === here ? 'page' : undefined}>
                  {route.nav ? pick(route.nav, lang) : route.path}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1} class="site-main">
        {children}
      </main>
      <footer class="site-footer" aria-label={words.footer}>
        <ul>
          <li>
            {/* A static page outside the app: an ordinary link, loaded in full. */}
            <a href={API_REFERENCE}>{words.apiDocs}</a>
          </li>
          <li>
            <Link to="/data">{words.openData}</Link>
          </li>
          <li>
            <Link to="/league/method">{words.method}</Link>
          </li>
          <li>
            <a href={OPEN311_DISCOVERY}>{words.open311}</a>
          </li>
        </ul>
        <p>{words.footerNote}</p>
      </footer>
      <LiveRegion />
    </>
  );
}
