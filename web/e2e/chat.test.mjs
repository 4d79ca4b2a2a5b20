// Two people use the web client at once, each in their own browser context,
// against the real `hearth` binary: messages both ways, typing, a thread reply
// and its unread count, a reaction, an image upload with preview, edit and
// delete, unread and mention badges, the quick switcher. The run also leaves a
// screenshot set of the main screens in light and dark themes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WAIT, assertBuilt, launchBrowser, log, messages, screenshotsDir, signIn, startWithTeam, stopServer } from "./harness.mjs";

/** The post (an `article`) whose text contains `text`, inside a list. */
const postWith = (list, text) => list.getByRole("article").filter({ hasText: text });

test("two users chat live through the web client", { timeout: 150_000 }, async () => {
  assertBuilt();
  const shots = screenshotsDir();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));
  let server;
  let browser;
  const started = Date.now();
  try {
    const fx = await startWithTeam(dataDir);
    server = fx.server;
    const { base } = fx;
    log("server at", base);

    browser = await launchBrowser();
    const viewport = { width: 1280, height: 800 };
    const alice = await (await browser.newContext({ viewport })).newPage();
    const bob = await (await browser.newContext({ viewport })).newPage();
    for (const p of [alice, bob]) p.setDefaultTimeout(WAIT);
    // The server's Content-Security-Policy must not block anything the client does.
    const cspViolations = [];
    for (const p of [alice, bob]) {
      p.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
    }
    await Promise.all([signIn(alice, base, "alice"), signIn(bob, base, "bob")]);
    log("both signed in, live sockets up");

    const aliceTown = messages(alice, "Town Square");
    const bobTown = messages(bob, "Town Square");
    const aliceComposer = alice.getByRole("textbox", { name: "Write to Town Square" });
    const bobComposer = bob.getByRole("textbox", { name: "Write to Town Square" });

    // ---- messages both ways ----
    const hi = `Hello from Alice ${Date.now()}`;
    await aliceComposer.fill(hi);
    await aliceComposer.press("Enter");
    await bobTown.getByText(hi).waitFor();
    const reply = `Hi Alice, Bob here ${Date.now()}`;
    await bobComposer.fill(reply);
    await bobComposer.press("Enter");
    await aliceTown.getByText(reply).waitFor();
    log("messages cross both ways");

    // ---- typing indicator ----
    await bobComposer.pressSequentially("still typ", { delay: 20 });
    await alice.getByText("Bob Builder is typing…").waitFor();
    await bobComposer.fill("");
    log("alice sees bob typing");

    // ---- thread reply and the unread thread count ----
    const rootPost = postWith(bobTown, hi);
    await rootPost.hover();
    await rootPost.getByRole("button", { name: "Reply in thread" }).click();
    const bobThread = bob.getByRole("complementary", { name: "Thread" });
    const threadReply = `A reply in the thread ${Date.now()}`;
    const threadBox = bobThread.getByRole("textbox", { name: "Reply to thread" });
    await threadBox.fill(threadReply);
    await threadBox.press("Enter");
    await bobThread.getByRole("list", { name: "Thread replies" }).getByText(threadReply).waitFor();
    // Alice wrote the root, so she follows the thread: one unread thread, and "1 reply" under her post.
    const aliceNav = alice.getByRole("navigation", { name: "Channels" });
    await aliceNav.getByRole("button", { name: "Threads, 1 unread" }).waitFor();
    const summary = postWith(aliceTown, hi).getByRole("button", { name: "1 reply" });
    await summary.waitFor();
    assert.equal(await aliceTown.getByText(threadReply).count(), 0, "replies stay out of the channel (collapsed threads)");
    await summary.click();
    const aliceThread = alice.getByRole("complementary", { name: "Thread" });
    await aliceThread.getByText(threadReply).waitFor();
    await aliceNav.getByRole("button", { name: "Threads", exact: true }).waitFor();
    log("thread reply seen; unread thread count cleared on open");
    await bob.getByRole("button", { name: "Close side pane" }).click();

    // ---- reaction ----
    const bobsPost = postWith(aliceTown, reply);
    await bobsPost.hover();
    await bobsPost.getByRole("button", { name: "Add reaction" }).click();
    const picker = alice.getByRole("dialog", { name: "Emoji picker" });
    await picker.getByRole("combobox", { name: "Search emoji" }).fill("tada");
    await picker.getByRole("option", { name: ":tada:" }).first().click();
    await postWith(bobTown, reply).getByRole("button", { name: /reacted with :tada:/ }).waitFor();
    log("bob sees alice's reaction");

    // ---- image upload with preview ----
    const png = await bob.screenshot({ clip: { x: 0, y: 0, width: 160, height: 100 } });
    const chooser = bob.waitForEvent("filechooser");
    await bob.getByRole("button", { name: "Attach files" }).click();
    await (await chooser).setFiles({ name: "sidebar.png", mimeType: "image/png", buffer: png });
    await bob.getByRole("list", { name: "Attached files" }).getByRole("button", { name: "Remove sidebar.png" }).waitFor();
    const caption = `Here is the picture ${Date.now()}`;
    await bobComposer.fill(caption);
    await bobComposer.press("Enter");
    const image = postWith(aliceTown, caption).getByRole("button", { name: "Open image sidebar.png" });
    await image.waitFor();
    await alice.waitForFunction(
      (text) => {
        const post = [...document.querySelectorAll("article")].find((a) => a.textContent.includes(text));
        const img = post && post.querySelector("img");
        return !!img && img.complete && img.naturalWidth > 0;
      },
      caption,
      { timeout: WAIT },
    );
    await image.click();
    await alice.getByRole("dialog", { name: "Image sidebar.png" }).waitFor();
    await alice.keyboard.press("Escape");
    await alice.getByRole("dialog", { name: "Image sidebar.png" }).waitFor({ state: "detached" });
    log("alice sees bob's image and opens the lightbox");

    // ---- edit (Up arrow in the empty composer) and delete ----
    const edited = `Hello from Alice, edited ${Date.now()}`;
    await aliceComposer.click();
    await aliceComposer.press("ArrowUp");
    const editBox = alice.getByRole("textbox", { name: "Edit message" });
    await editBox.fill(edited);
    await editBox.press("Enter");
    await postWith(bobTown, edited).getByText("(edited)").waitFor();
    assert.equal(await bobTown.getByText(hi, { exact: true }).count(), 0, "the old text is gone for bob");
    const mine = postWith(aliceTown, edited);
    await mine.hover();
    await mine.getByRole("button", { name: "More actions" }).click();
    await alice.getByRole("menuitem", { name: "Delete message" }).click();
    const confirm = alice.getByRole("dialog", { name: "Delete message" });
    await confirm.getByRole("button", { name: "Delete" }).click();
    await bobTown.getByText(edited).waitFor({ state: "detached" });
    log("edit and delete reach bob");

    // ---- unread and mention badges ----
    await aliceNav.getByRole("button", { name: /^Off-Topic/ }).click();
    const offTopicComposer = alice.getByRole("textbox", { name: "Write to Off-Topic" });
    const ping = `@bob have a look ${Date.now()}`;
    await offTopicComposer.fill(ping);
    await offTopicComposer.press("Escape"); // close the @ suggestions
    await offTopicComposer.press("Enter");
    await messages(alice, "Off-Topic").getByText(ping).waitFor();
    const bobNav = bob.getByRole("navigation", { name: "Channels" });
    const offTopicEntry = bobNav.getByRole("button", { name: /^Off-Topic \(unread\) 1 mention$/ });
    await offTopicEntry.waitFor();
    assert.ok((await offTopicEntry.getAttribute("class")).includes("unread"));
    await bobNav.getByRole("button", { name: /^Town Square/ }).and(bob.locator('[aria-current="page"]')).waitFor();
    log("bob's sidebar shows the unread channel and the mention");

    // ---- quick switcher ----
    await bob.keyboard.press("Control+k");
    const switcher = bob.getByRole("dialog", { name: "Switch channels" });
    await switcher.getByRole("combobox", { name: "Find a channel or person" }).fill("off");
    await bob.screenshot({ path: path.join(shots, "light-quick-switcher.png") });
    await bob.keyboard.press("Enter");
    await messages(bob, "Off-Topic").getByText(ping).waitFor();
    await bobNav.getByRole("button", { name: /^Off-Topic$/ }).waitFor();
    log("quick switcher opens off-topic; its badge clears");

    // ---- screenshots, light then dark ----
    const shoot = async (page, name) => {
      const file = path.join(shots, `${name}.png`);
      await page.screenshot({ path: file });
      console.log(`screenshot: ${file}`);
    };
    for (const scheme of ["light", "dark"]) {
      await alice.emulateMedia({ colorScheme: scheme });
      await alice.getByRole("navigation", { name: "Channels" }).getByRole("button", { name: /^Town Square/ }).click();
      await aliceTown.getByText(reply).waitFor();
      await shoot(alice, `${scheme}-channel-with-thread`);
      await alice.keyboard.press("Control+k");
      await alice.getByRole("dialog", { name: "Switch channels" }).waitFor();
      await shoot(alice, `${scheme}-quick-switcher`);
      await alice.keyboard.press("Escape");
      await alice.getByRole("button", { name: /^User menu:/ }).click();
      await alice.getByRole("menuitem", { name: "Settings" }).click();
      await alice.getByRole("dialog", { name: "Settings" }).waitFor();
      await shoot(alice, `${scheme}-settings`);
      await alice.keyboard.press("Escape");
      await alice.getByRole("dialog", { name: "Settings" }).waitFor({ state: "detached" });
      const phone = await (await browser.newContext({ viewport: { width: 375, height: 740 }, colorScheme: scheme })).newPage();
      phone.setDefaultTimeout(WAIT);
      await phone.goto(base + "/");
      await phone.getByRole("heading", { name: "Sign in" }).waitFor();
      await shoot(phone, `${scheme}-sign-in-phone`);
      await signIn(phone, base, "bob");
      await shoot(phone, `${scheme}-channel-phone`);
      await phone.context().close();
    }
    assert.deepEqual(cspViolations, [], "the Content-Security-Policy blocked part of the client");
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
