// The client state and its pure reducer. Side effects (fetching, the socket)
// live in ./actions.ts and dispatch into this.
import type {
  AnyEvent,
  Channel,
  ChannelMember,
  ChannelUnread,
  FileInfo,
  Id,
  Millis,
  Post,
  PostPage,
  Team,
  User,
  Presence,
  UserStatus,
} from "../api/types";
import type { SocketStatus } from "../api/socket";
import { addReaction, mergePosts, removeReaction, replacePost } from "./posts";
import { activeTypers, emptyThreads, expireThreadTyping, isThreadAction, threadOpened, threadPostCreated, threadsOnEvent, threadsReducer, type ThreadAction, type ThreadsSlice } from "./threads";

export interface ChannelPosts {
  posts: Post[];
  hasMoreBefore: boolean;
  loaded: boolean;
  /** A window around an older post is loaded: newer posts exist past the last one held. */
  hasMoreAfter?: boolean;
}

/** Where the "New messages" line goes in a channel just opened (what was unread before). */
export interface UnreadMark {
  channelId: Id;
  /** My last view of the channel before opening it, when known. */
  since: Millis | null;
  count: number;
}

/** A post typed here and not yet confirmed by the server. */
export interface PendingPost {
  key: string; // idempotency key
  channel_id: Id;
  /** Set for a thread reply: the pending post shows in that thread. */
  root_id: Id | null;
  message: string;
  /** Uploaded files the post carries (already stored on the server). */
  file_ids: Id[];
  /** Their details, so a pending post can show its attachments. */
  files?: FileInfo[];
  created_at: Millis;
  failed: boolean;
  /** Why it was not sent (shown with Retry / Discard). */
  error?: string;
}

export interface Unread {
  unread_count: number;
  mention_count: number;
}

export const TYPING_TTL_MS = 6_000;

/** The channel's message list or the right-hand pane. */
export type EditPlace = "channel" | "pane";

/** What the right-hand pane shows, if anything. */
export type RhsView =
  /** `postId`: a reply to scroll to and highlight. */
  | { kind: "thread"; rootId: Id; channelId: Id; postId?: Id }
  | { kind: "threads" } // followed threads
  | { kind: "pinned"; channelId: Id }
  | { kind: "saved" }
  | { kind: "members"; channelId: Id }
  | { kind: "search"; query: string };

export interface State {
  me: User | null;
  users: Record<Id, User>;
  teams: Team[];
  currentTeamId: Id | null;
  channels: Record<Id, Channel>;
  currentChannelId: Id | null;
  unreads: Record<Id, Unread>;
  posts: Record<Id, ChannelPosts>;
  pending: Record<Id, PendingPost[]>;
  /** channel id → user id → expiry time */
  typing: Record<Id, Record<Id, Millis>>;
  presence: Record<Id, Presence>;
  connection: SocketStatus;
  rhs: RhsView | null;
  /** The post being edited in place, if any (one at a time, like Slack). */
  editingPostId: Id | null;
  /** Where that editor is: a root shows both in its channel and atop its thread, but only one edits. */
  editingWhere: EditPlace;
  /** The user card shown (anchored at a viewport point), from a name or @mention click. */
  profileCard: { userId: Id; x: number; y: number } | null;
  /** A post to scroll to and highlight (deep link, pinned or saved list, search hit). */
  focusPost: { channelId: Id; postId: Id } | null;
  /** Ids of the posts I saved, loaded at sign-in. */
  savedPostIds: Record<Id, true>;
  /** channel id → my last view of it (from the server), for the "New messages" line. */
  lastViewedAt: Record<Id, Millis>;
  unreadMark: UnreadMark | null;
  /** My membership of each channel I am in (favourite, muted, notify level, role). */
  memberships: Record<Id, ChannelMember>;
  /** Followed threads and the posts of threads opened in the side pane. */
  threads: ThreadsSlice;
}

export const initialState: State = {
  me: null,
  users: {},
  teams: [],
  currentTeamId: null,
  channels: {},
  currentChannelId: null,
  unreads: {},
  posts: {},
  pending: {},
  typing: {},
  presence: {},
  connection: "closed",
  rhs: null,
  editingPostId: null,
  editingWhere: "channel",
  profileCard: null,
  focusPost: null,
  savedPostIds: {},
  lastViewedAt: {},
  unreadMark: null,
  memberships: {},
  threads: emptyThreads,
};

export type Action =
  | { type: "signed_out" }
  | {
      type: "bootstrap";
      me: User;
      teams: Team[];
      channels: Channel[];
      unreads: ChannelUnread[];
    }
  | { type: "users_loaded"; users: User[] }
  | { type: "select_team"; teamId: Id }
  | { type: "select_channel"; channelId: Id | null }
  | { type: "channel_loaded"; channel: Channel }
  | { type: "team_loaded"; team: Team }
  /** `replace`: the newest page after a (re)sync; `older`: a page before what we hold. */
  /** `around`: a window around one post replaces what we hold; `newer`: a page after it. */
  | { type: "posts_loaded"; channelId: Id; page: PostPage; mode: "replace" | "older" | "around" | "newer" }
  | { type: "saved_loaded"; postIds: Id[] }
  | { type: "saved_toggled"; postId: Id; saved: boolean }
  | { type: "pending_added"; pending: PendingPost }
  | { type: "pending_failed"; channelId: Id; key: string; error?: string }
  | { type: "pending_removed"; channelId: Id; key: string }
  | { type: "post_created"; post: Post }
  | { type: "event"; event: AnyEvent; now: Millis }
  | { type: "typing_expire"; now: Millis }
  | { type: "connection"; status: SocketStatus }
  | { type: "mark_read"; channelId: Id }
  | { type: "open_rhs"; view: RhsView }
  | { type: "close_rhs" }
  | { type: "edit_post"; postId: Id | null; where?: EditPlace }
  | { type: "show_profile"; card: State["profileCard"] }
  | { type: "focus_post"; target: State["focusPost"] }
  | { type: "memberships_loaded"; members: ChannelMember[] }
  | { type: "membership_updated"; member: ChannelMember }
  | { type: "presence_loaded"; statuses: UserStatus[] }
  | ThreadAction;

const emptyPosts: ChannelPosts = { posts: [], hasMoreBefore: true, loaded: false };

function channelPosts(s: State, id: Id): ChannelPosts {
  return s.posts[id] ?? emptyPosts;
}

function withPosts(s: State, channelId: Id, fn: (p: Post[]) => Post[]): State {
  const cp = s.posts[channelId];
  if (!cp) return s;
  const next = fn(cp.posts);
  if (next === cp.posts) return s;
  return { ...s, posts: { ...s.posts, [channelId]: { ...cp, posts: next } } };
}

/** Drops the pending entry a confirmed post stands for. */
function confirmPending(s: State, post: Post): State {
  const list = s.pending[post.channel_id];
  if (!list || !post.idempotency_key) return s;
  const next = list.filter((p) => p.key !== post.idempotency_key);
  if (next.length === list.length) return s;
  return { ...s, pending: { ...s.pending, [post.channel_id]: next } };
}

/** Whether a post mentions the given user (directly or via @channel/@here/@all). */
export function mentionsUser(post: Post, userId: Id, channel?: Channel): boolean {
  if (post.mentions.includes(userId) || post.mentions_channel) return true;
  // In a direct message every post counts as a mention.
  return channel?.kind === "direct" || channel?.kind === "group";
}

function applyPosted(s: State, post: Post): State {
  let next = s;
  // Past a window around an older post the live tail is not held: it is fetched on scrolling down.
  if (next.posts[post.channel_id] && !next.posts[post.channel_id].hasMoreAfter) {
    next = withPosts(next, post.channel_id, (ps) => mergePosts(ps, [post]));
  }
  next = confirmPending(next, post);
  // Whoever posted is no longer typing.
  const t = next.typing[post.channel_id];
  if (t && post.user_id in t) {
    const { [post.user_id]: _gone, ...rest } = t;
    next = { ...next, typing: { ...next.typing, [post.channel_id]: rest } };
  }
  const ch = next.channels[post.channel_id];
  // Replies count on their thread, not in the channel (the server's rule).
  const reply = post.root_id !== null && post.root_id !== undefined;
  if (ch) {
    next = {
      ...next,
      channels: {
        ...next.channels,
        [ch.id]: {
          ...ch,
          last_post_at: Math.max(ch.last_post_at, post.created_at),
          total_msg_count: ch.total_msg_count + (reply ? 0 : 1),
        },
      },
    };
  }
  const mine = next.me && post.user_id === next.me.id;
  if (!mine && post.channel_id !== next.currentChannelId && next.me) {
    const u = next.unreads[post.channel_id] ?? { unread_count: 0, mention_count: 0 };
    const mention = mentionsUser(post, next.me.id, ch);
    next = {
      ...next,
      unreads: {
        ...next.unreads,
        [post.channel_id]: {
          unread_count: u.unread_count + (reply ? 0 : 1),
          mention_count: u.mention_count + (mention ? 1 : 0),
        },
      },
    };
  }
  return next;
}

function removeChannel(s: State, channelId: Id): State {
  const { [channelId]: _c, ...channels } = s.channels;
  const { [channelId]: _u, ...unreads } = s.unreads;
  const { [channelId]: _p, ...posts } = s.posts;
  return {
    ...s,
    channels,
    unreads,
    posts,
    currentChannelId: s.currentChannelId === channelId ? null : s.currentChannelId,
  };
}

export function applyEvent(s: State, ev: AnyEvent, now: Millis): State {
  switch (ev.event) {
    case "posted":
      return applyPosted(s, ev.data);
    case "post_edited":
    case "post_deleted":
      return withPosts(s, ev.data.channel_id, (ps) => replacePost(ps, ev.data));
    case "reaction_added": {
      const ch = ev.channel_id ?? findChannelOfPost(s, ev.data.post_id);
      return ch ? withPosts(s, ch, (ps) => addReaction(ps, ev.data)) : s;
    }
    case "reaction_removed": {
      const ch = ev.channel_id ?? findChannelOfPost(s, ev.data.post_id);
      return ch ? withPosts(s, ch, (ps) => removeReaction(ps, ev.data)) : s;
    }
    case "channel_created": {
      // A new public channel is announced to the whole team, members or not:
      // keep it only if we made it. Other kinds go to their members only.
      const ours = ev.data.kind !== "public" || (s.me !== null && ev.data.creator_id === s.me.id);
      return ours ? { ...s, channels: { ...s.channels, [ev.data.id]: ev.data } } : s;
    }
    case "channel_updated":
      // Only channels we are in; joins arrive as channel_member_added and are
      // fetched by the action layer.
      if (!s.channels[ev.data.id]) return s;
      return { ...s, channels: { ...s.channels, [ev.data.id]: ev.data } };
    case "channel_member_removed":
      if (s.me && ev.data.user_id === s.me.id) {
        const { [ev.data.channel_id]: _m, ...memberships } = s.memberships;
        return { ...removeChannel(s, ev.data.channel_id), memberships };
      }
      return s;
    case "channel_member_added":
      if (s.me && ev.data.user_id === s.me.id) {
        return { ...s, memberships: { ...s.memberships, [ev.data.channel_id]: ev.data } };
      }
      return s;
    case "channel_member_updated":
      if (s.me && ev.data.user_id === s.me.id) {
        s = { ...s, memberships: { ...s.memberships, [ev.data.channel_id]: ev.data } };
        return setUnread(s, ev.data.channel_id, {
          unread_count: Math.max(0, (s.channels[ev.data.channel_id]?.total_msg_count ?? ev.data.msg_count) - ev.data.msg_count),
          mention_count: ev.data.mention_count,
        });
      }
      return s;
    case "channel_viewed":
      if (s.me && ev.data.user_id === s.me.id) {
        s = { ...s, lastViewedAt: { ...s.lastViewedAt, [ev.data.channel_id]: ev.data.last_viewed_at } };
        return setUnread(s, ev.data.channel_id, { unread_count: 0, mention_count: 0 });
      }
      return s;
    case "team_updated":
      return { ...s, teams: s.teams.map((t) => (t.id === ev.data.id ? ev.data : t)) };
    case "team_member_removed":
      if (s.me && ev.data.user_id === s.me.id) {
        const teams = s.teams.filter((t) => t.id !== ev.data.team_id);
        const channels = Object.fromEntries(
          Object.entries(s.channels).filter(([, c]) => c.team_id !== ev.data.team_id),
        );
        const currentTeamId = s.currentTeamId === ev.data.team_id ? (teams[0]?.id ?? null) : s.currentTeamId;
        const currentChannelId =
          s.currentChannelId && channels[s.currentChannelId] ? s.currentChannelId : null;
        return { ...s, teams, channels, currentTeamId, currentChannelId };
      }
      return s;
    case "user_updated": {
      const users = { ...s.users, [ev.data.id]: ev.data };
      const me = s.me && s.me.id === ev.data.id ? { ...s.me, ...ev.data } : s.me;
      return { ...s, users, me };
    }
    case "typing": {
      if (s.me && ev.data.user_id === s.me.id) return s;
      if (ev.data.root_id) return s; // thread typing is not shown in the channel view
      const cur = s.typing[ev.data.channel_id] ?? {};
      return {
        ...s,
        typing: { ...s.typing, [ev.data.channel_id]: { ...cur, [ev.data.user_id]: now + TYPING_TTL_MS } },
      };
    }
    case "status_changed":
      return { ...s, presence: { ...s.presence, [ev.data.user_id]: ev.data.presence } };
    default:
      // team_member_added/updated, thread_updated and
      // session_revoked are handled by the action layer (they need fetches).
      return s;
  }
}

function findChannelOfPost(s: State, postId: Id): Id | undefined {
  for (const [cid, cp] of Object.entries(s.posts)) if (cp.posts.some((p) => p.id === postId)) return cid;
  return undefined;
}

function setUnread(s: State, channelId: Id, u: Unread): State {
  const old = s.unreads[channelId];
  if (old && old.unread_count === u.unread_count && old.mention_count === u.mention_count) return s;
  return { ...s, unreads: { ...s.unreads, [channelId]: u } };
}

export function reducer(s: State, a: Action): State {
  if (isThreadAction(a)) return threadsReducer(s, a);
  switch (a.type) {
    case "signed_out":
      return { ...initialState };
    case "bootstrap": {
      const channels: Record<Id, Channel> = {};
      for (const c of a.channels) channels[c.id] = c;
      const unreads: Record<Id, Unread> = {};
      for (const u of a.unreads) unreads[u.channel_id] = { unread_count: u.unread_count, mention_count: u.mention_count };
      const lastViewedAt: Record<Id, Millis> = {};
      for (const u of a.unreads) lastViewedAt[u.channel_id] = u.last_viewed_at;
      const teams = a.teams.slice().sort((x, y) => x.display_name.localeCompare(y.display_name));
      const currentTeamId =
        s.currentTeamId && teams.some((t) => t.id === s.currentTeamId) ? s.currentTeamId : (teams[0]?.id ?? null);
      const currentChannelId = s.currentChannelId && channels[s.currentChannelId] ? s.currentChannelId : null;
      // Posts of other channels may be stale after a resync: drop them, they are refetched on view.
      const posts: Record<Id, ChannelPosts> = {};
      if (currentChannelId && s.posts[currentChannelId]) posts[currentChannelId] = s.posts[currentChannelId];
      if (currentChannelId) unreads[currentChannelId] = { unread_count: 0, mention_count: 0 };
      return {
        ...s,
        me: a.me,
        users: { ...s.users, [a.me.id]: a.me },
        teams,
        channels,
        unreads,
        posts,
        currentTeamId,
        currentChannelId,
        lastViewedAt,
      };
    }
    case "users_loaded": {
      const users = { ...s.users };
      for (const u of a.users) users[u.id] = u;
      return { ...s, users };
    }
    case "select_team":
      if (s.currentTeamId === a.teamId) return s;
      return { ...s, currentTeamId: a.teamId, currentChannelId: null };
    case "select_channel": {
      if (!a.channelId) return { ...s, currentChannelId: null };
      const before = s.unreads[a.channelId]?.unread_count ?? 0;
      const unreadMark: UnreadMark | null =
        a.channelId === s.currentChannelId
          ? s.unreadMark
          : before > 0
            ? { channelId: a.channelId, since: s.lastViewedAt[a.channelId] ?? null, count: before }
            : null;
      const next = { ...s, currentChannelId: a.channelId, unreadMark };
      return setUnread(next, a.channelId, { unread_count: 0, mention_count: 0 });
    }
    case "mark_read":
      return setUnread(s, a.channelId, { unread_count: 0, mention_count: 0 });
    case "channel_loaded":
      return { ...s, channels: { ...s.channels, [a.channel.id]: a.channel } };
    case "team_loaded": {
      const teams = s.teams.some((t) => t.id === a.team.id)
        ? s.teams.map((t) => (t.id === a.team.id ? a.team : t))
        : [...s.teams, a.team].sort((x, y) => x.display_name.localeCompare(y.display_name));
      return { ...s, teams, currentTeamId: s.currentTeamId ?? a.team.id };
    }
    case "posts_loaded": {
      const cp = channelPosts(s, a.channelId);
      const fresh = a.mode === "replace" || a.mode === "around";
      const posts = fresh ? mergePosts([], a.page.posts) : mergePosts(cp.posts, a.page.posts);
      const hasMoreBefore =
        fresh || (a.mode === "older" && a.page.posts.length > 0) ? a.page.has_more_before : cp.hasMoreBefore;
      const hasMoreAfter =
        a.mode === "around" || a.mode === "newer" ? a.page.has_more_after : a.mode === "replace" ? false : cp.hasMoreAfter;
      let next: State = { ...s, posts: { ...s.posts, [a.channelId]: { posts, hasMoreBefore, loaded: true, hasMoreAfter } } };
      for (const p of a.page.posts) next = confirmPending(next, p);
      return next;
    }
    case "pending_added": {
      // A retry re-adds the same key: it keeps its place in the list.
      const list = s.pending[a.pending.channel_id] ?? [];
      const next = list.some((p) => p.key === a.pending.key)
        ? list.map((p) => (p.key === a.pending.key ? a.pending : p))
        : [...list, a.pending];
      return { ...s, pending: { ...s.pending, [a.pending.channel_id]: next } };
    }
    case "pending_failed":
    case "pending_removed": {
      const list = s.pending[a.channelId];
      if (!list || !list.some((p) => p.key === a.key)) return s;
      const next =
        a.type === "pending_removed"
          ? list.filter((p) => p.key !== a.key)
          : list.map((p) => (p.key === a.key ? { ...p, failed: true, error: a.error } : p));
      return { ...s, pending: { ...s.pending, [a.channelId]: next } };
    }
    case "post_created": {
      // The HTTP answer to our own post; the `posted` event may come before or after.
      let next = s;
      if (next.posts[a.post.channel_id]) next = withPosts(next, a.post.channel_id, (ps) => mergePosts(ps, [a.post]));
      return threadPostCreated(confirmPending(next, a.post), a.post);
    }
    case "event":
      return threadsOnEvent(applyEvent(s, a.event, a.now), a.event, a.now);
    case "typing_expire": {
      let changed = false;
      const typing: State["typing"] = {};
      for (const [cid, users] of Object.entries(s.typing)) {
        const keep: Record<Id, Millis> = {};
        for (const [uid, exp] of Object.entries(users)) {
          if (exp > a.now) keep[uid] = exp;
          else changed = true;
        }
        if (Object.keys(keep).length) typing[cid] = keep;
      }
      return expireThreadTyping(changed ? { ...s, typing } : s, a.now);
    }
    case "connection":
      return s.connection === a.status ? s : { ...s, connection: a.status };
    case "open_rhs": {
      const next = { ...s, rhs: a.view };
      return a.view.kind === "thread" ? threadOpened(next, a.view.rootId) : next;
    }
    case "close_rhs":
      return s.rhs === null ? s : { ...s, rhs: null };
    case "edit_post": {
      const where = a.where ?? "channel";
      return s.editingPostId === a.postId && s.editingWhere === where ? s : { ...s, editingPostId: a.postId, editingWhere: where };
    }
    case "show_profile":
      return { ...s, profileCard: a.card };
    case "focus_post":
      return { ...s, focusPost: a.target };
    case "saved_loaded": {
      const savedPostIds: Record<Id, true> = {};
      for (const id of a.postIds) savedPostIds[id] = true;
      return { ...s, savedPostIds };
    }
    case "saved_toggled": {
      if (!!s.savedPostIds[a.postId] === a.saved) return s;
      const { [a.postId]: _gone, ...rest } = s.savedPostIds;
      return { ...s, savedPostIds: a.saved ? { ...rest, [a.postId]: true } : rest };
    }
    case "memberships_loaded": {
      const memberships: Record<Id, ChannelMember> = {};
      for (const m of a.members) memberships[m.channel_id] = m;
      return { ...s, memberships };
    }
    case "membership_updated":
      return { ...s, memberships: { ...s.memberships, [a.member.channel_id]: a.member } };
    case "presence_loaded": {
      const presence = { ...s.presence };
      for (const st of a.statuses) presence[st.user_id] = st.presence;
      return { ...s, presence };
    }
  }
}

// ---- selectors ----
export function teamChannels(s: State, teamId: Id | null): Channel[] {
  return Object.values(s.channels)
    .filter((c) => c.team_id === teamId && c.team_id !== null && !c.archived_at)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
}

export function directChannels(s: State): Channel[] {
  return Object.values(s.channels)
    .filter((c) => c.kind === "direct" || c.kind === "group")
    .sort((a, b) => b.last_post_at - a.last_post_at);
}

export function typingUsers(s: State, channelId: Id, now: Millis): Id[] {
  return activeTypers(s.typing[channelId], now);
}

// Pending posts split by where they show. Memoized on the channel's list so
// useAppState selectors return the same array until that list changes.
const EMPTY_PENDING: PendingPost[] = [];
const pendingViews = new WeakMap<PendingPost[], Map<string, PendingPost[]>>();
function pendingWhere(s: State, channelId: Id, rootId: Id | null): PendingPost[] {
  const list = s.pending[channelId];
  if (!list?.length) return EMPTY_PENDING;
  let views = pendingViews.get(list);
  if (!views) pendingViews.set(list, (views = new Map()));
  const k = rootId ?? "";
  let v = views.get(k);
  if (!v) {
    v = list.filter((p) => p.root_id === rootId);
    views.set(k, v);
  }
  return v;
}

/** Pending posts of the channel itself (not thread replies). */
export function channelPending(s: State, channelId: Id): PendingPost[] {
  return pendingWhere(s, channelId, null);
}

/** Pending replies of one thread, for the thread pane. */
export function threadPending(s: State, channelId: Id, rootId: Id): PendingPost[] {
  return pendingWhere(s, channelId, rootId);
}
