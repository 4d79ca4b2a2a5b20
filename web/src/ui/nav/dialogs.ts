// Which navigation dialog is open (one at a time); any component or
// keyboard shortcut can open one, NavDialogs renders it.
import { useSyncExternalStore } from "react";

export type NavDialog =
  | "switcher"
  | "browse"
  | "create-channel"
  | "direct"
  | "shortcuts"
  | "settings"
  | "invite"
  | "team-settings"
  | "leave-team"
  | "join-team"
  | "channel-info"
  | "channel-edit"
  | "channel-notify"
  | "channel-archive"
  | "channel-leave";

let open: NavDialog | null = null;
const listeners = new Set<() => void>();

export function openDialog(d: NavDialog | null): void {
  if (open === d) return;
  open = d;
  listeners.forEach((l) => l());
}

export function closeDialog(): void {
  openDialog(null);
}

export function getDialog(): NavDialog | null {
  return open;
}

export function useNavDialog(): NavDialog | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => open,
  );
}
