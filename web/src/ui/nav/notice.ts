// A one-line failure notice for actions started from menus (favourite, mute,
// leave…), which have no form of their own to show an error in.
import { useSyncExternalStore } from "react";
import { errorText } from "../Auth";

let notice: string | null = null;
const listeners = new Set<() => void>();

export function showNotice(text: string | null): void {
  notice = text;
  listeners.forEach((l) => l());
}

/** For `promise.catch(reportFailure)`. */
export function reportFailure(e: unknown): void {
  showNotice(errorText(e));
}

export function useNotice(): string | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => notice,
  );
}
