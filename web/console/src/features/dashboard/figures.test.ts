import { describe, expect, it } from 'vitest';
import { backlogRanking, dailyTrend, percentText } from './figures';

describe('dashboard figures', () => {
  it('gives every day of the period a point, 0 where nothing happened', () => {
    const trend = dailyTrend(
      [{ date: '2026-11-03', submitted: 4, resolved: 1 }, { date: '2026-11-01', submitted: 2, resolved: 0 }],
      '2026-11-01',
      '2026-11-03',
    );
    expect(trend.labels).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(trend.submitted).toEqual([2, 0, 4]);
    expect(trend.resolved).toEqual([0, 0, 1]);
  });

  it('ranks units by overdue then open and leaves out empty ones', () => {
    const ranked = backlogRanking([
      { unit_id: 'a', name: null, open: 9, overdue: 0 },
      { unit_id: 'b', name: null, open: 2, overdue: 2 },
      { unit_id: 'c', name: null, open: 0, overdue: 0 },
      { unit_id: 'd', name: null, open: 5, overdue: 2 },
    ]);
    expect(ranked.map((unit) => unit.unit_id)).toEqual(['d', 'b', 'a']);
  });

  it('writes the on-time share in each language, and has none when nothing was due', () => {
    expect(percentText(92.5, 'vi')).toBe('92,5 %');
    expect(percentText(92.5, 'en')).toBe('92.5%');
    expect(percentText(null, 'en')).toBeNull();
  });
});
