// Pure helpers for a channel's posts: kept ordered by id (UUIDv7 is time-ordered)
// and unique by id, so fetched pages and live events merge without duplicates.
import type { Id, Post, Reaction } from "../api/types";

export function compareIds(a: Id, b: Id): number {
  // Hyphenated lowercase UUIDv7 strings sort by creation time.
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Merges `incoming` into `existing` (both ordered by id); newer versions win by updated_at. */
export function mergePosts(existing: readonly Post[], incoming: readonly Post[]): Post[] {
  if (incoming.length === 0) return existing as Post[];
  const byId = new Map<Id, Post>();
  for (const p of existing) byId.set(p.id, p);
  for (const p of incoming) {
    const old = byId.get(p.id);
    if (!old || p.updated_at >= old.updated_at) byId.set(p.id, p);
  }
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** Replaces a post that is already present (edits/deletes); no-op otherwise. */
export function replacePost(existing: readonly Post[], post: Post): Post[] {
  const i = existing.findIndex((p) => p.id === post.id);
  if (i < 0) return existing as Post[];
  if (post.updated_at < existing[i].updated_at) return existing as Post[];
  const next = existing.slice();
  next[i] = post;
  return next;
}

function sameReaction(a: Reaction, b: Reaction): boolean {
  return a.user_id === b.user_id && a.emoji_name === b.emoji_name && a.post_id === b.post_id;
}

export function addReaction(existing: readonly Post[], r: Reaction): Post[] {
  const i = existing.findIndex((p) => p.id === r.post_id);
  if (i < 0 || existing[i].reactions.some((x) => sameReaction(x, r))) return existing as Post[];
  const next = existing.slice();
  next[i] = { ...existing[i], reactions: [...existing[i].reactions, r] };
  return next;
}

export function removeReaction(existing: readonly Post[], r: Reaction): Post[] {
  const i = existing.findIndex((p) => p.id === r.post_id);
  if (i < 0 || !existing[i].reactions.some((x) => sameReaction(x, r))) return existing as Post[];
  const next = existing.slice();
  next[i] = { ...existing[i], reactions: existing[i].reactions.filter((x) => !sameReaction(x, r)) };
  return next;
}

/**
 * The posts a channel list shows with collapsed threads: root posts only, and
 * deleted ones only while replies hang off them.
 */
export function channelRoots(posts: readonly Post[]): Post[] {
  return posts.filter((p) => p.root_id === null && (p.deleted_at === null || p.reply_count > 0));
}

export interface ReactionGroup {
  emoji: string;
  count: number;
  /** Who reacted, in reaction order. */
  userIds: Id[];
  mine: boolean;
}

/** Reactions grouped by emoji, groups in order of their first reaction. */
export function groupReactions(reactions: readonly Reaction[], me: Id | undefined): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>();
  const ordered = reactions.slice().sort((a, b) => a.created_at - b.created_at);
  for (const r of ordered) {
    let g = groups.get(r.emoji_name);
    if (!g) {
      g = { emoji: r.emoji_name, count: 0, userIds: [], mine: false };
      groups.set(r.emoji_name, g);
    }
    if (g.userIds.includes(r.user_id)) continue;
    g.userIds.push(r.user_id);
    g.count++;
    if (r.user_id === me) g.mine = true;
  }
  return [...groups.values()];
}

/** "Alice, Bob and 2 others reacted with :tada:" (`you` for me). */
export function reactionLabel(g: ReactionGroup, nameOf: (id: Id) => string, me: Id | undefined, max = 3): string {
  const names = g.userIds.map((id) => (id === me ? "You" : nameOf(id)));
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  const who =
    rest > 0
      ? `${shown.join(", ")} and ${rest} other${rest === 1 ? "" : "s"}`
      : shown.length > 1
        ? `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`
        : shown[0] ?? "";
  return `${who} reacted with :${g.emoji}:`;
}

/**
 * The first post to put under the "New messages" line: the oldest post by
 * someone else after my last view; without that time, the last `count` posts
 * by others. Null when nothing is unread.
 */
export function firstUnreadId(
  posts: readonly Post[],
  since: number | null,
  count: number,
  me: Id | undefined,
): Id | null {
  if (since !== null) {
    const p = posts.find((x) => x.created_at > since && x.user_id !== me);
    return p?.id ?? null;
  }
  if (count <= 0) return null;
  let seen = 0;
  let first: Id | null = null;
  for (let i = posts.length - 1; i >= 0 && seen < count; i--) {
    if (posts[i].user_id === me) continue;
    first = posts[i].id;
    seen++;
  }
  return first;
}
