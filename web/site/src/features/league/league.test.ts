import { describe, expect, it } from 'vitest';
import { duration, inLeagueOrder, intervalBar, intervalText, leaguePeriod, nameOf, percent, satisfaction, type LeagueRow } from './league';

const row = (overrides: Partial<LeagueRow>): LeagueRow => ({
  unit_id: 'U1', name: { vi: 'Phường An Hòa', en: 'An Hoa ward' }, received: 30, resolved: 25, resolved_on_time: 20,
  on_time_pct: 80, on_time_ci95: { low: 60.9, high: 91.1 }, median_hours_to_resolve: 30,
  satisfaction: { average: 4.25, count: 12 }, reopen_rate_pct: 4, confirmed_fixes: 10, confirmed_fix_pct: 90.9, ranked: true, rank: 1, ...overrides,
});

describe('the Wilson interval shown', () => {
  it('as text in both languages, so the bar is never the only way to read it', () => {
    expect(intervalText({ low: 60.9, high: 91.1 }, 'en')).toBe('95% interval: 61–91%');
    expect(intervalText({ low: 60.9, high: 91.1 }, 'vi')).toBe('khoảng tin cậy 95 %: 61–91 %');
    expect(intervalText(null, 'en')).toBe('—');
  });

  it('as a bar on 0–100 that cannot be drawn outside it', () => {
    expect(intervalBar(80, { low: 60, high: 90 })).toEqual({ low: 60, width: 30, point: 80 });
    const clamped = intervalBar(100, { low: 72.2, high: 100.0000001 })!;
    expect([clamped.low, clamped.point]).toEqual([72.2, 100]);
    expect(clamped.width).toBeCloseTo(27.8, 9);
    expect(intervalBar(null, null)).toBeNull();
  });
});

describe('the league\'s figures', () => {
  it('ranked rows first, in rank order, then the unranked ones', () => {
    const rows = [row({ unit_id: 'A', ranked: false, rank: null }), row({ unit_id: 'B', rank: 2 }), row({ unit_id: 'C', rank: 1 })];
    expect(inLeagueOrder(rows).map((each) => each.unit_id)).toEqual(['C', 'B', 'A']);
  });

  it('writes times, shares and satisfaction the way each language reads them', () => {
    expect(duration(30, 'en')).toBe('30 h');
    expect(duration(72, 'vi')).toBe('3 ngày');
    expect(duration(null, 'vi')).toBe('—');
    expect(percent(12.4, 'vi')).toBe('12 %');
    expect(percent(null, 'en')).toBe('—');
    expect(satisfaction({ average: 4.25, count: 12 }, 'en')).toBe('4.3/5 (12)');
    expect(satisfaction({ average: null, count: 0 }, 'en')).toBe('—');
  });

  it('names a row whatever shape its name has, and keeps the period to the three offered', () => {
    expect(nameOf({ vi: 'Giao thông', en: 'Roads' }, 'en', 'roads')).toBe('Roads');
    expect(nameOf('Đội A', 'en', 'A')).toBe('Đội A');
    expect(nameOf(null, 'vi', 'A')).toBe('A');
    expect(leaguePeriod('365')).toBe('365');
    expect(leaguePeriod('7')).toBe('90');
  });
});
