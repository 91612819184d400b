import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/rules',
    roles: ['coordinator'],
    nav: { vi: 'Quy tắc phân công', en: 'Routing rules', order: 60 },
    load: () => import('./RulesScreen'),
  },
];

export default routes;
