// Formatting for the console: sizes, durations, times, the posts-per-day
// chart's geometry and the search index's lag. Pure functions, unit-tested.
import type { AuditQuery, DayCount, SearchStatus } from "./api";

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "unknown";
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} ${v === 1 ? "byte" : "bytes"}` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "3 d 4 h", "2 h 5 min", "42 s". */
export function formatDuration(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** A UTC timestamp as "2026-11-25 20:41:07 UTC" (the audit log is in UTC). */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** `YYYY-MM-DD` of a date input to UTC milliseconds at the start (or the end) of that day. */
export function dayToMillis(day: string, endOfDay = false): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) return undefined;
  return endOfDay ? t + 86_400_000 : t;
}

export interface Bar {
  day: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bars for an inline SVG chart of `width`×`height`; the tallest day fills the height. */
export function chartBars(days: DayCount[], width: number, height: number, gap = 2): Bar[] {
  if (days.length === 0) return [];
  const max = Math.max(1, ...days.map((d) => d.count));
  const slot = width / days.length;
  const w = Math.max(1, slot - gap);
  return days.map((d, i) => {
    // A day with posts stays visible even next to a much busier one.
    const h = d.count === 0 ? 0 : Math.max(2, (d.count / max) * height);
    return { day: d.day, count: d.count, x: i * slot, y: height - h, width: w, height: h };
  });
}

/** How many changes the index has not caught up with yet. */
export function searchLag(s: SearchStatus): number {
  return Math.max(0, s.latest_seq - (s.cursor ?? 0));
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** Audit entries per page in the console. */
export const AUDIT_PAGE = 50;

/**
 * The server query for the audit filters of the address (`after`, `action`,
 * `from`, `to` as dates, UTC); the actor is a username the caller resolves.
 */
export function auditQuery(query: Record<string, string>, actorId?: string): AuditQuery {
  const after = Number(query.after);
  return {
    after: Number.isSafeInteger(after) && after > 0 ? after : undefined,
    limit: AUDIT_PAGE,
    action: query.action || undefined,
    actor_id: actorId,
    since: query.from ? dayToMillis(query.from) : undefined,
    until: query.to ? dayToMillis(query.to, true) : undefined,
  };
}
