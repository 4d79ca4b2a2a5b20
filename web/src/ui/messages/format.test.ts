import { describe, expect, it } from "vitest";
import { avatarHue, formatAgo, formatDay, formatTime, initials } from "./format";

describe("formatTime", () => {
  const at = new Date(2026, 10, 25, 15, 7).getTime();
  it("follows the clock preference", () => {
    expect(formatTime(at, true)).toMatch(/15.07/);
    expect(formatTime(at, false)).toMatch(/3.07/);
  });
});

describe("formatDay", () => {
  const now = new Date(2026, 10, 25, 12, 0).getTime();
  it("names today and yesterday", () => {
    expect(formatDay(new Date(2026, 10, 25, 1, 0).getTime(), now)).toBe("Today");
    expect(formatDay(new Date(2026, 10, 24, 23, 0).getTime(), now)).toBe("Yesterday");
  });
  it("adds the year only for other years", () => {
    expect(formatDay(new Date(2026, 10, 2).getTime(), now)).not.toMatch(/2026/);
    expect(formatDay(new Date(2025, 10, 2).getTime(), now)).toMatch(/2025/);
  });
});

describe("formatAgo", () => {
  const now = new Date(2026, 10, 25, 12, 0).getTime();
  it("counts minutes and hours", () => {
    expect(formatAgo(now - 10_000, now)).toBe("just now");
    expect(formatAgo(now - 5 * 60_000, now)).toBe("5 minutes ago");
    expect(formatAgo(now - 60_000, now)).toBe("1 minute ago");
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe("3 hours ago");
    expect(formatAgo(new Date(2026, 10, 22, 12, 0).getTime(), now)).toBe("3 days ago");
  });
});

describe("avatar fallbacks", () => {
  it("takes first and last initials", () => {
    expect(initials({ display_name: "Alice Admin", username: "alice" })).toBe("AA");
    expect(initials({ display_name: "", username: "bob.smith" })).toBe("BS");
    expect(initials({ display_name: "", username: "carol" })).toBe("C");
  });
  it("derives a stable hue from the id", () => {
    expect(avatarHue("0190-abc")).toBe(avatarHue("0190-abc"));
    expect(avatarHue("x")).toBeGreaterThanOrEqual(0);
    expect(avatarHue("x")).toBeLessThan(360);
  });
});
