// Which part of the app the address names: the chat (handled by
// ui/nav/useLocationSync) or the system console under /admin. Kept tiny: it is
// part of the first load, the console itself is not.
import { useSyncExternalStore } from "react";

export function isAdminPath(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/");
}

const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener("popstate", fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener("popstate", fn);
  };
}

/** Navigates within the app: a new history entry (or a replaced one), then re-render. */
export function goTo(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const fn of listeners) fn();
}

const snapshot = () => location.pathname + location.search;

/** The current path and query, updated on navigation and back/forward. */
export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
