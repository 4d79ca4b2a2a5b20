// The console's addresses: /admin/<page>[/<id>][?filters]. Pure parsing and
// formatting, so pages can be deep-linked and back/forward restore filters.

export type AdminPage = "dashboard" | "users" | "teams" | "authentication" | "audit" | "config";

export interface AdminRoute {
  page: AdminPage;
  /** The one item a page shows in detail (a team id, an audit seq). */
  id?: string;
  /** Filters and paging, as they appear in the query string. */
  query: Record<string, string>;
}

export const PAGES: { page: AdminPage; path: string; title: string }[] = [
  { page: "dashboard", path: "", title: "Dashboard" },
  { page: "users", path: "users", title: "Users" },
  { page: "teams", path: "teams", title: "Teams" },
  { page: "authentication", path: "authentication", title: "Authentication" },
  { page: "audit", path: "audit", title: "Audit log" },
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
