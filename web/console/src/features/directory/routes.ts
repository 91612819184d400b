import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/directory',
    roles: ['coordinator'],
    nav: { vi: 'Đơn vị và cán bộ', en: 'Units and officers', order: 70 },
    load: () => import('./DirectoryScreen'),
  },
];

export default routes;
