import type { ComponentChildren } from 'preact';
import { useText } from '../../../shared/i18n';
import { Link } from '../../../shared/router';
import { AppNav, LanguageToggle, LiveRegion, SkipLink } from '../../../shared/ui';
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

/** The frame of every page: skip link, header (name, navigation, language), main, footer. */
export function Layout({ routes, currentPath, children }: LayoutProps) {
  const words = useText(appText);
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
      <AppNav class="site-nav" label={words.navigation} routes={routes} current={currentNav(routes, currentPath)} />
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
