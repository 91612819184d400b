import { describe, expect, it } from "vitest";
import { assigneeChange, assigneeOptions, assigneeText, mayAssign } from "./assignee";

describe("assignment", () => {
  it("is offered only where the API allows it", () => {
    expect(mayAssign(["acknowledge", "assign_officer"])).toBe(true);
    expect(mayAssign(["acknowledge"])).toBe(false);
    expect(mayAssign(undefined)).toBe(false);
  });

  it("lists the unit's officers by name with their load", () => {
    const options = assigneeOptions([
      { officer_id: "b", name: "Trần Bình", open: 2, overdue: 1 },
      { officer_id: "a", name: "Lê An", open: 0, overdue: 0 },
    ]);
    expect(options.map((option) => option.value)).toEqual(["a", "b"]);
    expect(options[1]?.label.vi).toBe("Trần Bình (2 đang mở, 1 quá hạn)");
  });

  it("sends null to clear, and the note only when written", () => {
    expect(assigneeChange("", 4, " ")).toEqual({ officer_id: null, version: 4 });
    expect(assigneeChange("a", 4, "Gần nhà")).toEqual({ officer_id: "a", version: 4, note: "Gần nhà" });
  });

  it("names the assignee, or says nobody is named", () => {
    expect(assigneeText(null).en).toBe("Not assigned");
    expect(assigneeText({ officer_id: "x.officer", name: null }).vi).toBe("x.officer");
  });
});
