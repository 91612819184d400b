import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  {
    path: '/moderation',
    roles: ['coordinator'],
    nav: { vi: 'Kiểm duyệt', en: 'Moderation', order: 60 },
    load: () => import('./ModerationScreen'),
  },
];

export default routes;
