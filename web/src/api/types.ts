// Hand-written mirror of server/crates/api-types/src/*.rs (serde JSON).
// Ids are UUIDv7 strings; times are UTC milliseconds.

export type Id = string;
export type Millis = number;

export const MAX_POST_CHARS = 16_383;

// ---- error.rs ----
export type ErrorCode =
  | "invalid_input"
  | "payload_too_large"
  | "unauthenticated"
  | "invalid_credentials"
  | "session_expired"
  | "csrf_mismatch"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "channel_archived"
  | "account_inactive"
  | "signup_disabled"
  | "setup_token_invalid"
  | "reauthentication_required"
  | "rate_limited"
  | "too_many_connections"
  | "file_too_large"
  | "unavailable"
  | "invalid_config"
  | "config_locked"
  | "token_for_other_account"
  | "separation_of_duties"
  | "method_not_allowed"
  | "internal";

export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}
export interface ErrorBody {
  error: ErrorDetail;
}

// ---- models.rs ----
export type Role = "system_admin" | "compliance_officer" | "user" | "guest";
export type Presence = "online" | "away" | "dnd" | "offline";
export type SessionKind = "session" | "access_token";
export type MemberRole = "admin" | "member";
export type ChannelKind = "public" | "private" | "direct" | "group";
export type NotifyLevel = "default" | "all" | "mention" | "none";

export interface User {
  id: Id;
  username: string;
  /** Only present for the user themself and for system admins. */
  email?: string;
  display_name: string;
  role: Role;
  timezone: string;
  status_text: string;
  has_avatar: boolean;
  is_active: boolean;
  is_bot: boolean;
  created_at: Millis;
  updated_at: Millis;
  /** Whether the e-mail address is verified; present with `email`. */
  email_verified?: boolean;
}

export interface LoginResponse {
  user: User;
  token: string;
  csrf_token: string;
  session_id: Id;
}

/** The password was right; a second factor is needed (POST /users/login/mfa). */
export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
  /** MFA is enforced but not set up: enrol first (POST /users/login/mfa/enrol). */
  enrolment_required: boolean;
  expires_at: Millis;
}
export type LoginOutcome = LoginResponse | MfaChallenge;
export interface LoginMfaRequest {
  mfa_token: string;
  code?: string | null;
  recovery_code?: string | null;
}
export interface MfaLoginResponse extends LoginResponse {
  /** Set when the login finished an enforced enrolment: shown once. */
  recovery_codes?: string[];
}
export interface MfaEnrolment {
  secret: string;
  otpauth_uri: string;
}
export interface RecoveryCodes {
  recovery_codes: string[];
}
export interface MfaStatus {
  enabled: boolean;
  required: boolean;
  recovery_codes_left: number;
}
export interface AuthProvider {
  id: string;
  display_name: string;
  kind: "oidc";
  login_url: string;
}
export interface AuthProviders {
  providers: AuthProvider[];
  ldap: boolean;
}
export interface LogoutResponse {
  logout_url: string | null;
}

export interface Session {
  id: Id;
  user_id: Id;
  kind: SessionKind;
  name: string;
  created_at: Millis;
  last_active_at: Millis;
  expires_at: Millis | null;
  current: boolean;
  /** Integration tokens survive password and MFA changes. */
  integration?: boolean;
}

export interface CreatedToken {
  token: string;
  info: Session;
}

export interface Team {
  id: Id;
  name: string;
  display_name: string;
  description: string;
  open: boolean;
  created_at: Millis;
  updated_at: Millis;
}

export interface TeamInvite {
  invite_id: string;
}

export interface TeamMember {
  team_id: Id;
  user_id: Id;
  role: MemberRole;
  created_at: Millis;
}

export function isDm(kind: ChannelKind): boolean {
  return kind === "direct" || kind === "group";
}

export interface Channel {
  id: Id;
  team_id: Id | null;
  kind: ChannelKind;
  name: string;
  display_name: string;
  purpose: string;
  header: string;
  creator_id: Id | null;
  created_at: Millis;
  updated_at: Millis;
  archived_at: Millis | null;
  last_post_at: Millis;
  total_msg_count: number;
}

export interface ChannelMember {
  channel_id: Id;
  user_id: Id;
  role: MemberRole;
  notify_level: NotifyLevel;
  muted: boolean;
  favorite: boolean;
  last_viewed_at: Millis;
  msg_count: number;
  mention_count: number;
  created_at: Millis;
}

export interface ChannelUnread {
  channel_id: Id;
  team_id: Id | null;
  unread_count: number;
  mention_count: number;
  last_viewed_at: Millis;
  last_post_at: Millis;
}

export interface Reaction {
  user_id: Id;
  post_id: Id;
  emoji_name: string;
  created_at: Millis;
}

export interface Post {
  id: Id;
  channel_id: Id;
  user_id: Id;
  root_id: Id | null;
  message: string;
  file_ids: Id[];
  is_pinned: boolean;
  created_at: Millis;
  updated_at: Millis;
  edited_at: Millis | null;
  deleted_at: Millis | null;
  reply_count: number;
  last_reply_at: Millis | null;
  participants: Id[];
  reactions: Reaction[];
  mentions: Id[];
  mentions_channel: boolean;
  channel_links: Id[];
  idempotency_key: string | null;
}

export interface PostPage {
  posts: Post[];
  has_more_before: boolean;
  has_more_after: boolean;
}

export interface PostVersion {
  message: string;
  file_ids: Id[];
  replaced_at: Millis;
  replaced_by: Id;
}

export interface ThreadState {
  root_id: Id;
  channel_id: Id;
  following: boolean;
  reply_count: number;
  unread_replies: number;
  last_reply_at: Millis | null;
  last_viewed_at: Millis;
}

export interface FileInfo {
  id: Id;
  uploader_id: Id;
  channel_id: Id;
  post_id: Id | null;
  name: string;
  mime_type: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  has_preview: boolean;
  created_at: Millis;
}

export interface UserStatus {
  user_id: Id;
  presence: Presence;
  manual: boolean;
  last_activity_at: Millis;
}

export interface ServerInfo {
  version: string;
  signup_mode: string; // "open" | "invite_only" | "disabled"
  needs_setup: boolean;
  max_file_size: number;
  max_post_chars: number;
}

// ---- requests.rs (servers reject unknown fields: send only these) ----
export interface SignupRequest {
  username: string;
  email: string;
  password: string;
  display_name?: string | null;
  setup_token?: string | null;
  invite_id?: string | null;
}
export interface LoginRequest {
  login: string;
  password: string;
}
export interface UpdateProfileRequest {
  display_name?: string | null;
  username?: string | null;
  timezone?: string | null;
  status_text?: string | null;
}
export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}
export interface SetRoleRequest {
  role: Role;
}
export interface SetActiveRequest {
  active: boolean;
}
export interface CreateTokenRequest {
  name: string;
  /** Days until expiry; omitted means the server's default. */
  expires_in_days?: number | null;
  /** The caller's password; needed unless they signed in a few minutes ago. */
  password?: string;
  /** Integration tokens survive password and MFA changes. */
  integration?: boolean;
}
export interface CreateTeamRequest {
  name: string;
  display_name: string;
  description?: string | null;
  open?: boolean;
}
export interface UpdateTeamRequest {
  display_name?: string | null;
  description?: string | null;
  open?: boolean | null;
}
export interface JoinTeamRequest {
  invite_id: string;
}
export interface AddMemberRequest {
  user_id: Id;
}
export interface SetMemberRoleRequest {
  role: MemberRole;
}
export interface CreateChannelRequest {
  team_id: Id;
  kind: ChannelKind;
  name: string;
  display_name: string;
  purpose?: string | null;
  header?: string | null;
}
export interface UpdateChannelRequest {
  name?: string | null;
  display_name?: string | null;
  purpose?: string | null;
  header?: string | null;
}
export interface DirectChannelRequest {
  user_ids: Id[];
}
export interface UpdateMembershipRequest {
  notify_level?: NotifyLevel | null;
  muted?: boolean | null;
  favorite?: boolean | null;
}
export interface CreatePostRequest {
  channel_id: Id;
  message: string;
  root_id?: Id | null;
  file_ids?: Id[];
  idempotency_key?: string | null;
}
export interface EditPostRequest {
  message: string;
}
export interface ReactionRequest {
  emoji_name: string;
}
export interface FollowRequest {
  following: boolean;
}
export interface SetStatusRequest {
  presence: Presence;
}
export interface PostsQuery {
  before?: Id;
  after?: Id;
  around?: Id;
  limit?: number;
  /** Root posts only (replies live in the thread view). */
  collapsed?: boolean;
}

// ---- search.rs ----
export type SearchSort = "relevance" | "newest";
/** Servers reject unknown fields: send only these. */
export interface SearchRequest {
  /** Words, "exact phrase", -excluded, prefix*, from:@user, in:~channel, in:@user, before:/after:/on:YYYY-MM-DD, has:file, has:link, is:thread, #hashtag. */
  terms: string;
  /** IANA zone for dates; the user's profile zone when absent. */
  time_zone?: string | null;
  /** The team whose channel wins for `in:~name`. */
  team_id?: Id | null;
  sort?: SearchSort | null;
  /** Zero-based. */
  page?: number | null;
  /** 1–100, default 20. */
  per_page?: number | null;
  include_archived?: boolean | null;
}
export interface SearchMatch {
  id: Id;
  /** HTML-escaped text with <mark>…</mark> around the matched words. */
  snippet_html: string | null;
  score: number | null;
}
export interface ChannelCount {
  channel_id: Id;
  count: number;
}
/** `posts` and `matches` are in the same order. */
export interface PostSearchResults {
  total: number;
  posts: Post[];
  matches: SearchMatch[];
  channel_counts: ChannelCount[];
}
export interface FileSearchResults {
  total: number;
  files: FileInfo[];
  matches: SearchMatch[];
  channel_counts: ChannelCount[];
}

// ---- events.rs ----
export type EventKind =
  | "posted"
  | "post_edited"
  | "post_deleted"
  | "reaction_added"
  | "reaction_removed"
  | "channel_created"
  | "channel_updated"
  | "channel_member_added"
  | "channel_member_removed"
  | "channel_member_updated"
  | "channel_viewed"
  | "team_updated"
  | "team_member_added"
  | "team_member_removed"
  | "team_member_updated"
  | "user_updated"
  | "thread_updated"
  | "typing"
  | "status_changed"
  | "session_revoked";

/** An event as delivered to one user. `data` depends on `event` (see EventData). */
export interface Event<K extends EventKind = EventKind> {
  seq: number;
  event: K;
  channel_id?: Id;
  team_id?: Id;
  data: K extends keyof EventData ? EventData[K] : unknown;
}

export interface EventData {
  posted: Post;
  post_edited: Post;
  post_deleted: Post;
  reaction_added: Reaction;
  reaction_removed: Reaction;
  channel_created: Channel;
  channel_updated: Channel;
  channel_member_added: ChannelMember;
  channel_member_removed: { channel_id: Id; user_id: Id };
  channel_member_updated: ChannelMember;
  channel_viewed: { channel_id: Id; user_id: Id; last_viewed_at: Millis };
  team_updated: Team;
  team_member_added: TeamMember;
  team_member_removed: { team_id: Id; user_id: Id };
  team_member_updated: TeamMember;
  user_updated: User;
  thread_updated: ThreadState;
  typing: { channel_id: Id; root_id: Id | null; user_id: Id };
  status_changed: UserStatus;
  session_revoked: { session_id: Id };
}

/** Any event, discriminated on `event`. */
export type AnyEvent = { [K in EventKind]: Event<K> }[EventKind];

/** Server → client frame, internally tagged by `type`. */
export type ServerFrame =
  | { type: "hello"; epoch: string; seq: number }
  | { type: "resync"; epoch: string; seq: number }
  | ({ type: "event" } & AnyEvent)
  | { type: "pong" };

/** Client → server frame, internally tagged by `action`. */
export type ClientFrame =
  | { action: "typing"; channel_id: Id; root_id: Id | null }
  | { action: "activity" }
  | { action: "subscribe_presence"; user_ids: Id[] }
  | { action: "ping" };
