export { baseMap, LeafletMap } from './LeafletMap';
export type { MapMarker, MapOptions, Urgency } from './LeafletMap';
export { loadWards } from './wards';
