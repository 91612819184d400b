/** The parts of a report (GET /officer/reports/{id}) the moderation screens read. */

import type { Point } from './compare';

type Text = { vi: string; en: string };

export interface ReviewedReport {
  report_id: string;
  version: number;
  status: string;
  status_label?: Text;
  category: { code: string; name: Text | null };
  description: string;
  address: string | null;
  ward: { code: string; name: Text | string | null } | null;
  location: Point | null;
  owner_unit: { unit_id: string; name: Text } | null;
  photos: { url: string; thumbnail_url: string }[];
  created_at: string;
  publication: { state: 'published' | 'held' | 'unpublished'; held_for: string[] };
  rating: { score: number; comment: string | null; comment_hidden: boolean } | null;
  possible_duplicates: { report_id: string; status: string; distance_m: number | null }[];
  allowed_actions: string[];
}

/** A rating comment a coordinator may still hide. */
export function hideableComment(report: Pick<ReviewedReport, 'rating'>): string | null {
  return report.rating?.comment && !report.rating.comment_hidden ? report.rating.comment : null;
}
