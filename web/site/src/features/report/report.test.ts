import { describe, expect, it } from 'vitest';
import { deadlinesOf, outcome } from './deadlines';

const words = { onTime: 'on time', late: 'late', pending: 'pending' };

describe('a report\'s deadlines', () => {
  it('says met, late or pending in words', () => {
    expect(outcome({ due_at: 'a', done_at: 'b', met: true }, words)).toEqual({ text: 'on time', kind: 'met' });
    expect(outcome({ due_at: 'a', done_at: 'b', met: false }, words)).toEqual({ text: 'late', kind: 'late' });
    expect(outcome({ due_at: 'a', done_at: null, met: null }, words).kind).toBe('pending');
  });

  it('uses the detail\'s deadlines, or the two due times when it has none', () => {
    const base = { acknowledge_due_at: '2026-11-01T10:00:00+07:00', resolve_due_at: '2026-11-05T17:00:00+07:00' };
    const given = { acknowledge: { due_at: 'x', done_at: 'y', met: true }, resolve: { due_at: 'z', done_at: null, met: null } };
    expect(deadlinesOf({ ...base, deadlines: given } as never)).toEqual(given);
    expect(deadlinesOf(base as never).resolve).toEqual({ due_at: base.resolve_due_at, done_at: null, met: null });
  });
});
