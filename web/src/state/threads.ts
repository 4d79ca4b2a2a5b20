// Threads: the follower state of each thread (unread replies, following) and
// the posts of threads opened in the side pane. Pure functions over `State`,
// called by the reducer; the fetching lives in ./actions.ts.
import type { AnyEvent, Id, Millis, Post, ThreadState } from "../api/types";
import { addReaction, mergePosts, removeReaction, replacePost } from "./posts";
import { TYPING_TTL_MS, type State } from "./reducer";

/** A thread's posts, root first: just the root until the whole thread is fetched. */
export interface ThreadPosts {
  posts: Post[];
  loaded: boolean;
}

export interface ThreadsSlice {
  /** root id → my follower state (followed or once followed threads). */
  states: Record<Id, ThreadState>;
  /** Whether the followed threads have been fetched this session. */
  statesLoaded: boolean;
  /** root id → posts known for that thread. */
  posts: Record<Id, ThreadPosts>;
  /** root id → user id → until when they are shown typing a reply. */
  typing: Record<Id, Record<Id, Millis>>;
}

export const emptyThreads: ThreadsSlice = { states: {}, statesLoaded: false, posts: {}, typing: {} };

export type ThreadAction =
  | { type: "threads_loaded"; states: ThreadState[] }
  | { type: "thread_state"; state: ThreadState }
  /** Root posts of followed threads (for the list), without their replies. */
  | { type: "thread_roots_loaded"; posts: Post[] }
  /** A whole thread (GET /posts/{id}/thread): root first, then replies. */
  | { type: "thread_loaded"; rootId: Id; posts: Post[] };

export const THREAD_ACTIONS: ReadonlySet<string> = new Set<ThreadAction["type"]>([
  "threads_loaded",
  "thread_state",
  "thread_roots_loaded",
  "thread_loaded",
]);

export function isThreadAction(a: { type: string }): a is ThreadAction {
  return THREAD_ACTIONS.has(a.type);
}

/** The thread open in the side pane, if any: it is being read, so it has no unread replies. */
export function viewedRoot(s: State): Id | null {
  return s.rhs?.kind === "thread" ? s.rhs.rootId : null;
}

/** Merges posts into a thread, the root (the one post without `root_id`) first. */
export function mergeThread(existing: readonly Post[], incoming: readonly Post[]): Post[] {
  const all = mergePosts(existing, incoming);
  const i = all.findIndex((p) => p.root_id === null);
  if (i <= 0) return all;
  return [all[i], ...all.slice(0, i), ...all.slice(i + 1)];
}

function withSlice(s: State, t: ThreadsSlice): State {
  return t === s.threads ? s : { ...s, threads: t };
}

function putState(t: ThreadsSlice, st: ThreadState, viewed: Id | null): ThreadsSlice {
  const next = st.root_id === viewed && st.unread_replies > 0 ? { ...st, unread_replies: 0 } : st;
  return { ...t, states: { ...t.states, [st.root_id]: next } };
}

function withThreadPosts(t: ThreadsSlice, rootId: Id, fn: (p: Post[]) => Post[]): ThreadsSlice {
  const tp = t.posts[rootId];
  if (!tp) return t;
  const next = fn(tp.posts);
  return next === tp.posts ? t : { ...t, posts: { ...t.posts, [rootId]: { ...tp, posts: next } } };
}

/** The thread holding a post, among the threads we have posts for. */
function threadOfPost(t: ThreadsSlice, postId: Id): Id | undefined {
  if (t.posts[postId]) return postId;
  for (const [root, tp] of Object.entries(t.posts)) if (tp.posts.some((p) => p.id === postId)) return root;
  return undefined;
}

export function threadsReducer(s: State, a: ThreadAction): State {
  const t = s.threads;
  const viewed = viewedRoot(s);
  switch (a.type) {
    case "threads_loaded": {
      // The answer lists followed threads only: keep what we know of unfollowed ones.
      const states: Record<Id, ThreadState> = {};
      for (const st of Object.values(t.states)) if (!st.following) states[st.root_id] = st;
      let next: ThreadsSlice = { ...t, states, statesLoaded: true };
      for (const st of a.states) next = putState(next, st, viewed);
      return withSlice(s, next);
    }
    case "thread_state":
      return withSlice(s, putState(t, a.state, viewed));
    case "thread_roots_loaded": {
      const posts = { ...t.posts };
      for (const p of a.posts) {
        const tp = posts[p.id];
        posts[p.id] = tp ? { ...tp, posts: mergeThread(tp.posts, [p]) } : { posts: [p], loaded: false };
      }
      return withSlice(s, { ...t, posts });
    }
    case "thread_loaded":
      return withSlice(s, {
        ...t,
        posts: { ...t.posts, [a.rootId]: { posts: mergeThread([], a.posts), loaded: true } },
      });
  }
}

/** Opening a thread in the pane reads it. */
export function threadOpened(s: State, rootId: Id): State {
  const st = s.threads.states[rootId];
  if (!st || st.unread_replies === 0) return s;
  return withSlice(s, { ...s.threads, states: { ...s.threads.states, [rootId]: { ...st, unread_replies: 0 } } });
}

/** Our own reply confirmed over HTTP (the `posted` event may come before or after). */
export function threadPostCreated(s: State, post: Post): State {
  if (!post.root_id || !s.threads.posts[post.root_id]?.loaded) return s;
  return withSlice(s, withThreadPosts(s.threads, post.root_id, (ps) => mergeThread(ps, [post])));
}

function setTyping(t: ThreadsSlice, rootId: Id, userId: Id, until: Millis | null): ThreadsSlice {
  const cur = t.typing[rootId] ?? {};
  if (until === null && !(userId in cur)) return t;
  const { [userId]: _old, ...rest } = cur;
  const next = until === null ? rest : { ...rest, [userId]: until };
  return { ...t, typing: { ...t.typing, [rootId]: next } };
}

/** Drops typing marks that ran out (with the channel's, on `typing_expire`). */
export function expireThreadTyping(s: State, now: Millis): State {
  let changed = false;
  const typing: ThreadsSlice["typing"] = {};
  for (const [root, users] of Object.entries(s.threads.typing)) {
    const keep: Record<Id, Millis> = {};
    for (const [uid, until] of Object.entries(users)) {
      if (until > now) keep[uid] = until;
      else changed = true;
    }
    if (Object.keys(keep).length) typing[root] = keep;
    else changed = true;
  }
  return changed ? withSlice(s, { ...s.threads, typing }) : s;
}

function applyReply(s: State, post: Post): ThreadsSlice {
  const rootId = post.root_id as Id;
  // Whoever replied is no longer typing.
  let t = setTyping(s.threads, rootId, post.user_id, null);
  if (t.posts[rootId]?.loaded) t = withThreadPosts(t, rootId, (ps) => mergeThread(ps, [post]));
  const st = t.states[rootId];
  if (st?.following) {
    // Counted at once; the `thread_updated` that follows carries the server's numbers.
    const mine = s.me !== null && post.user_id === s.me.id;
    const unread = mine || rootId === viewedRoot(s) ? st.unread_replies : st.unread_replies + 1;
    t = putState(
      t,
      {
        ...st,
        reply_count: st.reply_count + 1,
        unread_replies: unread,
        last_reply_at: Math.max(st.last_reply_at ?? 0, post.created_at),
      },
      viewedRoot(s),
    );
  }
  return t;
}

/** Applies a server event to the thread state (after the rest of the reducer ran). */
export function threadsOnEvent(s: State, ev: AnyEvent, now: Millis): State {
  const t = s.threads;
  switch (ev.event) {
    case "typing": {
      const { root_id, user_id } = ev.data;
      if (!root_id || (s.me && user_id === s.me.id)) return s;
      return withSlice(s, setTyping(t, root_id, user_id, now + TYPING_TTL_MS));
    }
    case "posted":
      return ev.data.root_id ? withSlice(s, applyReply(s, ev.data)) : s;
    case "post_edited":
    case "post_deleted": {
      const root = ev.data.root_id ?? ev.data.id;
      return withSlice(s, withThreadPosts(t, root, (ps) => replacePost(ps, ev.data)));
    }
    case "reaction_added":
    case "reaction_removed": {
      const root = threadOfPost(t, ev.data.post_id);
      if (!root) return s;
      const fn = ev.event === "reaction_added" ? addReaction : removeReaction;
      return withSlice(s, withThreadPosts(t, root, (ps) => fn(ps, ev.data)));
    }
    case "thread_updated":
      return withSlice(s, putState(t, ev.data, viewedRoot(s)));
    default:
      return s;
  }
}

// ---- selectors ----

/** Whether a thread's channel belongs to a team's view (DM threads show in every team). */
function inTeam(s: State, channelId: Id, teamId: Id | null): boolean {
  const ch = s.channels[channelId];
  return !!ch && (ch.team_id === null || ch.team_id === teamId);
}

/** Followed threads of a team, newest activity first. */
export function followedThreads(s: State, teamId: Id | null): ThreadState[] {
  return Object.values(s.threads.states)
    .filter((st) => st.following && inTeam(s, st.channel_id, teamId))
    .sort((a, b) => (b.last_reply_at ?? b.last_viewed_at) - (a.last_reply_at ?? a.last_viewed_at));
}

/** How many followed threads of a team have unread replies. */
export function unreadThreadCount(s: State, teamId: Id | null): number {
  let n = 0;
  for (const st of Object.values(s.threads.states)) {
    if (st.following && st.unread_replies > 0 && inTeam(s, st.channel_id, teamId)) n++;
  }
  return n;
}

/** The users whose typing marks still hold at `now`. */
export function activeTypers(marks: Record<Id, Millis> | undefined, now: Millis): Id[] {
  return Object.entries(marks ?? {})
    .filter(([, until]) => until > now)
    .map(([uid]) => uid);
}

/** Who is typing a reply in a thread now. */
export function threadTypingUsers(s: State, rootId: Id, now: Millis): Id[] {
  return activeTypers(s.threads.typing[rootId], now);
}

/** A thread's root post, if known. */
export function threadRoot(s: State, rootId: Id): Post | undefined {
  const first = s.threads.posts[rootId]?.posts[0];
  return first?.id === rootId ? first : undefined;
}
