import { describe, expect, it } from 'vitest';
import { assigneeChange, assigneeName, byName, mayAssign } from './assignee';

describe('assignment', () => {
  it('is offered only where the API allows it', () => {
    expect(mayAssign(['acknowledge', 'assign_officer'])).toBe(true);
    expect(mayAssign(['acknowledge'])).toBe(false);
    expect(mayAssign(undefined)).toBe(false);
  });

  it('lists the officers in Vietnamese alphabetical order', () => {
    const team = [
      { officer_id: 'c', name: 'Đặng Vy', open: 0, overdue: 0 },
      { officer_id: 'b', name: 'Trần Bình', open: 2, overdue: 1 },
      { officer_id: 'a', name: 'Bùi An', open: 0, overdue: 0 },
    ];
    expect(byName(team).map((member) => member.officer_id)).toEqual(['a', 'c', 'b']);
  });

  it('sends null to clear, and the note only when written', () => {
    expect(assigneeChange('', 4, ' ')).toEqual({ officer_id: null, version: 4 });
    expect(assigneeChange('a', 4, 'Gần nhà')).toEqual({ officer_id: 'a', version: 4, note: 'Gần nhà' });
  });

  it('names the assignee by name, else by id, and nobody as null', () => {
    expect(assigneeName(null)).toBeNull();
    expect(assigneeName({ officer_id: 'x.officer', name: null })).toBe('x.officer');
    expect(assigneeName({ officer_id: 'x.officer', name: 'Lê An' })).toBe('Lê An');
  });
});
