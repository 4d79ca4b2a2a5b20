// Test fixtures (imported only by *.test.ts).
import type { Channel, ChannelMember, Post, User } from "../api/types";

export function user(id: string, over: Partial<User> = {}): User {
  return {
    id,
    username: id,
    display_name: "",
    role: "user",
    timezone: "UTC",
    status_text: "",
    has_avatar: false,
    is_active: true,
    is_bot: false,
    created_at: 0,
    updated_at: 0,
    ...over,
  };
}

export function channel(id: string, over: Partial<Channel> = {}): Channel {
  return {
    id,
    team_id: "t1",
    kind: "public",
    name: id,
    display_name: id,
    purpose: "",
    header: "",
    creator_id: null,
    created_at: 0,
    updated_at: 0,
    archived_at: null,
    last_post_at: 0,
    total_msg_count: 0,
    ...over,
  };
}

export function post(id: string, over: Partial<Post> = {}): Post {
  return {
    id,
    channel_id: "c1",
    user_id: "u2",
    root_id: null,
    message: `msg ${id}`,
    file_ids: [],
    is_pinned: false,
    created_at: 1000,
    updated_at: 1000,
    edited_at: null,
    deleted_at: null,
    reply_count: 0,
    last_reply_at: null,
    participants: [],
    reactions: [],
    mentions: [],
    mentions_channel: false,
    channel_links: [],
    idempotency_key: null,
    ...over,
  };
}

/** "me"'s membership of a channel. */
export function member(channel_id: string, over: Partial<ChannelMember> = {}): ChannelMember {
  return {
    channel_id,
    user_id: "me",
    role: "member",
    notify_level: "default",
    muted: false,
    favorite: false,
    last_viewed_at: 0,
    msg_count: 0,
    mention_count: 0,
    created_at: 0,
    ...over,
  };
}
