// Turns a channel's posts into list rows: date separators, the "New messages"
// line, and consecutive posts by one author within a few minutes grouped under
// one header.
import type { Id, Millis, Post } from "../api/types";

export const GROUP_WINDOW_MS = 5 * 60_000;

export type Row =
  | { kind: "date"; key: string; day: string; at: Millis }
  | { kind: "new"; key: string }
  | { kind: "post"; key: string; post: Post; head: boolean };

export interface RowOptions {
  /** Put the "New messages" line right before this post. */
  newBefore?: Id | null;
}

/** Local calendar day of a time, e.g. "2026-11-25" (the tz is injectable for tests). */
export function dayKey(at: Millis, offsetMinutes = new Date(at).getTimezoneOffset()): string {
  const d = new Date(at - offsetMinutes * 60_000);
  return d.toISOString().slice(0, 10);
}

export function buildRows(
  posts: readonly Post[],
  dayOf: (at: Millis) => string = (t) => dayKey(t),
  opts: RowOptions = {},
): Row[] {
  const rows: Row[] = [];
  let prevDay: string | null = null;
  let prev: { user: Id; at: Millis; root: Id | null } | null = null;
  for (const p of posts) {
    const day = dayOf(p.created_at);
    if (day !== prevDay) {
      rows.push({ kind: "date", key: `d-${day}`, day, at: p.created_at });
      prevDay = day;
      prev = null;
    }
    if (opts.newBefore === p.id) {
      rows.push({ kind: "new", key: "new-messages" });
      prev = null;
    }
    const head =
      !prev ||
      prev.user !== p.user_id ||
      p.created_at - prev.at > GROUP_WINDOW_MS ||
      (p.root_id ?? null) !== (prev.root ?? null) ||
      p.root_id !== null;
    rows.push({ kind: "post", key: p.id, post: p, head });
    prev = { user: p.user_id, at: p.created_at, root: p.root_id ?? null };
  }
  return rows;
}
