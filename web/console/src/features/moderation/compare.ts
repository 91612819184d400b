/** What a coordinator weighs before merging two reports: how far apart, how old, which is the
 * master (the one that stays open and that the other's reporter follows). */

export interface Point {
  lat: number;
  lon: number;
}

interface Comparable {
  report_id: string;
  status: string;
  created_at?: string | null;
}

const EARTH_RADIUS_M = 6_371_000;
// Both reports of a merge must still be handled (phananh.report.lifecycle.BEING_HANDLED): the
// duplicate moves to DUPLICATE, the master takes its reporter in.
const BEING_HANDLED = new Set(['RECEIVED', 'ASSIGNED', 'ACKNOWLEDGED', 'IN_PROGRESS']);

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in whole metres, null when either report has no place. */
export function distanceMetres(a: Point | null | undefined, b: Point | null | undefined): number | null {
  if (!a || !b) return null;
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h)));
}

/** Whole minutes since the report came in, null when the time is unknown. */
export function ageMinutes(createdAt: string | null | undefined, now: Date): number | null {
  if (!createdAt) return null;
  const filed = Date.parse(createdAt);
  return Number.isNaN(filed) ? null : Math.max(0, Math.floor((now.getTime() - filed) / 60_000));
}

/** Whether the report may take part in a merge, as master or duplicate. */
export function mayBeMerged(report: Comparable): boolean {
  return BEING_HANDLED.has(report.status);
}

/** The pair as the merge is proposed: the older report is the master, the newer is merged into it;
 * filed in the same instant, `b` (the report brought in to compare) is the master. Null when they
 * cannot be merged (the same report, or one no longer being handled). */
export function proposeMerge<T extends Comparable>(a: T, b: T): { duplicate: T; master: T } | null {
  if (a.report_id === b.report_id || !mayBeMerged(a) || !mayBeMerged(b)) return null;
  const aTime = a.created_at ? Date.parse(a.created_at) : Number.POSITIVE_INFINITY;
  const bTime = b.created_at ? Date.parse(b.created_at) : Number.POSITIVE_INFINITY;
  return aTime < bTime ? { master: a, duplicate: b } : { master: b, duplicate: a };
}
