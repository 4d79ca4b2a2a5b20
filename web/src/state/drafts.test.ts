import { afterEach, describe, expect, it, vi } from "vitest";
import { clearDraft, createDraftSaver, draftKey, loadDraft, pruneDrafts, saveDraft, type DraftStorage } from "./drafts";

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
  };
}

describe("draft keys", () => {
  it("separates a channel from its threads", () => {
    expect(draftKey("c1")).toBe("c1");
    expect(draftKey("c1", null)).toBe("c1");
    expect(draftKey("c1", "r1")).toBe("c1:r1");
    expect(draftKey("c1", "r1")).not.toBe(draftKey("c1", "r2"));
  });
});

describe("draft storage", () => {
  it("round-trips text per slot", () => {
    const s = memoryStorage();
    saveDraft("c1", "hello\nworld", s);
    saveDraft("c1:r1", "reply", s);
    expect(loadDraft("c1", s)).toBe("hello\nworld");
    expect(loadDraft("c1:r1", s)).toBe("reply");
    expect(loadDraft("c2", s)).toBe("");
  });
  it("removes the slot when the text is blank or cleared", () => {
    const s = memoryStorage();
    saveDraft("c1", "x", s);
    saveDraft("c1", "   ", s);
    expect(s.data.size).toBe(0);
    saveDraft("c1", "y", s);
    clearDraft("c1", s);
    expect(loadDraft("c1", s)).toBe("");
  });
  it("survives corrupt entries and missing storage", () => {
    const s = memoryStorage();
    s.setItem("hearth.draft.c1", "{not json");
    expect(loadDraft("c1", s)).toBe("");
    expect(loadDraft("c1", null)).toBe("");
    expect(() => saveDraft("c1", "x", null)).not.toThrow();
  });
  it("prunes old and unreadable drafts only", () => {
    const s = memoryStorage();
    saveDraft("old", "a", s, 0);
    saveDraft("new", "b", s, 1000);
    s.setItem("hearth.draft.bad", "zzz");
    s.setItem("hearth.prefs", "{}");
    expect(pruneDrafts(s, 1000 + 10, 500)).toBe(2);
    expect(loadDraft("new", s)).toBe("b");
    expect(s.getItem("hearth.prefs")).toBe("{}");
  });
});

describe("debounced saver", () => {
  afterEach(() => vi.useRealTimers());
  it("writes the last text once after the delay", () => {
    vi.useFakeTimers();
    const save = vi.fn();
    const saver = createDraftSaver(300, save);
    saver.schedule("c1", "h");
    saver.schedule("c1", "he");
    saver.schedule("c1", "hey");
    vi.advanceTimersByTime(299);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith("c1", "hey");
  });
  it("flushes at once and cancels without writing", () => {
    vi.useFakeTimers();
    const save = vi.fn();
    const saver = createDraftSaver(300, save);
    saver.schedule("c1", "a");
    saver.schedule("c2", "b");
    saver.flush("c1");
    expect(save.mock.calls).toEqual([["c1", "a"]]);
    saver.cancel("c2");
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(1);
    saver.schedule("c3", "c");
    saver.flush();
    expect(save).toHaveBeenLastCalledWith("c3", "c");
  });
});
