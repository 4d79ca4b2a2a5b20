// The system administration routes the console uses, with their wire types
// (a mirror of server/crates/api-types/src/admin.rs, identity.rs and audit.rs).
import { request } from "../api/client";
import type { Id, Millis, Role, Team, TeamMember, User } from "../api/types";

export interface DayCount {
  day: string;
  count: number;
}

export interface SearchStatus {
  enabled: boolean;
  posts: number;
  files: number;
  size_bytes: number;
  cursor: number | null;
  latest_seq: number;
  rebuilding: boolean;
  last_error: string | null;
}

export interface LdapSyncIssue {
  code: string;
  subject: string;
  detail: string;
}

export interface LdapSyncReport {
  users_seen: number;
  groups_seen: number;
  created: number;
  updated: number;
  deactivated: number;
  reactivated: number;
  memberships_added: number;
  memberships_removed: number;
  memberships_changed: number;
  role_changes: number;
  issues: number;
  errors: LdapSyncIssue[];
  started_at: Millis;
  finished_at: Millis;
}

export interface LdapStatus {
  enabled: boolean;
  running: boolean;
  last_sync: LdapSyncReport | null;
  last_error: string | null;
  next_sync_at: Millis | null;
  sync_interval_mins: number;
}

export interface LdapCheckStep {
  check: string;
  status: "ok" | "warning" | "failed" | "skipped";
  detail: string;
  code: string | null;
  elapsed_ms: number;
}

export interface LdapDiagnosis {
  ok: boolean;
  steps: LdapCheckStep[];
}

export interface SystemStatus {
  version: string;
  started_at: Millis;
  uptime_secs: number;
  database: { backend: "sqlite" | "postgres"; ok: boolean; size_bytes: number | null };
  users: { total: number; active: number; deactivated: number; bots: number };
  sessions: { active: number };
  teams: number;
  channels: number;
  posts: { total: number; per_day: DayCount[] };
  search: SearchStatus | null;
  ldap: LdapStatus | null;
  jobs: unknown[];
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export interface ConfigView {
  config: JsonObject;
  source: string | null;
  writable: boolean;
  env_overrides: string[];
  cli_overrides?: string[];
  restart_keys?: string[];
  restart_required?: string[];
}

export interface ConfigValidation {
  valid: boolean;
  restart_required: string[];
}

export interface AuditLogEntry {
  seq: number;
  id: Id;
  at: Millis;
  actor_id: Id | null;
  action: string;
  target_kind: string;
  target_id: string | null;
  details: JsonValue;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditLogEntry[];
  next_after: number | null;
}

export interface AuditQuery {
  after?: number;
  limit?: number;
  action?: string;
  actor_id?: Id;
  since?: Millis;
  until?: Millis;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head_hash: string | null;
  first_bad_seq?: number | null;
  reason?: string | null;
  /** The first entry hashed with the audit HMAC key; absent while the log is not keyed. */
  keyed_from_seq?: number | null;
  /** Keyed entries from this seq on could not be checked: the server has no audit key. */
  unchecked_from_seq?: number | null;
}

export const adminApi = {
  status: () => request<SystemStatus>("GET", "/admin/system/status"),
  config: () => request<ConfigView>("GET", "/admin/config"),
  validateConfig: (config: JsonObject) => request<ConfigValidation>("POST", "/admin/config/validate", { config }),
  patchConfig: (set: Record<string, JsonValue>) => request<ConfigView>("PATCH", "/admin/config", { set }),
  reloadConfig: () => request<ConfigView>("POST", "/admin/config/reload"),

  searchStatus: () => request<SearchStatus>("GET", "/admin/search/status"),
  reindex: () => request<SearchStatus>("POST", "/admin/search/reindex"),

  ldapStatus: () => request<LdapStatus>("GET", "/admin/ldap/status"),
  ldapTest: () => request<LdapDiagnosis>("POST", "/admin/ldap/test"),
  ldapTestUser: (login: string, password?: string) =>
    request<LdapDiagnosis>("POST", "/admin/ldap/test-user", password ? { login, password } : { login }),
  ldapSync: () => request<LdapSyncReport>("POST", "/admin/ldap/sync"),

  audit: (q: AuditQuery) => request<AuditPage>("GET", "/admin/audit", undefined, { ...q }),
  verifyAudit: () => request<AuditVerification>("GET", "/admin/audit/verify"),

  users: (q: string, page: number, perPage: number) =>
    request<User[]>("GET", "/users", undefined, { q, page, per_page: perPage }),
  user: (id: Id) => request<User>("GET", `/users/${id}`),
  createUser: (body: { username: string; email: string; password: string; display_name?: string }) =>
    request<User>("POST", "/users", body),
  setActive: (id: Id, active: boolean) => request<User>("PUT", `/users/${id}/active`, { active }),
  setRole: (id: Id, role: Role) => request<User>("PUT", `/users/${id}/role`, { role }),
  resetPassword: (id: Id, newPassword: string) =>
    request<void>("PUT", `/users/${id}/password`, { new_password: newPassword }),
  resetMfa: (id: Id) => request<void>("DELETE", `/users/${id}/mfa`),
  revokeSessions: (id: Id) => request<void>("POST", `/users/${id}/sessions/revoke`),

  teams: () => request<Team[]>("GET", "/admin/teams"),
  team: (id: Id) => request<Team>("GET", `/teams/${id}`),
  createTeam: (body: { name: string; display_name: string; description?: string; open: boolean }) =>
    request<Team>("POST", "/teams", body),
  updateTeam: (id: Id, body: { display_name?: string; description?: string; open?: boolean }) =>
    request<Team>("PATCH", `/teams/${id}`, body),
  teamMembers: (id: Id) => request<TeamMember[]>("GET", `/teams/${id}/members`),
  addTeamMember: (id: Id, userId: Id) => request<TeamMember>("POST", `/teams/${id}/members`, { user_id: userId }),
  removeTeamMember: (id: Id, userId: Id) => request<void>("DELETE", `/teams/${id}/members/${userId}`),
  setTeamMemberRole: (id: Id, userId: Id, role: "admin" | "member") =>
    request<TeamMember>("PUT", `/teams/${id}/members/${userId}/role`, { role }),
};
