import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [
  { path: '/mine', nav: { vi: 'Phản ánh của tôi', en: 'My reports', order: 50 }, load: () => import('./MineScreen') },
  { path: '/mine/:id', load: () => import('./MineReportScreen') },
];

export default routes;
