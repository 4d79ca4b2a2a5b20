// The console's addresses: /admin/<page>[/<id>][?filters]. Pure parsing and
// formatting, so pages can be deep-linked and back/forward restore filters.

import type { Role } from "../api/types";

export type AdminPage = "dashboard" | "users" | "teams" | "authentication" | "audit" | "compliance" | "config";

export interface AdminRoute {
  page: AdminPage;
  /** The one item a page shows in detail (a team id, an audit seq). */
  id?: string;
  /** Filters and paging, as they appear in the query string. */
  query: Record<string, string>;
}

/** `officer`: compliance officers open the page too (system admins open every page). */
export const PAGES: { page: AdminPage; path: string; title: string; officer?: boolean }[] = [
  { page: "dashboard", path: "", title: "Dashboard" },
  { page: "users", path: "users", title: "Users" },
  { page: "teams", path: "teams", title: "Teams" },
  { page: "authentication", path: "authentication", title: "Authentication" },
  { page: "compliance", path: "compliance", title: "Compliance", officer: true },
  { page: "audit", path: "audit", title: "Audit log", officer: true },
  { page: "config", path: "config", title: "Configuration" },
];

/** `null` when the address is not a console page. */
export function parseAdminRoute(pathAndQuery: string): AdminRoute | null {
  const [pathname, search = ""] = pathAndQuery.split("?", 2);
  const parts = pathname.split("/").filter(Boolean);
  if (parts[0] !== "admin" || parts.length > 3) return null;
  const entry = PAGES.find((p) => p.path === (parts[1] ?? ""));
  if (!entry) return null;
  if (parts.length === 3 && entry.page !== "teams" && entry.page !== "audit") return null;
  let id: string | undefined;
  try {
    id = parts[2] !== undefined ? decodeURIComponent(parts[2]) : undefined;
  } catch {
    return null;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) if (v !== "") query[k] = v;
  return id ? { page: entry.page, id, query } : { page: entry.page, query };
}

export function formatAdminRoute(r: AdminRoute): string {
  const entry = PAGES.find((p) => p.page === r.page);
  let path = "/admin" + (entry?.path ? `/${entry.path}` : "");
  if (r.id) path += `/${encodeURIComponent(r.id)}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query).sort(([a], [b]) => a.localeCompare(b))) if (v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** A route to `page` with the given filters (empty values dropped). */
export function adminPath(page: AdminPage, query: Record<string, string | number | undefined> = {}, id?: string): string {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") clean[k] = String(v);
  return formatAdminRoute(id ? { page, id, query: clean } : { page, query: clean });
}

/** The console is open to system admins and compliance officers. */
export const canUseConsole = (role: Role | undefined) => role === "system_admin" || role === "compliance_officer";

/** Whether `role` may open `page`. */
export function canOpenPage(page: AdminPage, role: Role | undefined): boolean {
  if (role === "system_admin") return true;
  return role === "compliance_officer" && !!PAGES.find((p) => p.page === page)?.officer;
}

/** The pages the navigation lists for `role`. */
export const pagesFor = (role: Role | undefined) => PAGES.filter((p) => canOpenPage(p.page, role));

/** Where /admin leads: the dashboard for admins, the first page an officer may open otherwise. */
export function homePage(role: Role | undefined): AdminPage {
  return canOpenPage("dashboard", role) ? "dashboard" : (pagesFor(role)[0]?.page ?? "dashboard");
}
