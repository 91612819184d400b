import type { components } from '../../../../shared/api';

export type QueueItem = components['schemas']['QueueItem'];
export type QueueState = QueueItem['status'];
export const QUEUE_STATES: readonly QueueState[] = ['ASSIGNED', 'ACKNOWLEDGED', 'IN_PROGRESS'];

export interface QueueFilters {
  state: QueueState | '';
  field: string;
  ward: string;
  overdue: boolean;
  escalated: boolean;
  mine: boolean;
}

export const NO_FILTERS: QueueFilters = { state: '', field: '', ward: '', overdue: false, escalated: false, mine: false };

/** The filters live in the address (?state=…&overdue=1), so a filtered queue can be shared and the map shows the same. */
export function filtersFromQuery(query: URLSearchParams): QueueFilters {
  const state = query.get('state') ?? '';
  return {
    state: (QUEUE_STATES as readonly string[]).includes(state) ? (state as QueueState) : '',
    field: query.get('field') ?? '',
    ward: query.get('ward') ?? '',
    overdue: query.get('overdue') === '1',
    escalated: query.get('escalated') === '1',
    mine: query.get('mine') === '1',
  };
}

export function filtersToQuery(filters: QueueFilters): string {
  const query = new URLSearchParams();
  if (filters.state) query.set('state', filters.state);
  if (filters.field) query.set('field', filters.field);
  if (filters.ward) query.set('ward', filters.ward);
  if (filters.overdue) query.set('overdue', '1');
  if (filters.escalated) query.set('escalated', '1');
  if (filters.mine) query.set('mine', '1');
  const text = query.toString();
  return text ? `?${text}` : '';
}

/**
 * The reports that pass every filter, most overdue (earliest due) first; reports without a deadline
 * go last. `me` is the signed-in officer's id for "assigned to me".
 */
export function filterQueue(items: readonly QueueItem[], filters: QueueFilters, me: string, nowMs: number): QueueItem[] {
  const kept = items.filter(
    (item) =>
      (!filters.state || item.status === filters.state) &&
      (!filters.field || item.category.code === filters.field) &&
      (!filters.ward || item.ward_code === filters.ward) &&
      (!filters.overdue || item.past_due || (item.due_at !== null && Date.parse(item.due_at) < nowMs)) &&
      (!filters.escalated || item.escalation_level > 0) &&
      (!filters.mine || item.assignee?.officer_id === me),
  );
  return kept.sort((a, b) => dueKey(a) - dueKey(b) || a.created_at.localeCompare(b.created_at));
}

function dueKey(item: QueueItem): number {
  return item.due_at ? Date.parse(item.due_at) : Number.POSITIVE_INFINITY;
}

/** Report ids look like PA261123QY9DA9AH: the search box accepts them in any case, spaces trimmed. */
export function normaliseReportId(raw: string): string | null {
  const id = raw.trim().toUpperCase();
  return /^[A-Z0-9]{6,40}$/.test(id) ? id : null;
}
