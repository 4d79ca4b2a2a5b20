// Full-text search through the web client, against the real `hearth` binary:
// alice posts in a few channels (one of them private), bob searches from the
// channel header with an operator chosen from the autocomplete, reads the
// results in the side pane (never the private post), narrows them to one
// channel with a chip, sorts them, jumps to a message, and sees what a
// malformed query says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WAIT, assertBuilt, launchBrowser, log, messages, signIn, startWithTeam, stopServer } from "./harness.mjs";

test("bob finds alice's messages with operators, chips and jumps", { timeout: 120_000 }, async () => {
  assertBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));
  let server;
  let browser;
  try {
    const fx = await startWithTeam(dataDir);
    server = fx.server;
    const { base, call, team, bob, adminToken, bobToken } = fx;
    log("server at", base);

    // ---- fixtures: three channels, alice's posts in each, one of bob's ----
    const town = (await call("GET", "/users/me/channels", undefined, bobToken)).find((c) => c.name === "town-square");
    const design = await call("POST", "/channels", { team_id: team.id, kind: "public", name: "design", display_name: "Design" }, adminToken);
    await call("POST", `/channels/${design.id}/members`, { user_id: bob.id }, adminToken);
    const secret = await call("POST", "/channels", { team_id: team.id, kind: "private", name: "secret-plans", display_name: "Secret Plans" }, adminToken);
    const post = (channel, message, token = adminToken) => call("POST", "/posts", { channel_id: channel.id, message }, token);
    const inTown = `The zephyr deploy failed on staging ${Date.now()}`;
    await post(town, inTown);
    await post(town, "Lunch on Friday: zephyr café at noon");
    await post(town, `Bob's zephyr deploy notes ${Date.now()}`, bobToken);
    await post(secret, `Secret zephyr deploy of the surprise ${Date.now()}`);
    const inDesign = `Zephyr deploy of the new design tokens ${Date.now()}`;
    const last = await post(design, inDesign);

    // The server answers searches (a server without them fails here, not in a wait below).
    await call("POST", "/posts/search", { terms: "zephyr" }, bobToken);

    browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, base, "bob");

    // New posts reach the index within about a second: wait until the last one is found.
    await page.waitForFunction(
      async (id) => {
        const res = await fetch("/api/v1/posts/search", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": localStorage.getItem("hearth.csrf") ?? "" },
          body: JSON.stringify({ terms: "zephyr deploy" }),
        });
        if (!res.ok) return false;
        const found = await res.json();
        return found.posts.some((p) => p.id === id);
      },
      last.id,
      { polling: 100, timeout: WAIT },
    );
    log("fixtures indexed");

    // ---- the header box: shortcut, operator suggestions, a person after from:@ ----
    const box = page.getByRole("searchbox", { name: "Search messages" });
    await page.keyboard.press("Control+Shift+F");
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Search messages");
    const suggestions = page.getByRole("listbox", { name: "Search suggestions" });
    await suggestions.getByRole("option", { name: /from:/ }).waitFor();
    await suggestions.getByRole("option", { name: /has:file/ }).waitFor();
    await box.pressSequentially("zephyr deploy from:@ali", { delay: 15 });
    const alice = suggestions.getByRole("option", { name: /Alice Admin/ });
    await alice.waitFor();
    assert.equal(await alice.getAttribute("aria-selected"), "true", "the person is chosen while typing the value");
    await box.press("Enter");
    assert.equal(await box.inputValue(), "zephyr deploy from:@alice ");
    await suggestions.waitFor({ state: "detached" });
    await box.press("Enter");
    log("searched from the header");

    // ---- the results pane ----
    const pane = page.getByRole("complementary", { name: "Search results" });
    const results = pane.getByRole("list", { name: "Search results" });
    await pane.getByRole("status").filter({ hasText: "2 results for" }).waitFor();
    await results.getByText(inTown).waitFor();
    await results.getByText(inDesign).waitFor();
    assert.equal(await results.getByText("Secret zephyr deploy").count(), 0, "a private channel bob is not in stays hidden");
    assert.equal(await results.getByText("Bob's zephyr deploy notes").count(), 0, "from:@alice leaves bob's post out");
    assert.equal(await results.getByRole("listitem").count(), 2);
    log("results shown, private post hidden");

    // ---- sort by newest: the design post (written last) comes first ----
    await pane.getByLabel("Sort").selectOption("newest");
    await page.waitForFunction(
      (text) => document.querySelector('[aria-label="Search results"] > li')?.textContent?.includes(text) ?? false,
      inDesign,
    );

    // ---- a channel chip narrows the search ----
    const chips = pane.getByRole("group", { name: "Filter by channel" });
    await chips.getByRole("button", { name: /Design/ }).click();
    const refine = pane.getByRole("searchbox", { name: "Refine search" });
    await page.waitForFunction(() => document.querySelector('input[aria-label="Refine search"]')?.value.includes("in:~design"));
    assert.equal(await refine.inputValue(), "zephyr deploy from:@alice in:~design");
    await pane.getByRole("status").filter({ hasText: "1 result for" }).waitFor();
    await results.getByText(inTown).waitFor({ state: "detached" });
    await results.getByText(inDesign).waitFor();
    assert.equal(await chips.getByRole("button", { name: /Design/ }).getAttribute("aria-pressed"), "true");
    log("chip narrowed to ~design");

    // ---- jump to the message ----
    await results.getByRole("listitem").filter({ hasText: inDesign }).getByRole("button", { name: "Jump to message" }).click();
    await messages(page, "Design").getByText(inDesign).waitFor();
    await page.getByRole("textbox", { name: "Write to Design" }).waitFor();
    log("jumped to the message in Design");

    // ---- files: none match ----
    await pane.getByRole("group", { name: "Search in" }).getByRole("button", { name: "Files" }).click();
    await pane.getByText("No files match.").waitFor();
    await pane.getByRole("group", { name: "Search in" }).getByRole("button", { name: "Messages" }).click();
    await results.getByText(inDesign).waitFor();

    // ---- a malformed query says what is wrong ----
    await refine.fill("zephyr from:@nobody");
    await refine.press("Enter");
    const alert = pane.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /nobody/);
    log("malformed query explained:", (await alert.innerText()).replace(/\s+/g, " "));
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
