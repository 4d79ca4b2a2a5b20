import { describe, expect, it } from "vitest";
import { auditQuery, chartBars, dayToMillis, formatBytes, formatDuration, formatUtc, plural, searchLag } from "./format";

describe("console formatting", () => {
  it("formats sizes and durations", () => {
    expect(formatBytes(null)).toBe("unknown");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MB");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(7500)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe("3 d 4 h");
    expect(plural(1, "user")).toBe("1 user");
    expect(plural(1200, "entry", "entries")).toBe("1,200 entries");
  });

  it("formats UTC times and parses date filters", () => {
    expect(formatUtc(0)).toBe("1970-01-01 00:00:00 UTC");
    expect(dayToMillis("2026-11-25")).toBe(Date.UTC(2026, 10, 25));
    expect(dayToMillis("2026-11-25", true)).toBe(Date.UTC(2026, 10, 26));
    expect(dayToMillis("25/11/2026")).toBeUndefined();
  });

  it("scales the chart to the busiest day and keeps small days visible", () => {
    const bars = chartBars(
      [
        { day: "2026-11-23", count: 0 },
        { day: "2026-11-24", count: 1 },
        { day: "2026-11-25", count: 100 },
      ],
      300,
      50,
    );
    expect(bars.map((b) => b.height)).toEqual([0, 2, 50]);
    expect(bars[2].y).toBe(0);
    expect(bars[1].x).toBe(100);
    expect(bars[0].width).toBe(98);
    expect(chartBars([], 300, 50)).toEqual([]);
  });

  it("measures the index's lag", () => {
    const s = { enabled: true, posts: 1, files: 0, size_bytes: 1, cursor: 40, latest_seq: 45, rebuilding: false, last_error: null };
    expect(searchLag(s)).toBe(5);
    expect(searchLag({ ...s, cursor: null })).toBe(45);
    expect(searchLag({ ...s, cursor: 50 })).toBe(0);
  });
});

describe("audit filters", () => {
  it("turns the address's filters into the server's query", () => {
    expect(auditQuery({ action: "user.role", from: "2026-11-01", to: "2026-11-25", after: "40" }, "u1")).toEqual({
      after: 40,
      limit: 50,
      action: "user.role",
      actor_id: "u1",
      since: Date.UTC(2026, 10, 1),
      until: Date.UTC(2026, 10, 26),
    });
    expect(auditQuery({ after: "x", from: "yesterday" })).toEqual({
      after: undefined,
      limit: 50,
      action: undefined,
      actor_id: undefined,
      since: undefined,
      until: undefined,
    });
  });
});
