import type { ComponentChildren } from 'preact';
import { pick, setLang, useLang, useText } from '../../../shared/i18n';
import { LiveRegion, SkipLink } from '../../../shared/ui';
import { hasRole, type Me } from './context';
import { Link } from './router';
import type { ConsoleRoute } from './routes';
import { appText } from './text';

interface LayoutProps {
  me: Me | null;
  routes: ConsoleRoute[];
  currentPath: string;
  onSignOut?: () => void;
  children: ComponentChildren;
}

function LanguageToggle() {
  const lang = useLang();
  const words = useText(appText);
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="btn btn--secondary lang-toggle" lang={other} aria-label={words.switchLanguageLabel} onClick={() => setLang(other)}>
      {words.switchLanguage}
    </button>
  );
}

/** The frame of every screen: skip link, header (language, who is signed in, sign-out), navigation by role, main. */
export function Layout({ me, routes, currentPath, onSignOut, children }: LayoutProps) {
  const lang = useLang();
  const words = useText(appText);
  const navigation = me
    ? routes
        .filter((route) => route.nav && route.roles.some((role) => hasRole(me, role)))
        .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0))
    : [];
  const roleName = me?.roles.includes('coordinator')
    ? words.roleCoordinator
    : me?.roles.includes('unit_head')
      ? words.roleHead
      : words.roleOfficer;
  return (
    <>
      <SkipLink target="main" label={words.skip} />
      <header class="app-header">
        <div class="app-header__brand">
          <span class="app-header__product">{words.product}</span>
          <span class="app-header__console">{words.console}</span>
        </div>
        <div class="app-header__tools">
          {me && (
            <span class="app-header__who" data-testid="signed-in-as">
              {words.signedInAs(me.officer_id)} · {roleName}
              {me.unit ? ` · ${pick(me.unit.name, lang)}` : ''}
            </span>
          )}
          <LanguageToggle />
          {me && onSignOut && (
            <button type="button" class="btn btn--secondary" onClick={onSignOut}>
              {words.signOut}
            </button>
          )}
        </div>
      </header>
      {navigation.length > 0 && (
        <nav class="app-nav" aria-label={words.navigation}>
          <ul>
            {navigation.map((route) => (
              <li key={route.path}>
                <Link to={route.path} aria-current={route.path === currentPath ? 'page' : undefined}>
                  {route.nav ? pick(route.nav, lang) : route.path}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1} class="app-main">
        {children}
      </main>
      <LiveRegion />
    </>
  );
}
