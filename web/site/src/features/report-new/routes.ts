import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [{ path: '/new', nav: { vi: 'Gửi phản ánh', en: 'Report', order: 40 }, load: () => import('./NewReportScreen') }];

export default routes;
