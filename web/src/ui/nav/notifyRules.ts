// When a new post deserves a desktop notification, and what it says (pure).
import type { Channel, ChannelMember, Id, Post, Presence } from "../../api/types";
import { isDm } from "../../api/types";

export interface NotifyContext {
  post: Post;
  meId: Id;
  channel: Channel | undefined;
  membership: ChannelMember | undefined;
  currentChannelId: Id | null;
  /** The tab is shown (document.visibilityState === "visible"). */
  tabVisible: boolean;
  myPresence: Presence | undefined;
  /** The user turned desktop notifications on and the browser allows them. */
  enabled: boolean;
}

/**
 * Mentions and direct messages notify by default; a channel's level can widen
 * that to every post or silence it; muting and Do Not Disturb silence
 * everything. Nothing notifies for what the user is looking at.
 */
export function shouldNotify(c: NotifyContext): boolean {
  const { post, channel } = c;
  if (!c.enabled || !channel) return false;
  if (post.user_id === c.meId || post.deleted_at) return false;
  if (c.myPresence === "dnd" || c.membership?.muted) return false;
  if (c.tabVisible && c.currentChannelId === post.channel_id) return false;
  const level = c.membership?.notify_level ?? "default";
  if (level === "none") return false;
  if (level === "all") return true;
  return isDm(channel.kind) || post.mentions.includes(c.meId) || post.mentions_channel;
}

/** Markdown reduced to plain text for a one-line preview. */
export function plainPreview(markdown: string, max = 140): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, "[code]")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_~`>#]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

export function notificationText(
  post: Post,
  sender: string,
  channelTitle: string,
  channel: Channel,
): { title: string; body: string } {
  const preview = plainPreview(post.message) || (post.file_ids.length ? "sent a file" : "");
  if (channel.kind === "direct") return { title: sender, body: preview };
  return { title: isDm(channel.kind) ? channelTitle : `#${channelTitle}`, body: `${sender}: ${preview}` };
}
