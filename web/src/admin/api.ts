// The system administration routes the console uses, with their wire types
// (generated from the server's OpenAPI document, see ../api/schema.gen.ts).
import { request } from "../api/client";
import type { components } from "../api/schema.gen";
import type { Id, Role, Team, TeamMember, User } from "../api/types";

type Schemas = components["schemas"];

export type DayCount = Schemas["DayCount"];
export type SearchStatus = Schemas["SearchStatus"];
export type LdapSyncIssue = Schemas["LdapSyncIssue"];
export type LdapSyncReport = Schemas["LdapSyncReport"];
export type LdapStatus = Schemas["LdapStatus"];
export type LdapCheckStep = Schemas["LdapCheckStep"];
export type LdapDiagnosis = Schemas["LdapDiagnosis"];
export type SystemStatus = Schemas["SystemStatus"];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

/** The document leaves `config` open; it is the configuration as a JSON object. */
export type ConfigView = Omit<Schemas["ConfigView"], "config"> & { config: JsonObject };
export type ConfigValidation = Schemas["ConfigValidation"];

/** The document leaves `details` open; they are any JSON. */
export type AuditLogEntry = Omit<Schemas["AuditLogEntry"], "details"> & { details: JsonValue };
export type AuditPage = Omit<Schemas["AuditPage"], "entries"> & { entries: AuditLogEntry[] };
export type AuditQuery = Schemas["AuditQuery"];
export type AuditVerification = Schemas["AuditVerification"];

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
