import { isPublicStatus, type PublicStatus } from '../../app/status';

/** The periods one click away (days back from today, Vietnam time); `from`/`to` give any other. */
export const PERIODS = ['30', '90', '365'] as const;
export type Period = (typeof PERIODS)[number];
export type View = 'map' | 'list';

/** What the map and list show, all of it in the query string: every view has a URL to share. */
export interface Filters {
  category: string | null;
  ward: string | null;
  status: PublicStatus | null;
  period: Period | null;
  /** YYYY-MM-DD, Vietnam days, on the filing date; they take the place of `period`. */
  from: string | null;
  to: string | null;
  overdue: boolean;
  view: View;
}

export const NO_FILTERS: Filters = { category: null, ward: null, status: null, period: null, from: null, to: null, overdue: false, view: 'map' };

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function code(value: string | null): string | null {
  return value && CODE.test(value) ? value : null;
}

/** A real calendar day written YYYY-MM-DD, else null (a hand-edited URL must not break the page). */
export function validDay(value: string | null): string | null {
  if (!value || !DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

/** The filters a URL asks for; anything malformed is dropped, not obeyed. */
export function parseFilters(query: URLSearchParams): Filters {
  const status = query.get('status');
  const period = query.get('period');
  let from = validDay(query.get('from'));
  let to = validDay(query.get('to'));
  if (from && to && from > to) [from, to] = [to, from];
  return {
    category: code(query.get('category')),
    ward: code(query.get('ward')),
    status: isPublicStatus(status) ? status : null,
    period: !from && !to && (PERIODS as readonly string[]).includes(period ?? '') ? (period as Period) : null,
    from,
    to,
    overdue: query.get('overdue') === 'true',
    view: query.get('view') === 'list' ? 'list' : 'map',
  };
}

/** The query string of some filters, defaults left out, always in the same order (one URL per view). */
export function filtersToQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.category) query.set('category', filters.category);
  if (filters.ward) query.set('ward', filters.ward);
  if (filters.status) query.set('status', filters.status);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.period && !filters.from && !filters.to) query.set('period', filters.period);
  if (filters.overdue) query.set('overdue', 'true');
  if (filters.view === 'list') query.set('view', 'list');
  return query;
}

/** Today in Vietnam (the API's days are Vietnam days), YYYY-MM-DD. */
export function vietnamDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function daysBefore(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/**
 * What the open-data routes are asked (the same filters as /public/reports): a period becomes
 * `from` (the last N days, today included); the view is the page's business only.
 */
export function apiQuery(filters: Filters, now: Date): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.category) query.category = filters.category;
  if (filters.ward) query.ward = filters.ward;
  if (filters.status) query.status = filters.status;
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.period && !filters.from && !filters.to) query.from = daysBefore(vietnamDay(now), Number(filters.period) - 1);
  if (filters.overdue) query.overdue = 'true';
  return query;
}
