// Preferences of this browser (theme, density, clock, notifications, sidebar
// layout), kept in localStorage and applied at once in every open tab.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark" | "system";
export interface Prefs {
  theme: Theme;
  compact: boolean;
  clock24: boolean;
  /** Desktop notifications for mentions and direct messages (also needs the browser's permission). */
  desktopNotify: boolean;
  /** A short sound with each desktop notification. */
  sound: boolean;
  /** Unread channels gathered in their own sidebar section at the top. */
  unreadsOnTop: boolean;
  /** Sidebar sections folded away (section keys). */
  collapsed: string[];
}

const KEY = "hearth.prefs";
export const defaultPrefs: Prefs = {
  theme: "system",
  compact: false,
  clock24: false,
  desktopNotify: true,
  sound: false,
  unreadsOnTop: false,
  collapsed: [],
};

/** Reads stored preferences, falling back to the default for anything missing or malformed. */
export function parsePrefs(raw: string | null): Prefs {
  if (!raw) return defaultPrefs;
  let p: Partial<Record<keyof Prefs, unknown>>;
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== "object" || Array.isArray(v)) return defaultPrefs;
    p = v as Partial<Record<keyof Prefs, unknown>>;
  } catch {
    return defaultPrefs;
  }
  const bool = (v: unknown, d: boolean) => (typeof v === "boolean" ? v : d);
  return {
    theme: p.theme === "light" || p.theme === "dark" ? p.theme : "system",
    compact: bool(p.compact, defaultPrefs.compact),
    clock24: bool(p.clock24, defaultPrefs.clock24),
    desktopNotify: bool(p.desktopNotify, defaultPrefs.desktopNotify),
    sound: bool(p.sound, defaultPrefs.sound),
    unreadsOnTop: bool(p.unreadsOnTop, defaultPrefs.unreadsOnTop),
    collapsed: Array.isArray(p.collapsed) ? p.collapsed.filter((x): x is string => typeof x === "string") : [],
  };
}

function read(): Prefs {
  try {
    return parsePrefs(localStorage.getItem(KEY));
  } catch {
    return defaultPrefs;
  }
}

let current: Prefs = typeof localStorage === "undefined" ? defaultPrefs : read();
const listeners = new Set<() => void>();

export function getPrefs(): Prefs {
  return current;
}

/** Theme and density as attributes of <html>, which styles.css keys on. */
function apply(p: Prefs): void {
  if (typeof document === "undefined") return;
  const root = document.documentElement;
  if (p.theme === "system") delete root.dataset.theme;
  else root.dataset.theme = p.theme;
  if (p.compact) root.dataset.density = "compact";
  else delete root.dataset.density;
}

export function setPrefs(patch: Partial<Prefs>): void {
  current = { ...current, ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    /* storage unavailable: the change lasts for this page only */
  }
  apply(current);
  listeners.forEach((l) => l());
}

/** Folds or unfolds a sidebar section. */
export function toggleCollapsed(section: string): void {
  const c = current.collapsed;
  setPrefs({ collapsed: c.includes(section) ? c.filter((s) => s !== section) : [...c, section] });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

if (typeof window !== "undefined") {
  apply(current);
  // Another tab changed them.
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = read();
    apply(current);
    listeners.forEach((l) => l());
  });
}

export function usePrefs(): Prefs {
  return useSyncExternalStore(subscribe, getPrefs);
}
