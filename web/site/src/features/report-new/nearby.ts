import type { components } from '../../../../shared/api';
import type { Point } from './PlacePicker';

export type NearbyReport = components['schemas']['PublicSummary'] & { distance_m: number };

/**
 * Open reports of the same field near the point (GET /public/nearby): offered before a new one is
 * filed. Nothing (offline, rate-limited, any failure) means nothing is offered, never a blocked form.
 */
export async function nearbyReports(point: Point, category: string, signal?: AbortSignal): Promise<NearbyReport[]> {
  const query = new URLSearchParams({ lat: point.lat.toFixed(6), lon: point.lon.toFixed(6), category });
  try {
    const response = await fetch(`/public/nearby?${query}`, { signal, headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const body = (await response.json()) as { reports?: NearbyReport[] };
    return body.reports ?? [];
  } catch {
    return [];
  }
}
