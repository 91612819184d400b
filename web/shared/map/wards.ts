import type { FeatureCollection } from 'geojson';

let cached: Promise<FeatureCollection | null> | null = null;

/**
 * The ward outlines from `GET /public/wards` (public, cached by the browser with its ETag), loaded
 * once per page. A map without them still works, so a failure gives null rather than an error.
 */
export function loadWards(fetcher: typeof fetch = fetch): Promise<FeatureCollection | null> {
  cached ??= fetcher('/public/wards', { headers: { Accept: 'application/geo+json, application/json' } })
    .then((response) => (response.ok ? (response.json() as Promise<FeatureCollection>) : null))
    .catch(() => null);
  return cached;
}
