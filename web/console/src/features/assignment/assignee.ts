/** Who a unit head may name to work a report: the officers of the owner unit, each with what they
 * already carry, so the choice is made knowing the load. */

export interface TeamMember {
  officer_id: string;
  name: string;
  open: number;
  overdue: number;
}

export interface Bilingual {
  vi: string;
  en: string;
}

export const ASSIGN_ACTION = "assign_officer";

export function mayAssign(allowedActions: readonly string[] | undefined): boolean {
  return allowedActions?.includes(ASSIGN_ACTION) ?? false;
}

/** The picker's options, by name; each says how much the officer carries. */
export function assigneeOptions(team: readonly TeamMember[]): { value: string; label: Bilingual }[] {
  return [...team]
    .sort((a, b) => a.name.localeCompare(b.name, "vi"))
    .map((member) => ({
      value: member.officer_id,
      label: {
        vi: `${member.name} (${member.open} đang mở, ${member.overdue} quá hạn)`,
        en: `${member.name} (${member.open} open, ${member.overdue} overdue)`,
      },
    }));
}

/** The body of POST /officer/reports/{id}/assignee; an empty choice clears the assignee. */
export function assigneeChange(choice: string, version: number, note: string) {
  const trimmed = note.trim();
  return { officer_id: choice || null, version, ...(trimmed ? { note: trimmed } : {}) };
}

/** How the queue and the report name who works a report. */
export function assigneeText(assignee: { officer_id: string; name?: string | null } | null | undefined): Bilingual {
  if (!assignee) return { vi: "Chưa giao", en: "Not assigned" };
  const name = assignee.name ?? assignee.officer_id;
  return { vi: name, en: name };
}
