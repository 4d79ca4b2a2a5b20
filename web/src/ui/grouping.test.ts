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
    expect(rows.map((r) => (r.kind === "date" ? `date:${r.day}` : r.kind === "post" ? `${r.post.id}:${r.head}` : r.kind))).toEqual([
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

describe("the New messages line", () => {
  it("goes before the given post and starts a new group", () => {
    const rows = buildRows(
      [post("1", { user_id: "a", created_at: DAY }), post("2", { user_id: "a", created_at: DAY + 1000 })],
      utc,
      { newBefore: "2" },
    );
    expect(rows.map((r) => (r.kind === "post" ? `${r.post.id}:${r.head}` : r.kind))).toEqual(["date", "1:true", "new", "2:true"]);
  });

  it("is absent when nothing is unread", () => {
    const rows = buildRows([post("1", { created_at: DAY })], utc, { newBefore: null });
    expect(rows.some((r) => r.kind === "new")).toBe(false);
  });
});
