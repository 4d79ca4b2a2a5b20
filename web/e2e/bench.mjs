// Web client benchmark (not a test: it asserts nothing and prints figures).
// Measured in Debian's Chromium against a real `hearth` on a fresh data dir:
//   1. JavaScript shipped for the first load (raw and gzipped),
//   2. time from navigation to an interactive channel showing 50 messages (cold and warm cache),
//   3. time to switch channels (first visit and revisit),
//   4. frame times while scrolling through 10,000 loaded messages.
// Run: `npm run bench` (needs web/dist and the server binary, as the e2e tests).
// Env as in harness.mjs; BENCH_MESSAGES (default 10000) sizes the long channel.
import { gzipSync } from "node:zlib";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PASSWORD, WAIT, assertBuilt, launchBrowser, log, messages, signIn, startServer, stopServer, apiClient } from "./harness.mjs";

const LONG = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RUNS = 10;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function seed(call, token, channelId, n, label) {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const long = i % 7 === 0 ? " with a longer line of text that wraps in a narrow window, and some `code` and **bold** words" : "";
      await call("POST", "/posts", { channel_id: channelId, message: `${label} message ${i + 1}${long}` }, token);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  log(`seeded ${n} posts in ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Resolves with performance.now() (ms since navigation start) when `text` first appears in the DOM. */
const watchInit = (text) => {
  window.__hearthReadyAt = null;
  const check = () => {
    if (window.__hearthReadyAt === null && document.body && document.body.innerText.includes(text)) {
      window.__hearthReadyAt = performance.now();
      return true;
    }
    return false;
  };
  const obs = new MutationObserver(() => {
    if (check()) obs.disconnect();
  });
  document.addEventListener("DOMContentLoaded", () => {
    if (!check()) obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
};

async function main() {
  assertBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hearth-bench-"));
  let server;
  let browser;
  try {
    server = startServer(dataDir);
    const { url: base, setupToken } = await server.ready;
    const call = apiClient(base);
    await call("POST", "/users/signup", { username: "alice", email: "alice@example.test", password: PASSWORD, display_name: "Alice", setup_token: setupToken });
    const { token } = await call("POST", "/users/login", { login: "alice", password: PASSWORD });
    const team = await call("POST", "/teams", { name: "bench", display_name: "Bench", open: true }, token);
    const mk = (name) => call("POST", "/channels", { team_id: team.id, kind: "public", name, display_name: name }, token);
    const fifty = await Promise.all(["bench-a", "bench-b", "bench-c", "bench-d"].map(mk));
    const long = await mk("bench-long");
    for (const c of fifty) await seed(call, token, c.id, 50, c.name);
    await seed(call, token, long.id, LONG, "long");

    browser = await launchBrowser();
    const viewport = { width: 1440, height: 900 };
    /** A signed-in page of alice's in `ctx`, its live socket up. */
    const signedIn = async (ctx) => {
      const page = await ctx.newPage();
      page.setDefaultTimeout(WAIT);
      await signIn(page, base, "alice");
      return page;
    };

    // 1. First-load JavaScript: every script the first page load fetches.
    {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      const scripts = [];
      page.on("response", async (r) => {
        if (r.request().resourceType() === "script") scripts.push(r.body().then((b) => ({ url: r.url(), raw: b.length, gz: gzipSync(b).length })));
      });
      await page.goto(base + "/");
      await page.getByLabel("Username or e-mail").waitFor();
      const all = await Promise.all(scripts);
      const raw = all.reduce((a, s) => a + s.raw, 0);
      const gz = all.reduce((a, s) => a + s.gz, 0);
      console.log(`first-load JavaScript: ${all.length} file(s), ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`);
      await ctx.close();
    }

    // 2. Navigation → interactive channel with 50 messages (deep link to bench-a).
    const target = `${base}/bench/channels/bench-a`;
    const lastOfA = "bench-a message 50";
    for (const mode of ["cold", "warm"]) {
      const times = [];
      const ctx = await browser.newContext({ viewport });
      await (await signedIn(ctx)).close();
      await ctx.addInitScript(watchInit, lastOfA);
      for (let i = 0; i < RUNS; i++) {
        const c = mode === "cold" ? await browser.newContext({ viewport, storageState: await ctx.storageState() }) : ctx;
        if (mode === "cold") await c.addInitScript(watchInit, lastOfA);
        const page = await c.newPage();
        await page.goto(target);
        await messages(page, "bench-a").getByText(lastOfA).waitFor();
        await page.getByRole("textbox", { name: "Write to bench-a" }).waitFor();
        const at = await page.evaluate(() => window.__hearthReadyAt);
        const interactive = await page.evaluate(() => performance.now());
        times.push(Math.max(at ?? interactive, 0));
        await page.close();
        if (mode === "cold") await c.close();
      }
      console.log(`navigation → channel with 50 messages shown (${mode} cache, ${RUNS} runs): p50 ${ms(pct(times, 50))}, max ${ms(Math.max(...times))}`);
      await ctx.close();
    }

    // 3. Channel switches: click in the sidebar → the channel's newest message painted.
    {
      const ctx = await browser.newContext({ viewport });
      const page = await signedIn(ctx);
      const first = [];
      const again = [];
      const names = fifty.map((c) => c.name);
      for (let round = 0; round < 4; round++) {
        for (const name of names) {
          const t = await page.evaluate(async ({ name, text }) => {
            const nav = document.querySelector('nav[aria-label="Channels"]');
            const btn = [...nav.querySelectorAll("button")].find((b) => b.querySelector(".name")?.textContent === name);
            if (!btn) throw new Error(`no sidebar entry for ${name}`);
            const t0 = performance.now();
            btn.click();
            const log = () => document.querySelector(`[role="log"][aria-label="Messages in ${name}"]`);
            await new Promise((resolve, reject) => {
              const deadline = t0 + 10_000;
              const tick = () => {
                const l = log();
                if (l && l.innerText.includes(text)) return requestAnimationFrame(() => resolve());
                if (performance.now() > deadline) return reject(new Error(`switch to ${name} timed out`));
                requestAnimationFrame(tick);
              };
              tick();
            });
            return performance.now() - t0;
          }, { name, text: `${name} message 50` });
          (round === 0 ? first : again).push(t);
        }
      }
      console.log(`channel switch, first visit (posts prefetched in the background when the client got to it, fetched otherwise): p50 ${ms(pct(first, 50))}, max ${ms(Math.max(...first))}`);
      console.log(`channel switch, revisit (${again.length} switches): p50 ${ms(pct(again, 50))}, p95 ${ms(pct(again, 95))}`);

      // 4. Scrolling through 10,000 loaded messages.
      const started = Date.now();
      await page.evaluate((name) => {
        const nav = document.querySelector('nav[aria-label="Channels"]');
        [...nav.querySelectorAll("button")].find((b) => b.querySelector(".name")?.textContent === name).click();
      }, "bench-long");
      const list = messages(page, "bench-long");
      await list.getByText(`long message ${LONG}`).waitFor();
      // Load the whole history by scrolling to the top until the channel's start shows.
      for (let i = 0; i < 2000; i++) {
        const done = await page.evaluate(() => {
          const l = document.querySelector('[role="log"]');
          if (l.innerText.includes("This is the start of")) return true;
          l.scrollTop = 0;
          return false;
        });
        if (done) break;
        await page.waitForTimeout(50);
      }
      log(`history of ${LONG} messages loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const frames = await page.evaluate(async () => {
        const l = document.querySelector('[role="log"]');
        const deltas = [];
        let last = performance.now();
        const step = Math.max(200, Math.round(l.scrollHeight / 600));
        l.scrollTop = 0;
        await new Promise((resolve) => {
          const tick = (now) => {
            deltas.push(now - last);
            last = now;
            if (l.scrollTop + l.clientHeight >= l.scrollHeight - 1) return resolve();
            l.scrollTop += step;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        return { deltas: deltas.slice(1), rows: l.querySelectorAll("article").length, height: l.scrollHeight, step };
      });
      const d = frames.deltas;
      const avg = d.reduce((a, b) => a + b, 0) / d.length;
      console.log(
        `scroll through ${LONG} loaded messages: ${d.length} frames at ${frames.step} px/frame, ${frames.rows} posts in the DOM, ` +
          `mean frame ${ms(avg)} (${(1000 / avg).toFixed(0)} fps), p95 ${ms(pct(d, 95))}, p99 ${ms(pct(d, 99))}, frames over 50 ms: ${d.filter((x) => x > 50).length}`,
      );
      await ctx.close();
    }
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
