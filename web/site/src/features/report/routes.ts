import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [{ path: '/report/:id', load: () => import('./ReportScreen') }];

export default routes;
