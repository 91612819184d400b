export { LeafletMap, useBaseMap } from './LeafletMap';
export type { MapMarker, MapOptions, Urgency } from './LeafletMap';
export { loadWards } from './wards';
