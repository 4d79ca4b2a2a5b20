import { describe, expect, it } from "vitest";
import { localTime, zoneOffsetHours } from "./localTime";

const noonUtc = new Date(Date.UTC(2026, 0, 15, 12, 5));

describe("localTime", () => {
  it("formats the time in the given zone, 24- or 12-hour", () => {
    expect(localTime("UTC", noonUtc, true)).toBe("12:05");
    expect(localTime("Asia/Tokyo", noonUtc, true)).toBe("21:05");
    expect(localTime("America/New_York", noonUtc, false)).toBe("7:05 AM");
  });
  it("gives up on unknown zones", () => {
    expect(localTime("Mars/Olympus", noonUtc, true)).toBeNull();
    expect(localTime("", noonUtc, true)).toBeNull();
  });
});

describe("zoneOffsetHours", () => {
  it("is the difference to the local zone", () => {
    const tokyo = zoneOffsetHours("Asia/Tokyo", noonUtc)!;
    const utc = zoneOffsetHours("UTC", noonUtc)!;
    expect(tokyo - utc).toBe(9);
    expect(zoneOffsetHours("Asia/Kolkata", noonUtc)! - utc).toBe(5.5);
    expect(zoneOffsetHours("Nope/Nope", noonUtc)).toBeNull();
  });
});
