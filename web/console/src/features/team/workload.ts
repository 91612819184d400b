import { sortByName } from "../../../../shared/i18n";

/** The team page's reading of GET /officer/team: who carries what, the most overdue first. */

export interface OfficerLoad {
  officer_id: string;
  name: string;
  role: string;
  open: number;
  overdue: number;
}

export interface Workload {
  officers: readonly OfficerLoad[];
  unassigned: { open: number; overdue: number };
}

/** Officers with the most overdue first, then the most open, then by name (Vietnamese order). */
export function busiestFirst(officers: readonly OfficerLoad[]): OfficerLoad[] {
  // A stable sort over the names' order keeps that order where the loads tie.
  return sortByName([...officers], (officer) => officer.name).sort(
    (a, b) => b.overdue - a.overdue || b.open - a.open,
  );
}

/** The unit's totals: everyone's plus the reports nobody is named for. */
export function unitTotals(workload: Workload): { open: number; overdue: number } {
  return workload.officers.reduce(
    (sum, officer) => ({ open: sum.open + officer.open, overdue: sum.overdue + officer.overdue }),
    { ...workload.unassigned },
  );
}

/** The width of an officer's bar, as a share of the busiest officer's open reports. */
export function loadShare(officer: OfficerLoad, officers: readonly OfficerLoad[]): number {
  const most = Math.max(0, ...officers.map((other) => other.open));
  return most === 0 ? 0 : Math.round((officer.open / most) * 100);
}
