import { describe, expect, it } from "vitest";
import { channel, post, user } from "./fixtures";
import { channelPending, initialState, reducer, threadPending, type Action, type PendingPost, type State } from "./reducer";

const run = (s: State, ...as: Action[]) => as.reduce(reducer, s);
const pending = (key: string, over: Partial<PendingPost> = {}): PendingPost => ({
  key,
  channel_id: "c1",
  root_id: null,
  message: key,
  file_ids: [],
  created_at: 0,
  failed: false,
  ...over,
});

function base(): State {
  return run(initialState, {
    type: "bootstrap",
    me: user("u1"),
    teams: [],
    channels: [channel("c1")],
    unreads: [],
  });
}

describe("pending posts", () => {
  it("marks a failure with its reason and keeps the place on retry", () => {
    let s = run(base(), { type: "pending_added", pending: pending("a") }, { type: "pending_added", pending: pending("b") });
    s = run(s, { type: "pending_failed", channelId: "c1", key: "a", error: "The server could not be reached." });
    expect(s.pending.c1[0]).toMatchObject({ key: "a", failed: true, error: "The server could not be reached." });
    s = run(s, { type: "pending_added", pending: { ...s.pending.c1[0], failed: false, error: undefined } });
    expect(s.pending.c1.map((p) => [p.key, p.failed])).toEqual([
      ["a", false],
      ["b", false],
    ]);
  });
  it("ignores unknown keys and removes on discard", () => {
    const s = run(base(), { type: "pending_added", pending: pending("a") });
    expect(run(s, { type: "pending_failed", channelId: "c1", key: "zz" })).toBe(s);
    expect(run(s, { type: "pending_removed", channelId: "c9", key: "a" })).toBe(s);
    expect(run(s, { type: "pending_removed", channelId: "c1", key: "a" }).pending.c1).toEqual([]);
  });
  it("keeps files and thread of a reply, and a confirmed reply drops its pending entry", () => {
    let s = run(base(), { type: "pending_added", pending: pending("r", { root_id: "p1", file_ids: ["f1"] }) });
    expect(s.pending.c1[0]).toMatchObject({ root_id: "p1", file_ids: ["f1"] });
    s = run(s, { type: "post_created", post: post("0009", { user_id: "u1", root_id: "p1", file_ids: ["f1"], idempotency_key: "r" }) });
    expect(s.pending.c1).toEqual([]);
  });
});

describe("pending selectors", () => {
  it("split channel posts from thread replies, stable while nothing changes", () => {
    const s = run(
      base(),
      { type: "pending_added", pending: pending("a") },
      { type: "pending_added", pending: pending("r1", { root_id: "p1" }) },
      { type: "pending_added", pending: pending("r2", { root_id: "p2" }) },
    );
    expect(channelPending(s, "c1").map((p) => p.key)).toEqual(["a"]);
    expect(threadPending(s, "c1", "p1").map((p) => p.key)).toEqual(["r1"]);
    expect(threadPending(s, "c1", "p3")).toEqual([]);
    expect(threadPending(s, "c1", "p1")).toBe(threadPending(s, "c1", "p1"));
    expect(channelPending(s, "c1")).toBe(channelPending(s, "c1"));
    expect(channelPending(s, "nope")).toBe(channelPending(s, "other"));
    const t = run(s, { type: "pending_failed", channelId: "c1", key: "r1" });
    expect(threadPending(t, "c1", "p1")[0].failed).toBe(true);
  });
});
