// Emoji names as people type them in Slack and Mattermost (`:thumbsup:`), mapped
// to characters. The full gemoji table (~1,900 entries) is loaded on first use
// in its own chunk so it never weighs on the first page load; a handful of the
// most used names resolve at once without it.
import { useSyncExternalStore } from "react";

export interface EmojiEntry {
  /** The canonical (first) name, as stored on reactions. */
  name: string;
  names: string[];
  char: string;
  tags: string[];
  category: string;
}

/** Names Slack users reach for first: shown by the picker before anything is typed. */
export const FREQUENT: readonly string[] = [
  "+1", "-1", "smile", "joy", "heart", "tada", "eyes", "pray", "fire", "rocket",
  "white_check_mark", "x", "thinking", "clap", "ok_hand", "100",
];

const BUILTIN: Record<string, string> = {
  "+1": "👍", thumbsup: "👍", "-1": "👎", thumbsdown: "👎", smile: "😄", joy: "😂",
  heart: "❤️", tada: "🎉", eyes: "👀", pray: "🙏", fire: "🔥", rocket: "🚀",
  white_check_mark: "✅", x: "❌", thinking: "🤔", clap: "👏", ok_hand: "👌", "100": "💯",
};

let table: EmojiEntry[] | null = null;
let byName: Map<string, EmojiEntry> | null = null;
let loading: Promise<EmojiEntry[]> | null = null;
const listeners = new Set<() => void>();

/** Loads the full table once (its own chunk); resolves with every entry. */
export function loadEmoji(): Promise<EmojiEntry[]> {
  if (table) return Promise.resolve(table);
  loading ??= import("gemoji").then(({ gemoji }) => {
    const list: EmojiEntry[] = gemoji.map((g) => ({
      name: g.names[0],
      names: g.names,
      char: g.emoji,
      tags: g.tags,
      category: g.category,
    }));
    const map = new Map<string, EmojiEntry>();
    for (const e of list) for (const n of e.names) map.set(n, e);
    table = list;
    byName = map;
    listeners.forEach((l) => l());
    return list;
  });
  return loading;
}

/** The character for a name, or undefined when unknown (or the table is not loaded yet). */
export function emojiChar(name: string): string | undefined {
  return byName?.get(name)?.char ?? BUILTIN[name];
}

/** Re-renders when the full table arrives; triggers its load when `load` (the default). */
export function useEmojiTable(load = true): EmojiEntry[] | null {
  const t = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => table,
  );
  if (!t && load) void loadEmoji();
  return t;
}

/**
 * Entries whose names start with `prefix` first, then those containing it or
 * tagged with it; at most `limit`. Needs the loaded table (`[]` otherwise).
 */
export function searchEmoji(prefix: string, limit = 20): EmojiEntry[] {
  if (!table) return [];
  const q = prefix.toLowerCase();
  if (!q) return FREQUENT.map((n) => byName!.get(n)).filter((e): e is EmojiEntry => !!e).slice(0, limit);
  const starts: EmojiEntry[] = [];
  const contains: EmojiEntry[] = [];
  for (const e of table) {
    if (e.names.some((n) => n.startsWith(q))) starts.push(e);
    else if (e.names.some((n) => n.includes(q)) || e.tags.some((t) => t.startsWith(q))) contains.push(e);
    if (starts.length >= limit) break;
  }
  return [...starts, ...contains].slice(0, limit);
}

// ---- personal "frequently used" list, kept in this browser ----
const USE_KEY = "hearth.emojiUse";
type UseCounts = Record<string, number>;

function readUse(): UseCounts {
  try {
    const raw = localStorage.getItem(USE_KEY);
    const v: unknown = raw ? JSON.parse(raw) : {};
    return v && typeof v === "object" ? (v as UseCounts) : {};
  } catch {
    return {};
  }
}

/** Counts one use of an emoji (reactions), so it rises in the picker's "Frequently used". */
export function recordEmojiUse(name: string): void {
  const use = readUse();
  use[name] = (use[name] ?? 0) + 1;
  try {
    localStorage.setItem(USE_KEY, JSON.stringify(use));
  } catch {
    /* storage unavailable: the list stays the default */
  }
}

/** Most used names first, topped up with the defaults; at most `limit`. */
export function rankFrequent(use: UseCounts, limit = 24, defaults: readonly string[] = FREQUENT): string[] {
  const mine = Object.entries(use)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name);
  const out = [...mine];
  for (const d of defaults) if (!out.includes(d)) out.push(d);
  return out.slice(0, limit);
}

export function frequentEmoji(limit = 24): string[] {
  return rankFrequent(typeof localStorage === "undefined" ? {} : readUse(), limit);
}

/** Entries by gemoji category, in table order (needs the loaded table). */
export function emojiCategories(): { name: string; entries: EmojiEntry[] }[] {
  if (!table) return [];
  const map = new Map<string, EmojiEntry[]>();
  for (const e of table) {
    const list = map.get(e.category);
    if (list) list.push(e);
    else map.set(e.category, [e]);
  }
  return [...map].map(([name, entries]) => ({ name, entries }));
}

/** The entry for a name (any alias), when the table is loaded. */
export function emojiEntry(name: string): EmojiEntry | undefined {
  return byName?.get(name);
}

/** Calls `fn` whenever the full table arrives (for renderers that cache output). */
export function onEmojiLoaded(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Whether the full table is loaded. */
export function emojiLoaded(): boolean {
  return table !== null;
}
