// The search language as the client needs it: the item at the caret, what to
// suggest for it, inserting a choice, rewriting the channel filter, and the
// server's highlighted snippets turned into safe pieces of text. Pure.
import type { Channel, ChannelMember, Id, User } from "../../api/types";
import { isDm } from "../../api/types";
import { matchScore } from "../composer/completion";

// ---- items of a query ----

/** One whitespace-separated item of a query, as the server splits it. */
export interface QueryItem {
  /** Offsets in the query (end exclusive). */
  start: number;
  end: number;
  /** The item as typed, with its leading `-` if any. */
  text: string;
  negated: boolean;
}

/**
 * Splits a query like the server does: whitespace separates items, a quoted
 * phrase is one item (an unclosed quote runs to the end), a leading `-`
 * negates.
 */
export function splitQuery(query: string): QueryItem[] {
  const out: QueryItem[] = [];
  const ws = (c: string | undefined) => c !== undefined && /\s/.test(c);
  let i = 0;
  while (i < query.length) {
    if (ws(query[i])) {
      i++;
      continue;
    }
    const start = i;
    const negated = query[i] === "-" && i + 1 < query.length && !ws(query[i + 1]);
    if (negated) i++;
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      i = close < 0 ? query.length : close + 1;
    } else {
      while (i < query.length && !ws(query[i]) && query[i] !== '"') i++;
    }
    out.push({ start, end: i, text: query.slice(start, i), negated });
  }
  return out;
}

function isInClause(item: QueryItem): boolean {
  return !item.negated && /^in:/i.test(item.text);
}

/** The channel filter of a query (`in:~town-square`, `in:@bob`), if it has one. */
export function channelFilterOf(query: string): string | null {
  return splitQuery(query).find(isInClause)?.text ?? null;
}

/**
 * The query narrowed to one channel: the first `in:` clause becomes `filter`
 * and any other goes (excluded ones, `-in:`, stay); without one, `filter` is
 * added at the end. `null` removes the channel filter.
 */
export function withChannelFilter(query: string, filter: string | null): string {
  const parts: string[] = [];
  let placed = false;
  for (const item of splitQuery(query)) {
    if (!isInClause(item)) parts.push(item.text);
    else if (!placed && filter) {
      parts.push(filter);
      placed = true;
    }
  }
  if (!placed && filter) parts.push(filter);
  return parts.join(" ");
}

/** The filter that names a channel in a query, or null when none can (group messages). */
export function channelFilterFor(channel: Channel, partnerUsername?: string | null): string | null {
  if (channel.kind === "direct") return partnerUsername ? `in:@${partnerUsername}` : null;
  if (channel.kind === "group") return null;
  return `in:~${channel.name}`;
}

// ---- the item at the caret ----

export interface CaretToken {
  /** Offsets of the whole item around the caret (end exclusive). */
  start: number;
  end: number;
  /** What is typed from the item's start up to the caret. */
  typed: string;
}

/** The item the caret is in or right after; null inside a quoted phrase. */
export function tokenAtCaret(text: string, caret: number): CaretToken | null {
  const at = Math.max(0, Math.min(caret, text.length));
  let quotes = 0;
  for (let i = 0; i < at; i++) if (text[i] === '"') quotes++;
  if (quotes % 2 === 1) return null;
  let start = at;
  while (start > 0 && !/\s/.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && !/\s/.test(text[end])) end++;
  return { start, end, typed: text.slice(start, at) };
}

// ---- suggestions ----

interface Base {
  key: string;
  /** Replaces the whole item at the caret. */
  insert: string;
  /** Add a space after (the item is complete); otherwise the caret stays in it. */
  space: boolean;
  /** Move the caret this many characters back from the end of `insert`. */
  caretBack?: number;
}
export type SearchSuggestion =
  | (Base & { kind: "operator"; label: string; description: string })
  | (Base & { kind: "user"; user: User })
  | (Base & { kind: "channel"; channel: Channel });

export interface OperatorHelp {
  label: string;
  insert: string;
  description: string;
  space?: boolean;
  caretBack?: number;
}

/** The operators offered in an empty box, in this order. */
export const OPERATORS: readonly OperatorHelp[] = [
  { label: "from:", insert: "from:@", description: "Messages from a person, e.g. from:@alex" },
  { label: "in:", insert: "in:", description: "In a channel (in:~town-square) or a direct message (in:@alex)" },
  { label: "before:", insert: "before:", description: "Before a day, e.g. before:2026-01-31" },
  { label: "after:", insert: "after:", description: "After a day, e.g. after:2026-01-31" },
  { label: "on:", insert: "on:", description: "On one day, e.g. on:2026-01-31" },
  { label: "has:file", insert: "has:file", space: true, description: "Messages with attachments" },
  { label: "has:link", insert: "has:link", space: true, description: "Messages containing a link" },
  { label: "is:thread", insert: "is:thread", space: true, description: "Thread replies and messages with replies" },
  { label: '"phrase"', insert: '""', caretBack: 1, description: "These words, in this order" },
  { label: "-exclude", insert: "-", description: "Leave out messages with a word, e.g. -lunch" },
];

/** What the item at the caret asks for. */
export type SuggestContext =
  | { kind: "operators"; prefix: string; all: boolean }
  | { kind: "values"; operator: "has" | "is"; prefix: string; negation: string }
  | { kind: "dates"; operator: "before" | "after" | "on"; prefix: string; negation: string }
  | { kind: "people"; operator: "from" | "in"; query: string; negation: string }
  | { kind: "channels"; query: string; negation: string };

/** Reads what is being typed at the caret; null when nothing is to be suggested. */
export function suggestContext(text: string, caret: number): { token: CaretToken; context: SuggestContext } | null {
  const token = tokenAtCaret(text, caret);
  if (!token) return null;
  const typed = token.typed;
  const negation = typed.length > 1 && typed[0] === "-" ? "-" : "";
  const body = typed.slice(negation.length);
  let m: RegExpExecArray | null;
  let context: SuggestContext | null = null;
  if ((m = /^from:@?(.*)$/i.exec(body))) context = { kind: "people", operator: "from", query: m[1], negation };
  else if ((m = /^in:@(.*)$/i.exec(body))) context = { kind: "people", operator: "in", query: m[1], negation };
  else if ((m = /^in:~?(.*)$/i.exec(body))) context = { kind: "channels", query: m[1], negation };
  else if ((m = /^(before|after|on):(.*)$/i.exec(body)))
    context = { kind: "dates", operator: m[1].toLowerCase() as "before" | "after" | "on", prefix: m[2], negation };
  else if ((m = /^(has|is):(.*)$/i.exec(body)))
    context = { kind: "values", operator: m[1].toLowerCase() as "has" | "is", prefix: m[2].toLowerCase(), negation };
  else if (body.includes(":") || body.includes('"')) context = null;
  else if (typed === "") context = text.trim() === "" ? { kind: "operators", prefix: "", all: true } : null;
  else if (!negation && /^[a-z]+$/i.test(body)) context = { kind: "operators", prefix: body.toLowerCase(), all: false };
  return context ? { token, context } : null;
}

/** Whether the first suggestion is chosen as soon as it shows (a value is being typed after an operator). */
export function isEager(context: SuggestContext): boolean {
  return context.kind !== "operators";
}

/** Where suggestions come from. */
export interface SuggestSources {
  users: Iterable<User>;
  /** Channels to offer after `in:` (see `searchableChannels`). */
  channels: Iterable<Channel>;
  /** Today, for date suggestions. */
  now: Date;
  limit?: number;
}

/** `YYYY-MM-DD` of a local day. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function operatorItem(op: OperatorHelp): SearchSuggestion {
  return {
    kind: "operator",
    key: "op:" + op.label,
    label: op.label,
    description: op.description,
    insert: op.insert,
    space: op.space ?? false,
    caretBack: op.caretBack,
  };
}

/** The suggestions for a context (the item already typed in full is not offered again). */
export function suggestionsFor(context: SuggestContext, typed: string, src: SuggestSources): SearchSuggestion[] {
  const limit = src.limit ?? 8;
  const same = (s: SearchSuggestion) => s.insert.toLowerCase() !== typed.toLowerCase();
  switch (context.kind) {
    case "operators":
      return OPERATORS.filter((op) => (context.all ? true : /^[a-z]/.test(op.label) && op.label.startsWith(context.prefix)))
        .map(operatorItem)
        .filter(same);
    case "values":
      return OPERATORS.filter((op) => op.label.startsWith(context.operator + ":" + context.prefix))
        .map((op) => ({ ...operatorItem(op), insert: context.negation + op.insert }))
        .filter(same);
    case "dates": {
      const today = new Date(src.now);
      const yesterday = new Date(src.now);
      yesterday.setDate(yesterday.getDate() - 1);
      const days: [string, string][] = [
        [isoDay(today), "today"],
        [isoDay(yesterday), "yesterday"],
      ];
      return days
        .filter(([day]) => day.startsWith(context.prefix))
        .map(([day, what]) => ({
          kind: "operator" as const,
          key: "day:" + day,
          label: `${context.operator}:${day}`,
          description: what,
          insert: `${context.negation}${context.operator}:${day}`,
          space: true,
        }))
        .filter(same);
    }
    case "people": {
      const q = context.query.toLowerCase();
      const scored: { u: User; score: number }[] = [];
      const seen = new Set<Id>();
      for (const u of src.users) {
        if (seen.has(u.id) || !u.is_active) continue;
        seen.add(u.id);
        const score = matchScore(q, u.username, u.display_name);
        if (score >= 0) scored.push({ u, score });
      }
      scored.sort((a, b) => a.score - b.score || a.u.username.localeCompare(b.u.username));
      return scored
        .map(({ u }): SearchSuggestion => ({
          kind: "user",
          key: "u:" + u.id,
          user: u,
          insert: `${context.negation}${context.operator}:@${u.username}`,
          space: true,
        }))
        .filter(same)
        .slice(0, limit);
    }
    case "channels": {
      const q = context.query.toLowerCase();
      const scored: { c: Channel; score: number }[] = [];
      for (const c of src.channels) {
        const score = matchScore(q, c.name, c.display_name);
        if (score >= 0) scored.push({ c, score });
      }
      scored.sort((a, b) => a.score - b.score || a.c.display_name.localeCompare(b.c.display_name));
      return scored
        .map(({ c }): SearchSuggestion => ({
          kind: "channel",
          key: "c:" + c.id,
          channel: c,
          insert: `${context.negation}in:~${c.name}`,
          space: true,
        }))
        .filter(same)
        .slice(0, limit);
    }
  }
}

/** Everything to suggest at the caret, with where it applies. */
export function suggestAt(
  text: string,
  caret: number,
  src: SuggestSources,
): { token: CaretToken; context: SuggestContext; items: SearchSuggestion[] } | null {
  const found = suggestContext(text, caret);
  if (!found) return null;
  return { ...found, items: suggestionsFor(found.context, found.token.typed, src) };
}

/** My channels of a team that `in:~` can name (no direct messages, nothing archived). */
export function searchableChannels(
  channels: Iterable<Channel>,
  memberships: Record<Id, ChannelMember>,
  teamId: Id | null,
): Channel[] {
  const out: Channel[] = [];
  for (const c of channels) {
    if (isDm(c.kind) || c.archived_at || c.team_id !== teamId || !memberships[c.id]) continue;
    out.push(c);
  }
  return out;
}

/** The text with the item at the caret replaced by a suggestion, and where the caret goes. */
export function insertSuggestion(text: string, token: CaretToken, s: Pick<SearchSuggestion, "insert" | "space" | "caretBack">): { text: string; caret: number } {
  const before = text.slice(0, token.start);
  let after = text.slice(token.end);
  if (s.space && !/^\s/.test(after)) after = " " + after;
  const caret = before.length + s.insert.length + (s.space ? 1 : 0) - (s.space ? 0 : (s.caretBack ?? 0));
  return { text: before + s.insert + after, caret };
}

// ---- highlighted snippets ----

export interface SnippetPiece {
  text: string;
  mark: boolean;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/**
 * The server's snippet (escaped text with `<mark>…</mark>`) as plain text
 * pieces, marked or not, to render as text. Null when it holds any other
 * markup or unbalanced marks: such a snippet is not shown.
 */
export function parseSnippet(html: string): SnippetPiece[] | null {
  const pieces: SnippetPiece[] = [];
  let inMark = false;
  for (const part of html.split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) {
      if (inMark) return null;
      inMark = true;
    } else if (/^<\/mark>$/i.test(part)) {
      if (!inMark) return null;
      inMark = false;
    } else if (part) {
      if (/[<>]/.test(part)) return null;
      const text = decodeEntities(part);
      const last = pieces[pieces.length - 1];
      if (last && last.mark === inMark) last.text += text;
      else pieces.push({ text, mark: inMark });
    }
  }
  return inMark ? null : pieces;
}

const fold = (s: string) => s.normalize("NFKC").toLowerCase();

/**
 * Whether the snippet tells more than the post's own text: some highlighted
 * word is not in the message (it matched an attachment's name or text).
 */
export function snippetAddsContext(message: string, pieces: readonly SnippetPiece[] | null): boolean {
  if (!pieces) return false;
  const marked = pieces.filter((p) => p.mark).map((p) => fold(p.text).trim()).filter(Boolean);
  if (!marked.length) return false;
  const text = fold(message);
  return marked.some((w) => !text.includes(w));
}

/** The plain text of a snippet. */
export function snippetText(pieces: readonly SnippetPiece[]): string {
  return pieces.map((p) => p.text).join("");
}
