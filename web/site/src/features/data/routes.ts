import type { SiteRoute } from '../../app/routes';

const routes: SiteRoute[] = [{ path: '/data', nav: { vi: 'Dữ liệu mở', en: 'Open data', order: 30 }, load: () => import('./DataScreen') }];

export default routes;
