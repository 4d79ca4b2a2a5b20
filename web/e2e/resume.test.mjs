// The server restarts under an open page: the client shows the reconnect banner,
// comes back on its own without a page reload, and shows what was posted while
// it was away exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  WAIT,
  assertBuilt,
  launchBrowser,
  log,
  messages,
  signIn,
  startServer,
  startWithTeam,
  stopServer,
} from "./harness.mjs";

test("the client resumes after a server restart without reload or duplicates", { timeout: 90_000 }, async () => {
  assertBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));
  let server;
  let browser;
  try {
    const fx = await startWithTeam(dataDir);
    server = fx.server;
    const { base, call, bobToken } = fx;
    const listen = new URL(base).host;
    const town = (await call("GET", "/users/me/channels", undefined, bobToken)).find((c) => c.name === "town-square");

    browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, base, "alice");
    const before = `before the restart ${Date.now()}`;
    await call("POST", "/posts", { channel_id: town.id, message: before }, bobToken);
    await messages(page, "Town Square").getByText(before).waitFor();
    // A marker that a reload would wipe.
    await page.evaluate(() => {
      window.__hearthNoReload = true;
    });

    await stopServer(server.child);
    await page.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor();
    log("server stopped; banner shown");

    // Same data dir, same address: the page's origin is unchanged.
    server = startServer(dataDir, listen, false);
    await server.ready;
    const missed = `posted while the client was away ${Date.now()}`;
    await call("POST", "/posts", { channel_id: town.id, message: missed }, bobToken);
    log("server restarted; posted", missed);

    const list = messages(page, "Town Square");
    await list.getByText(missed).waitFor({ timeout: 20_000 });
    await page.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor({ state: "detached" });
    assert.equal(await list.getByText(missed).count(), 1, "the missed post is shown once");
    assert.equal(await list.getByText(before).count(), 1, "the earlier post is not duplicated");
    assert.equal(await page.evaluate(() => window.__hearthNoReload === true), true, "the page was not reloaded");

    // And the live connection works again in both directions.
    const after = `after the restart ${Date.now()}`;
    const composer = page.getByRole("textbox", { name: "Write to Town Square" });
    await composer.fill(after);
    await composer.press("Enter");
    await list.getByText(after).waitFor();
    const page2 = await call("GET", `/channels/${town.id}/posts`, undefined, bobToken);
    assert.equal(page2.posts.filter((p) => p.message === after).length, 1, "sent exactly once");
    const live = `live again ${Date.now()}`;
    await call("POST", "/posts", { channel_id: town.id, message: live }, bobToken);
    await list.getByText(live).waitFor();
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
