import { isPublicStatus, type PublicStatus } from '../../app/status';

/** One published report as the map and the list show it (a GeoJSON Feature of the open data). */
export interface ReportPoint {
  id: string;
  status: PublicStatus;
  category: string;
  ward: string | null;
  /** When it was filed (ISO); the list is newest first. */
  filedAt: string | null;
  overdue: boolean;
  description: string;
  /** null: a report without a place (it is in the list, not on the map). */
  lat: number | null;
  lon: number | null;
}

type Properties = Record<string, unknown>;

function text(properties: Properties, ...names: string[]): string | null {
  for (const name of names) {
    const value = properties[name];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** A Feature of `/public/open-data/reports.geojson` (properties = the CSV's columns), or null if it is not one. */
export function toPoint(feature: unknown): ReportPoint | null {
  if (typeof feature !== 'object' || feature === null) return null;
  const { properties, geometry } = feature as { properties?: Properties; geometry?: { type?: string; coordinates?: unknown } | null };
  if (!properties) return null;
  const id = text(properties, 'report_id');
  const status = text(properties, 'status');
  if (!id || !isPublicStatus(status)) return null;
  const coordinates = geometry?.type === 'Point' && Array.isArray(geometry.coordinates) ? geometry.coordinates : null;
  const [lon, lat] = coordinates && typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number' ? coordinates : [null, null];
  return {
    id,
    status,
    category: text(properties, 'category', 'category_code') ?? '',
    ward: text(properties, 'ward', 'ward_code'),
    filedAt: text(properties, 'filed_at', 'created_at', 'published_at'),
    overdue: properties.overdue === true || properties.overdue === 'true',
    description: text(properties, 'description') ?? '',
    lat: lat as number | null,
    lon: lon as number | null,
  };
}

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The reports inside the map's visible area: the list in step with the map. */
export function withinBounds(points: readonly ReportPoint[], bounds: Bounds): ReportPoint[] {
  return points.filter(
    (point) =>
      point.lat !== null && point.lon !== null &&
      point.lat >= bounds.south && point.lat <= bounds.north && point.lon >= bounds.west && point.lon <= bounds.east,
  );
}

export interface OpenDataResult {
  points: ReportPoint[];
  /** The server gave its row cap, not every match. */
  truncated: boolean;
}

/** The open data's GeoJSON for these filters: every point in one request. */
export async function loadPoints(query: Record<string, string>, signal?: AbortSignal): Promise<OpenDataResult> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`/public/open-data/reports.geojson${search ? `?${search}` : ''}`, {
    headers: { Accept: 'application/geo+json, application/json' },
    signal,
  });
  if (!response.ok) throw new Error(`reports.geojson: HTTP ${response.status}`);
  const body = (await response.json()) as { features?: unknown[]; truncated?: boolean };
  const points = (body.features ?? []).map(toPoint).filter((point): point is ReportPoint => point !== null);
  return { points, truncated: body.truncated === true };
}
