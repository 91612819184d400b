import { describe, expect, it } from 'vitest';
import { apiQuery, filtersToQuery, NO_FILTERS, parseFilters, validDay } from './filters';
import { clusterLabel, clusterStatus, markerClass, STATUS_SYMBOL } from './markers';
import { toPoint, withinBounds } from './points';

describe('filters ↔ URL', () => {
  it('reads every filter back from the URL it writes (a shareable view)', () => {
    const filters = { ...NO_FILTERS, category: 'roads', ward: 'P01', status: 'IN_PROGRESS' as const, from: '2026-10-01', to: '2026-11-30', overdue: true, view: 'list' as const };
    const query = filtersToQuery(filters);
    expect(query.toString()).toBe('category=roads&ward=P01&status=IN_PROGRESS&from=2026-10-01&to=2026-11-30&overdue=true&view=list');
    expect(parseFilters(query)).toEqual(filters);
  });

  it('leaves the defaults out: the bare page is "/"', () => {
    expect(filtersToQuery(NO_FILTERS).toString()).toBe('');
    expect(parseFilters(new URLSearchParams(''))).toEqual(NO_FILTERS);
  });

  it('drops what a hand-edited URL gets wrong instead of obeying it', () => {
    const parsed = parseFilters(new URLSearchParams('status=REJECTED&from=2026-02-30&to=yesterday&period=7&view=satellite&category=<script>&overdue=yes'));
    expect(parsed).toEqual(NO_FILTERS);
    expect(validDay('2026-02-28')).toBe('2026-02-28');
    expect(validDay('2026-02-29')).toBeNull();
  });

  it('puts reversed dates in order, and dates take the place of a period', () => {
    const parsed = parseFilters(new URLSearchParams('from=2026-11-30&to=2026-11-01&period=30'));
    expect([parsed.from, parsed.to, parsed.period]).toEqual(['2026-11-01', '2026-11-30', null]);
  });

  it('asks the API for the last N Vietnam days, today included', () => {
    // 2026-12-01 20:00 UTC is already 2 December in Vietnam (UTC+7).
    const now = new Date('2026-12-01T20:00:00Z');
    expect(apiQuery({ ...NO_FILTERS, period: '30' }, now)).toEqual({ from: '2026-11-03' });
    expect(apiQuery({ ...NO_FILTERS, status: 'RESOLVED', overdue: true, view: 'list' }, now)).toEqual({ status: 'RESOLVED', overdue: 'true' });
  });
});

describe('markers and legend', () => {
  it('gives every state its own symbol, so colour is never the only clue', () => {
    expect(new Set(Object.values(STATUS_SYMBOL)).size).toBe(Object.keys(STATUS_SYMBOL).length);
    expect(markerClass('RESOLVED', false)).toBe('site-marker site-marker--resolved');
    expect(markerClass('ASSIGNED', true)).toContain('site-marker--overdue');
  });

  it('draws a cluster in its commonest state, a tie going to the work still to do', () => {
    expect(clusterStatus(['RESOLVED', 'RESOLVED', 'IN_PROGRESS'])).toBe('RESOLVED');
    expect(clusterStatus(['RESOLVED', 'IN_PROGRESS'])).toBe('IN_PROGRESS');
    expect(clusterStatus([])).toBeNull();
  });

  it('names a cluster in words, by state', () => {
    const label = clusterLabel(['RESOLVED', 'ASSIGNED', 'RESOLVED'], (status) => status.toLowerCase(), (count) => `${count} reports`);
    expect(label).toBe('3 reports: 1 assigned, 2 resolved');
  });
});

describe('open-data points', () => {
  const feature = (overrides: Record<string, unknown> = {}, coordinates: number[] | null = [105.78, 10.03]) => ({
    type: 'Feature',
    geometry: coordinates ? { type: 'Point', coordinates } : null,
    properties: { report_id: 'PA1', status: 'IN_PROGRESS', category: 'roads', ward: 'P01', overdue: false, ...overrides },
  });

  it('reads a Feature, GeoJSON order [lon, lat], and an unlocated one', () => {
    expect(toPoint(feature())).toMatchObject({ id: 'PA1', status: 'IN_PROGRESS', lat: 10.03, lon: 105.78, overdue: false });
    expect(toPoint(feature({}, null))).toMatchObject({ lat: null, lon: null });
    expect(toPoint(feature({ status: 'REJECTED' }))).toBeNull();
    expect(toPoint({ type: 'Feature' })).toBeNull();
  });

  it('keeps the list to the visible map area', () => {
    const inside = toPoint(feature())!;
    const outside = toPoint(feature({ report_id: 'PA2' }, [106.7, 10.8]))!;
    const unlocated = toPoint(feature({ report_id: 'PA3' }, null))!;
    const bounds = { south: 10, west: 105.7, north: 10.1, east: 105.8 };
    expect(withinBounds([inside, outside, unlocated], bounds).map((point) => point.id)).toEqual(['PA1']);
  });
});
