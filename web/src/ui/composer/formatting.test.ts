import { describe, expect, it } from "vitest";
import { insertToken, shortcutMarker, toggleWrap } from "./formatting";

describe("toggleWrap", () => {
  it("wraps the selection and keeps it selected", () => {
    expect(toggleWrap("make it bold now", 8, 12, "**")).toEqual({ text: "make it **bold** now", start: 10, end: 14 });
  });
  it("inserts an empty pair with the caret inside", () => {
    expect(toggleWrap("ab", 1, 1, "_")).toEqual({ text: "a__b", start: 2, end: 2 });
  });
  it("unwraps when applied again, markers inside or outside the selection", () => {
    const once = toggleWrap("x bold y", 2, 6, "**");
    expect(toggleWrap(once.text, once.start, once.end, "**")).toEqual({ text: "x bold y", start: 2, end: 6 });
    expect(toggleWrap("x **bold** y", 2, 10, "**")).toEqual({ text: "x bold y", start: 2, end: 6 });
  });
});

describe("insertToken", () => {
  it("spaces the token from the words around it", () => {
    expect(insertToken("great", 5, 5, ":tada:")).toEqual({ text: "great :tada: ", start: 13, end: 13 });
    expect(insertToken("", 0, 0, ":+1:")).toEqual({ text: ":+1: ", start: 5, end: 5 });
    expect(insertToken("a b", 2, 2, ":x:")).toEqual({ text: "a :x: b", start: 6, end: 6 });
  });
  it("replaces a selection", () => {
    expect(insertToken("I love it", 2, 6, ":heart:").text).toBe("I :heart: it");
  });
});

describe("shortcutMarker", () => {
  const k = (key: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "shiftKey" | "altKey", boolean>> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });
  it("maps Ctrl/Cmd+B, +I and +Shift+X, nothing else", () => {
    expect(shortcutMarker(k("b", { ctrlKey: true }))).toBe("**");
    expect(shortcutMarker(k("i", { metaKey: true }))).toBe("_");
    expect(shortcutMarker(k("X", { ctrlKey: true, shiftKey: true }))).toBe("~~");
    expect(shortcutMarker(k("b"))).toBeNull();
    expect(shortcutMarker(k("b", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutMarker(k("x", { ctrlKey: true }))).toBeNull();
  });
});
