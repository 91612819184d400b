import L from 'leaflet';

// leaflet.markercluster 1.5 extends the global `L` when it loads: this module runs first (import order).
(globalThis as unknown as { L: typeof L }).L = L;

export default L;
