// Side effects: loading state over HTTP and feeding socket events into the store.
import { api, ApiError, newIdempotencyKey } from "../api/client";
import { HearthSocket } from "../api/socket";
import { MAX_POST_CHARS, type AnyEvent, type FileInfo, type Id } from "../api/types";
import { autoRetryPlan, sendErrorText } from "../ui/composer/sendRules";
import type { PendingPost } from "./reducer";
import { prefetchCandidates } from "./prefetch";
import { store } from "./store";
import { loadSaved } from "./postActions";
import type { Post, ThreadState } from "../api/types";

export const socket = new HearthSocket();
const dispatch = store.dispatch;
const requestedUsers = new Set<Id>();

/** Fetches users we do not know yet (authors, DM partners). */
export async function ensureUsers(ids: Iterable<Id>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !store.getState().users[id] && !requestedUsers.has(id));
  if (!missing.length) return;
  missing.forEach((id) => requestedUsers.add(id));
  const users = await Promise.all(missing.map((id) => api.user(id).catch(() => null)));
  dispatch({ type: "users_loaded", users: users.filter((u) => u !== null) });
}

export async function dmPartners(channelIds: Id[]): Promise<void> {
  const me = store.getState().me?.id;
  const members = await Promise.all(channelIds.map((id) => api.channelMembers(id).catch(() => [])));
  const ids = members.flat().map((m) => m.user_id).filter((u) => u !== me);
  dmMembers = { ...dmMembers };
  channelIds.forEach((cid, i) => (dmMembers[cid] = members[i].map((m) => m.user_id)));
  await ensureUsers(ids);
  notifyDm();
}

// DM channel members (for names); kept outside the reducer as plain lookup data.
let dmMembers: Record<Id, Id[]> = {};
const dmListeners = new Set<() => void>();
function notifyDm() {
  dmListeners.forEach((l) => l());
}
export const dmStore = {
  get: () => dmMembers,
  subscribe(l: () => void) {
    dmListeners.add(l);
    return () => dmListeners.delete(l);
  },
};

/** Loads everything the main screen needs (also after a resync). */
export async function bootstrap(): Promise<void> {
  const [me, teams, channels, unreads] = await Promise.all([api.me(), api.teams(), api.myChannels(), api.unreads()]);
  dispatch({ type: "bootstrap", me, teams, channels, unreads });
  // Favourite, muted and notification settings per channel (the sidebar works without them).
  void api.myMemberships().then((members) => dispatch({ type: "memberships_loaded", members }), () => undefined);
  void refreshThreads();
  void loadSaved();
  const current = store.getState().currentChannelId;
  if (current) await loadLatest(current);
  void dmPartners(channels.filter((c) => c.kind === "direct" || c.kind === "group").map((c) => c.id));
  schedulePrefetch();
}

/** Channels loaded ahead of a click, once the open channel has had its turn. */
const PREFETCH_CHANNELS = 8;
let prefetchTimer: ReturnType<typeof setTimeout> | undefined;
export function schedulePrefetch(): void {
  clearTimeout(prefetchTimer);
  prefetchTimer = setTimeout(() => {
    void (async () => {
      // One at a time: this must never compete with what the user asked for.
      for (const id of prefetchCandidates(store.getState(), PREFETCH_CHANNELS)) {
        if (!store.getState().me) return;
        if (!store.getState().posts[id]?.loaded) await loadLatest(id).catch(() => undefined);
      }
    })();
  }, 500);
}

// Channel lists hold root posts only (collapsed threads): replies live in the thread pane.
export async function loadLatest(channelId: Id): Promise<void> {
  const page = await api.posts(channelId, { limit: 60, collapsed: true });
  dispatch({ type: "posts_loaded", channelId, page, mode: "replace" });
  void ensureUsers(page.posts.flatMap((p) => [p.user_id, ...p.participants]));
}

export async function loadOlder(channelId: Id): Promise<void> {
  const cp = store.getState().posts[channelId];
  const first = cp?.posts[0];
  if (!first || !cp.hasMoreBefore) return;
  const page = await api.posts(channelId, { before: first.id, limit: 60, collapsed: true });
  dispatch({ type: "posts_loaded", channelId, page, mode: "older" });
  void ensureUsers(page.posts.flatMap((p) => [p.user_id, ...p.participants]));
}

const LAST_KEY = "hearth.lastChannel.";
/** The channel last open in a team (this browser), if any. */
export function lastChannel(teamId: Id): Id | null {
  try {
    return localStorage.getItem(LAST_KEY + teamId);
  } catch {
    return null;
  }
}

export async function openChannel(channelId: Id): Promise<void> {
  dispatch({ type: "select_channel", channelId });
  const s = store.getState();
  try {
    if (s.currentTeamId) localStorage.setItem(LAST_KEY + s.currentTeamId, channelId);
  } catch {
    /* storage unavailable */
  }
  const tasks: Promise<unknown>[] = [api.viewChannel(channelId).catch(() => undefined)];
  if (!s.posts[channelId]?.loaded) tasks.push(loadLatest(channelId));
  await Promise.all(tasks);
}

/** What the composer hands over to post. */
export interface OutgoingPost {
  channelId: Id;
  /** Set for a reply in a thread. */
  rootId?: Id | null;
  message: string;
  /** Uploaded files (a message may be only files). */
  files?: FileInfo[];
}

/**
 * Posts optimistically: the post shows as pending at once and is confirmed by
 * the server's answer or the `posted` event; a failure keeps it, marked
 * failed with the reason, and rejects with the error.
 */
export async function sendPost(out: OutgoingPost, key = newIdempotencyKey()): Promise<void> {
  const files = out.files ?? [];
  const pending: PendingPost = {
    key,
    channel_id: out.channelId,
    root_id: out.rootId ?? null,
    message: out.message,
    file_ids: files.map((f) => f.id),
    files,
    created_at: Date.now(),
    failed: false,
  };
  // Others drop our typing mark when the post lands: the next keystroke must announce again.
  lastTyping.delete(out.rootId ? `${out.channelId}:${out.rootId}` : out.channelId);
  autoRetries.delete(key);
  dispatch({ type: "pending_added", pending });
  await deliver(pending);
}

// Automatic resends of failed posts (rate limit, network down), at most a few per post.
const MAX_AUTO_RETRIES = 3;
const autoRetries = new Map<string, number>();
const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
const waitingOnline = new Map<string, Id>();
let onlineHooked = false;

async function deliver(p: PendingPost): Promise<void> {
  try {
    const post = await api.createPost({
      channel_id: p.channel_id,
      message: p.message,
      root_id: p.root_id,
      file_ids: p.file_ids,
      idempotency_key: p.key,
    });
    autoRetries.delete(p.key);
    dispatch({ type: "post_created", post });
  } catch (e) {
    const tries = autoRetries.get(p.key) ?? 0;
    const plan = tries < MAX_AUTO_RETRIES ? autoRetryPlan(e) : null;
    dispatch({ type: "pending_failed", channelId: p.channel_id, key: p.key, error: sendErrorText(e, MAX_POST_CHARS, plan !== null) });
    if (plan) {
      autoRetries.set(p.key, tries + 1);
      if (plan.after === "delay") {
        retryTimers.set(p.key, setTimeout(() => resend(p.channel_id, p.key), plan.ms));
      } else {
        waitingOnline.set(p.key, p.channel_id);
        hookOnline();
      }
    }
    throw e;
  }
}

function hookOnline(): void {
  if (onlineHooked || typeof window === "undefined") return;
  onlineHooked = true;
  window.addEventListener("online", () => {
    const waiting = [...waitingOnline];
    waitingOnline.clear();
    for (const [key, channelId] of waiting) resend(channelId, key);
  });
}

function forgetRetry(key: string): void {
  clearTimeout(retryTimers.get(key));
  retryTimers.delete(key);
  waitingOnline.delete(key);
}

/** An automatic resend: only if the post is still there and still failed. */
function resend(channelId: Id, key: string): void {
  forgetRetry(key);
  const p = store.getState().pending[channelId]?.find((x) => x.key === key);
  if (!p?.failed) return;
  dispatch({ type: "pending_added", pending: { ...p, failed: false, error: undefined } });
  void deliver(p).catch(() => undefined);
}

/** Retries a failed post with the same idempotency key (never duplicates). */
export function retryPost(channelId: Id, key: string): Promise<void> {
  forgetRetry(key);
  autoRetries.delete(key);
  const p = store.getState().pending[channelId]?.find((x) => x.key === key);
  if (!p) return Promise.resolve();
  dispatch({ type: "pending_added", pending: { ...p, failed: false, error: undefined } });
  return deliver(p);
}

export function discardPending(channelId: Id, key: string): void {
  forgetRetry(key);
  autoRetries.delete(key);
  dispatch({ type: "pending_removed", channelId, key });
}

// At most one typing frame per channel or thread every few seconds.
const TYPING_EVERY_MS = 3000;
const lastTyping = new Map<string, number>();
export function notifyTyping(channelId: Id, rootId: Id | null = null): void {
  const now = Date.now();
  const k = rootId ? `${channelId}:${rootId}` : channelId;
  if (now - (lastTyping.get(k) ?? 0) < TYPING_EVERY_MS) return;
  lastTyping.set(k, now);
  socket.send({ action: "typing", channel_id: channelId, root_id: rootId });
}

async function onEvent(ev: AnyEvent): Promise<void> {
  const me = store.getState().me;
  dispatch({ type: "event", event: ev, now: Date.now() });
  switch (ev.event) {
    case "posted":
      void ensureUsers([ev.data.user_id]);
      // Reading the open channel: keep the server's read state current.
      if (ev.data.channel_id === store.getState().currentChannelId && ev.data.user_id !== me?.id && document.visibilityState === "visible") {
        void api.viewChannel(ev.data.channel_id).catch(() => undefined);
      }
      break;
    case "channel_member_added":
      if (me && ev.data.user_id === me.id) {
        const ch = await api.myChannels().then((cs) => cs.find((c) => c.id === ev.data.channel_id));
        if (ch) {
          dispatch({ type: "channel_loaded", channel: ch });
          if (ch.kind === "direct" || ch.kind === "group") void dmPartners([ch.id]);
        }
      }
      break;
    case "team_member_added":
      if (me && ev.data.user_id === me.id) {
        const teams = await api.teams();
        const t = teams.find((x) => x.id === ev.data.team_id);
        if (t) dispatch({ type: "team_loaded", team: t });
        const chans = await api.myChannels();
        chans.forEach((c) => dispatch({ type: "channel_loaded", channel: c }));
      }
      break;
    case "thread_updated":
      onThreadUpdated(ev.data);
      break;
    case "session_revoked":
      signOutLocally();
      break;
    default:
      break;
  }
}

// Refetch after (re)connecting: a hello and the resync frame that follows it
// arrive together, so requests within a short window share one bootstrap.
let refetchTimer: ReturnType<typeof setTimeout> | undefined;
let refetching: Promise<void> | null = null;
let refetchAgain = false;
function scheduleRefetch(): void {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => {
    if (refetching) {
      refetchAgain = true;
      return;
    }
    refetching = bootstrap()
      .catch(() => undefined)
      .finally(() => {
        refetching = null;
        if (refetchAgain) {
          refetchAgain = false;
          scheduleRefetch();
        }
      });
  }, 100);
}

let wired = false;
// While the first connection of a sign-in comes up, its hello needs no refetch:
// the caller fetches everything after it (see startLive).
let firstHello: (() => void) | null = null;

/**
 * Opens the live connection and resolves once it is up (or after a short wait
 * if it is slow), so that the state fetched next misses no event: whatever
 * changes after the hello arrives as an event.
 */
export function startLive(): Promise<void> {
  if (!wired) {
    wired = true;
    wire();
  }
  const up = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      firstHello = null;
      resolve();
    }, 1500);
    firstHello = () => {
      clearTimeout(timer);
      firstHello = null;
      resolve();
    };
  });
  socket.start();
  return up;
}

function wire(): void {
  socket.on((m) => {
    switch (m.kind) {
      case "status":
        dispatch({ type: "connection", status: m.status });
        // Several failures in a row: is the session still valid? (A 401 on
        // upgrade is invisible to the browser.) The auth handler signs out.
        if (m.status === "reconnecting" && m.attempt >= 3) void api.me().catch(() => undefined);
        break;
      case "ready":
        if (firstHello) {
          firstHello();
          break;
        }
        // Events that happened between our fetch and the hello are missing on a
        // fresh (non-resumed) reconnect: refetch.
        if (!m.resumed && store.getState().me) scheduleRefetch();
        break;
      case "resync":
        scheduleRefetch();
        break;
      case "event":
        void onEvent(m.event).catch(() => undefined);
        break;
    }
  });
  window.addEventListener("online", () => socket.reconnectNow());
  // Posts that arrived in the open channel while the tab was hidden: mark read on return.
  document.addEventListener("visibilitychange", () => {
    const id = store.getState().currentChannelId;
    if (document.visibilityState === "visible" && id) void api.viewChannel(id).catch(() => undefined);
  });
  setInterval(() => dispatch({ type: "typing_expire", now: Date.now() }), 2000);
}

export function signOutLocally(): void {
  socket.stop();
  clearTimeout(refetchTimer);
  requestedUsers.clear();
  dmMembers = {};
  notifyDm();
  dispatch({ type: "signed_out" });
}

export async function signOut(): Promise<void> {
  const providerLogout = await api.logout().catch((e: unknown) => {
    if (!(e instanceof ApiError)) throw e;
    return null;
  });
  signOutLocally();
  // Single sign-on: end the provider's session too (it redirects back here).
  if (providerLogout) window.location.assign(providerLogout);
}

// ---- threads ----

/** Fetches a whole thread (root and every reply) for the side pane. */
export async function loadThread(rootId: Id): Promise<void> {
  const page = await api.thread(rootId);
  dispatch({ type: "thread_loaded", rootId, posts: page.posts });
  void ensureUsers(page.posts.flatMap((p) => [p.user_id, ...p.participants]));
}

const viewingThreads = new Set<Id>();
/** Marks a thread read for me on the server (its unread count clears everywhere). */
export async function markThreadViewed(rootId: Id): Promise<void> {
  if (viewingThreads.has(rootId)) return;
  viewingThreads.add(rootId);
  try {
    dispatch({ type: "thread_state", state: await api.viewThread(rootId) });
  } finally {
    viewingThreads.delete(rootId);
  }
}

export async function setThreadFollowing(rootId: Id, following: boolean): Promise<void> {
  dispatch({ type: "thread_state", state: await api.followThread(rootId, following) });
}

// Root posts of followed threads, fetched once each; roots that failed (deleted,
// channel left) are not asked for again by the same user.
const fetchingRoots = new Set<Id>();
let failedRoots = { userId: "", ids: new Set<Id>() };
async function ensureThreadRoots(rootIds: Id[]): Promise<void> {
  const s = store.getState();
  const me = s.me?.id ?? "";
  if (failedRoots.userId !== me) failedRoots = { userId: me, ids: new Set() };
  const missing = [...new Set(rootIds)].filter(
    (id) => !s.threads.posts[id] && !fetchingRoots.has(id) && !failedRoots.ids.has(id),
  );
  if (!missing.length) return;
  missing.forEach((id) => fetchingRoots.add(id));
  const found: Post[] = [];
  try {
    // A few at a time: someone may follow hundreds of threads.
    for (let i = 0; i < missing.length; i += 8) {
      const batch = await Promise.all(
        missing.slice(i, i + 8).map((id) =>
          api.post(id).catch(() => {
            failedRoots.ids.add(id);
            return null;
          }),
        ),
      );
      for (const p of batch) if (p) found.push(p);
    }
  } finally {
    missing.forEach((id) => fetchingRoots.delete(id));
  }
  if (found.length) dispatch({ type: "thread_roots_loaded", posts: found });
  void ensureUsers(found.flatMap((p) => [p.user_id, ...p.participants]));
}

/** Fetches the followed threads (every team) and their root posts. */
export async function loadFollowedThreads(): Promise<void> {
  const states = await api.myThreads();
  dispatch({ type: "threads_loaded", states });
  await ensureThreadRoots(states.map((st) => st.root_id));
}

/** After (re)connecting: thread counts and the open thread may be stale. */
async function refreshThreads(): Promise<void> {
  await loadFollowedThreads().catch(() => undefined);
  const rhs = store.getState().rhs;
  if (rhs?.kind === "thread") await loadThread(rhs.rootId).catch(() => undefined);
}

function onThreadUpdated(st: ThreadState): void {
  if (st.following) void ensureThreadRoots([st.root_id]);
  // A reply to the thread open in the pane: it is being read.
  const rhs = store.getState().rhs;
  if (rhs?.kind === "thread" && rhs.rootId === st.root_id && st.unread_replies > 0 && document.visibilityState === "visible") {
    void markThreadViewed(st.root_id).catch(() => undefined);
  }
}
