import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../../api/types";
import { post } from "../../state/fixtures";
import { applyToPinned, applyToSaved, firstUnreadReply, replyHeads } from "./lists";

const ev = (e: Omit<AnyEvent, "seq">) => ({ seq: 1, ...e }) as AnyEvent;

describe("pinned list", () => {
  const pinned = [post("p2", { is_pinned: true, created_at: 20 }), post("p1", { is_pinned: true, created_at: 10 })];

  it("a pin adds the post, newest first", () => {
    const out = applyToPinned(pinned, "c1", ev({ event: "post_edited", channel_id: "c1", data: post("p3", { is_pinned: true, created_at: 15 }) }));
    expect(out.map((p) => p.id)).toEqual(["p2", "p3", "p1"]);
  });
  it("an unpin or a delete removes it", () => {
    expect(applyToPinned(pinned, "c1", ev({ event: "post_edited", channel_id: "c1", data: post("p1", { is_pinned: false }) })).map((p) => p.id)).toEqual(["p2"]);
    expect(applyToPinned(pinned, "c1", ev({ event: "post_deleted", channel_id: "c1", data: post("p2", { deleted_at: 5 }) })).map((p) => p.id)).toEqual(["p1"]);
  });
  it("an edit of a pinned post replaces it; other channels are ignored", () => {
    const out = applyToPinned(pinned, "c1", ev({ event: "post_edited", channel_id: "c1", data: post("p1", { is_pinned: true, created_at: 10, message: "new" }) }));
    expect(out.find((p) => p.id === "p1")?.message).toBe("new");
    const other = applyToPinned(pinned, "c1", ev({ event: "post_edited", channel_id: "c2", data: post("p9", { channel_id: "c2", is_pinned: true }) }));
    expect(other).toBe(pinned);
  });
  it("an edit of an unpinned post elsewhere in the channel changes nothing", () => {
    expect(applyToPinned(pinned, "c1", ev({ event: "post_edited", channel_id: "c1", data: post("p7") }))).toBe(pinned);
  });
});

describe("saved list", () => {
  const saved = [post("s1", { updated_at: 5 }), post("s2", { channel_id: "c2" })];
  it("keeps saved posts current and drops deleted ones", () => {
    let out = applyToSaved(saved, ev({ event: "post_edited", channel_id: "c1", data: post("s1", { message: "edited", updated_at: 9 }) }));
    expect(out[0].message).toBe("edited");
    out = applyToSaved(out, ev({ event: "reaction_added", channel_id: "c1", data: { post_id: "s1", user_id: "u1", emoji_name: "eyes", created_at: 1 } }));
    expect(out[0].reactions).toHaveLength(1);
    out = applyToSaved(out, ev({ event: "post_deleted", channel_id: "c1", data: post("s1", { deleted_at: 10 }) }));
    expect(out.map((p) => p.id)).toEqual(["s2"]);
  });
  it("ignores stale edits and forgets channels I left", () => {
    expect(applyToSaved(saved, ev({ event: "post_edited", channel_id: "c1", data: post("s1", { updated_at: 1 }) }))).toBe(saved);
    const out = applyToSaved(saved, ev({ event: "channel_member_removed", channel_id: "c2", data: { channel_id: "c2", user_id: "u1" } }));
    expect(out.map((p) => p.id)).toEqual(["s1"]);
  });
});

describe("replyHeads", () => {
  it("groups consecutive replies by one author within five minutes", () => {
    const rs = [
      post("1", { user_id: "a", created_at: 0 }),
      post("2", { user_id: "a", created_at: 60_000 }),
      post("3", { user_id: "b", created_at: 70_000 }),
      post("4", { user_id: "b", created_at: 70_000 + 6 * 60_000 }),
    ];
    expect(replyHeads(rs)).toEqual([true, false, true, true]);
  });
});

describe("firstUnreadReply", () => {
  const rs = [post("1", { user_id: "a", created_at: 10 }), post("2", { user_id: "me", created_at: 20 }), post("3", { user_id: "b", created_at: 30 })];
  it("finds the first reply by someone else since the last view", () => {
    expect(firstUnreadReply(rs, 15, "me")).toBe(2);
    expect(firstUnreadReply(rs, 5, "me")).toBe(0);
  });
  it("has none when all was seen or the thread was never viewed", () => {
    expect(firstUnreadReply(rs, 30, "me")).toBe(-1);
    expect(firstUnreadReply(rs, undefined, "me")).toBe(-1);
  });
});
