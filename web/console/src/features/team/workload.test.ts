import { describe, expect, it } from "vitest";
import { busiestFirst, loadShare, unitTotals } from "./workload";

const officer = (name: string, open: number, overdue: number) => ({
  officer_id: name.toLowerCase(), name, role: "officer", open, overdue,
});

describe("team workload", () => {
  it("shows the most overdue first, then the most open, then by name", () => {
    const sorted = busiestFirst([officer("Bình", 4, 0), officer("An", 4, 0), officer("Châu", 1, 1)]);
    expect(sorted.map((one) => one.name)).toEqual(["Châu", "An", "Bình"]);
  });

  it("adds the unassigned reports to the unit's totals", () => {
    const totals = unitTotals({ officers: [officer("An", 3, 1), officer("Bình", 2, 0)], unassigned: { open: 5, overdue: 2 } });
    expect(totals).toEqual({ open: 10, overdue: 3 });
  });

  it("sizes each bar against the busiest officer", () => {
    const team = [officer("An", 4, 0), officer("Bình", 1, 0)];
    expect(team.map((one) => loadShare(one, team))).toEqual([100, 25]);
    expect(loadShare(officer("An", 0, 0), [officer("An", 0, 0)])).toBe(0);
  });
});
