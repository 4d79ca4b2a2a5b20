import { describe, expect, it } from "vitest";
import { adminPath, formatAdminRoute, parseAdminRoute } from "./route";
import { isAdminPath } from "../state/appPath";

describe("console routes", () => {
  it("parses pages, ids and filters", () => {
    expect(parseAdminRoute("/admin")).toEqual({ page: "dashboard", query: {} });
    expect(parseAdminRoute("/admin/users?q=bo&page=2")).toEqual({ page: "users", query: { q: "bo", page: "2" } });
    expect(parseAdminRoute("/admin/teams/abc")).toEqual({ page: "teams", id: "abc", query: {} });
    expect(parseAdminRoute("/admin/audit/12?action=user.role")).toEqual({ page: "audit", id: "12", query: { action: "user.role" } });
    expect(parseAdminRoute("/admin/nowhere")).toBeNull();
    expect(parseAdminRoute("/admin/users/x")).toBeNull();
    expect(parseAdminRoute("/team/channels/x")).toBeNull();
    expect(parseAdminRoute("/admin/teams/%E0%A4%A")).toBeNull();
  });

  it("formats what it parses, filters sorted and empty ones dropped", () => {
    for (const p of ["/admin", "/admin/users?page=2&q=bo", "/admin/teams/abc", "/admin/config"]) {
      expect(formatAdminRoute(parseAdminRoute(p)!)).toBe(p);
    }
    expect(adminPath("audit", { actor: "", action: "user.role", page: undefined })).toBe("/admin/audit?action=user.role");
    expect(adminPath("teams", {}, "a b")).toBe("/admin/teams/a%20b");
  });

  it("tells the console from the chat", () => {
    expect(isAdminPath("/admin")).toBe(true);
    expect(isAdminPath("/admin/users")).toBe(true);
    expect(isAdminPath("/administration/channels/x")).toBe(false);
    expect(isAdminPath("/")).toBe(false);
  });
});
