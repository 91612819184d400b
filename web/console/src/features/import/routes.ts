import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/import',
    roles: ['coordinator'],
    nav: { vi: 'Nhập CSV', en: 'CSV import', order: 80 },
    load: () => import('./ImportScreen'),
  },
];

export default routes;
