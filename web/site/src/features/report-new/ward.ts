import type { Feature, FeatureCollection, Position } from 'geojson';
import { sortByName } from '../../../../shared/i18n';

export interface Ward {
  code: string;
  name: string;
  nameEn: string;
}

/** Whether a point is inside a ring (ray casting; [lon, lat] positions as GeoJSON has them). */
function inRing(ring: Position[], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] as Position;
    const [xj = 0, yj = 0] = ring[j] as Position;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and in none of its holes. */
function inPolygon(rings: Position[][], lon: number, lat: number): boolean {
  const [outer, ...holes] = rings;
  return Boolean(outer && inRing(outer, lon, lat) && !holes.some((hole) => inRing(hole, lon, lat)));
}

function contains(feature: Feature, lon: number, lat: number): boolean {
  const geometry = feature.geometry;
  if (geometry?.type === 'Polygon') return inPolygon(geometry.coordinates, lon, lat);
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates.some((polygon) => inPolygon(polygon, lon, lat));
  return false;
}

function wardOf(feature: Feature): Ward {
  const properties = (feature.properties ?? {}) as Partial<Ward>;
  return { code: String(properties.code ?? ''), name: String(properties.name ?? ''), nameEn: String(properties.nameEn ?? properties.name ?? '') };
}

/** The ward a point is in, from the outlines of GET /public/wards; null outside them all. */
export function wardAt(wards: FeatureCollection | null, lat: number, lon: number): Ward | null {
  const found = wards?.features.find((feature) => contains(feature, lon, lat));
  return found ? wardOf(found) : null;
}

/** Every ward, by name: the choice for whoever cannot (or would rather not) give a point. */
export function wardList(wards: FeatureCollection | null): Ward[] {
  return sortByName((wards?.features ?? []).map(wardOf), (ward) => ward.name);
}
