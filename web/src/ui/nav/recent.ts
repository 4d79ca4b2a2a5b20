// Channels opened recently in this browser, most recent first (the quick
// switcher lists them first).
import type { Id } from "../../api/types";
import { pushRecent } from "./switcherMatch";

const KEY = "hearth.recentChannels";

export function recentChannels(): Id[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function noteRecent(id: Id): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(pushRecent(recentChannels(), id)));
  } catch {
    /* storage unavailable */
  }
}
