import { unwrap, type ApiClient, type ResponseOf } from '../../../../shared/api';
import { trackingHeader, type MyReport } from '../offline';

export type ReporterReport = ResponseOf<'/reports/{report_id}', 'get'>;
export type PublicReport = ResponseOf<'/public/reports/{report_id}', 'get'>;

/** A report as this device may see it: the reporter's view with its token, else the public one. */
export async function loadReport(api: ApiClient, report: MyReport): Promise<ReporterReport | PublicReport> {
  const path = { report_id: report.report_id };
  if (report.token) {
    return unwrap(await api.GET('/reports/{report_id}', { params: { path, header: trackingHeader(report.token) } }));
  }
  return unwrap(await api.GET('/public/reports/{report_id}', { params: { path } }));
}

export function isReporterView(view: ReporterReport | PublicReport): view is ReporterReport {
  return 'publication' in view;
}
