// Fetch wrapper for /api/v1: same origin, cookie session, CSRF header on writes,
// every failure surfaced as a typed ApiError.
import type * as T from "./types";

const BASE = "/api/v1";
const CSRF_KEY = "hearth.csrf";

export class ApiError extends Error {
  readonly status: number;
  readonly code: T.ErrorCode | "network_error" | "bad_response";
  /** Seconds from `Retry-After`, on 429. */
  readonly retryAfter?: number;
  constructor(status: number, code: ApiError["code"], message: string, retryAfter?: number) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
  /** The session is gone: the user must sign in again. */
  get isAuthFailure(): boolean {
    return (
      this.code === "unauthenticated" ||
      this.code === "session_expired" ||
      this.code === "csrf_mismatch"
    );
  }
}

export function getCsrfToken(): string | null {
  try {
    return localStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}
export function setCsrfToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(CSRF_KEY, token);
    else localStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage unavailable: writes will fail with csrf_mismatch */
  }
}

/** Builds an ApiError from a non-2xx response body (exported for tests). */
export function errorFromBody(status: number, body: unknown, retryAfter?: number): ApiError {
  const detail = (body as T.ErrorBody | null)?.error;
  if (detail && typeof detail.code === "string" && typeof detail.message === "string") {
    return new ApiError(status, detail.code, detail.message, retryAfter);
  }
  return new ApiError(status, "bad_response", `Unexpected response (HTTP ${status})`, retryAfter);
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type AuthListener = (err: ApiError) => void;
let onAuthFailure: AuthListener | null = null;
/** Called whenever a request fails because the session is gone. */
export function setAuthFailureHandler(fn: AuthListener | null): void {
  onAuthFailure = fn;
}

export async function request<R>(
  method: Method,
  path: string,
  body?: unknown,
  query?: Record<string, string | number | boolean | undefined | null>,
): Promise<R> {
  let url = BASE + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) qs.set(k, String(v));
    const s = qs.toString();
    if (s) url += "?" + s;
  }
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const csrf = getCsrfToken();
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached.");
  }
  if (res.status === 204) return undefined as R;
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const ra = Number(res.headers.get("Retry-After"));
    const err = errorFromBody(res.status, json, Number.isFinite(ra) && ra > 0 ? ra : undefined);
    if (err.isAuthFailure && onAuthFailure) onAuthFailure(err);
    throw err;
  }
  return json as R;
}

/** The routes the web client uses. */
export const api = {
  systemInfo: () => request<T.ServerInfo>("GET", "/system/info"),

  signup: (body: T.SignupRequest) => request<T.User>("POST", "/users/signup", body),
  /** A session, or an MFA challenge to finish with `loginMfa`. */
  async login(body: T.LoginRequest): Promise<T.LoginOutcome> {
    const r = await request<T.LoginOutcome>("POST", "/users/login", body);
    if (!isMfaChallenge(r)) setCsrfToken(r.csrf_token);
    return r;
  },
  async loginMfa(body: T.LoginMfaRequest): Promise<T.MfaLoginResponse> {
    const r = await request<T.MfaLoginResponse>("POST", "/users/login/mfa", body);
    setCsrfToken(r.csrf_token);
    return r;
  },
  loginMfaEnrol: (mfaToken: string) =>
    request<T.MfaEnrolment>("POST", "/users/login/mfa/enrol", { mfa_token: mfaToken }),
  /** Ends the session; answers the provider's end-session URL for single sign-on sessions. */
  async logout(): Promise<string | null> {
    try {
      const r = await request<T.LogoutResponse | undefined>("POST", "/users/logout");
      return r?.logout_url ?? null;
    } finally {
      setCsrfToken(null);
    }
  },
  /** After a single sign-on redirect: the session's CSRF token into storage. */
  /** Not through `request`: being signed out here is an expected answer, not a lost session. */
  async fetchCsrfToken(): Promise<void> {
    const res = await fetch(BASE + "/users/me/csrf", { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!res.ok) return;
    const r = (await res.json().catch(() => null)) as { csrf_token?: string } | null;
    if (r?.csrf_token) setCsrfToken(r.csrf_token);
  },
  authProviders: () => request<T.AuthProviders>("GET", "/auth/providers"),
  mfaStatus: () => request<T.MfaStatus>("GET", "/users/me/mfa"),
  mfaEnrol: () => request<T.MfaEnrolment>("POST", "/users/me/mfa/enrol"),
  mfaActivate: (code: string) => request<T.RecoveryCodes>("POST", "/users/me/mfa/activate", { code }),
  mfaDisable: (code: string) => request<void>("DELETE", "/users/me/mfa", { code }),
  mfaRecoveryCodes: (code: string) => request<T.RecoveryCodes>("POST", "/users/me/mfa/recovery-codes", { code }),
  me: () => request<T.User>("GET", "/users/me"),
  user: (id: T.Id) => request<T.User>("GET", `/users/${id}`),
  users: (q?: string, page = 0, perPage = 100) =>
    request<T.User[]>("GET", "/users", undefined, { q, page, per_page: perPage }),

  teams: () => request<T.Team[]>("GET", "/teams"),
  openTeams: () => request<T.Team[]>("GET", "/teams/open"),
  createTeam: (body: T.CreateTeamRequest) => request<T.Team>("POST", "/teams", body),
  joinTeam: (teamId: T.Id, userId: T.Id) =>
    request<T.TeamMember>("POST", `/teams/${teamId}/members`, { user_id: userId }),

  myChannels: () => request<T.Channel[]>("GET", "/users/me/channels"),
  unreads: () => request<T.ChannelUnread[]>("GET", "/users/me/unreads"),
  createChannel: (body: T.CreateChannelRequest) => request<T.Channel>("POST", "/channels", body),
  directChannel: (userIds: T.Id[]) =>
    request<T.Channel>("POST", "/channels/direct", { user_ids: userIds }),
  channelMembers: (id: T.Id) => request<T.ChannelMember[]>("GET", `/channels/${id}/members`),
  viewChannel: (id: T.Id) => request<T.ChannelMember>("POST", `/channels/${id}/view`),
  posts: (channelId: T.Id, q: T.PostsQuery = {}) =>
    request<T.PostPage>("GET", `/channels/${channelId}/posts`, undefined, { ...q }),

  createPost: (body: T.CreatePostRequest) => request<T.Post>("POST", "/posts", body),
  editPost: (id: T.Id, message: string) => request<T.Post>("PATCH", `/posts/${id}`, { message }),
  deletePost: (id: T.Id) => request<void>("DELETE", `/posts/${id}`),
  addReaction: (id: T.Id, emoji: string) =>
    request<T.Reaction>("POST", `/posts/${id}/reactions`, { emoji_name: emoji }),
  removeReaction: (id: T.Id, emoji: string) =>
    request<void>("DELETE", `/posts/${id}/reactions/${encodeURIComponent(emoji)}`),

  // navigation, channel and team management, account settings
  myMemberships: () => request<T.ChannelMember[]>("GET", "/users/me/memberships"),
  updateMembership: (channelId: T.Id, body: T.UpdateMembershipRequest) =>
    request<T.ChannelMember>("PATCH", `/channels/${channelId}/members/me`, body),
  channel: (id: T.Id) => request<T.Channel>("GET", `/channels/${id}`),
  updateChannel: (id: T.Id, body: T.UpdateChannelRequest) => request<T.Channel>("PATCH", `/channels/${id}`, body),
  archiveChannel: (id: T.Id) => request<T.Channel>("POST", `/channels/${id}/archive`),
  unarchiveChannel: (id: T.Id) => request<T.Channel>("POST", `/channels/${id}/unarchive`),
  addChannelMember: (id: T.Id, userId: T.Id) =>
    request<T.ChannelMember>("POST", `/channels/${id}/members`, { user_id: userId }),
  removeChannelMember: (id: T.Id, userId: T.Id) => request<void>("DELETE", `/channels/${id}/members/${userId}`),
  browseChannels: (teamId: T.Id, includeArchived = false) =>
    request<T.Channel[]>("GET", `/teams/${teamId}/channels`, undefined, { include_archived: includeArchived }),
  post: (id: T.Id) => request<T.Post>("GET", `/posts/${id}`),
  userByUsername: (username: string) =>
    request<T.User>("GET", `/users/by-username/${encodeURIComponent(username)}`),
  statuses: (ids: T.Id[]) => request<T.UserStatus[]>("POST", "/users/status/ids", ids),
  setStatus: (presence: T.Presence) => request<T.UserStatus>("PUT", "/users/me/status", { presence }),
  updateProfile: (body: T.UpdateProfileRequest) => request<T.User>("PATCH", "/users/me", body),
  changePassword: (body: T.ChangePasswordRequest) => request<void>("PUT", "/users/me/password", body),
  sessions: () => request<T.Session[]>("GET", "/users/me/sessions"),
  revokeSession: (id: T.Id) => request<void>("DELETE", `/users/me/sessions/${id}`),
  tokens: () => request<T.Session[]>("GET", "/users/me/tokens"),
  createToken: (body: T.CreateTokenRequest) => request<T.CreatedToken>("POST", "/users/me/tokens", body),
  revokeToken: (id: T.Id) => request<void>("DELETE", `/users/me/tokens/${id}`),
  teamInvite: (teamId: T.Id) => request<T.TeamInvite>("GET", `/teams/${teamId}/invite`),
  regenerateInvite: (teamId: T.Id) => request<T.TeamInvite>("POST", `/teams/${teamId}/invite`),
  joinByInvite: (inviteId: string) => request<T.Team>("POST", "/teams/join", { invite_id: inviteId }),
  updateTeam: (teamId: T.Id, body: T.UpdateTeamRequest) => request<T.Team>("PATCH", `/teams/${teamId}`, body),
  teamMembers: (teamId: T.Id) => request<T.TeamMember[]>("GET", `/teams/${teamId}/members`),
  leaveTeam: (teamId: T.Id, userId: T.Id) => request<void>("DELETE", `/teams/${teamId}/members/${userId}`),
  /** PUT /users/me/avatar takes the image itself as the body, not JSON. */
  async uploadAvatar(file: Blob): Promise<T.User> {
    const headers: Record<string, string> = { Accept: "application/json", "Content-Type": file.type || "application/octet-stream" };
    const csrf = getCsrfToken();
    if (csrf) headers["X-CSRF-Token"] = csrf;
    let res: Response;
    try {
      res = await fetch(BASE + "/users/me/avatar", { method: "PUT", headers, body: file, credentials: "same-origin" });
    } catch {
      throw new ApiError(0, "network_error", "The server could not be reached.");
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorFromBody(res.status, json);
    return json as T.User;
  },

  // threads and the side pane's lists
  thread: (rootId: T.Id) => request<T.PostPage>("GET", `/posts/${rootId}/thread`),
  followThread: (rootId: T.Id, following: boolean) =>
    request<T.ThreadState>("PUT", `/posts/${rootId}/follow`, { following }),
  viewThread: (rootId: T.Id) => request<T.ThreadState>("POST", `/posts/${rootId}/thread/view`),
  myThreads: () => request<T.ThreadState[]>("GET", "/users/me/threads"),
  pinnedPosts: (channelId: T.Id) => request<T.Post[]>("GET", `/channels/${channelId}/pinned`),
  savedPosts: () => request<T.Post[]>("GET", "/users/me/saved"),
  setChannelMemberRole: (channelId: T.Id, userId: T.Id, role: T.MemberRole) =>
    request<T.ChannelMember>("PUT", `/channels/${channelId}/members/${userId}/role`, { role }),

  // actions on one post and its attachments
  pinPost: (id: T.Id, pinned: boolean) => request<T.Post>("POST", `/posts/${id}/${pinned ? "pin" : "unpin"}`),
  savePost: (id: T.Id, saved: boolean) => request<void>(saved ? "POST" : "DELETE", `/posts/${id}/save`),
  fileInfo: (id: T.Id) => request<T.FileInfo>("GET", `/files/${id}/info`),

  // full-text search
  searchPosts: (body: T.SearchRequest) => request<T.PostSearchResults>("POST", "/posts/search", body),
  searchFiles: (body: T.SearchRequest) => request<T.FileSearchResults>("POST", "/files/search", body),
};

/** Whether a login answered with a second-factor challenge instead of a session. */
export function isMfaChallenge(r: T.LoginOutcome): r is T.MfaChallenge {
  return (r as T.MfaChallenge).mfa_required === true;
}

/** A fresh idempotency key for one post (kept across retries of that post). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
