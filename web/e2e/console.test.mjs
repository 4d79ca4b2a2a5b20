// The system console through the browser, against the real `hearth` binary:
// alice (system admin) opens it from her user menu, creates carol, makes bob a
// system admin and then deactivates him, resets carol's password (carol signs
// in with it in a second browser and is refused the console), adds carol to
// the team, edits the LDAP settings (a typed mistake and a server refusal are
// shown, the saved values survive a reload, the connection test names the
// failing step), reads the audit entries of all this, verifies the chain, and
// finds on the dashboard the figures the test created. Back and forward move
// between console pages; the console works at 375 px wide.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PASSWORD, WAIT, assertBuilt, launchBrowser, log, screenshotsDir, signIn, startWithTeam, stopServer } from "./harness.mjs";

const NEW_PASSWORD = "carol-has-a-new-password";

/** The figure a dashboard card shows. */
async function stat(page, label) {
  const text = await page.getByRole("group", { name: label, exact: true }).locator(".stat-value").innerText();
  return Number(text.replace(/[^\d]/g, ""));
}

/** Opens a console page from the navigation and waits for its heading. */
async function openPage(page, name, heading = name) {
  await page.getByRole("navigation", { name: "System console" }).getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** The row of a table that mentions `text`. */
const row = (page, text) => page.getByRole("row").filter({ hasText: text });

async function userAction(page, username, action) {
  await page.getByRole("button", { name: `Actions for ${username}` }).click();
  await page.getByRole("menuitem", { name: action }).click();
}

test("a system admin manages users, teams, LDAP settings and the audit log from the console", { timeout: 180_000 }, async () => {
  assertBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));
  const shots = screenshotsDir();
  let server;
  let browser;
  try {
    const fx = await startWithTeam(dataDir);
    server = fx.server;
    const { base, call, adminToken, team } = fx;
    log("server at", base);
    const town = (await call("GET", "/users/me/channels", undefined, adminToken)).find((c) => c.name === "town-square");
    for (const m of ["first post for the chart", "second post for the chart"]) {
      await call("POST", "/posts", { channel_id: town.id, message: m }, adminToken);
    }

    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, base, "alice");

    // ---- into the console from the user menu ----
    await page.getByRole("button", { name: /^User menu/ }).click();
    await page.getByRole("menuitem", { name: "System Console" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/admin");
    assert.equal(await stat(page, "Total users"), 2);
    log("dashboard reached from the user menu");

    // ---- users: create carol ----
    await openPage(page, "Users");
    assert.equal(new URL(page.url()).pathname, "/admin/users");
    await page.getByRole("button", { name: "Create user" }).click();
    const create = page.getByRole("dialog", { name: "Create user" });
    await create.getByLabel("Username").fill("carol");
    await create.getByLabel("E-mail").fill("carol@example.test");
    await create.getByLabel("Display name (optional)").fill("Carol Console");
    await create.getByLabel("Password").fill(PASSWORD);
    await create.getByRole("button", { name: "Create" }).click();
    await page.getByRole("status").filter({ hasText: "@carol was created." }).waitFor();
    await row(page, "@carol").waitFor();

    // A refusal shows the server's words: the username is taken.
    await page.getByRole("button", { name: "Create user" }).click();
    await create.getByLabel("Username").fill("carol");
    await create.getByLabel("E-mail").fill("carol2@example.test");
    await create.getByLabel("Password").fill(PASSWORD);
    await create.getByRole("button", { name: "Create" }).click();
    const refusal = create.getByRole("alert");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /taken|exists|already/i);
    await create.getByRole("button", { name: "Cancel" }).click();
    log("carol created; a duplicate refused with the server's message");

    // ---- bob: system admin, then deactivated ----
    await userAction(page, "bob", "Change role");
    const roleDialog = page.getByRole("dialog", { name: "Role of @bob" });
    // The officer role is set on the server's host, so it is shown but not offered.
    assert.ok(await roleDialog.getByLabel("Compliance officer").isDisabled());
    assert.match(await roleDialog.innerText(), /only on the server's host/);
    await roleDialog.getByLabel("System admin").check();
    await roleDialog.getByRole("button", { name: "Save role" }).click();
    await row(page, "@bob").filter({ hasText: "System admin" }).waitFor();
    await userAction(page, "bob", "Deactivate");
    const confirm = page.getByRole("dialog", { name: "Deactivate @bob?" });
    await confirm.getByRole("button", { name: "Deactivate" }).click();
    await row(page, "@bob").filter({ hasText: "Deactivated" }).waitFor();
    log("bob promoted, then deactivated");

    // ---- carol's password ----
    await userAction(page, "carol", "Reset password");
    const pw = page.getByRole("dialog", { name: "Reset the password of @carol" });
    await pw.getByLabel("New password").fill(NEW_PASSWORD);
    await pw.getByRole("button", { name: "Reset password" }).click();
    await page.getByRole("status").filter({ hasText: "password of @carol was reset" }).waitFor();

    // ---- teams: carol joins the team ----
    await openPage(page, "Teams");
    await page.getByRole("link", { name: team.display_name }).click();
    await page.getByRole("heading", { level: 1, name: team.display_name }).waitFor();
    await page.getByLabel("Add a member by username").fill("carol");
    await page.getByRole("button", { name: "Add member" }).click();
    await row(page, "@carol").waitFor();
    log("carol added to the team from its page");

    // ---- back and forward between console pages ----
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await page.goForward();
    await page.getByRole("heading", { level: 1, name: "Teams" }).waitFor();
    log("back and forward restore console pages");

    // ---- carol signs in with the new password in a second browser; the console refuses her ----
    const ctx2 = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const carol = await ctx2.newPage();
    carol.setDefaultTimeout(WAIT);
    await carol.goto(base + "/");
    await carol.getByRole("heading", { name: "Sign in" }).waitFor();
    await carol.getByLabel("Username or e-mail").fill("carol");
    await carol.getByLabel("Password").fill(NEW_PASSWORD);
    await carol.getByRole("button", { name: "Sign in" }).click();
    await carol.getByRole("textbox", { name: "Write to Town Square" }).waitFor();
    await carol.getByRole("button", { name: /^User menu/ }).click();
    assert.equal(await carol.getByRole("menuitem", { name: "System Console" }).count(), 0, "no console entry for users");
    await carol.keyboard.press("Escape");
    await carol.goto(base + "/admin/users");
    await carol.getByRole("heading", { name: "Not allowed" }).waitFor();
    const refused = await carol.evaluate(async () => (await fetch("/api/v1/admin/system/status")).status);
    assert.equal(refused, 403, "the server refuses the console's data too");
    await ctx2.close();
    log("carol signed in with the reset password; the console is not for her");

    // ---- authentication: LDAP settings ----
    await openPage(page, "Authentication");
    const ldap = page.getByRole("form", { name: "LDAP settings" });
    const save = ldap.getByRole("button", { name: "Save LDAP settings" });
    await ldap.getByLabel(/^Server URLs/).fill("ldap://127.0.0.1:1");
    await ldap.getByLabel(/^Base DN of users/).fill("dc=example,dc=com");
    await ldap.getByLabel(/^Service account password/).fill("directory-secret");
    await ldap.getByLabel(/^Connect timeout/).fill("soon");
    await save.click();
    await ldap.getByText("ldap.directory.connect_timeout_ms must be a whole number").waitFor();
    assert.equal(await ldap.getByLabel(/^Connect timeout/).getAttribute("aria-invalid"), "true");
    // Typed correctly, but refused by the server: the message names the setting.
    await ldap.getByLabel(/^Connect timeout/).fill("2000");
    await ldap.getByLabel(/^Server URLs/).fill("http://127.0.0.1:1");
    await save.click();
    const serverSays = ldap.getByRole("alert");
    await serverSays.waitFor();
    assert.match(await serverSays.innerText(), /ldap\.directory/);
    await ldap.getByLabel(/^Server URLs/).fill("ldap://127.0.0.1:1");
    await save.click();
    await ldap.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Authentication" }).waitFor();
    const after = page.getByRole("form", { name: "LDAP settings" });
    assert.equal(await after.getByLabel(/^Server URLs/).inputValue(), "ldap://127.0.0.1:1");
    assert.equal(await after.getByLabel(/^Base DN of users/).inputValue(), "dc=example,dc=com");
    assert.equal(await after.getByLabel(/^Connect timeout/).inputValue(), "2000");
    assert.equal(await after.getByLabel(/^Service account password/).inputValue(), "********", "the secret stays hidden");
    log("LDAP settings: typed mistake and server refusal shown, saved values survive a reload");

    await page.getByRole("button", { name: "Test connection" }).click();
    const diagnosis = page.getByRole("region", { name: "Connection test" });
    await diagnosis.waitFor();
    const failed = diagnosis.locator(".step-failed");
    await failed.first().waitFor();
    assert.match(await failed.first().innerText(), /^Failed/);
    log("connection test:", (await failed.first().innerText()).replace(/\s+/g, " "));
    await page.screenshot({ path: path.join(shots, "console-authentication-light.png"), fullPage: true });

    // ---- audit log ----
    await openPage(page, "Audit log");
    const log_ = page.getByRole("table");
    for (const action of ["user.create", "user.role", "user.deactivate", "user.password_reset", "team.member_add", "config.changed", "ldap.test"]) {
      await log_.getByRole("row").filter({ hasText: action }).first().waitFor();
    }
    await page.getByLabel("Action").fill("user.deactivate");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=user\.deactivate/);
    await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 1);
    assert.match(await log_.getByRole("row").nth(1).innerText(), /@alice[\s\S]*user\.deactivate/);
    await page.getByLabel("Actor (username)").fill("bob");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await log_.getByText("No entries match.").waitFor();
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 1 && !location.search.includes("actor"));
    await log_.getByRole("row").nth(1).getByRole("link", { name: /Details of entry/ }).click();
    const detail = page.getByRole("dialog", { name: /Audit entry #\d+/ });
    await detail.getByText("user.deactivate").waitFor();
    await detail.getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "Verify chain" }).click();
    await page.getByRole("status").filter({ hasText: "Chain OK" }).waitFor();
    log("audit entries found, filtered, detailed; chain verified");

    // ---- the dashboard shows what the test made ----
    await openPage(page, "Dashboard");
    const status = await call("GET", "/admin/system/status", undefined, adminToken);
    assert.equal(await stat(page, "Total users"), 3);
    assert.equal(await stat(page, "Active users"), 2);
    assert.equal(await stat(page, "Deactivated users"), 1);
    assert.equal(await stat(page, "Teams"), status.teams);
    assert.equal(await stat(page, "Posts"), status.posts.total);
    assert.equal(await stat(page, "Active sessions"), status.sessions.active);
    const caption = await page.locator(".chart figcaption").innerText();
    assert.match(caption, new RegExp(`^${status.posts.total} posts in the last 30 days`));
    assert.equal(await page.locator(".chart rect.bar").count(), 30);
    await page.getByText("PostgreSQL").or(page.getByText("SQLite")).first().waitFor();
    await page.screenshot({ path: path.join(shots, "console-dashboard-light.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, "console-dashboard-dark.png"), fullPage: true });
    log("dashboard figures match:", JSON.stringify(status.users));

    // ---- configuration: a key fixed by the environment is read-only ----
    await openPage(page, "Configuration");
    await page.getByRole("heading", { level: 2, name: "Limits" }).click();
    const locked = page.getByLabel(/^Logins per minute/);
    assert.equal(await locked.isDisabled(), true, "HEARTH_LIMITS__LOGINS_PER_MINUTE fixes it");

    // ---- 375 px: the navigation folds into a menu ----
    await page.setViewportSize({ width: 375, height: 740 });
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    await page.getByRole("navigation", { name: "System console" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 375 px (${overflow} px too wide)`);
    await page.screenshot({ path: path.join(shots, "console-users-375-dark.png"), fullPage: true });
    log("narrow layout works; screenshots in", shots);

    // ---- back to the chat ----
    await page.getByRole("link", { name: "Back to chat" }).click();
    await page.getByRole("textbox", { name: "Write to Town Square" }).waitFor();
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
