// Pure updates of the side pane's post lists (pinned, saved) from server events.
import type { AnyEvent, Post } from "../../api/types";
import { addReaction, removeReaction } from "../../state/posts";
import { GROUP_WINDOW_MS } from "../grouping";

/** Pinned posts of one channel: pins and unpins arrive as `post_edited` with `is_pinned`. */
export function applyToPinned(list: readonly Post[], channelId: string, ev: AnyEvent): Post[] {
  switch (ev.event) {
    case "post_edited": {
      const p = ev.data;
      if (p.channel_id !== channelId) return list as Post[];
      const rest = list.filter((x) => x.id !== p.id);
      if (!p.is_pinned || p.deleted_at) return rest.length === list.length ? (list as Post[]) : rest;
      return sortNewestFirst([...rest, p]);
    }
    case "post_deleted":
      return dropPost(list, ev.data.id);
    case "reaction_added":
      return addReaction(list, ev.data);
    case "reaction_removed":
      return removeReaction(list, ev.data);
    default:
      return list as Post[];
  }
}

/** Saved posts: edits and reactions update them, deleted ones leave (saving itself sends no event). */
export function applyToSaved(list: readonly Post[], ev: AnyEvent): Post[] {
  switch (ev.event) {
    case "post_edited": {
      const i = list.findIndex((x) => x.id === ev.data.id);
      if (i < 0 || ev.data.updated_at < list[i].updated_at) return list as Post[];
      const next = list.slice();
      next[i] = ev.data;
      return next;
    }
    case "post_deleted":
      return dropPost(list, ev.data.id);
    case "reaction_added":
      return addReaction(list, ev.data);
    case "reaction_removed":
      return removeReaction(list, ev.data);
    case "channel_member_removed":
      // Left a channel (or was removed): its posts are no longer readable.
      return list.filter((p) => p.channel_id !== ev.data.channel_id);
    default:
      return list as Post[];
  }
}

function dropPost(list: readonly Post[], id: string): Post[] {
  const next = list.filter((x) => x.id !== id);
  return next.length === list.length ? (list as Post[]) : next;
}

export function sortNewestFirst(list: Post[]): Post[] {
  return list.sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
}

/** Whether each reply of a thread starts a new group (another author, or a pause). */
export function replyHeads(replies: readonly Post[]): boolean[] {
  return replies.map((p, i) => {
    const prev = replies[i - 1];
    return !prev || prev.user_id !== p.user_id || p.created_at - prev.created_at > GROUP_WINDOW_MS;
  });
}

/** Index of the first reply someone else wrote after `lastViewed` (-1: none, or never viewed). */
export function firstUnreadReply(replies: readonly Post[], lastViewed: number | undefined, me: string | undefined): number {
  if (lastViewed === undefined) return -1;
  return replies.findIndex((p) => p.created_at > lastViewed && p.user_id !== me);
}
