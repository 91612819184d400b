import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/escalations',
    roles: ['unit_head', 'coordinator'],
    nav: { vi: 'Cảnh báo quá hạn', en: 'Escalations', order: 50 },
    load: () => import('./EscalationsScreen'),
  },
];

export default routes;
