import { describe, expect, it } from 'vitest';
import { countdown, urgencyOf, workingMsBetween } from './clock';

const HOUR = 3_600_000;

describe('the deadline clock', () => {
  it('counts a weekend out of the working time to a resolve deadline', () => {
    // Friday 2026-11-27 10:00 Vietnam (03:00Z) → Monday 2026-11-30 10:00 Vietnam: one working day.
    const friday = Date.parse('2026-11-27T03:00:00Z');
    const monday = Date.parse('2026-11-30T03:00:00Z');
    expect(workingMsBetween(friday, monday)).toBe(24 * HOUR);
    const left = countdown('2026-11-30T03:00:00Z', 'resolve', friday);
    expect(left).toMatchObject({ overdue: false, days: 1, hours: 0, minutes: 0 });
  });

  it('counts an acknowledge deadline in clock hours, weekend or not', () => {
    const saturday = Date.parse('2026-11-28T01:00:00Z');
    const left = countdown('2026-11-28T06:30:00Z', 'acknowledge', saturday);
    expect(left).toMatchObject({ overdue: false, days: 0, hours: 5, minutes: 30 });
  });

  it('says how late a report is once the deadline has gone by', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    const late = countdown('2026-12-01T07:45:00Z', 'acknowledge', now);
    expect(late).toMatchObject({ overdue: true, hours: 2, minutes: 15 });
    expect(urgencyOf('2026-12-01T07:45:00Z', now)).toBe('overdue');
    expect(urgencyOf('2026-12-01T12:00:00Z', now)).toBe('soon');
    expect(urgencyOf('2026-12-03T12:00:00Z', now)).toBe('ok');
  });
});
