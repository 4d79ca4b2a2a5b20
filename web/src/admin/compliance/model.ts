// The compliance routes the console uses, with their wire types (a mirror of
// server/crates/api-types/src/compliance.rs), and the pure formatting the
// Compliance page needs.
import { request } from "../../api/client";
import type { Id, Millis, PostSearchResults, Role } from "../../api/types";
import type { JsonValue } from "../api";
import { formatBytes } from "../format";

export type RetentionScope = "global" | "team" | "channel";

export interface RetentionPolicy {
  scope: RetentionScope;
  scope_id?: Id;
  messages_days: number | null;
  files_days: number | null;
  updated_at?: Millis;
}

export interface RetentionPolicies {
  policies: RetentionPolicy[];
  purge_time: string | null;
}

export interface ChannelPurgeReport {
  channel_id: Id;
  posts: number;
  files: number;
  file_bytes: number;
  oldest: Millis | null;
  newest: Millis | null;
  held_posts: number;
}

export interface PurgeReport {
  dry_run: boolean;
  posts: number;
  files: number;
  file_bytes: number;
  held_posts: number;
  batches: number;
  channels: ChannelPurgeReport[];
}

export interface LegalHoldRequest {
  name: string;
  description: string;
  custodians: Id[];
  channels: Id[];
  include_channel_context: boolean;
  start_at: Millis | null;
  end_at: Millis | null;
}

export interface LegalHold extends LegalHoldRequest {
  id: Id;
  status: "active" | "released";
  created_by: Id | null;
  created_at: Millis;
  released_by: Id | null;
  released_at: Millis | null;
  covered_posts?: number;
}

export type ExportFormat = "actiance" | "global_relay" | "csv";
export const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: "csv", label: "CSV" },
  { value: "actiance", label: "Actiance XML" },
  { value: "global_relay", label: "Global Relay (e-mail)" },
];

export interface ExportRequest {
  format: ExportFormat;
  from?: Millis;
  until?: Millis;
  channels?: Id[];
  users?: Id[];
  hold_id?: Id;
}

export type JobKind = "export" | "purge" | "user_export";
export type JobStatus = "queued" | "running" | "cancelling" | "succeeded" | "failed" | "cancelled";

export interface ComplianceJob {
  id: Id;
  kind: JobKind;
  status: JobStatus;
  scheduled: boolean;
  params: JsonValue;
  progress: { done: number; written: number; total?: number };
  result: JsonValue;
  error: string | null;
  attempts: number;
  created_by: Id | null;
  created_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
  file_name: string | null;
  file_size: number | null;
  file_sha256: string | null;
}

export interface ExportCursorState {
  name: string;
  at: Millis;
  record_id: string;
  job_id: Id;
  updated_at: Millis;
}

export const complianceApi = {
  retention: () => request<RetentionPolicies>("GET", "/compliance/retention"),
  setRetention: (p: RetentionPolicy) => request<RetentionPolicy>("PUT", "/compliance/retention", p),
  removeRetention: (scope: RetentionScope, scopeId?: Id) =>
    request<void>("DELETE", "/compliance/retention", undefined, scopeId ? { scope, scope_id: scopeId } : { scope }),
  dryRun: () => request<PurgeReport>("POST", "/compliance/retention/dry-run"),
  runPurge: () => request<ComplianceJob>("POST", "/compliance/retention/run"),
  holds: () => request<LegalHold[]>("GET", "/compliance/holds"),
  hold: (id: Id) => request<LegalHold>("GET", `/compliance/holds/${id}`),
  createHold: (body: LegalHoldRequest) => request<LegalHold>("POST", "/compliance/holds", body),
  updateHold: (id: Id, body: LegalHoldRequest) => request<LegalHold>("PATCH", `/compliance/holds/${id}`, body),
  releaseHold: (id: Id) => request<LegalHold>("POST", `/compliance/holds/${id}/release`),
  exportHold: (id: Id, format: ExportFormat) => request<ComplianceJob>("POST", `/compliance/holds/${id}/export`, { format }),
  startExport: (body: ExportRequest) => request<ComplianceJob>("POST", "/compliance/exports", body),
  incremental: (format: ExportFormat) => request<ComplianceJob>("POST", "/compliance/exports/incremental", { format }),
  cursors: () => request<ExportCursorState[]>("GET", "/compliance/exports/cursors"),
  jobs: (limit = 50) => request<ComplianceJob[]>("GET", "/compliance/jobs", undefined, { limit }),
  cancelJob: (id: Id) => request<ComplianceJob>("POST", `/compliance/jobs/${id}/cancel`),
  search: (terms: string, reason: string, page = 0, perPage = 50) =>
    request<PostSearchResults>("POST", "/compliance/search", { terms, reason, page, per_page: perPage }),
};

export const downloadUrl = (jobId: Id) => `/api/v1/compliance/jobs/${encodeURIComponent(jobId)}/download`;

export type ComplianceTab = "retention" | "holds" | "exports" | "search";

export const TABS: { tab: ComplianceTab; title: string; officerOnly?: boolean }[] = [
  { tab: "retention", title: "Retention" },
  { tab: "holds", title: "Legal holds" },
  { tab: "exports", title: "Exports and jobs" },
  { tab: "search", title: "Search", officerOnly: true },
];

/** The tabs a role sees. */
export function tabsFor(role: Role | undefined): typeof TABS {
  return TABS.filter((t) => !t.officerOnly || role === "compliance_officer");
}

/** The tab a `?tab=` value names, or the first one the role sees. */
export function parseTab(value: string | undefined, role: Role | undefined): ComplianceTab {
  const tabs = tabsFor(role);
  return tabs.find((t) => t.tab === value)?.tab ?? tabs[0].tab;
}

/** One retention field: "keep forever" for 0, "inherit" for null, else "30 days". */
export function formatPeriod(days: number | null | undefined): string {
  if (days === null || days === undefined) return "inherit";
  if (days === 0) return "keep forever";
  return days === 1 ? "1 day" : `${days} days`;
}

/** A period form field ("" inherit, "0" forever, "n" days) to the wire value; `undefined` when invalid. */
export function parsePeriod(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 4_294_967_295 ? n : undefined;
}

/** The form text of a wire period. */
export const periodText = (days: number | null | undefined) => (days === null || days === undefined ? "" : String(days));

/** The job will still change (the jobs table keeps refreshing). */
export const isJobActive = (j: Pick<ComplianceJob, "status">) =>
  j.status === "queued" || j.status === "running" || j.status === "cancelling";

export const canCancel = (j: Pick<ComplianceJob, "status">) => j.status === "queued" || j.status === "running";

/** "120 looked at, 118 written" or "40 of 200 looked at, 12 deleted". */
export function jobProgressText(j: Pick<ComplianceJob, "kind" | "progress" | "status">): string {
  if (j.status === "queued") return "waiting";
  const { done, written, total } = j.progress;
  const seen = total !== undefined && total !== null ? `${done} of ${total} looked at` : `${done} looked at`;
  return `${seen}, ${written} ${j.kind === "purge" ? "deleted" : "written"}`;
}

export const JOB_KIND_NAMES: Record<JobKind, string> = { export: "Export", purge: "Purge", user_export: "User data export" };

/** What a job is about, from its parameters: "Export (CSV)". */
export function jobTitle(j: Pick<ComplianceJob, "kind" | "params" | "scheduled">): string {
  const p = j.params && typeof j.params === "object" && !Array.isArray(j.params) ? j.params : {};
  const f = FORMATS.find((x) => x.value === p.format)?.label;
  return JOB_KIND_NAMES[j.kind] + (f ? ` (${f})` : "") + (j.scheduled ? ", scheduled" : "");
}

export const fileSizeText = (n: number | null) => (n === null ? "—" : formatBytes(n));
