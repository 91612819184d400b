import type { ComponentChildren } from 'preact';
import { pick, useLang, useText } from '../../../shared/i18n';
import { AppNav, LanguageToggle, LiveRegion, SkipLink } from '../../../shared/ui';
import { hasRole, type Me } from './context';
import type { ConsoleRoute } from './routes';
import { appText } from './text';

interface LayoutProps {
  me: Me | null;
  routes: ConsoleRoute[];
  currentPath: string;
  onSignOut?: () => void;
  children: ComponentChildren;
}

/** The frame of every screen: skip link, header (language, who is signed in, sign-out), navigation by role, main. */
export function Layout({ me, routes, currentPath, onSignOut, children }: LayoutProps) {
  const lang = useLang();
  const words = useText(appText);
  const navigation = me ? routes.filter((route) => route.roles.some((role) => hasRole(me, role))) : [];
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
      <AppNav class="app-nav" label={words.navigation} routes={navigation} current={currentPath} />
      <main id="main" tabIndex={-1} class="app-main">
        {children}
      </main>
      <LiveRegion />
    </>
  );
}
