import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [
  { path: '/', roles: ['officer'], nav: { vi: 'Hàng đợi', en: 'Queue', order: 10 }, load: () => import('./QueueScreen') },
  { path: '/map', roles: ['officer'], nav: { vi: 'Bản đồ', en: 'Map', order: 20 }, load: () => import('./MapScreen') },
];

export default routes;
