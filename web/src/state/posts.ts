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
