import { describe, expect, it } from "vitest";
import { boardLevels, groupByLevel, longestWaitingFirst } from "./levels";

const at = (iso: string | null, level = 1) => ({ escalation_level: level, escalated_at: iso });

describe("escalation levels", () => {
  it("puts the longest escalated first and unknown times last", () => {
    const sorted = longestWaitingFirst([at("2026-11-03T00:00:00Z"), at(null), at("2026-11-01T00:00:00Z")]);
    expect(sorted.map((item) => item.escalated_at)).toEqual(["2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z", null]);
  });

  it("splits a unit's reports by level and drops those not escalated", () => {
    const groups = groupByLevel([at("2026-11-02T00:00:00Z", 3), at("2026-11-01T00:00:00Z", 1), at(null, 0)]);
    expect(groups[1]).toHaveLength(1);
    expect(groups[2]).toHaveLength(0);
    expect(groups[3][0]?.escalated_at).toBe("2026-11-02T00:00:00Z");
  });

  it("reads the coordinators' board with missing levels as empty", () => {
    const board = boardLevels({ "2": [at("2026-11-05T00:00:00Z", 2), at("2026-11-04T00:00:00Z", 2)] });
    expect(board[1]).toEqual([]);
    expect(board[2].map((item) => item.escalated_at)).toEqual(["2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z"]);
    expect(board[3]).toEqual([]);
  });
});
