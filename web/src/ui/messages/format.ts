// Times and dates as the message list shows them (12- or 24-hour clock per the
// user's preference), and avatar fallbacks.
import type { Id, Millis, User } from "../../api/types";

const time12 = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", hour12: true });
const time24 = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
const dayThisYear = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const dayOtherYear = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
const short = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

export function formatTime(at: Millis, clock24: boolean): string {
  return (clock24 ? time24 : time12).format(at);
}

export function formatFull(at: Millis): string {
  return full.format(at);
}

const DAY = 86_400_000;
function startOfDay(t: Millis): Millis {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Date separator text: "Today", "Yesterday", "Monday, November 23" (with the year when not this one). */
export function formatDay(at: Millis, now: Millis = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return new Date(at).getFullYear() === new Date(now).getFullYear() ? dayThisYear.format(at) : dayOtherYear.format(at);
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", then the date. */
export function formatAgo(at: Millis, now: Millis = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? "" : "s"} ago`;
  const d = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (d <= 1) return "yesterday";
  if (d < 7) return `${d} days ago`;
  return short.format(at);
}

/** Up to two initials from the display name (or the username). */
export function initials(u: Pick<User, "display_name" | "username"> | undefined): string {
  const name = (u?.display_name || u?.username || "?").trim();
  const words = name.split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? "?"];
  return letters
    .map((w) => [...w][0] ?? "")
    .join("")
    .toUpperCase();
}

/** A stable hue (0–359) for a user id: the avatar colour when there is no picture. */
export function avatarHue(id: Id): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}
