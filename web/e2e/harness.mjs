// Shared pieces of the end-to-end tests: the real `hearth` binary on a fresh data
// dir, Debian's Chromium through playwright-core, and an HTTP client for fixtures.
//
// Env: HEARTH_BIN (default ../target/debug/hearth, relative to web/),
//      HEARTHCTL_BIN (default: hearthctl next to HEARTH_BIN),
//      CHROMIUM (default /usr/bin/chromium),
//      E2E_SCREENSHOTS (default: a fresh temp dir; never inside the repo).
import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, "..");
export const HEARTH_BIN = path.resolve(webDir, process.env.HEARTH_BIN ?? "../target/debug/hearth");
export const HEARTHCTL_BIN = path.resolve(webDir, process.env.HEARTHCTL_BIN ?? path.join(path.dirname(HEARTH_BIN), "hearthctl"));
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const WAIT = 10_000; // every single wait is bounded by this
export const PASSWORD = "correct-horse-battery-staple";

export const log = (...a) => console.error("[e2e]", ...a);

/** Starts `hearth serve` on a free port with a fresh data dir; resolves once the URL and setup token are read. */
/**
 * The server's environment: ours without the test's own HEARTH_BIN (the server
 * rejects unknown HEARTH_* settings), with rate limits the tests would hit raised
 * and open signup.
 */
function serverEnv() {
  const { HEARTH_BIN: _bin, ...env } = process.env;
  return {
    ...env,
    HEARTH_LIMITS__LOGINS_PER_MINUTE: "1000",
    HEARTH_LIMITS__POSTS_PER_SECOND: "100000",
    HEARTH_LIMITS__SIGNUPS_PER_HOUR: "1000",
    HEARTH_LIMITS__ACCOUNT_REQUESTS_PER_MINUTE: "1000000",
    // The tests sign their users up themselves; the default is invite-only.
    HEARTH_ACCOUNTS__SIGNUP: "open",
  };
}

/** `firstStart`: wait for the one-time setup token too (only a new data dir prints one). */
export function startServer(dataDir, listen = "127.0.0.1:0", firstStart = true) {
  const child = spawn(HEARTH_BIN, ["serve", "--listen", listen, "--data-dir", dataDir], {
    env: serverEnv(),
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
      if (m) {
        url = m[1];
        if (!firstStart) {
          clearTimeout(timer);
          resolve({ url, setupToken: null });
        }
      }
      else if (line.startsWith("First start")) expectToken = true;
      else if (expectToken && line.trim()) {
        clearTimeout(timer);
        resolve({ url, setupToken: line.trim() });
      }
    });
  });
  return { child, ready };
}

export function stopServer(child) {
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
export function apiClient(base) {
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

/**
 * Runs `hearthctl --local --data-dir <dataDir> args…`: the operator on the
 * server's host, over the local administration socket (how compliance
 * officers are made). Resolves with its standard output; rejects when it fails.
 */
export function hearthctlLocal(dataDir, args) {
  const { HEARTH_BIN: _bin, HEARTHCTL_BIN: _ctl, ...env } = process.env;
  return new Promise((resolve, reject) => {
    execFile(HEARTHCTL_BIN, ["--local", "--data-dir", dataDir, ...args], { env, timeout: WAIT }, (err, stdout, stderr) => {
      if (err) reject(new Error(`hearthctl ${args.join(" ")} failed: ${err.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Resolves when the page's WebSocket receives its first `hello` frame (the live connection is up). */
export function socketHello(page) {
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

export async function signIn(page, base, username) {
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

export const messages = (page, title) => page.getByRole("log", { name: `Messages in ${title}` });

/** Fails early with a clear message when the build products are missing. */
export function assertBuilt() {
  assert.ok(existsSync(HEARTH_BIN), `server binary not found at ${HEARTH_BIN} (cargo build --bin hearth, or set HEARTH_BIN)`);
  assert.ok(existsSync(HEARTHCTL_BIN), `hearthctl not found at ${HEARTHCTL_BIN} (cargo build --bin hearthctl, or set HEARTHCTL_BIN)`);
  assert.ok(existsSync(path.join(webDir, "dist", "index.html")), "web/dist missing: run npm run build first");
}

/** Where screenshots go: E2E_SCREENSHOTS or a fresh temp dir (never inside the repository). */
export function screenshotsDir() {
  const dir = process.env.E2E_SCREENSHOTS
    ? path.resolve(process.env.E2E_SCREENSHOTS)
    : mkdtempSync(path.join(tmpdir(), "hearth-e2e-shots-"));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function launchBrowser() {
  return chromium.launch({
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
}

/**
 * A server with an admin (alice), a second user (bob) and an open team both are in.
 * Returns what the tests need to drive it.
 */
export async function startWithTeam(dataDir, listen) {
  const server = startServer(dataDir, listen);
  const { url: base, setupToken } = await server.ready;
  assert.ok(base, "listening URL not found on stdout");
  const call = apiClient(base);
  const alice = await call("POST", "/users/signup", {
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
  const { token: bobToken } = await call("POST", "/users/login", { login: "bob", password: PASSWORD });
  return { server, base, call, team, alice, bob, adminToken, bobToken };
}
