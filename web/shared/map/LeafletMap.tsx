import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { useEffect, useRef } from 'preact/hooks';

export type Urgency = 'overdue' | 'soon' | 'ok' | 'done';

export interface MapMarker {
  id: string;
  lat: number;
  lon: number;
  /** Read out and shown on hover/focus: the marker's colour is never the only clue. */
  label: string;
  urgency: Urgency;
  onSelect?: () => void;
}

export interface MapOptions {
  /** A tile URL template, or null for a blank base on which the ward outlines alone are drawn. */
  tileUrl: string | null;
  tileAttribution?: string | null;
}

interface LeafletMapProps extends MapOptions {
  /** The map's accessible name (it is a region of the page). */
  label: string;
  markers: MapMarker[];
  wards?: FeatureCollection | null;
  /** A CSS class per ward (by its `code`) to fill it with, e.g. by owner unit; omit for plain outlines. */
  wardClass?: (code: string) => string;
  /** Where to look when there is nothing to fit; otherwise the markers (or wards) are fitted. */
  center?: [number, number];
  zoom?: number;
  class?: string;
}

const DEFAULT_CENTER: [number, number] = [9.78, 105.47];

/**
 * A Leaflet map on the deployment's tiles (no tiles, no attribution to show) in the returned
 * container's div, made again when the tiles change; `setup` adds what the map starts with. The
 * map is in the returned ref while it exists.
 */
export function useBaseMap(view: { center: L.LatLngExpression; zoom: number }, { tileUrl, tileAttribution }: MapOptions, setup?: (instance: L.Map) => void) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { ...view, attributionControl: Boolean(tileUrl) });
    if (tileUrl) L.tileLayer(tileUrl, { attribution: tileAttribution ?? '', maxZoom: 19 }).addTo(instance);
    setup?.(instance);
    map.current = instance;
    return () => {
      instance.remove();
      map.current = null;
    };
  }, [tileUrl, tileAttribution]);
  return { container, map };
}

/** A Leaflet map drawn into a div: ward outlines, then one keyboard-focusable marker per item. */
export function LeafletMap({ label, markers, wards, wardClass, tileUrl, tileAttribution, center, zoom = 13, class: extra }: LeafletMapProps) {
  const wardLayer = useRef<L.GeoJSON | null>(null);
  const markerLayer = useRef<L.LayerGroup | null>(null);
  const { container, map } = useBaseMap({ center: center ?? DEFAULT_CENTER, zoom }, { tileUrl, tileAttribution }, (instance) => {
    markerLayer.current = L.layerGroup().addTo(instance);
  });

  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    wardLayer.current?.remove();
    const style = (feature?: { properties?: { code?: string } }): L.PathOptions =>
      wardClass
        ? { className: wardClass(String(feature?.properties?.code ?? '')), weight: 1.5, fillOpacity: 0.75 }
        : { className: 'ward-outline', weight: 1.5, fillOpacity: 0.05 };
    wardLayer.current = wards ? L.geoJSON(wards, { style, interactive: false }).addTo(instance) : null;
  }, [wards, wardClass]);

  useEffect(() => {
    const instance = map.current;
    const layer = markerLayer.current;
    if (!instance || !layer) return;
    layer.clearLayers();
    for (const item of markers) {
      const marker = L.marker([item.lat, item.lon], {
        icon: L.divIcon({ className: `map-marker map-marker--${item.urgency}`, iconSize: [18, 18] }),
        title: item.label,
        alt: item.label,
        keyboard: true,
      });
      if (item.onSelect) marker.on('click keypress', item.onSelect);
      marker.addTo(layer);
    }
    const points = markers.map((item) => L.latLng(item.lat, item.lon));
    if (points.length > 1) instance.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
    else if (points[0]) instance.setView(points[0], Math.max(zoom, 15));
    else if (wardLayer.current && wardLayer.current.getLayers().length) instance.fitBounds(wardLayer.current.getBounds());
  }, [markers, wards]);

  return <div ref={container} class={['leaflet-map', extra].filter(Boolean).join(' ')} role="region" aria-label={label} />;
}
