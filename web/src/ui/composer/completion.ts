// The pure half of composer autocomplete: which token the caret is in, what
// to suggest for it (ranked), and how a pick rewrites the text.
import { isDm, type Channel, type Id, type User } from "../../api/types";
import type { EmojiEntry } from "../emoji";

export type Trigger = "@" | "~" | ":";

export interface Token {
  trigger: Trigger;
  /** What follows the trigger up to the caret. */
  query: string;
  /** Index of the trigger character. */
  start: number;
  /** End of the word the caret is in (a pick replaces start..end). */
  end: number;
}

/** Minimum query length before emoji are suggested (":d" would match too much). */
export const EMOJI_MIN_CHARS = 2;

const WORD = /[\p{L}\p{N}_.+-]/u;
const VALID: Record<Trigger, RegExp> = {
  "@": /^[\p{L}\p{N}_.-]*$/u,
  "~": /^[\p{L}\p{N}_-]*$/u,
  ":": /^[\p{L}\p{N}_+-]*$/u,
};
/** A trigger counts only at the start of a word. */
const BEFORE_TRIGGER = /[\s([{"'“‘]/u;

/** Whether `index` lies inside a fenced code block or an inline code span. */
export function inCode(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const fences = before.match(/^\s*```/gm)?.length ?? 0;
  if (fences % 2 === 1) return true;
  const line = before.slice(before.lastIndexOf("\n") + 1).replace(/```/g, "");
  return (line.match(/`/g)?.length ?? 0) % 2 === 1;
}

/** The autocomplete token the caret stands in, if any. */
export function tokenAtCaret(text: string, caret: number): Token | null {
  let i = caret;
  while (i > 0 && WORD.test(text[i - 1])) i--;
  // The trigger is the character just before the word.
  const start = i - 1;
  if (start < 0) return null;
  const trigger = text[start];
  if (trigger !== "@" && trigger !== "~" && trigger !== ":") return null;
  if (start > 0 && !BEFORE_TRIGGER.test(text[start - 1])) return null;
  const query = text.slice(i, caret);
  if (!VALID[trigger].test(query)) return null;
  if (trigger === ":" && query.length < EMOJI_MIN_CHARS) return null;
  if (inCode(text, start)) return null;
  let end = caret;
  while (end < text.length && WORD.test(text[end])) end++;
  return { trigger, query, start, end };
}

/** Replaces the token with the completion and a space; returns the new text and caret. */
export function insertCompletion(text: string, token: Token, completion: string): { text: string; caret: number } {
  const before = text.slice(0, token.start);
  const after = text.slice(token.end);
  const spaced = /^\s/.test(after) ? after : " " + after;
  return { text: before + completion + spaced, caret: before.length + completion.length + 1 };
}

// ---- suggestions ----

export type Suggestion =
  | { kind: "user"; key: string; insert: string; user: User; member: boolean }
  | { kind: "special"; key: string; insert: string; name: string; description: string }
  | { kind: "channel"; key: string; insert: string; channel: Channel }
  | { kind: "emoji"; key: string; insert: string; name: string; char: string };

export const SPECIAL_MENTIONS: readonly { name: string; description: string }[] = [
  { name: "here", description: "Notifies everyone online in this channel" },
  { name: "channel", description: "Notifies everyone in this channel" },
  { name: "all", description: "Notifies everyone in this channel" },
];

/** How well `q` (lowercase) matches a name: 0 best … 3 weakest; -1 no match. */
export function matchScore(q: string, primary: string, secondary: string): number {
  if (!q) return 0;
  const p = primary.toLowerCase();
  const s = secondary.toLowerCase();
  if (p === q) return 0;
  if (p.startsWith(q)) return 1;
  if (s.startsWith(q) || s.split(/[\s_\-.]+/).some((w) => w.startsWith(q))) return 2;
  if (p.includes(q) || s.includes(q)) return 3;
  return -1;
}

/**
 * People to suggest after "@": members of the channel first, then the special
 * mentions (not in direct messages), then everyone else who matches.
 */
export function mentionSuggestions(
  users: Iterable<User>,
  query: string,
  opts: { memberIds: ReadonlySet<Id>; meId?: Id; dm: boolean; limit?: number },
): Suggestion[] {
  const q = query.toLowerCase();
  const limit = opts.limit ?? 20;
  const scored: { user: User; member: boolean; score: number }[] = [];
  const seen = new Set<Id>();
  for (const u of users) {
    if (seen.has(u.id) || !u.is_active || u.id === opts.meId) continue;
    seen.add(u.id);
    const score = matchScore(q, u.username, u.display_name);
    if (score >= 0) scored.push({ user: u, member: opts.memberIds.has(u.id), score });
  }
  scored.sort(
    (a, b) => Number(b.member) - Number(a.member) || a.score - b.score || a.user.username.localeCompare(b.user.username),
  );
  const toItem = (x: (typeof scored)[number]): Suggestion => ({
    kind: "user",
    key: "u:" + x.user.id,
    insert: "@" + x.user.username,
    user: x.user,
    member: x.member,
  });
  const specials: Suggestion[] = opts.dm
    ? []
    : SPECIAL_MENTIONS.filter((m) => m.name.startsWith(q)).map((m) => ({
        kind: "special",
        key: "s:" + m.name,
        insert: "@" + m.name,
        name: m.name,
        description: m.description,
      }));
  const members = scored.filter((x) => x.member).map(toItem);
  const others = scored.filter((x) => !x.member).map(toItem);
  return [...members, ...specials, ...others].slice(0, limit);
}

/** Channels to suggest after "~": open channels of the team that I am in. */
export function channelSuggestions(channels: Iterable<Channel>, query: string, opts: { teamId: Id | null; limit?: number }): Suggestion[] {
  const q = query.toLowerCase();
  const scored: { c: Channel; score: number }[] = [];
  for (const c of channels) {
    if (isDm(c.kind) || c.archived_at || c.team_id !== opts.teamId) continue;
    const score = matchScore(q, c.name, c.display_name);
    if (score >= 0) scored.push({ c, score });
  }
  scored.sort((a, b) => a.score - b.score || a.c.display_name.localeCompare(b.c.display_name));
  return scored.slice(0, opts.limit ?? 20).map(({ c }) => ({ kind: "channel", key: "c:" + c.id, insert: "~" + c.name, channel: c }));
}

/** Emoji after ":": the name the person was typing when an entry has several. */
export function emojiSuggestions(entries: readonly EmojiEntry[], query: string): Suggestion[] {
  const q = query.toLowerCase();
  return entries.map((e) => {
    const name = e.names.find((n) => n.startsWith(q)) ?? e.name;
    return { kind: "emoji", key: "e:" + e.name, insert: `:${name}:`, name, char: e.char };
  });
}
