// The Compliance page through the browser, against the real `hearth` binary:
// alice (system admin) sets a global retention period and a channel override,
// puts bob's posts under a legal hold and sees how many it covers, runs a
// purge dry run, and starts a CSV export that succeeds (with no download link
// for her). carol, made a compliance officer, signs in in a second browser,
// sees only the Compliance and Audit log pages, downloads the export (a zip),
// and finds with an audited search a post in a private channel she is not in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  PASSWORD,
  WAIT,
  assertBuilt,
  hearthctlLocal,
  launchBrowser,
  log,
  screenshotsDir,
  signIn,
  startWithTeam,
  stopServer,
} from "./harness.mjs";

/** The row of a table that mentions `text`. */
const row = (page, text) => page.getByRole("row").filter({ hasText: text });

async function openTab(page, name) {
  await page.getByRole("tab", { name, exact: true }).click();
  await page.getByRole("tab", { name, exact: true, selected: true }).waitFor();
}

async function openConsoleFromMenu(page) {
  await page.getByRole("button", { name: /^User menu/ }).click();
  await page.getByRole("menuitem", { name: "System Console" }).click();
}

test("retention, legal holds, exports and the audited search on the Compliance page", { timeout: 240_000 }, async () => {
  assertBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));
  const shots = screenshotsDir();
  let server;
  let browser;
  try {
    const fx = await startWithTeam(dataDir);
    server = fx.server;
    const { base, call, adminToken, bobToken, team } = fx;
    log("server at", base);
    const town = (await call("GET", "/users/me/channels", undefined, adminToken)).find((c) => c.name === "town-square");
    for (const m of ["bob's first message for the hold", "bob's second message for the hold"]) {
      await call("POST", "/posts", { channel_id: town.id, message: m }, bobToken);
    }
    // A private channel only alice is in.
    const secret = await call(
      "POST",
      "/channels",
      { team_id: team.id, kind: "private", name: "secret-plans", display_name: "Secret Plans" },
      adminToken,
    );
    await call("POST", "/posts", { channel_id: secret.id, message: "the quokka merger stays confidential" }, adminToken);
    // carol: a team member, made a compliance officer by the operator on the
    // server's host (an admin's token cannot grant that role).
    const carol = await call("POST", "/users", { username: "carol", email: "carol@example.test", password: PASSWORD }, adminToken);
    await call("POST", `/teams/${team.id}/members`, { user_id: carol.id }, adminToken);
    await assert.rejects(
      call("PUT", `/users/${carol.id}/role`, { role: "compliance_officer" }, adminToken),
      /403 .*separation_of_duties/,
    );
    await hearthctlLocal(dataDir, ["user", "role", "carol", "compliance_officer"]);

    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, base, "alice");
    await openConsoleFromMenu(page);
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

    // ---- the console shows carol as an officer and offers no role change ----
    await page.getByRole("navigation", { name: "System console" }).getByRole("link", { name: "Users", exact: true }).click();
    await row(page, "@carol").filter({ hasText: "Compliance officer" }).waitFor();
    await page.getByRole("button", { name: "Actions for carol" }).click();
    // Nothing the server would refuse: no password, MFA, session or deactivation items.
    assert.deepEqual(await page.getByRole("menuitem").allInnerTexts(), ["Change role"]);
    await page.getByRole("menuitem", { name: "Change role" }).click();
    const carolRole = page.getByRole("dialog", { name: "Role of @carol" });
    assert.ok(await carolRole.getByLabel("Compliance officer").isChecked());
    for (const other of ["System admin", "User", "Guest"]) {
      assert.ok(await carolRole.getByLabel(other).isDisabled(), `${other} is not offered for an officer`);
    }
    assert.match(await carolRole.innerText(), /only on the server's host/);
    assert.ok(await carolRole.getByRole("button", { name: "Save role" }).isDisabled());
    await carolRole.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("navigation", { name: "System console" }).getByRole("link", { name: "Compliance", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Compliance" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/admin/compliance");

    // ---- retention: the global default and a channel override ----
    await page.getByRole("button", { name: "Edit Global default" }).click();
    const global = page.getByRole("dialog", { name: "Retention: Global default" });
    await global.getByLabel("Messages: days to keep").fill("365");
    await global.getByLabel("Files: days to keep").fill("0");
    await global.getByRole("button", { name: "Save period" }).click();
    await row(page, "Global default").filter({ hasText: "365 days" }).filter({ hasText: "keep forever" }).waitFor();

    await page.getByRole("button", { name: "Add override" }).click();
    const add = page.getByRole("dialog", { name: "Add a retention override" });
    await add.getByRole("radio", { name: "A channel" }).check();
    await add.getByLabel("Team", { exact: true }).selectOption({ label: team.display_name });
    await add.getByLabel("Channel", { exact: true }).selectOption({ label: "Town Square (~town-square)" });
    await add.getByLabel("Messages: days to keep").fill("30");
    await add.getByRole("button", { name: "Save period" }).click();
    const override = row(page, "Channel ~town-square");
    await override.filter({ hasText: "30 days" }).filter({ hasText: "inherit" }).waitFor();
    log("global period and channel override in the table");

    // ---- a dry run ----
    await page.getByRole("button", { name: "Dry run" }).click();
    const report = page.getByRole("region", { name: "Dry run report" });
    await report.getByRole("group", { name: "Posts to delete" }).waitFor();
    await report.getByRole("group", { name: "Held posts kept" }).waitFor();
    await page.screenshot({ path: path.join(shots, "compliance-retention.png"), fullPage: true });
    log("dry run report shown");

    // ---- a legal hold on bob ----
    await openTab(page, "Legal holds");
    assert.equal(new URL(page.url()).search, "?tab=holds");
    await page.getByRole("button", { name: "Create hold" }).click();
    const hold = page.getByRole("dialog", { name: "Create a legal hold" });
    await hold.getByLabel("Name", { exact: true }).fill("Case 42");
    await hold.getByLabel("Description").fill("Bob's messages");
    await hold.getByLabel("Find by username").fill("bob");
    await hold.getByRole("button", { name: "Search users" }).click();
    await hold.getByRole("button", { name: "Add @bob" }).click();
    await hold.getByRole("list", { name: "Custodians chosen" }).getByText("@bob").waitFor();
    await hold.getByRole("button", { name: "Create hold" }).click();
    const holdRow = row(page, "Case 42");
    await holdRow.filter({ hasText: "Active" }).filter({ hasText: "@bob" }).waitFor();
    await holdRow.getByRole("cell", { name: "2", exact: true }).waitFor();
    await page.screenshot({ path: path.join(shots, "compliance-holds.png"), fullPage: true });
    log("hold on bob listed, covering 2 posts");

    // Deep link: a reload keeps the tab.
    await page.reload();
    await page.getByRole("tab", { name: "Legal holds", selected: true }).waitFor();

    // ---- a CSV export ----
    await openTab(page, "Exports and jobs");
    await page.getByLabel("Format", { exact: true }).selectOption("csv");
    await page.getByRole("button", { name: "Start export" }).click();
    await page.getByRole("status").filter({ hasText: "The export was started." }).waitFor();
    await page.getByRole("row", { name: /^Export \(CSV\), succeeded/ }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole("link", { name: "Download" }).count(), 0, "no download for a system admin");
    await page.getByText("Archives are downloaded by compliance officers.").waitFor();
    await page.screenshot({ path: path.join(shots, "compliance-jobs-admin.png"), fullPage: true });
    log("CSV export succeeded; no download link for the admin");

    // 375 px wide: the jobs table and the hold dialog fit.
    await page.setViewportSize({ width: 375, height: 740 });
    const wide = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await wide()) <= 0, "no sideways scrolling of the jobs at 375 px");
    await openTab(page, "Legal holds");
    await page.getByRole("button", { name: "Create hold" }).click();
    await page.getByRole("dialog", { name: "Create a legal hold" }).waitFor();
    assert.ok((await wide()) <= 0, "no sideways scrolling of the hold dialog at 375 px");
    await page.screenshot({ path: path.join(shots, "compliance-hold-dialog-375.png") });
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 900 });

    // ---- carol, compliance officer, in a second browser ----
    const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    const officer = await ctx2.newPage();
    officer.setDefaultTimeout(WAIT);
    await signIn(officer, base, "carol");
    await openConsoleFromMenu(officer);
    await officer.getByRole("heading", { level: 1, name: "Compliance" }).waitFor();
    const nav = officer.getByRole("navigation", { name: "System console" }).getByRole("link");
    assert.deepEqual(await nav.allInnerTexts(), ["Compliance", "Audit log"]);
    log("the officer sees Compliance and Audit log only");

    // Another page opened directly is refused.
    await officer.goto(base + "/admin/users");
    await officer.getByRole("heading", { level: 1, name: "Not allowed" }).waitFor();

    // The export, downloaded.
    await officer.goto(base + "/admin/compliance?tab=exports");
    const done = officer.getByRole("row", { name: /^Export \(CSV\), succeeded/ });
    const link = done.getByRole("link", { name: "Download" });
    await link.waitFor();
    const href = await link.getAttribute("href");
    const res = await ctx2.request.get(base + href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()["content-type"] ?? "", /^application\/zip/);
    const body = await res.body();
    assert.equal(body.subarray(0, 2).toString(), "PK", "a zip archive");
    log("the officer downloaded the export:", body.length, "bytes");

    // The audited search finds the private post.
    await openTab(officer, "Search");
    await officer.getByLabel("Search terms").fill("quokka");
    await officer.getByLabel("Reason").fill("Case 42 review");
    const hit = officer.getByRole("region", { name: "Search results" }).getByText("the quokka merger stays confidential");
    for (let i = 0; ; i++) {
      await officer.getByRole("button", { name: "Search", exact: true }).click();
      await officer.getByRole("region", { name: "Search results" }).waitFor();
      if ((await hit.count()) > 0) break;
      assert.ok(i < 20, "the private post is found within 10 s");
      await officer.waitForTimeout(500);
    }
    log("the audited search found the private post");

    // 375 px wide: tabs and results fit.
    await officer.setViewportSize({ width: 375, height: 740 });
    const overflow = await officer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 375 px (${overflow} px too wide)`);
    await officer.screenshot({ path: path.join(shots, "compliance-search-375-dark.png"), fullPage: true });
    await ctx2.close();
    log("screenshots in", shots);

    // The search is in the audit log alice reads.
    const audit = await call("GET", "/admin/audit?action=compliance.search", undefined, adminToken);
    assert.ok(audit.entries.length >= 1, "the search is audited");
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
