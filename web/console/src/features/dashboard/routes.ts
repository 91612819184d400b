import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/dashboard',
    roles: ['coordinator'],
    nav: { vi: 'Tổng quan', en: 'Dashboard', order: 90 },
    load: () => import('./DashboardScreen'),
  },
];

export default routes;
