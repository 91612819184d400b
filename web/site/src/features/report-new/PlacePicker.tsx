import 'leaflet/dist/leaflet.css';
import '../../../../shared/map/map.css';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { useEffect, useRef } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { useBaseMap } from '../../../../shared/map';
import { newText } from './text';

export interface Point {
  lat: number;
  lon: number;
}

interface PlacePickerProps {
  point: Point | null;
  onPick: (point: Point) => void;
  wards: FeatureCollection | null;
  tileUrl: string | null;
  tileAttribution: string | null;
}

const CAN_THO: L.LatLngExpression = [9.78, 105.47];

/**
 * A map to tap the place on (loaded only when asked for: Leaflet is most of its weight). Keyboard:
 * the arrows pan the map, and the button under it puts the point at the map's centre.
 */
export default function PlacePicker({ point, onPick, wards, tileUrl, tileAttribution }: PlacePickerProps) {
  const words = useText(newText);
  const marker = useRef<L.CircleMarker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const { container, map } = useBaseMap({ center: point ? [point.lat, point.lon] : CAN_THO, zoom: point ? 16 : 13 }, { tileUrl, tileAttribution }, (instance) => {
    instance.on('click', (event: L.LeafletMouseEvent) => pick.current({ lat: event.latlng.lat, lon: event.latlng.lng }));
  });

  useEffect(() => {
    const instance = map.current;
    if (!instance || !wards) return;
    const layer = L.geoJSON(wards, { style: { className: 'ward-outline', weight: 1.5, fillOpacity: 0.05 }, interactive: false }).addTo(instance);
    if (!point && layer.getLayers().length) instance.fitBounds(layer.getBounds());
    return () => {
      layer.remove();
    };
  }, [wards]);

  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    marker.current?.remove();
    marker.current = point ? L.circleMarker([point.lat, point.lon], { radius: 9, className: 'place-marker', weight: 3 }).addTo(instance) : null;
    if (point && !instance.getBounds().contains([point.lat, point.lon])) instance.setView([point.lat, point.lon], 16);
  }, [point]);

  return (
    <div class="place-picker">
      <p class="field__hint">{words.mapHint}</p>
      <div ref={container} class="leaflet-map leaflet-map--small" role="region" aria-label={words.mapLabel} data-testid="place-map" />
      <button
        type="button"
        class="btn btn--secondary place-picker__centre"
        onClick={() => {
          const centre = map.current?.getCenter();
          if (centre) pick.current({ lat: centre.lat, lon: centre.lng });
        }}
      >
        {words.placeAtCentre}
      </button>
    </div>
  );
}
