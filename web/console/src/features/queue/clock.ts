/**
 * The live clock of a deadline, as an officer reads it: how long is left (or how late it is), in
 * working days and hours. Working time here skips Saturdays and Sundays in Vietnam time; the
 * deadline itself (`due_at`) comes from the API, which also knows the public holidays, so only the
 * countdown in between is approximate around a holiday.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const VIETNAM_OFFSET_MS = 7 * HOUR_MS;

/** Below this much time left a report counts as "soon" (amber on the map and in the list). */
export const SOON_MS = 4 * HOUR_MS;

function isWeekendInVietnam(utcMs: number): boolean {
  const day = new Date(utcMs + VIETNAM_OFFSET_MS).getUTCDay();
  return day === 0 || day === 6;
}

/** Milliseconds of weekday time between two instants (order-independent), counted in Vietnam time. */
export function workingMsBetween(fromMs: number, toMs: number): number {
  let start = Math.min(fromMs, toMs);
  const end = Math.max(fromMs, toMs);
  let total = 0;
  while (start < end) {
    // Step to the next Vietnam midnight (or the end), adding the stretch if it falls on a weekday.
    const localMidnight = Math.floor((start + VIETNAM_OFFSET_MS) / DAY_MS + 1) * DAY_MS - VIETNAM_OFFSET_MS;
    const stop = Math.min(localMidnight, end);
    if (!isWeekendInVietnam(start)) total += stop - start;
    start = stop;
  }
  return total;
}

export interface Countdown {
  overdue: boolean;
  /** Whole working days, then hours and minutes of what remains. */
  days: number;
  hours: number;
  minutes: number;
  /** Signed milliseconds left in plain clock time (negative when late): for sorting and urgency. */
  clockMs: number;
}

/**
 * Time left to an acknowledge deadline is clock time (a watch duty, weekends included); to a resolve
 * deadline it is working time.
 */
export function countdown(dueIso: string, kind: 'acknowledge' | 'resolve', nowMs: number): Countdown {
  const dueMs = Date.parse(dueIso);
  const clockMs = dueMs - nowMs;
  const span = kind === 'resolve' ? workingMsBetween(nowMs, dueMs) : Math.abs(clockMs);
  const totalMinutes = Math.floor(span / 60_000);
  const days = kind === 'resolve' ? Math.floor(totalMinutes / (24 * 60)) : 0;
  const afterDays = totalMinutes - days * 24 * 60;
  return {
    overdue: clockMs < 0,
    days,
    hours: Math.floor(afterDays / 60),
    minutes: afterDays % 60,
    clockMs,
  };
}

export type Urgency = 'overdue' | 'soon' | 'ok';

export function urgencyOf(dueIso: string | null, nowMs: number): Urgency {
  if (!dueIso) return 'ok';
  const left = Date.parse(dueIso) - nowMs;
  if (left < 0) return 'overdue';
  return left < SOON_MS ? 'soon' : 'ok';
}
