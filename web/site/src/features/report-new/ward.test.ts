import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { wardAt, wardList } from './ward';

const square = (x0: number, y0: number, size: number) => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

const WARDS: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: 'A', name: 'Phường Vị Thanh', nameEn: 'Vi Thanh Ward' },
      // A square with a hole in the middle.
      geometry: { type: 'Polygon', coordinates: [square(105, 9, 1), square(105.4, 9.4, 0.2)] },
    },
    {
      type: 'Feature',
      properties: { code: 'B', name: 'Phường An Bình', nameEn: 'An Binh Ward' },
      geometry: { type: 'MultiPolygon', coordinates: [[square(107, 9, 1)], [square(105.45, 9.45, 0.1)]] },
    },
  ],
};

describe('wardAt', () => {
  it('finds the ward a point is in, holes and multipolygons included', () => {
    expect(wardAt(WARDS, 9.1, 105.1)?.code).toBe('A');
    expect(wardAt(WARDS, 9.5, 105.5)?.code).toBe('B');
    expect(wardAt(WARDS, 9.5, 107.5)?.code).toBe('B');
    expect(wardAt(WARDS, 9.42, 105.42)).toBeNull();
  });
  it('is null outside every ward, and without outlines', () => {
    expect(wardAt(WARDS, 20, 100)).toBeNull();
    expect(wardAt(null, 9.1, 105.1)).toBeNull();
  });
  it('lists the wards by their Vietnamese names', () => {
    expect(wardList(WARDS).map((ward) => ward.code)).toEqual(['B', 'A']);
  });
});
