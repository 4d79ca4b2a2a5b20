import { describe, expect, it } from "vitest";
import type { AnyEvent, ThreadState } from "../api/types";
import { channel, post, user } from "./fixtures";
import { initialState, reducer, type Action, type State } from "./reducer";
import { followedThreads, threadRoot, threadTypingUsers, unreadThreadCount } from "./threads";

const ev = (e: Omit<AnyEvent, "seq">, seq = 1) => ({ type: "event", event: { seq, ...e } as AnyEvent, now: 0 }) as Action;
const run = (s: State, ...as: Action[]) => as.reduce(reducer, s);

function ts(root: string, over: Partial<ThreadState> = {}): ThreadState {
  return {
    root_id: root,
    channel_id: "c1",
    following: true,
    reply_count: 1,
    unread_replies: 0,
    last_reply_at: 100,
    last_viewed_at: 50,
    ...over,
  };
}

function base(): State {
  return run(initialState, {
    type: "bootstrap",
    me: user("u1"),
    teams: [
      { id: "t1", name: "t", display_name: "T", description: "", open: true, created_at: 0, updated_at: 0 },
      { id: "t2", name: "u", display_name: "U", description: "", open: true, created_at: 0, updated_at: 0 },
    ],
    channels: [channel("c1"), channel("c2", { team_id: "t2" }), channel("d1", { team_id: null, kind: "direct" })],
    unreads: [],
  });
}

const reply = (id: string, over = {}) => post(id, { root_id: "r1", created_at: 200, ...over });

describe("threads: followed list and unread totals", () => {
  it("counts unread threads per team, DM threads in every team", () => {
    const s = run(base(), {
      type: "threads_loaded",
      states: [
        ts("r1", { unread_replies: 2 }),
        ts("r2", { channel_id: "c2", unread_replies: 1 }),
        ts("r3", { channel_id: "d1", unread_replies: 4 }),
        ts("r4", { unread_replies: 0 }),
        ts("r5", { following: false, unread_replies: 3 }),
      ],
    });
    expect(unreadThreadCount(s, "t1")).toBe(2); // r1 + r3
    expect(unreadThreadCount(s, "t2")).toBe(2); // r2 + r3
    expect(followedThreads(s, "t1").map((t) => t.root_id).sort()).toEqual(["r1", "r3", "r4"]);
  });

  it("orders followed threads by latest reply, newest first", () => {
    const s = run(base(), {
      type: "threads_loaded",
      states: [ts("a", { last_reply_at: 10 }), ts("b", { last_reply_at: 30 }), ts("c", { last_reply_at: null, last_viewed_at: 20 })],
    });
    expect(followedThreads(s, "t1").map((t) => t.root_id)).toEqual(["b", "c", "a"]);
  });

  it("threads in channels I left drop out of the list", () => {
    const s = run(
      base(),
      { type: "threads_loaded", states: [ts("r1", { unread_replies: 1 })] },
      ev({ event: "channel_member_removed", channel_id: "c1", data: { channel_id: "c1", user_id: "u1" } }),
    );
    expect(unreadThreadCount(s, "t1")).toBe(0);
    expect(followedThreads(s, "t1")).toEqual([]);
  });
});

describe("threads: live updates", () => {
  it("a reply from someone else bumps the counts of a followed thread", () => {
    const s = run(base(), { type: "threads_loaded", states: [ts("r1")] }, ev({ event: "posted", channel_id: "c1", data: reply("p2") }));
    expect(s.threads.states.r1).toMatchObject({ reply_count: 2, unread_replies: 1, last_reply_at: 200 });
    expect(unreadThreadCount(s, "t1")).toBe(1);
  });

  it("my own reply is not unread; thread_updated then sets the server's numbers", () => {
    let s = run(base(), { type: "threads_loaded", states: [ts("r1")] }, ev({ event: "posted", channel_id: "c1", data: reply("p2", { user_id: "u1" }) }));
    expect(s.threads.states.r1).toMatchObject({ reply_count: 2, unread_replies: 0 });
    s = run(s, ev({ event: "thread_updated", data: ts("r1", { reply_count: 5, unread_replies: 3 }) }, 2));
    expect(s.threads.states.r1).toMatchObject({ reply_count: 5, unread_replies: 3 });
  });

  it("thread_updated adds a newly followed thread", () => {
    const s = run(base(), ev({ event: "thread_updated", data: ts("r9", { unread_replies: 1 }) }));
    expect(followedThreads(s, "t1").map((t) => t.root_id)).toEqual(["r9"]);
    expect(unreadThreadCount(s, "t1")).toBe(1);
  });

  it("replies to unfollowed threads change no counts", () => {
    const s = run(base(), { type: "threads_loaded", states: [ts("r1", { following: false })] }, ev({ event: "posted", channel_id: "c1", data: reply("p2") }));
    expect(s.threads.states.r1).toMatchObject({ reply_count: 1, unread_replies: 0 });
  });

  it("the thread open in the pane stays read", () => {
    let s = run(
      base(),
      { type: "threads_loaded", states: [ts("r1", { unread_replies: 2 })] },
      { type: "open_rhs", view: { kind: "thread", rootId: "r1", channelId: "c1" } },
    );
    expect(s.threads.states.r1.unread_replies).toBe(0);
    s = run(s, ev({ event: "posted", channel_id: "c1", data: reply("p2") }), ev({ event: "thread_updated", data: ts("r1", { unread_replies: 1 }) }, 2));
    expect(s.threads.states.r1.unread_replies).toBe(0);
    expect(s.threads.states.r1.reply_count).toBe(1);
    // Once closed, unread replies count again.
    s = run(s, { type: "close_rhs" }, ev({ event: "thread_updated", data: ts("r1", { unread_replies: 1 }) }, 3));
    expect(s.threads.states.r1.unread_replies).toBe(1);
  });

  it("an opened thread gets replies, edits, deletes and reactions live", () => {
    let s = run(base(), { type: "thread_loaded", rootId: "r1", posts: [post("r1", { reply_count: 1 }), reply("p1")] });
    s = run(
      s,
      ev({ event: "posted", channel_id: "c1", data: reply("p3") }),
      ev({ event: "posted", channel_id: "c1", data: post("x9") }, 2), // not a reply: ignored
      ev({ event: "post_edited", channel_id: "c1", data: post("r1", { reply_count: 2, updated_at: 2000 }) }, 3),
      ev({ event: "post_edited", channel_id: "c1", data: reply("p1", { message: "fixed", updated_at: 2000 }) }, 4),
      ev({ event: "post_deleted", channel_id: "c1", data: reply("p3", { deleted_at: 3000, updated_at: 3000 }) }, 5),
      ev({ event: "reaction_added", channel_id: "c1", data: { user_id: "u2", post_id: "p1", emoji_name: "tada", created_at: 1 } }, 6),
    );
    const ps = s.threads.posts.r1.posts;
    expect(ps.map((p) => p.id)).toEqual(["r1", "p1", "p3"]);
    expect(threadRoot(s, "r1")?.reply_count).toBe(2);
    expect(ps[1].message).toBe("fixed");
    expect(ps[1].reactions.map((r) => r.emoji_name)).toEqual(["tada"]);
    expect(ps[2].deleted_at).toBe(3000);
    s = run(s, ev({ event: "reaction_removed", channel_id: "c1", data: { user_id: "u2", post_id: "p1", emoji_name: "tada", created_at: 1 } }, 7));
    expect(s.threads.posts.r1.posts[1].reactions).toEqual([]);
  });

  it("our confirmed reply joins the open thread without duplicates", () => {
    const mine = reply("p2", { user_id: "u1", idempotency_key: "k" });
    const s = run(
      base(),
      { type: "thread_loaded", rootId: "r1", posts: [post("r1"), reply("p1")] },
      { type: "post_created", post: mine },
      ev({ event: "posted", channel_id: "c1", data: mine }),
    );
    expect(s.threads.posts.r1.posts.map((p) => p.id)).toEqual(["r1", "p1", "p2"]);
  });

  it("root posts for the list do not pretend the thread is loaded", () => {
    let s = run(base(), { type: "thread_roots_loaded", posts: [post("r1")] }, ev({ event: "posted", channel_id: "c1", data: reply("p2") }));
    expect(s.threads.posts.r1).toEqual({ posts: [post("r1")], loaded: false });
    s = run(s, { type: "thread_loaded", rootId: "r1", posts: [reply("p2"), post("r1")] });
    expect(s.threads.posts.r1.posts.map((p) => p.id)).toEqual(["r1", "p2"]);
    expect(s.threads.posts.r1.loaded).toBe(true);
  });
});

describe("threads: follow toggles", () => {
  it("unfollowing removes the thread from the list and its unread count", () => {
    let s = run(base(), { type: "threads_loaded", states: [ts("r1", { unread_replies: 2 })] });
    s = run(s, { type: "thread_state", state: ts("r1", { following: false, unread_replies: 2 }) });
    expect(followedThreads(s, "t1")).toEqual([]);
    expect(unreadThreadCount(s, "t1")).toBe(0);
    s = run(s, { type: "thread_state", state: ts("r1", { following: true, unread_replies: 2 }) });
    expect(unreadThreadCount(s, "t1")).toBe(1);
  });

  it("a refetch replaces followed threads but keeps unfollowed ones known", () => {
    let s = run(base(), { type: "threads_loaded", states: [ts("r1"), ts("r2", { following: false })] });
    s = run(s, { type: "threads_loaded", states: [ts("r3")] });
    expect(Object.keys(s.threads.states).sort()).toEqual(["r2", "r3"]);
    expect(s.threads.statesLoaded).toBe(true);
  });

  it("sign-out forgets threads", () => {
    const s = run(base(), { type: "threads_loaded", states: [ts("r1")] }, { type: "signed_out" });
    expect(s.threads.states).toEqual({});
  });
});

describe("threads: typing", () => {
  const typing = (user_id: string, root_id: string | null, seq = 1, now = 0) =>
    ({ type: "event", event: { seq, event: "typing", channel_id: "c1", data: { channel_id: "c1", root_id, user_id } } as AnyEvent, now }) as Action;

  it("shows who types a reply until they post it or the mark expires", () => {
    let s = run(base(), typing("u2", "r1"), typing("u3", "r1", 2), typing("u4", null, 3), typing("u1", "r1", 4));
    expect(threadTypingUsers(s, "r1", 0).sort()).toEqual(["u2", "u3"]); // not me, not channel typing
    s = run(s, ev({ event: "posted", channel_id: "c1", data: reply("p5", { user_id: "u2" }) }, 5));
    expect(threadTypingUsers(s, "r1", 0)).toEqual(["u3"]);
    s = run(s, { type: "typing_expire", now: 60_000 });
    expect(s.threads.typing).toEqual({});
  });
});
