import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [{ path: '/docs/api', load: () => import('./ApiDocsScreen') }];

export default routes;
