// Display preferences of this browser (theme, density, clock), kept in
// localStorage and applied at once in every open tab.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark" | "system";
export interface Prefs {
  theme: Theme;
  compact: boolean;
  clock24: boolean;
}

const KEY = "hearth.prefs";
export const defaultPrefs: Prefs = { theme: "system", compact: false, clock24: false };

function read(): Prefs {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return defaultPrefs;
    const p = JSON.parse(raw) as Partial<Prefs>;
    return {
      theme: p.theme === "light" || p.theme === "dark" ? p.theme : "system",
      compact: p.compact === true,
      clock24: p.clock24 === true,
    };
  } catch {
    return defaultPrefs;
  }
}

let current: Prefs = typeof localStorage === "undefined" ? defaultPrefs : read();
const listeners = new Set<() => void>();

export function getPrefs(): Prefs {
  return current;
}

export function setPrefs(patch: Partial<Prefs>): void {
  current = { ...current, ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    /* storage unavailable: the change lasts for this page only */
  }
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

if (typeof window !== "undefined") {
  // Another tab changed them.
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = read();
    listeners.forEach((l) => l());
  });
}

export function usePrefs(): Prefs {
  return useSyncExternalStore(subscribe, getPrefs);
}
