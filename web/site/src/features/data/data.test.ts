import { describe, expect, it } from 'vitest';
import { columnDescription, downloadHref, open311Links, snapshotHref } from './opendata';

describe('open data links', () => {
  it('downloads with the map\'s own query', () => {
    expect(downloadHref('csv', { category: 'roads', overdue: 'true' })).toBe('/public/open-data/reports.csv?category=roads&overdue=true');
    expect(downloadHref('geojson', {})).toBe('/public/open-data/reports.geojson');
  });

  it('points a snapshot only under /open-data/', () => {
    expect(snapshotHref('daily/2026-12-01.csv')).toBe('/open-data/daily/2026-12-01.csv');
    expect(snapshotHref('/open-data/daily/2026-12-01.geojson')).toBe('/open-data/daily/2026-12-01.geojson');
    expect(snapshotHref('../secret')).toBeNull();
    expect(snapshotHref('https://evil.example/x.csv')).toBeNull();
  });

  it('keeps Open311 links to paths or http(s), and reads a column in either shape', () => {
    expect(open311Links({ discovery: '/open311/v2/discovery.json', bad: 'javascript:alert(1)', n: 3, proto: '//evil' })).toEqual([['discovery', '/open311/v2/discovery.json']]);
    expect(columnDescription({ name: 'status', type: 'string', vi: 'Tình trạng', en: 'Status' }, 'en')).toBe('Status');
    expect(columnDescription({ name: 'x', type: 'string', description: { vi: 'Một', en: '' } }, 'en')).toBe('Một');
  });
});
