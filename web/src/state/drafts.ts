// Unsent composer text per channel and per thread, kept in this browser's
// localStorage so a reload or a channel switch never loses what was typed.
import type { Id } from "../api/types";

const PREFIX = "hearth.draft.";
/** Drafts untouched for this long are dropped on the next prune. */
export const DRAFT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** The subset of the Web Storage API drafts need (injectable for tests). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

interface Stored {
  text: string;
  at: number;
}

function browserStorage(): DraftStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/** The draft slot of a channel's composer, or of a thread's reply box. */
export function draftKey(channelId: Id, rootId?: Id | null): string {
  return rootId ? `${channelId}:${rootId}` : channelId;
}

export function loadDraft(key: string, storage: DraftStorage | null = browserStorage()): string {
  if (!storage) return "";
  try {
    const raw = storage.getItem(PREFIX + key);
    if (!raw) return "";
    const v = JSON.parse(raw) as Partial<Stored>;
    return typeof v.text === "string" ? v.text : "";
  } catch {
    return "";
  }
}

/** Stores a draft; blank text removes it. */
export function saveDraft(key: string, text: string, storage: DraftStorage | null = browserStorage(), now = Date.now()): void {
  if (!storage) return;
  try {
    if (text.trim()) storage.setItem(PREFIX + key, JSON.stringify({ text, at: now } satisfies Stored));
    else storage.removeItem(PREFIX + key);
  } catch {
    /* quota exceeded or storage disabled: the draft lives in memory only */
  }
}

export function clearDraft(key: string, storage: DraftStorage | null = browserStorage()): void {
  saveDraft(key, "", storage);
}

/** Removes drafts older than `maxAge` (and unreadable ones); returns how many went. */
export function pruneDrafts(storage: DraftStorage | null = browserStorage(), now = Date.now(), maxAge = DRAFT_MAX_AGE_MS): number {
  if (!storage) return 0;
  const stale: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (!k?.startsWith(PREFIX)) continue;
      let at = 0;
      try {
        at = (JSON.parse(storage.getItem(k) ?? "") as Partial<Stored>).at ?? 0;
      } catch {
        at = 0;
      }
      if (now - at > maxAge) stale.push(k);
    }
    stale.forEach((k) => storage.removeItem(k));
  } catch {
    return 0;
  }
  return stale.length;
}

/**
 * Saves drafts at most once per `delayMs` per slot while typing; `flush`
 * writes what is waiting at once (on channel switch, unmount, page hide).
 */
export function createDraftSaver(
  delayMs: number,
  save: (key: string, text: string) => void = (k, t) => saveDraft(k, t),
  // Wrapped: browsers refuse timer functions called as methods of another object.
  timers: { set: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>; clear: (t: ReturnType<typeof setTimeout>) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (t) => clearTimeout(t),
  },
) {
  const waiting = new Map<string, { text: string; timer: ReturnType<typeof setTimeout> }>();
  const write = (key: string) => {
    const w = waiting.get(key);
    if (!w) return;
    timers.clear(w.timer);
    waiting.delete(key);
    save(key, w.text);
  };
  return {
    schedule(key: string, text: string): void {
      const old = waiting.get(key);
      if (old) timers.clear(old.timer);
      waiting.set(key, { text, timer: timers.set(() => write(key), delayMs) });
    },
    flush(key?: string): void {
      if (key !== undefined) write(key);
      else [...waiting.keys()].forEach(write);
    },
    /** Forgets a waiting save (after sending, the slot is cleared instead). */
    cancel(key: string): void {
      const w = waiting.get(key);
      if (w) timers.clear(w.timer);
      waiting.delete(key);
    },
  };
}

/** The app-wide saver (one per page: both composers share it). */
export const draftSaver = createDraftSaver(400);

if (typeof window !== "undefined") {
  // Closing or reloading the tab: write what the debounce still holds.
  window.addEventListener("pagehide", () => draftSaver.flush());
  pruneDrafts();
}
