// Actions on posts: edit, delete, pin, save, react, and loading a window of a
// channel around one post. Server answers are applied as the events they stand
// for, so the channel list and the thread pane update at once, before the
// socket echo arrives (which then changes nothing).
import { api } from "../api/client";
import type { AnyEvent, Id, Post, Reaction } from "../api/types";
import { recordEmojiUse } from "../ui/emoji";
import { ensureUsers } from "./actions";
import { store } from "./store";

const dispatch = store.dispatch;
const PAGE = 60;

function applyLocally(event: AnyEvent): void {
  dispatch({ type: "event", event, now: Date.now() });
}

function postChanged(post: Post): void {
  applyLocally({ seq: 0, event: "post_edited", channel_id: post.channel_id, data: post });
}

/** The saved post ids, once per sign-in (and after a resync). */
export async function loadSaved(): Promise<void> {
  const posts = await api.savedPosts().catch(() => null);
  if (posts) dispatch({ type: "saved_loaded", postIds: posts.map((p) => p.id) });
}

export async function setSaved(postId: Id, saved: boolean): Promise<void> {
  dispatch({ type: "saved_toggled", postId, saved });
  try {
    await api.savePost(postId, saved);
  } catch (e) {
    dispatch({ type: "saved_toggled", postId, saved: !saved });
    throw e;
  }
}

export async function setPinned(postId: Id, pinned: boolean): Promise<void> {
  postChanged(await api.pinPost(postId, pinned));
}

export async function editPost(postId: Id, message: string): Promise<void> {
  postChanged(await api.editPost(postId, message));
}

export async function deletePost(post: Post): Promise<void> {
  await api.deletePost(post.id);
  const now = Date.now();
  applyLocally({
    seq: 0,
    event: "post_deleted",
    channel_id: post.channel_id,
    data: { ...post, message: "", file_ids: [], is_pinned: false, deleted_at: now, updated_at: now },
  });
  if (store.getState().editingPostId === post.id) dispatch({ type: "edit_post", postId: null });
}

/** Adds my reaction, or removes it when I already reacted with that emoji. */
export async function toggleReaction(post: Post, emojiName: string): Promise<void> {
  const me = store.getState().me;
  if (!me) return;
  const mine = post.reactions.some((r) => r.user_id === me.id && r.emoji_name === emojiName);
  const r: Reaction = { user_id: me.id, post_id: post.id, emoji_name: emojiName, created_at: Date.now() };
  // Optimistic: reactions are frequent and cheap to undo.
  applyLocally({ seq: 0, event: mine ? "reaction_removed" : "reaction_added", channel_id: post.channel_id, data: r });
  try {
    if (mine) await api.removeReaction(post.id, emojiName);
    else {
      recordEmojiUse(emojiName);
      await api.addReaction(post.id, emojiName);
    }
  } catch (e) {
    applyLocally({ seq: 0, event: mine ? "reaction_added" : "reaction_removed", channel_id: post.channel_id, data: r });
    throw e;
  }
}

/** Replaces what is held for a channel with a window around one post (deep links, search hits). */
export async function loadAround(channelId: Id, postId: Id): Promise<void> {
  const page = await api.posts(channelId, { around: postId, limit: PAGE, collapsed: true });
  dispatch({ type: "posts_loaded", channelId, page, mode: "around" });
  void ensureUsers(page.posts.flatMap((p) => [p.user_id, ...p.participants]));
}

/** The page after the newest post held, when a window around an older post is shown. */
export async function loadNewer(channelId: Id): Promise<void> {
  const cp = store.getState().posts[channelId];
  const last = cp?.posts[cp.posts.length - 1];
  if (!last || !cp.hasMoreAfter) return;
  const page = await api.posts(channelId, { after: last.id, limit: PAGE, collapsed: true });
  dispatch({ type: "posts_loaded", channelId, page, mode: "newer" });
  void ensureUsers(page.posts.flatMap((p) => [p.user_id, ...p.participants]));
}

/** The shareable address of a post: `/<team>/pl/<post id>`. */
export function permalink(post: Post, origin = location.origin): string {
  const s = store.getState();
  const teamId = s.channels[post.channel_id]?.team_id ?? s.currentTeamId;
  const team = s.teams.find((t) => t.id === teamId) ?? s.teams[0];
  return `${origin}/${encodeURIComponent(team?.name ?? "")}/pl/${post.id}`;
}
