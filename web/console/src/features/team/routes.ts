import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/team',
    roles: ['unit_head', 'coordinator'],
    nav: { vi: 'Đội ngũ', en: 'Team', order: 40 },
    load: () => import('./TeamScreen'),
  },
];

export default routes;
