/** The parts of a report (GET /officer/reports/{id}) the moderation screens read. */

import type { components } from '../../../../shared/api';

/** The report as GET /officer/reports/{id} documents it. */
export type ReviewedReport = components['schemas']['OfficerReport'];

/** A rating comment a coordinator may still hide. */
export function hideableComment(report: Pick<ReviewedReport, 'rating'>): string | null {
  return report.rating?.comment && !report.rating.comment_hidden ? report.rating.comment : null;
}
