import { describe, expect, it } from "vitest";
import { post } from "../state/fixtures";
import { buildRows, dayKey } from "./grouping";

const DAY = 86_400_000;
const utc = (t: number) => dayKey(t, 0);

describe("buildRows", () => {
  it("groups consecutive posts by the same author", () => {
    const rows = buildRows(
      [
        post("1", { user_id: "a", created_at: DAY }),
        post("2", { user_id: "a", created_at: DAY + 60_000 }),
        post("3", { user_id: "b", created_at: DAY + 120_000 }),
        post("4", { user_id: "b", created_at: DAY + 120_000 + 6 * 60_000 }),
      ],
      utc,
    );
    expect(rows.map((r) => (r.kind === "date" ? `date:${r.day}` : `${r.post.id}:${r.head}`))).toEqual([
      "date:1970-01-02",
      "1:true",
      "2:false",
      "3:true",
      "4:true",
    ]);
  });

  it("inserts a separator on each new day and restarts grouping", () => {
    const rows = buildRows(
      [post("1", { user_id: "a", created_at: 2 * DAY - 1000 }), post("2", { user_id: "a", created_at: 2 * DAY + 1000 })],
      utc,
    );
    expect(rows.map((r) => r.kind + (r.kind === "post" ? String(r.head) : ""))).toEqual(["date", "posttrue", "date", "posttrue"]);
  });

  it("replies always get their own header", () => {
    const rows = buildRows(
      [post("1", { user_id: "a", created_at: DAY }), post("2", { user_id: "a", created_at: DAY + 1, root_id: "1" })],
      utc,
    );
    expect(rows.filter((r) => r.kind === "post").map((r) => r.kind === "post" && r.head)).toEqual([true, true]);
  });

  it("dayKey honours the offset", () => {
    expect(dayKey(DAY - 1000, 0)).toBe("1970-01-01");
    expect(dayKey(DAY - 1000, -60)).toBe("1970-01-02");
  });
});
