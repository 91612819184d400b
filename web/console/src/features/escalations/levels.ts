/** Escalation levels as the sweeper sends them (phananh.escalation.sweeper.next_up): who hears of
 * a missed deadline at each level, so the board can say it next to the reports. */

export interface Bilingual {
  vi: string;
  en: string;
}

export type Level = 1 | 2 | 3;
export const LEVELS: readonly Level[] = [1, 2, 3];

export const LEVEL_MEANING: Record<Level, Bilingual> = {
  1: { vi: "Cấp 1: đã báo lãnh đạo đơn vị", en: "Level 1: the unit head was told" },
  2: { vi: "Cấp 2: đã báo Trung tâm điều phối", en: "Level 2: the coordinators were told" },
  3: {
    vi: "Cấp 3: đã báo cơ quan cấp trên, phản ánh bị đánh dấu quá hạn công khai",
    en: "Level 3: the supervising body was told, the report is publicly marked overdue",
  },
};

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

/** The coordinators' board arrives keyed "1".."3"; missing keys are empty levels. */
export function boardLevels<T extends Escalated>(
  levels: Partial<Record<string, readonly T[]>>,
): Record<Level, T[]> {
  const board: Record<Level, T[]> = { 1: [], 2: [], 3: [] };
  for (const level of LEVELS) board[level] = longestWaitingFirst(levels[String(level)] ?? []);
  return board;
}
