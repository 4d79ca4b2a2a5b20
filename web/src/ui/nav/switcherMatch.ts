// Quick switcher matching and ranking (pure): fuzzy over names, recent
// channels first, then unread ones, as in Slack's Ctrl+K.
import type { Id } from "../../api/types";

export interface Candidate {
  /** Channel id, or user id for a person without a direct message yet. */
  id: Id;
  kind: "channel" | "dm" | "person";
  title: string;
  /** Also matched: channel name, @username. */
  alt: string;
  unread: boolean;
  mentions: number;
  /** Position in the recently opened list (0 = most recent), -1 if not recent. */
  recent: number;
}

const WORD_BREAK = /[\s\-_.@/]/;

/** How well `query` matches `text` (higher is better), or null for no match. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t === q) return 1000;
  // Tiers, not fine grades: within a tier recency and unread state decide (see rankCandidates).
  if (t.startsWith(q)) return 800;
  const at = t.indexOf(q);
  if (at > 0 && WORD_BREAK.test(t[at - 1])) return 600;
  if (at > 0) return 400;
  // Subsequence: every query letter in order; reward letters that start words or run together.
  let score = 100;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    if (ch === " ") continue;
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    if (found === prev + 1) score += 5;
    if (found === 0 || WORD_BREAK.test(t[found - 1])) score += 8;
    score -= Math.min(found - ti, 10);
    prev = found;
    ti = found + 1;
  }
  return Math.max(score, 1);
}

function bestScore(q: string, c: Candidate): number | null {
  const a = fuzzyScore(q, c.title);
  const b = c.alt ? fuzzyScore(q, c.alt) : null;
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Ranks candidates for a query. An empty query lists recent channels, then
 * unread ones, then the rest by name. Otherwise the match quality decides,
 * recency and unread state break ties.
 */
export function rankCandidates(query: string, candidates: Candidate[], limit = 30): Candidate[] {
  const q = query.trim();
  const scored: { c: Candidate; s: number }[] = [];
  for (const c of candidates) {
    if (!q && c.kind === "person") continue;
    const s = q ? bestScore(q, c) : 0;
    if (s !== null) scored.push({ c, s });
  }
  const recency = (c: Candidate) => (c.recent < 0 ? Number.MAX_SAFE_INTEGER : c.recent);
  scored.sort(
    (x, y) =>
      y.s - x.s ||
      recency(x.c) - recency(y.c) ||
      Number(y.c.mentions > 0 || y.c.unread) - Number(x.c.mentions > 0 || x.c.unread) ||
      Number(x.c.kind === "person") - Number(y.c.kind === "person") ||
      x.c.title.length - y.c.title.length ||
      x.c.title.localeCompare(y.c.title, undefined, { sensitivity: "base" }),
  );
  return scored.slice(0, limit).map((x) => x.c);
}

/** The recently opened list with `id` moved to the front. */
export function pushRecent(list: readonly Id[], id: Id, max = 20): Id[] {
  return [id, ...list.filter((x) => x !== id)].slice(0, max);
}
