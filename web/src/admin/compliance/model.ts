// The compliance routes the console uses, with their wire types (generated
// from the server's OpenAPI document, see ../../api/schema.gen.ts), and the
// pure formatting the Compliance page needs.
import { request } from "../../api/client";
import type { components } from "../../api/schema.gen";
import type { Id, PostSearchResults, Role } from "../../api/types";
import type { JsonValue } from "../api";
import { formatBytes } from "../format";

type Schemas = components["schemas"];

export type RetentionScope = Schemas["RetentionScope"];
export type RetentionPolicy = Schemas["RetentionPolicy"];
export type RetentionPolicies = Schemas["RetentionPolicies"];
export type ChannelPurgeReport = Schemas["ChannelPurgeReport"];
export type PurgeReport = Schemas["PurgeReport"];
export type LegalHoldRequest = Schemas["LegalHoldRequest"];
export type LegalHold = Schemas["LegalHold"];

export type ExportFormat = Schemas["ExportFormat"];
export const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: "csv", label: "CSV" },
  { value: "actiance", label: "Actiance XML" },
  { value: "global_relay", label: "Global Relay (e-mail)" },
];

export type ExportRequest = Schemas["ExportRequest"];
export type JobKind = Schemas["JobKind"];
export type JobStatus = Schemas["JobStatus"];

/** The document leaves `params` and `result` open; they are any JSON. */
export type ComplianceJob = Omit<Schemas["ComplianceJob"], "params" | "result"> & {
  params: JsonValue;
  result?: JsonValue;
};

export type ExportCursorState = Schemas["ExportCursorState"];

export const complianceApi = {
  retention: () => request<RetentionPolicies>("GET", "/compliance/retention"),
  setRetention: (p: RetentionPolicy) => request<RetentionPolicy>("PUT", "/compliance/retention", p),
  removeRetention: (scope: RetentionScope, scopeId?: Id | null) =>
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

export const fileSizeText = (n: number | null | undefined) => (n === null || n === undefined ? "—" : formatBytes(n));
