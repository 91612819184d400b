/** Escalation levels (phananh.escalation.sweeper.next_up): 1 tells the unit head, 2 the
 * coordinators, 3 the supervising body (and the report is publicly overdue). */

export type Level = 1 | 2 | 3;
export const LEVELS: readonly Level[] = [1, 2, 3];

interface Escalated {
  escalation_level: number;
  escalated_at?: string | null;
}

function escalatedTime(item: Escalated): number {
  // A report without a recorded time sorts last within its level.
  return item.escalated_at ? Date.parse(item.escalated_at) : Number.POSITIVE_INFINITY;
}

/** Reports of one level, the longest escalated first (it has waited longest for an answer). */
export function longestWaitingFirst<T extends Escalated>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => escalatedTime(a) - escalatedTime(b));
}

/** A unit's escalated reports split by level; a level outside 1–3 (not escalated) is left out. */
export function groupByLevel<T extends Escalated>(items: readonly T[]): Record<Level, T[]> {
  const groups: Record<Level, T[]> = { 1: [], 2: [], 3: [] };
  for (const item of items) {
    if (item.escalation_level === 1 || item.escalation_level === 2 || item.escalation_level === 3) {
      groups[item.escalation_level].push(item);
    }
  }
  for (const level of LEVELS) groups[level] = longestWaitingFirst(groups[level]);
  return groups;
}

/** The coordinators' board arrives keyed '1'..'3'; missing keys are empty levels. */
export function boardLevels<T extends Escalated>(
  levels: Partial<Record<string, readonly T[]>>,
): Record<Level, T[]> {
  const board: Record<Level, T[]> = { 1: [], 2: [], 3: [] };
  for (const level of LEVELS) board[level] = longestWaitingFirst(levels[String(level)] ?? []);
  return board;
}
