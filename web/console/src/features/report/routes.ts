import type { ConsoleRoute } from '../../app/routes';

const routes: ConsoleRoute[] = [{ path: '/reports/:id', roles: ['officer'], load: () => import('./ReportScreen') }];

export default routes;
