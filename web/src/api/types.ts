// The client's wire types. Every body type is the server's own, generated from
// its OpenAPI document into `schema.gen.ts` (`npm run gen:api`); this module
// names them for the rest of the client and adds what the document cannot say:
// the `data` of each event kind.
// Ids are UUIDv7 strings; times are UTC milliseconds.
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type Id = string;
export type Millis = number;

export const MAX_POST_CHARS = 16_383;

// ---- errors ----
export type ErrorCode = Schemas["ErrorCode"];
export type ErrorDetail = Schemas["ErrorDetail"];
export type ErrorBody = Schemas["ErrorBody"];

// ---- models ----
export type Role = Schemas["Role"];
export type Presence = Schemas["Presence"];
export type SessionKind = Schemas["SessionKind"];
export type MemberRole = Schemas["MemberRole"];
export type ChannelKind = Schemas["ChannelKind"];
export type NotifyLevel = Schemas["NotifyLevel"];

export type User = Schemas["User"];
export type LoginResponse = Schemas["LoginResponse"];
/** The password was right; a second factor is needed (POST /users/login/mfa). */
export type MfaChallenge = Schemas["MfaChallenge"];
export type LoginOutcome = Schemas["LoginOutcome"];
export type LoginMfaRequest = Schemas["LoginMfaRequest"];
export type MfaLoginResponse = Schemas["MfaLoginResponse"];
export type MfaEnrolment = Schemas["MfaEnrolment"];
export type RecoveryCodes = Schemas["RecoveryCodes"];
export type MfaStatus = Schemas["MfaStatus"];
export type AuthProvider = Schemas["AuthProvider"];
export type AuthProviders = Schemas["AuthProviders"];
export type LogoutResponse = Schemas["LogoutResponse"];

export type Session = Schemas["Session"];
export type CreatedToken = Schemas["CreatedToken"];

export type Team = Schemas["Team"];
export type TeamInvite = Schemas["TeamInvite"];
export type TeamMember = Schemas["TeamMember"];

export function isDm(kind: ChannelKind): boolean {
  return kind === "direct" || kind === "group";
}

export type Channel = Schemas["Channel"];
export type ChannelMember = Schemas["ChannelMember"];
export type ChannelUnread = Schemas["ChannelUnread"];

export type Reaction = Schemas["Reaction"];
export type Post = Schemas["Post"];
export type PostPage = Schemas["PostPage"];
export type PostVersion = Schemas["PostVersion"];
export type ThreadState = Schemas["ThreadState"];
export type FileInfo = Schemas["FileInfo"];
export type UserStatus = Schemas["UserStatus"];
export type ServerInfo = Schemas["ServerInfo"];

// ---- requests (servers reject unknown fields: send only these) ----
export type SignupRequest = Schemas["SignupRequest"];
export type LoginRequest = Schemas["LoginRequest"];
export type UpdateProfileRequest = Schemas["UpdateProfileRequest"];
export type ChangePasswordRequest = Schemas["ChangePasswordRequest"];
export type SetRoleRequest = Schemas["SetRoleRequest"];
export type SetActiveRequest = Schemas["SetActiveRequest"];
export type CreateTokenRequest = Schemas["CreateTokenRequest"];
export type CreateTeamRequest = Schemas["CreateTeamRequest"];
export type UpdateTeamRequest = Schemas["UpdateTeamRequest"];
export type JoinTeamRequest = Schemas["JoinTeamRequest"];
export type AddMemberRequest = Schemas["AddMemberRequest"];
export type SetMemberRoleRequest = Schemas["SetMemberRoleRequest"];
export type CreateChannelRequest = Schemas["CreateChannelRequest"];
export type UpdateChannelRequest = Schemas["UpdateChannelRequest"];
export type DirectChannelRequest = Schemas["DirectChannelRequest"];
export type UpdateMembershipRequest = Schemas["UpdateMembershipRequest"];
export type CreatePostRequest = Schemas["CreatePostRequest"];
export type EditPostRequest = Schemas["EditPostRequest"];
export type ReactionRequest = Schemas["ReactionRequest"];
export type FollowRequest = Schemas["FollowRequest"];
export type SetStatusRequest = Schemas["SetStatusRequest"];
export type PostsQuery = Schemas["PostsQuery"];

// ---- search ----
export type SearchSort = Schemas["SearchSort"];
export type SearchRequest = Schemas["SearchRequest"];
export type SearchMatch = Schemas["SearchMatch"];
export type ChannelCount = Schemas["ChannelCount"];
/** `posts` and `matches` are in the same order. */
export type PostSearchResults = Schemas["PostSearchResults"];
export type FileSearchResults = Schemas["FileSearchResults"];

// ---- events ----
/** The event names, as the document's `Event` gives them. */
export type EventKind = Schemas["Event"]["event"];

/**
 * The `data` of each event kind. While the document leaves `data` open, this
 * map is the client's word; once it describes `data` per kind, the map is
 * checked against it below.
 */
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

/** The document's `data` for kind `K` (`unknown` while it has none). */
type DocumentedData<K extends EventKind, E = Schemas["Event"]> = E extends { event: infer N; data: infer D }
  ? K extends N
    ? D
    : never
  : never;
type Agrees<T extends { [K in EventKind]: DocumentedData<K> }> = T;
/** Fails to compile when the server has a kind `EventData` lacks, or documents a different `data`. */
export type EventDataAgreesWithDocument = Agrees<EventData>;

/** An event as delivered to one user. `data` depends on `event` (see EventData). */
export type Event<K extends EventKind = EventKind> = Omit<Schemas["Event"], "event" | "data"> & {
  event: K;
  data: EventData[K];
};

/** Any event, discriminated on `event`. */
export type AnyEvent = { [K in EventKind]: Event<K> }[EventKind];

/** Server → client frame, internally tagged by `type`; events carry their typed `data`. */
export type ServerFrame = Exclude<Schemas["ServerFrame"], { type: "event" }> | ({ type: "event" } & AnyEvent);

/** Client → server frame, internally tagged by `action`. */
export type ClientFrame = Schemas["ClientFrame"];
