import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApiClient, unwrap } from '../../../shared/api';
import { useText } from '../../../shared/i18n';
import { announce } from '../../../shared/ui';
import { AuthSession, SignIn } from '../features/auth';
import { loadConfig, type ConsoleConfig } from './config';
import { ConsoleContext, hasRole, type Console, type Me } from './context';
import { Layout } from './Layout';
import { findRoute, navigate, safeReturnPath, useLocation, useScreen } from './router';
import { ROUTES } from './routes';
import { appText } from './text';

const SIGN_IN = '/sign-in';

function SignedInConsole({ value, onSignOut }: { value: Console; onSignOut: () => void }) {
  const words = useText(appText);
  const location = useLocation();
  const found = useMemo(() => findRoute(ROUTES, location.path), [location.path]);
  const allowed = found ? found.route.roles.some((role) => hasRole(value.me, role)) : false;
  const Screen = useScreen(found && allowed ? found.route : null);
  const main = useRef(false);

  // A new screen moves focus to the main region, as a page load would, so reading starts there.
  useEffect(() => {
    if (main.current) document.getElementById('main')?.focus();
    main.current = true;
  }, [location.path]);

  let content;
  if (!found) content = <p class="notice">{words.notFound}</p>;
  else if (!allowed) content = <p class="notice notice--error">{words.notAllowed}</p>;
  else if (Screen === 'failed') content = <p class="notice notice--error">{words.screenFailed}</p>;
  else if (!Screen) content = <p aria-busy="true">{words.loading}</p>;
  else content = <Screen params={found.params} query={location.query} />;

  return (
    <ConsoleContext.Provider value={value}>
      <Layout me={value.me} routes={ROUTES} currentPath={location.path} onSignOut={onSignOut}>
        {content}
      </Layout>
    </ConsoleContext.Provider>
  );
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; reason: 'config' }
  | { kind: 'signed_out'; config: ConsoleConfig; auth: AuthSession }
  | { kind: 'signed_in'; console: Console };

/** The console: config, then the session (restored or signed in), then who the officer is, then the screens. */
export function App() {
  const words = useText(appText);
  const location = useLocation();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const enter = async (config: ConsoleConfig, auth: AuthSession) => {
    const api = createApiClient(auth);
    try {
      const me: Me = unwrap(await api.GET('/officer/me'));
      setPhase({ kind: 'signed_in', console: { config, api, auth, me } });
      const here = new URLSearchParams(window.location.search);
      if (window.location.pathname.endsWith(SIGN_IN)) navigate(safeReturnPath(here.get('next')), { replace: true });
    } catch {
      auth.signOut();
      setPhase({ kind: 'signed_out', config, auth });
    }
  };

  useEffect(() => {
    let auth: AuthSession | null = null;
    loadConfig()
      .then(async (config) => {
        auth = new AuthSession(config);
        auth.onChange((signedIn) => {
          if (!signedIn && auth) setPhase({ kind: 'signed_out', config, auth });
        });
        if (await auth.restore()) await enter(config, auth);
        else setPhase({ kind: 'signed_out', config, auth });
      })
      .catch(() => setPhase({ kind: 'failed', reason: 'config' }));
  }, []);

  // Signed out anywhere but the sign-in page: go there, remembering where the officer wanted to be.
  useEffect(() => {
    if (phase.kind !== 'signed_out' || location.path === SIGN_IN) return;
    const wanted = `${location.path}${location.query.toString() ? `?${location.query}` : ''}`;
    const next = wanted === '/' ? '' : `?next=${encodeURIComponent(wanted)}`;
    navigate(`${SIGN_IN}${next}`, { replace: true });
  }, [phase.kind, location.path]);

  if (phase.kind === 'loading') {
    return (
      <Layout me={null} routes={[]} currentPath={location.path}>
        <p aria-busy="true">{words.loading}</p>
      </Layout>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <Layout me={null} routes={[]} currentPath={location.path}>
        <p class="notice notice--error">{words.configFailed}</p>
      </Layout>
    );
  }
  if (phase.kind === 'signed_out') {
    return (
      <Layout me={null} routes={[]} currentPath={location.path}>
        <SignIn auth={phase.auth} onSignedIn={() => enter(phase.config, phase.auth)} />
      </Layout>
    );
  }
  return (
    <SignedInConsole
      value={phase.console}
      onSignOut={() => {
        phase.console.auth.signOut();
        announce(words.signedOut);
      }}
    />
  );
}
