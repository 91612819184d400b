import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import L from './leafletGlobal';
import 'leaflet.markercluster';
import type { FeatureCollection } from 'geojson';
import { useEffect, useRef } from 'preact/hooks';
import { href, navigate } from '../../../../shared/router';
import type { PublicStatus } from '../../app/status';
import { clusterLabel, clusterStatus, markerClass, STATUS_SYMBOL } from './markers';
import type { Bounds, ReportPoint } from './points';

export interface MapPanelProps {
  label: string;
  points: ReportPoint[];
  wards: FeatureCollection | null;
  tileUrl: string | null;
  tileAttribution: string | null;
  /** Told the visible area after every move: the list follows it. */
  onBounds: (bounds: Bounds) => void;
  statusName: (status: PublicStatus) => string;
  overdueName: string;
  total: (count: number) => string;
  categoryName: (code: string) => string;
}

const DEFAULT_CENTER: L.LatLngExpression = [10.03, 105.77];

function boundsOf(map: L.Map): Bounds {
  const visible = map.getBounds();
  return { south: visible.getSouth(), west: visible.getWest(), north: visible.getNorth(), east: visible.getEast() };
}

type StatusMarker = L.Marker & { reportStatus: PublicStatus; reportOverdue: boolean };

/** The reports as clustered markers on a Leaflet map, each coloured by its state with the state's symbol. */
export function MapPanel({ label, points, wards, tileUrl, tileAttribution, onBounds, statusName, overdueName, total, categoryName }: MapPanelProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const clusters = useRef<L.MarkerClusterGroup | null>(null);
  const wardLayer = useRef<L.GeoJSON | null>(null);
  const names = useRef({ statusName, total });
  names.current = { statusName, total };
  const boundsListener = useRef(onBounds);
  boundsListener.current = onBounds;

  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { center: DEFAULT_CENTER, zoom: 12, maxZoom: 19, attributionControl: Boolean(tileUrl) });
    if (tileUrl) L.tileLayer(tileUrl, { attribution: tileAttribution ?? '', maxZoom: 19 }).addTo(instance);
    const group = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: (cluster) => {
        const children = cluster.getAllChildMarkers() as StatusMarker[];
        const statuses = children.map((marker) => marker.reportStatus);
        const main = clusterStatus(statuses) ?? 'ASSIGNED';
        const overdue = children.some((marker) => marker.reportOverdue);
        const name = clusterLabel(statuses, (status) => names.current.statusName(status), (count) => names.current.total(count));
        return L.divIcon({
          className: `site-cluster site-cluster--${main.toLowerCase()}${overdue ? ' site-cluster--overdue' : ''}`,
          html: `<span title="${name.replace(/"/g, '&quot;')}">${children.length}</span>`,
          iconSize: [40, 40],
        });
      },
    });
    group.addTo(instance);
    instance.on('moveend', () => boundsListener.current(boundsOf(instance)));
    map.current = instance;
    clusters.current = group;
    return () => {
      instance.remove();
      map.current = null;
      clusters.current = null;
    };
  }, [tileUrl, tileAttribution]);

  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    wardLayer.current?.remove();
    wardLayer.current = wards ? L.geoJSON(wards, { style: { color: '#0b4f8a', weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(instance) : null;
    if (wardLayer.current && !points.some((point) => point.lat !== null)) instance.fitBounds(wardLayer.current.getBounds());
  }, [wards]);

  useEffect(() => {
    const instance = map.current;
    const group = clusters.current;
    if (!instance || !group) return;
    group.clearLayers();
    const markers: L.Marker[] = [];
    for (const point of points) {
      if (point.lat === null || point.lon === null) continue;
      const title = `${point.id}: ${categoryName(point.category)}, ${statusName(point.status)}${point.overdue ? `, ${overdueName}` : ''}`;
      const marker = L.marker([point.lat, point.lon], {
        icon: L.divIcon({ className: markerClass(point.status, point.overdue), html: STATUS_SYMBOL[point.status], iconSize: [22, 22] }),
        title,
        alt: title,
        keyboard: true,
      }) as StatusMarker;
      marker.reportStatus = point.status;
      marker.reportOverdue = point.overdue;
      const link = href(`/report/${encodeURIComponent(point.id)}`);
      marker.on('click keypress', () => navigate(link));
      markers.push(marker);
    }
    group.addLayers(markers);
    if (markers.length > 0) instance.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16 });
    else if (wardLayer.current) instance.fitBounds(wardLayer.current.getBounds());
    boundsListener.current(boundsOf(instance));
  }, [points]);

  return <div ref={container} class="explore-map" role="region" aria-label={label} data-testid="explore-map" />;
}
