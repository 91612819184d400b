import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ANONYMOUS, createApiClient } from '../../../shared/api';
import { useText } from '../../../shared/i18n';
import { findRoute, useLocation, useScreen } from '../../../shared/router';
import { DEFAULT_CONFIG, loadSiteConfig } from './config';
import { SiteContext, type Site } from './context';
import { Layout } from './Layout';
import { ROUTES } from './routes';
import { appText } from './text';

/**
 * The public site: anonymous, so every page opens at once; the config (the map's tiles) arrives
 * alongside, and a site without one still works on a blank map base.
 */
export function App() {
  const words = useText(appText);
  const location = useLocation();
  const [site, setSite] = useState<Site | null>(null);
  const found = useMemo(() => findRoute(ROUTES, location.path), [location.path]);
  const Screen = useScreen(found?.route ?? null);
  const previousPath = useRef<string | null>(null);

  useEffect(() => {
    const api = createApiClient(ANONYMOUS);
    loadSiteConfig()
      .catch(() => DEFAULT_CONFIG)
      .then((config) => setSite({ config, api }));
  }, []);

  // A new page moves focus to the main region, as a page load would, so reading starts there.
  // Only the path counts: a filter changing the query string keeps focus where it is.
  useEffect(() => {
    if (previousPath.current !== null && previousPath.current !== location.path) document.getElementById('main')?.focus();
    previousPath.current = location.path;
  }, [location.path]);

  let content;
  if (!found) content = <p class="notice">{words.notFound}</p>;
  else if (Screen === 'failed') content = <p class="notice notice--error">{words.screenFailed}</p>;
  else if (!Screen || !site) content = <p aria-busy="true">{words.loading}</p>;
  else content = <Screen params={found.params} query={location.query} />;

  return (
    <SiteContext.Provider value={site}>
      <Layout routes={ROUTES} currentPath={location.path}>
        {content}
      </Layout>
    </SiteContext.Provider>
  );
}
