import { describe, expect, it } from 'vitest';
import { ageMinutes, distanceMetres, proposeMerge } from './compare';
import { rejectProblems } from './grounds';
import { hideableComment } from './reviewed';
import { moderationText } from './text';

describe('merge comparison', () => {
  it('measures the distance between two places in metres', () => {
    // 0.001° of latitude is about 111 m anywhere.
    expect(distanceMetres({ lat: 9.779, lon: 105.47 }, { lat: 9.78, lon: 105.47 })).toBe(111);
    expect(distanceMetres({ lat: 9.779, lon: 105.47 }, null)).toBeNull();
  });

  it('writes distance and age the way each language reads them', () => {
    expect(moderationText.vi.distance(1530)).toBe('1,5 km');
    expect(moderationText.en.distance(1530)).toBe('1.5 km');
    expect(moderationText.en.distance(null)).toMatch(/unknown/);
    const now = new Date('2026-12-02T10:00:00Z');
    expect(moderationText.en.age(ageMinutes('2026-12-02T09:35:00Z', now))).toBe('25 min ago');
    expect(moderationText.vi.age(ageMinutes('2026-12-01T10:00:00Z', now))).toBe('24 giờ trước');
    expect(moderationText.en.age(ageMinutes('2026-11-25T10:00:00Z', now))).toBe('7 days ago');
  });

  it('proposes the older report as the master, and only for two open reports', () => {
    const older = { report_id: 'A', status: 'ASSIGNED', created_at: '2026-12-01T00:00:00Z' };
    const newer = { report_id: 'B', status: 'RECEIVED', created_at: '2026-12-02T00:00:00Z' };
    expect(proposeMerge(newer, older)).toEqual({ master: older, duplicate: newer });
    expect(proposeMerge({ ...older, status: 'CLOSED' }, newer)).toBeNull();
    expect(proposeMerge(older, older)).toBeNull();
    const twin = { ...older, report_id: 'C' };
    expect(proposeMerge(older, twin)).toEqual({ master: twin, duplicate: older });
  });
});

describe('moderation decisions', () => {
  it('needs known grounds and an explanation to reject', () => {
    expect(rejectProblems({ grounds: 'hate', reason: ' ' })).toEqual(['grounds', 'reason']);
    expect(rejectProblems({ grounds: 'spam', reason: 'Quảng cáo' })).toEqual([]);
  });

  it('offers to hide a rating comment only while it shows', () => {
    expect(hideableComment({ rating: { score: 1, fixed: false, comment: 'Tệ', comment_hidden: false, at: '2026-11-30T02:00:00Z' } })).toBe('Tệ');
    expect(hideableComment({ rating: { score: 1, fixed: false, comment: 'Tệ', comment_hidden: true, at: '2026-11-30T02:00:00Z' } })).toBeNull();
    expect(hideableComment({ rating: null })).toBeNull();
  });
});
