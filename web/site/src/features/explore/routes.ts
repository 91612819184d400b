import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [{ path: '/', nav: { vi: 'Bản đồ', en: 'Map', order: 10 }, load: () => import('./ExploreScreen') }];

export default routes;
