import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../api/types";
import { channel, post, user } from "./fixtures";
import { mergePosts } from "./posts";
import { initialState, reducer, typingUsers, type Action, type State } from "./reducer";

const ids = (s: State, c = "c1") => s.posts[c].posts.map((p) => p.id);
const ev = (e: Omit<AnyEvent, "seq">, seq = 1) => ({ type: "event", event: { seq, ...e } as AnyEvent, now: 0 }) as Action;
const run = (s: State, ...as: Action[]) => as.reduce(reducer, s);

function base(): State {
  return run(
    initialState,
    {
      type: "bootstrap",
      me: user("u1"),
      teams: [{ id: "t1", name: "t", display_name: "T", description: "", open: true, created_at: 0, updated_at: 0 }],
      channels: [channel("c1"), channel("c2"), channel("d1", { team_id: null, kind: "direct" })],
      unreads: [{ channel_id: "c2", team_id: "t1", unread_count: 3, mention_count: 1, last_viewed_at: 0, last_post_at: 0 }],
    },
    { type: "select_channel", channelId: "c1" },
    { type: "posts_loaded", channelId: "c1", mode: "replace", page: { posts: [post("0002"), post("0004")], has_more_before: true, has_more_after: false } },
  );
}

describe("mergePosts", () => {
  it("orders by id and removes duplicates", () => {
    const out = mergePosts([post("0003"), post("0001")].sort((a, b) => (a.id < b.id ? -1 : 1)), [post("0002"), post("0003"), post("0001")]);
    expect(out.map((p) => p.id)).toEqual(["0001", "0002", "0003"]);
  });
  it("keeps the newer version", () => {
    const out = mergePosts([post("1", { message: "new", updated_at: 5 })], [post("1", { message: "old", updated_at: 2 })]);
    expect(out[0].message).toBe("new");
    expect(mergePosts(out, [post("1", { message: "newer", updated_at: 9 })])[0].message).toBe("newer");
  });
  it("returns the same array when nothing comes in", () => {
    const a = [post("1")];
    expect(mergePosts(a, [])).toBe(a);
  });
});

describe("reducer: posts", () => {
  it("bootstrap sets team, channels and unreads", () => {
    const s = base();
    expect(s.currentTeamId).toBe("t1");
    expect(s.unreads.c2).toEqual({ unread_count: 3, mention_count: 1 });
  });

  it("older pages and events merge without duplicates", () => {
    let s = base();
    s = run(
      s,
      { type: "posts_loaded", channelId: "c1", mode: "older", page: { posts: [post("0001"), post("0002")], has_more_before: false, has_more_after: true } },
      ev({ event: "posted", channel_id: "c1", data: post("0005") }),
      ev({ event: "posted", channel_id: "c1", data: post("0005") }, 2),
      ev({ event: "posted", channel_id: "c1", data: post("0003") }, 3),
    );
    expect(ids(s)).toEqual(["0001", "0002", "0003", "0004", "0005"]);
    expect(s.posts.c1.hasMoreBefore).toBe(false);
  });

  it("replace drops posts no longer in the newest page", () => {
    const s = run(base(), { type: "posts_loaded", channelId: "c1", mode: "replace", page: { posts: [post("0004"), post("0006")], has_more_before: false, has_more_after: false } });
    expect(ids(s)).toEqual(["0004", "0006"]);
  });

  it("posted in an unloaded channel does not create a partial list", () => {
    const s = run(base(), ev({ event: "posted", channel_id: "c2", data: post("0009", { channel_id: "c2" }) }));
    expect(s.posts.c2).toBeUndefined();
  });

  it("edits and deletes replace the post in place", () => {
    let s = run(base(), ev({ event: "post_edited", channel_id: "c1", data: post("0002", { message: "edited", updated_at: 2000, edited_at: 2000 }) }));
    expect(s.posts.c1.posts[0].message).toBe("edited");
    s = run(s, ev({ event: "post_deleted", channel_id: "c1", data: post("0002", { message: "", updated_at: 3000, deleted_at: 3000 }) }));
    expect(s.posts.c1.posts[0].deleted_at).toBe(3000);
    expect(ids(s)).toEqual(["0002", "0004"]);
    // a stale edit arriving late does not undo the delete
    s = run(s, ev({ event: "post_edited", channel_id: "c1", data: post("0002", { message: "stale", updated_at: 2500 }) }));
    expect(s.posts.c1.posts[0].deleted_at).toBe(3000);
  });

  it("reactions are added once and removed", () => {
    const r = { user_id: "u3", post_id: "0004", emoji_name: "smile", created_at: 1 };
    let s = run(base(), ev({ event: "reaction_added", channel_id: "c1", data: r }), ev({ event: "reaction_added", channel_id: "c1", data: r }));
    expect(s.posts.c1.posts[1].reactions).toEqual([r]);
    s = run(s, ev({ event: "reaction_removed", data: r }));
    expect(s.posts.c1.posts[1].reactions).toEqual([]);
  });

  it("pending posts are confirmed by the event or the HTTP answer", () => {
    let s = run(base(), { type: "pending_added", pending: { key: "k1", channel_id: "c1", root_id: null, message: "hi", file_ids: [], created_at: 0, failed: false } });
    expect(s.pending.c1).toHaveLength(1);
    s = run(s, { type: "pending_failed", channelId: "c1", key: "k1" });
    expect(s.pending.c1[0].failed).toBe(true);
    const mine = post("0007", { user_id: "u1", idempotency_key: "k1" });
    s = run(s, ev({ event: "posted", channel_id: "c1", data: mine }));
    expect(s.pending.c1).toHaveLength(0);
    s = run(s, { type: "post_created", post: mine });
    expect(ids(s)).toEqual(["0002", "0004", "0007"]);
  });
});

describe("reducer: unreads", () => {
  it("counts posts in other channels, mentions separately", () => {
    let s = run(
      base(),
      ev({ event: "posted", channel_id: "c2", data: post("0010", { channel_id: "c2" }) }),
      ev({ event: "posted", channel_id: "c2", data: post("0011", { channel_id: "c2", mentions: ["u1"] }) }),
      ev({ event: "posted", channel_id: "c2", data: post("0012", { channel_id: "c2", mentions_channel: true }) }),
    );
    expect(s.unreads.c2).toEqual({ unread_count: 6, mention_count: 3 });
    s = run(s, { type: "select_channel", channelId: "c2" });
    expect(s.unreads.c2).toEqual({ unread_count: 0, mention_count: 0 });
  });

  it("counts thread replies on their thread, not in the channel", () => {
    const s = run(
      base(),
      ev({ event: "posted", channel_id: "c2", data: post("0010", { channel_id: "c2" }) }),
      ev({ event: "posted", channel_id: "c2", data: post("0011", { channel_id: "c2", root_id: "0010" }) }),
      ev({ event: "posted", channel_id: "c2", data: post("0012", { channel_id: "c2", root_id: "0010", mentions: ["u1"] }) }),
    );
    // Three unread and one mention before; the new thread adds one unread,
    // the mention in a reply one mention.
    expect(s.unreads.c2).toEqual({ unread_count: 4, mention_count: 2 });
    expect(s.channels.c2.total_msg_count).toBe(1);
  });

  it("ignores own posts and the open channel", () => {
    const s = run(
      base(),
      ev({ event: "posted", channel_id: "c2", data: post("0010", { channel_id: "c2", user_id: "u1" }) }),
      ev({ event: "posted", channel_id: "c1", data: post("0011") }),
    );
    expect(s.unreads.c2.unread_count).toBe(3);
    expect(s.unreads.c1 ?? { unread_count: 0 }).toMatchObject({ unread_count: 0 });
  });

  it("every DM post is a mention", () => {
    const s = run(base(), ev({ event: "posted", channel_id: "d1", data: post("0010", { channel_id: "d1" }) }));
    expect(s.unreads.d1).toEqual({ unread_count: 1, mention_count: 1 });
  });

  it("channel_viewed by me (another tab) clears the count", () => {
    const s = run(base(), ev({ event: "channel_viewed", channel_id: "c2", data: { channel_id: "c2", user_id: "u1", last_viewed_at: 5 } }));
    expect(s.unreads.c2).toEqual({ unread_count: 0, mention_count: 0 });
  });

  it("someone else's new public channel is not joined; ours and private ones are", () => {
    let s = run(base(), ev({ event: "channel_created", team_id: "t1", data: channel("c9", { creator_id: "u2" }) }));
    expect(s.channels.c9).toBeUndefined();
    s = run(s, ev({ event: "channel_created", team_id: "t1", data: channel("c9", { creator_id: "u1" }) }));
    expect(s.channels.c9).toBeDefined();
    s = run(s, ev({ event: "channel_created", channel_id: "p1", data: channel("p1", { kind: "private", creator_id: "u2" }) }));
    expect(s.channels.p1).toBeDefined();
    expect(run(s, ev({ event: "channel_updated", data: channel("zz") })).channels.zz).toBeUndefined();
  });

  it("leaving a channel removes it", () => {
    const s = run(base(), ev({ event: "channel_member_removed", channel_id: "c1", data: { channel_id: "c1", user_id: "u1" } }));
    expect(s.channels.c1).toBeUndefined();
    expect(s.currentChannelId).toBeNull();
  });
});

describe("reducer: typing", () => {
  it("tracks others typing until expiry or their post", () => {
    let s = run(base(), { type: "event", now: 100, event: { seq: 1, event: "typing", channel_id: "c1", data: { channel_id: "c1", root_id: null, user_id: "u2" } } });
    s = run(s, { type: "event", now: 100, event: { seq: 2, event: "typing", channel_id: "c1", data: { channel_id: "c1", root_id: null, user_id: "u1" } } });
    expect(typingUsers(s, "c1", 200)).toEqual(["u2"]);
    expect(run(s, { type: "typing_expire", now: 100_000 }).typing).toEqual({});
    s = run(s, ev({ event: "posted", channel_id: "c1", data: post("0009", { user_id: "u2" }) }));
    expect(typingUsers(s, "c1", 200)).toEqual([]);
  });
});
