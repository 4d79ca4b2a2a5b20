import { describe, expect, it } from "vitest";
import { defaultPrefs, parsePrefs } from "./prefs";

describe("parsePrefs", () => {
  it("falls back to the defaults for missing or broken storage", () => {
    expect(parsePrefs(null)).toEqual(defaultPrefs);
    expect(parsePrefs("{not json")).toEqual(defaultPrefs);
    expect(parsePrefs("[1,2]")).toEqual(defaultPrefs);
    expect(parsePrefs("42")).toEqual(defaultPrefs);
  });
  it("keeps valid values and repairs invalid ones", () => {
    const p = parsePrefs(
      JSON.stringify({ theme: "dark", compact: true, clock24: "yes", sound: true, collapsed: ["dms", 3, "favorites"] }),
    );
    expect(p.theme).toBe("dark");
    expect(p.compact).toBe(true);
    expect(p.clock24).toBe(false);
    expect(p.sound).toBe(true);
    expect(p.desktopNotify).toBe(true);
    expect(p.collapsed).toEqual(["dms", "favorites"]);
  });
  it("accepts only known themes", () => {
    expect(parsePrefs(JSON.stringify({ theme: "light" })).theme).toBe("light");
    expect(parsePrefs(JSON.stringify({ theme: "solarized" })).theme).toBe("system");
  });
});
