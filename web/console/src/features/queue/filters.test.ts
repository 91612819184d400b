import { describe, expect, it } from 'vitest';
import { filterQueue, filtersFromQuery, filtersToQuery, normaliseReportId, NO_FILTERS, type QueueItem } from './filters';

function item(id: string, overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    report_id: id, version: 1, status: 'ASSIGNED', category: { code: 'roads', name: { vi: 'Đường sá', en: 'Roads' } },
    ward_code: 'W1', address: null, description: 'Ổ gà', photo_count: 1, transfer_count: 0,
    created_at: '2026-12-01T00:00:00Z', due_at: '2026-12-02T00:00:00Z', past_due: false, location: null,
    deadline_kind: 'acknowledge', escalation_level: 0, assignee: null, clock_paused_until: null, ...overrides,
  };
}

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('the queue filters', () => {
  const items = [
    item('PA3', { due_at: '2026-12-03T00:00:00Z', status: 'IN_PROGRESS', deadline_kind: 'resolve' }),
    item('PA1', { due_at: '2026-12-01T06:00:00Z', past_due: true, escalation_level: 1 }),
    item('PA2', { category: { code: 'lighting', name: null }, ward_code: 'W2', assignee: { officer_id: 'me', name: 'Tôi' } }),
    item('PA4', { due_at: null }),
  ];

  it('puts the most overdue first and those without a deadline last', () => {
    expect(filterQueue(items, NO_FILTERS, 'me', NOW).map((i) => i.report_id)).toEqual(['PA1', 'PA2', 'PA3', 'PA4']);
  });

  it('applies every filter together', () => {
    const ids = (filters: Partial<typeof NO_FILTERS>) => filterQueue(items, { ...NO_FILTERS, ...filters }, 'me', NOW).map((i) => i.report_id);
    expect(ids({ state: 'IN_PROGRESS' })).toEqual(['PA3']);
    expect(ids({ field: 'lighting' })).toEqual(['PA2']);
    expect(ids({ ward: 'W2' })).toEqual(['PA2']);
    expect(ids({ overdue: true })).toEqual(['PA1']);
    expect(ids({ escalated: true })).toEqual(['PA1']);
    expect(ids({ mine: true })).toEqual(['PA2']);
    expect(ids({ mine: true, field: 'roads' })).toEqual([]);
  });

  it('round-trips through the address bar and ignores unknown states', () => {
    const filters = { ...NO_FILTERS, state: 'ACKNOWLEDGED' as const, overdue: true, ward: 'W1' };
    expect(filtersFromQuery(new URLSearchParams(filtersToQuery(filters).slice(1)))).toEqual(filters);
    expect(filtersFromQuery(new URLSearchParams('state=RESOLVED')).state).toBe('');
  });

  it('reads a report id typed any way', () => {
    expect(normaliseReportId('  pa261123qy9da9ah ')).toBe('PA261123QY9DA9AH');
    expect(normaliseReportId('../etc')).toBeNull();
  });
});
