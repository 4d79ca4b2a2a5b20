// Pure rules of sending: what a failure tells the person, and which post the
// Up arrow edits.
import { ApiError } from "../../api/client";
import type { Id, Post } from "../../api/types";

/** A clear sentence for why a post was not sent; `autoRetry`: it will be resent by itself. */
export function sendErrorText(e: unknown, maxChars: number, autoRetry = false): string {
  if (!(e instanceof ApiError)) return "The message could not be sent.";
  switch (e.code) {
    case "channel_archived":
      return "This channel is archived: new messages cannot be posted.";
    case "rate_limited":
      if (autoRetry) return `You are posting too fast: it will be resent in ${e.retryAfter ?? 1} s.`;
      return `You are posting too fast. Wait ${e.retryAfter ? `${e.retryAfter} s` : "a moment"}, then retry.`;
    case "payload_too_large":
      return `The message is too long (at most ${maxChars.toLocaleString("en")} characters).`;
    case "network_error":
      return autoRetry
        ? "The server could not be reached: it will be resent when the connection is back."
        : "The server could not be reached. Check the connection, then retry.";
    case "unavailable":
      return "The server is busy. Retry in a moment.";
    case "forbidden":
    case "not_found":
      return "You can no longer post in this channel.";
    case "invalid_input":
      return /too long|characters|length/i.test(e.message)
        ? `The message is too long (at most ${maxChars.toLocaleString("en")} characters).`
        : `Not sent: ${e.message}`;
    default:
      return `Not sent: ${e.message}`;
  }
}

/**
 * When to resend a failed post by itself: after Retry-After when rate limited,
 * when the browser is back online after a network failure; otherwise never.
 */
export function autoRetryPlan(e: unknown): { after: "online" } | { after: "delay"; ms: number } | null {
  if (!(e instanceof ApiError)) return null;
  if (e.code === "network_error") return { after: "online" };
  if (e.code === "rate_limited") return { after: "delay", ms: (e.retryAfter ?? 1) * 1000 };
  return null;
}

/**
 * My newest post that Up in an empty composer edits: among root posts for the
 * channel's composer, within the thread (root included) for a reply box.
 */
export function lastOwnPost(posts: readonly Post[], meId: Id, rootId: Id | null): Post | null {
  for (let i = posts.length - 1; i >= 0; i--) {
    const p = posts[i];
    if (p.user_id !== meId || p.deleted_at) continue;
    if (rootId ? p.id === rootId || p.root_id === rootId : p.root_id === null) return p;
  }
  return null;
}

/** Characters as people count them (an emoji is one), as the server counts. */
export function charCount(text: string): number {
  return [...text].length;
}
