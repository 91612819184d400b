import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [
  { path: '/league', nav: { vi: 'Xếp hạng', en: 'League', order: 20 }, load: () => import('./LeagueScreen') },
  { path: '/league/method', load: () => import('./MethodScreen') },
];

export default routes;
