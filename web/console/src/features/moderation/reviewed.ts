/** The parts of a report (GET /officer/reports/{id}) the moderation screens read. */

import type { Bilingual, Point } from "./compare";

export interface ReviewedReport {
  report_id: string;
  version: number;
  status: string;
  status_label?: Bilingual;
  category: { code: string; name: Bilingual | null };
  description: string;
  address: string | null;
  ward: { code: string; name: Bilingual | string | null } | null;
  location: Point | null;
  owner_unit: { unit_id: string; name: Bilingual | string | null } | null;
  photos: { url: string; thumbnail_url: string }[];
  created_at: string;
  publication: { state: "published" | "held" | "unpublished"; held_for: string[] };
  rating: { score: number; comment: string | null; comment_hidden: boolean } | null;
  possible_duplicates: { report_id: string; status: string; distance_m: number | null }[];
  allowed_actions: string[];
}

export const PUBLICATION_NAMES: Record<ReviewedReport["publication"]["state"], Bilingual> = {
  published: { vi: "Đang công khai", en: "Public" },
  held: { vi: "Chờ duyệt, chưa công khai", en: "Held for review, not public" },
  unpublished: { vi: "Đã gỡ khỏi công khai", en: "Taken off the public views" },
};

/** A rating comment a coordinator may still hide. */
export function hideableComment(report: ReviewedReport): string | null {
  return report.rating?.comment && !report.rating.comment_hidden ? report.rating.comment : null;
}
