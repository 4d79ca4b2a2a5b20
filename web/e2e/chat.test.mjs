// End-to-end test: the real `hearth` binary (serving the built web/dist) and Debian's
// Chromium driven by playwright-core. Run with `npm run e2e` (node --test e2e/).
//
// Needs: web/dist built (`npm run build`) and the server built (`cargo build --bin hearth`).
// Env: HEARTH_BIN (default ../target/debug/hearth, relative to web/),
//      CHROMIUM (default /usr/bin/chromium),
//      E2E_SCREENSHOTS (default: a fresh temp dir; never inside the repo).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "..");
const HEARTH_BIN = path.resolve(webDir, process.env.HEARTH_BIN ?? "../target/debug/hearth");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WAIT = 10_000; // every single wait is bounded by this
const PASSWORD = "correct-horse-battery-staple";

const log = (...a) => console.error("[e2e]", ...a);

/** Starts `hearth serve` on a free port with a fresh data dir; resolves once the URL and setup token are read. */
function startServer(dataDir) {
  const child = spawn(HEARTH_BIN, ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir], {
    env: { ...process.env, HEARTH_LIMITS__LOGINS_PER_MINUTE: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Last resort if the runner tears the process down before `finally` runs.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  createInterface({ input: child.stderr }).on("line", (line) => process.stderr.write(`[hearth] ${line}\n`));
  const ready = new Promise((resolve, reject) => {
    let url = null;
    let expectToken = false;
    const timer = setTimeout(() => reject(new Error("hearth did not print its URL and setup token within 10 s")), WAIT);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("exit", (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`hearth exited early (code ${code}, signal ${sig})`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      process.stderr.write(`[hearth stdout] ${line}\n`);
      const m = /^Hearth is listening on (http:\/\/127\.0\.0\.1:\d+) \(data in /.exec(line);
      if (m) url = m[1];
      else if (line.startsWith("First start")) expectToken = true;
      else if (expectToken && line.trim()) {
        clearTimeout(timer);
        resolve({ url, setupToken: line.trim() });
      }
    });
  });
  return { child, ready };
}

function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Minimal JSON client for fixtures. */
function apiClient(base) {
  return async function call(method, route, body, token) {
    const res = await fetch(`${base}/api/v1${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(WAIT),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Resolves when the page's WebSocket receives its first `hello` frame (the live connection is up). */
function socketHello(page) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no WebSocket hello within 10 s")), WAIT);
    page.on("websocket", (ws) => {
      ws.on("framereceived", ({ payload }) => {
        if (typeof payload === "string" && payload.includes('"hello"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
}

async function signIn(page, base, username) {
  const hello = socketHello(page);
  await page.goto(base + "/", { timeout: WAIT });
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: WAIT });
  await page.getByLabel("Username or e-mail").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Landed in the team's town-square: the composer for it is there.
  await page.getByRole("textbox", { name: "Write to Town Square" }).waitFor({ timeout: WAIT });
  await hello;
}

const messages = (page, title) => page.getByRole("log", { name: `Messages in ${title}` });

test("two users chat live through the web client", { timeout: 90_000 }, async () => {
  assert.ok(existsSync(HEARTH_BIN), `server binary not found at ${HEARTH_BIN} (cargo build --bin hearth, or set HEARTH_BIN)`);
  assert.ok(existsSync(path.join(webDir, "dist", "index.html")), "web/dist missing: run npm run build first");

  const shotsDir = process.env.E2E_SCREENSHOTS
    ? path.resolve(process.env.E2E_SCREENSHOTS)
    : mkdtempSync(path.join(tmpdir(), "hearth-e2e-shots-"));
  mkdirSync(shotsDir, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-e2e-data-"));

  let server;
  let browser;
  const started = Date.now();
  try {
    server = startServer(dataDir);
    const { url: base, setupToken } = await server.ready;
    assert.ok(base, "listening URL not found on stdout");
    log("server at", base);

    // ---- fixtures over HTTP ----
    const call = apiClient(base);
    await call("POST", "/users/signup", {
      username: "alice",
      email: "alice@example.test",
      password: PASSWORD,
      display_name: "Alice Admin",
      setup_token: setupToken,
    });
    const { token: adminToken } = await call("POST", "/users/login", { login: "alice", password: PASSWORD });
    const team = await call("POST", "/teams", { name: "hearth-e2e", display_name: "E2E Team", open: true }, adminToken);
    const bob = await call("POST", "/users/signup", {
      username: "bob",
      email: "bob@example.test",
      password: PASSWORD,
      display_name: "Bob Builder",
    });
    await call("POST", `/teams/${team.id}/members`, { user_id: bob.id }, adminToken);
    log("fixtures ready: team", team.id);

    // ---- browsers ----
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      timeout: WAIT,
    });
    const viewport = { width: 1280, height: 800 };
    const alice = await (await browser.newContext({ viewport })).newPage();
    const bobPage = await (await browser.newContext({ viewport })).newPage();
    for (const p of [alice, bobPage]) p.setDefaultTimeout(WAIT);

    await Promise.all([signIn(alice, base, "alice"), signIn(bobPage, base, "bob")]);
    log("both signed in, live sockets up");

    // alice → bob
    const hi = `Hello from Alice ${Date.now()}`;
    const aliceComposer = alice.getByRole("textbox", { name: "Write to Town Square" });
    await aliceComposer.fill(hi);
    await aliceComposer.press("Enter");
    await messages(bobPage, "Town Square").getByText(hi).waitFor({ timeout: WAIT });
    log("bob sees alice's message");

    // bob → alice
    const reply = `Hi Alice, Bob here ${Date.now()}`;
    const bobComposer = bobPage.getByRole("textbox", { name: "Write to Town Square" });
    await bobComposer.fill(reply);
    await bobComposer.press("Enter");
    await messages(alice, "Town Square").getByText(reply).waitFor({ timeout: WAIT });
    log("alice sees bob's reply");

    // alice mentions bob in off-topic while bob stays in town-square
    const aliceNav = alice.getByRole("navigation", { name: "Channels" });
    await aliceNav.getByRole("button", { name: /^Off-Topic/ }).click();
    const offTopicComposer = alice.getByRole("textbox", { name: "Write to Off-Topic" });
    await offTopicComposer.waitFor({ timeout: WAIT });
    const ping = `@bob have a look ${Date.now()}`;
    await offTopicComposer.fill(ping);
    await offTopicComposer.press("Enter");
    await messages(alice, "Off-Topic").getByText(ping).waitFor({ timeout: WAIT });

    // Bob's sidebar: the Off-Topic entry gains the sr-only "(unread)" text and a "1 mention" badge.
    const bobNav = bobPage.getByRole("navigation", { name: "Channels" });
    const offTopicEntry = bobNav.getByRole("button", { name: /^Off-Topic \(unread\) 1 mention$/ });
    await offTopicEntry.waitFor({ timeout: WAIT });
    assert.equal(await offTopicEntry.getAttribute("class").then((c) => c.includes("unread")), true);
    assert.equal(await offTopicEntry.getByLabel("1 mention").textContent(), "1");
    // Bob is still in town-square (current page), not moved.
    await bobNav.getByRole("button", { name: /^Town Square/ }).and(bobPage.locator('[aria-current="page"]')).waitFor({ timeout: WAIT });
    log("bob's sidebar shows the mention");

    // ---- screenshots ----
    const aliceShot = path.join(shotsDir, "alice-main.png");
    const bobShot = path.join(shotsDir, "bob-main.png");
    await alice.screenshot({ path: aliceShot, timeout: WAIT });
    await bobPage.screenshot({ path: bobShot, timeout: WAIT });
    console.log(`screenshot: ${aliceShot}`);
    console.log(`screenshot: ${bobShot}`);
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (browser) await browser.close().catch((e) => log("browser close failed:", e));
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
