/** What a coordinator weighs before merging two reports: how far apart, how old, which is the
 * master (the one that stays open and that the other's reporter follows). */

export interface Bilingual {
  vi: string;
  en: string;
}

export interface Point {
  lat: number;
  lon: number;
}

interface Comparable {
  report_id: string;
  status: string;
  created_at?: string | null;
  location?: Point | null;
}

const EARTH_RADIUS_M = 6_371_000;
// A merge needs the master still being handled (phananh.report.lifecycle.BEING_HANDLED).
const BEING_HANDLED = new Set(["RECEIVED", "ASSIGNED", "ACKNOWLEDGED", "IN_PROGRESS"]);

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in whole metres, null when either report has no place. */
export function distanceMetres(a: Point | null | undefined, b: Point | null | undefined): number | null {
  if (!a || !b) return null;
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h)));
}

export function distanceText(metres: number | null): Bilingual {
  if (metres === null) return { vi: "không rõ (thiếu vị trí)", en: "unknown (no place)" };
  if (metres < 1000) return { vi: `${metres} m`, en: `${metres} m` };
  const km = (metres / 1000).toFixed(1);
  return { vi: `${km.replace(".", ",")} km`, en: `${km} km` };
}

/** How long ago a report came in, in the unit that reads best. */
export function ageText(createdAt: string | null | undefined, now: Date): Bilingual {
  if (!createdAt) return { vi: "không rõ", en: "unknown" };
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(createdAt)) / 60_000));
  if (minutes < 60) return { vi: `${minutes} phút trước`, en: `${minutes} min ago` };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { vi: `${hours} giờ trước`, en: `${hours} h ago` };
  const days = Math.floor(hours / 24);
  return { vi: `${days} ngày trước`, en: `${days} days ago` };
}

/** Whether the report may take part in a merge, as master or duplicate. */
export function mayBeMerged(report: Comparable): boolean {
  return BEING_HANDLED.has(report.status);
}

/** The pair ordered as the merge is proposed: the older report is the master, the newer is merged
 * into it. Null when they cannot be merged: both must still be handled (the duplicate moves to
 * DUPLICATE, the master takes its reporter in). */
export function proposeMerge<T extends Comparable>(a: T, b: T): { duplicate: T; master: T } | null {
  if (a.report_id === b.report_id || !mayBeMerged(a) || !mayBeMerged(b)) return null;
  const aTime = a.created_at ? Date.parse(a.created_at) : Number.POSITIVE_INFINITY;
  const bTime = b.created_at ? Date.parse(b.created_at) : Number.POSITIVE_INFINITY;
  return aTime <= bTime ? { master: a, duplicate: b } : { master: b, duplicate: a };
}
