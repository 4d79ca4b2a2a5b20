// Side effects: loading state over HTTP and feeding socket events into the store.
import { api, ApiError, newIdempotencyKey } from "../api/client";
import { HearthSocket } from "../api/socket";
import type { AnyEvent, Id } from "../api/types";
import { store } from "./store";

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
  const current = store.getState().currentChannelId;
  if (current) await loadLatest(current);
  void dmPartners(channels.filter((c) => c.kind === "direct" || c.kind === "group").map((c) => c.id));
}

export async function loadLatest(channelId: Id): Promise<void> {
  const page = await api.posts(channelId, { limit: 60 });
  dispatch({ type: "posts_loaded", channelId, page, mode: "replace" });
  void ensureUsers(page.posts.map((p) => p.user_id));
}

export async function loadOlder(channelId: Id): Promise<void> {
  const cp = store.getState().posts[channelId];
  const first = cp?.posts[0];
  if (!first || !cp.hasMoreBefore) return;
  const page = await api.posts(channelId, { before: first.id, limit: 60 });
  dispatch({ type: "posts_loaded", channelId, page, mode: "older" });
  void ensureUsers(page.posts.map((p) => p.user_id));
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

export async function sendPost(channelId: Id, message: string, key = newIdempotencyKey()): Promise<void> {
  dispatch({
    type: "pending_added",
    pending: { key, channel_id: channelId, root_id: null, message, created_at: Date.now(), failed: false },
  });
  try {
    const post = await api.createPost({ channel_id: channelId, message, idempotency_key: key });
    dispatch({ type: "post_created", post });
  } catch (e) {
    dispatch({ type: "pending_failed", channelId, key });
    throw e;
  }
}

/** Retries a failed post with the same idempotency key (never duplicates). */
export function retryPost(channelId: Id, key: string): Promise<void> {
  const p = store.getState().pending[channelId]?.find((x) => x.key === key);
  if (!p) return Promise.resolve();
  return sendPost(channelId, p.message, key);
}

export function discardPending(channelId: Id, key: string): void {
  dispatch({ type: "pending_removed", channelId, key });
}

let lastTyping = 0;
export function notifyTyping(channelId: Id): void {
  const now = Date.now();
  if (now - lastTyping < 3000) return;
  lastTyping = now;
  socket.send({ action: "typing", channel_id: channelId, root_id: null });
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
export function startLive(): void {
  if (!wired) {
    wired = true;
    wire();
  }
  socket.start();
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
  await api.logout().catch((e: unknown) => {
    if (!(e instanceof ApiError)) throw e;
  });
  signOutLocally();
}
