import { describe, expect, it } from "vitest";
import { ageText, distanceMetres, distanceText, proposeMerge } from "./compare";
import { rejectProblems } from "./grounds";

describe("merge comparison", () => {
  it("measures the distance between two places in metres", () => {
    // 0.001° of latitude is about 111 m anywhere.
    expect(distanceMetres({ lat: 9.779, lon: 105.47 }, { lat: 9.78, lon: 105.47 })).toBe(111);
    expect(distanceMetres({ lat: 9.779, lon: 105.47 }, null)).toBeNull();
    expect(distanceText(1530)).toEqual({ vi: "1,5 km", en: "1.5 km" });
  });

  it("says the age in minutes, hours or days", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    expect(ageText("2026-12-02T09:35:00Z", now).en).toBe("25 min ago");
    expect(ageText("2026-12-01T10:00:00Z", now).vi).toBe("24 giờ trước");
    expect(ageText("2026-11-25T10:00:00Z", now).en).toBe("7 days ago");
  });

  it("proposes the older report as the master, and only for two open reports", () => {
    const older = { report_id: "A", status: "ASSIGNED", created_at: "2026-12-01T00:00:00Z" };
    const newer = { report_id: "B", status: "RECEIVED", created_at: "2026-12-02T00:00:00Z" };
    expect(proposeMerge(newer, older)).toEqual({ master: older, duplicate: newer });
    expect(proposeMerge({ ...older, status: "CLOSED" }, newer)).toBeNull();
    expect(proposeMerge(older, older)).toBeNull();
  });
});

describe("reject form", () => {
  it("needs known grounds and an explanation", () => {
    expect(Object.keys(rejectProblems({ grounds: "", reason: " " }))).toEqual(["grounds", "reason"]);
    expect(rejectProblems({ grounds: "spam", reason: "Quảng cáo" })).toEqual({});
  });
});
