// Presence as a small coloured dot (online, away, do not disturb, offline).
import type { Presence } from "../../api/types";

export const presenceLabel: Record<Presence, string> = {
  online: "Online",
  away: "Away",
  dnd: "Do not disturb",
  offline: "Offline",
};

/** Labelled for screen readers unless the text beside it says it (`decorative`). */
export function PresenceDot({ presence, decorative }: { presence: Presence | undefined; decorative?: boolean }) {
  const p = presence ?? "offline";
  if (decorative) return <span className={"presence " + p} aria-hidden="true" title={presenceLabel[p]} />;
  return <span className={"presence " + p} role="img" aria-label={presenceLabel[p]} title={presenceLabel[p]} />;
}
