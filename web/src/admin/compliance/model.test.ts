import { describe, expect, it } from "vitest";
import { canCancel, downloadUrl, formatPeriod, isJobActive, jobProgressText, jobTitle, parsePeriod, parseTab, periodText, tabsFor } from "./model";
import { canOpenPage, canUseConsole, homePage, pagesFor, parseAdminRoute } from "../route";

describe("compliance tabs", () => {
  it("reads the tab from the query and falls back to retention", () => {
    expect(parseAdminRoute("/admin/compliance?tab=holds")).toEqual({ page: "compliance", query: { tab: "holds" } });
    expect(parseTab("holds", "system_admin")).toBe("holds");
    expect(parseTab("exports", "compliance_officer")).toBe("exports");
    expect(parseTab(undefined, "system_admin")).toBe("retention");
    expect(parseTab("nonsense", "system_admin")).toBe("retention");
  });
  it("offers the search to compliance officers only", () => {
    expect(tabsFor("system_admin").map((t) => t.tab)).toEqual(["retention", "holds", "exports"]);
    expect(tabsFor("compliance_officer").map((t) => t.tab)).toEqual(["retention", "holds", "exports", "search"]);
    expect(parseTab("search", "system_admin")).toBe("retention");
    expect(parseTab("search", "compliance_officer")).toBe("search");
  });
});

describe("console access", () => {
  it("lets admins and officers in, officers to two pages", () => {
    expect(canUseConsole("system_admin")).toBe(true);
    expect(canUseConsole("compliance_officer")).toBe(true);
    expect(canUseConsole("user")).toBe(false);
    expect(canUseConsole(undefined)).toBe(false);
    expect(pagesFor("compliance_officer").map((p) => p.page)).toEqual(["compliance", "audit"]);
    expect(pagesFor("system_admin").map((p) => p.page)).toContain("compliance");
    expect(canOpenPage("users", "compliance_officer")).toBe(false);
    expect(canOpenPage("audit", "compliance_officer")).toBe(true);
    expect(canOpenPage("audit", "user")).toBe(false);
    expect(homePage("compliance_officer")).toBe("compliance");
    expect(homePage("system_admin")).toBe("dashboard");
  });
});

describe("retention periods", () => {
  it("formats inherit, forever and days", () => {
    expect(formatPeriod(null)).toBe("inherit");
    expect(formatPeriod(undefined)).toBe("inherit");
    expect(formatPeriod(0)).toBe("keep forever");
    expect(formatPeriod(1)).toBe("1 day");
    expect(formatPeriod(90)).toBe("90 days");
  });
  it("parses the form fields", () => {
    expect(parsePeriod("")).toBeNull();
    expect(parsePeriod("  ")).toBeNull();
    expect(parsePeriod("0")).toBe(0);
    expect(parsePeriod(" 30 ")).toBe(30);
    expect(parsePeriod("-1")).toBeUndefined();
    expect(parsePeriod("1.5")).toBeUndefined();
    expect(parsePeriod("99999999999")).toBeUndefined();
    expect(periodText(null)).toBe("");
    expect(periodText(0)).toBe("0");
  });
});

describe("jobs", () => {
  const job = { kind: "export" as const, status: "running" as const, scheduled: false, params: { format: "csv" }, progress: { done: 120, written: 118 } };
  it("describes progress", () => {
    expect(jobProgressText(job)).toBe("120 looked at, 118 written");
    expect(jobProgressText({ ...job, kind: "purge", progress: { done: 40, written: 12, total: 200 } })).toBe("40 of 200 looked at, 12 deleted");
    expect(jobProgressText({ ...job, status: "queued" })).toBe("waiting");
  });
  it("names the job", () => {
    expect(jobTitle(job)).toBe("Export (CSV)");
    expect(jobTitle({ ...job, params: { format: "global_relay" }, scheduled: true })).toBe("Export (Global Relay (e-mail)), scheduled");
    expect(jobTitle({ ...job, kind: "purge", params: {} })).toBe("Purge");
    expect(jobTitle({ ...job, kind: "user_export", params: null })).toBe("User data export");
  });
  it("knows which jobs still change and which can be cancelled", () => {
    expect(isJobActive({ status: "queued" })).toBe(true);
    expect(isJobActive({ status: "cancelling" })).toBe(true);
    expect(isJobActive({ status: "succeeded" })).toBe(false);
    expect(canCancel({ status: "running" })).toBe(true);
    expect(canCancel({ status: "cancelling" })).toBe(false);
    expect(canCancel({ status: "failed" })).toBe(false);
  });
  it("builds the download address", () => {
    expect(downloadUrl("a b")).toBe("/api/v1/compliance/jobs/a%20b/download");
  });
});
