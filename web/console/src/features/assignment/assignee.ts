import { sortByName } from '../../../../shared/i18n';

/** Who a unit head may name to work a report: the officers of the owner unit, each with what they
 * already carry, so the choice is made knowing the load. */

export interface TeamMember {
  officer_id: string;
  name: string;
  open: number;
  overdue: number;
}

export const ASSIGN_ACTION = 'assign_officer';

export function mayAssign(allowedActions: readonly string[] | undefined): boolean {
  return allowedActions?.includes(ASSIGN_ACTION) ?? false;
}

/** The picker's choices, by name in Vietnamese order. */
export function byName(team: readonly TeamMember[]): TeamMember[] {
  return sortByName([...team], (member) => member.name);
}

/** The body of POST /officer/reports/{id}/assignee; an empty choice clears the assignee. */
export function assigneeChange(choice: string, version: number, note: string) {
  const trimmed = note.trim();
  return { officer_id: choice || null, version, ...(trimmed ? { note: trimmed } : {}) };
}

/** The name to show for an assignee; the id when the officer has left the directory. */
export function assigneeName(assignee: { officer_id: string; name?: string | null } | null | undefined): string | null {
  return assignee ? (assignee.name ?? assignee.officer_id) : null;
}
