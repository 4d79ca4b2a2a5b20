// Reducer behaviour the message list relies on: windows around a post, the
// "New messages" mark, saved posts.
import { describe, expect, it } from "vitest";
import type { AnyEvent, PostPage } from "../api/types";
import { channel, post, user } from "./fixtures";
import { initialState, reducer, type Action, type State } from "./reducer";

const run = (s: State, ...as: Action[]) => as.reduce(reducer, s);
const page = (ids: string[], before = false, after = false): PostPage => ({
  posts: ids.map((id) => post(id)),
  has_more_before: before,
  has_more_after: after,
});
const ids = (s: State) => s.posts.c1.posts.map((p) => p.id);

function signedIn(): State {
  return run(initialState, {
    type: "bootstrap",
    me: user("me"),
    teams: [],
    channels: [channel("c1"), channel("c2")],
    unreads: [{ channel_id: "c2", team_id: "t1", unread_count: 4, mention_count: 0, last_viewed_at: 777, last_post_at: 900 }],
  });
}

describe("windows around a post", () => {
  it("replaces the held posts and remembers that newer ones exist", () => {
    let s = run(signedIn(), { type: "posts_loaded", channelId: "c1", mode: "replace", page: page(["0008", "0009"], true) });
    s = reducer(s, { type: "posts_loaded", channelId: "c1", mode: "around", page: page(["0002", "0003"], true, true) });
    expect(ids(s)).toEqual(["0002", "0003"]);
    expect(s.posts.c1.hasMoreAfter).toBe(true);
    s = reducer(s, { type: "posts_loaded", channelId: "c1", mode: "newer", page: page(["0004"], false, false) });
    expect(ids(s)).toEqual(["0002", "0003", "0004"]);
    expect(s.posts.c1.hasMoreAfter).toBe(false);
    expect(s.posts.c1.hasMoreBefore).toBe(true);
  });

  it("does not append live posts past a gap", () => {
    let s = run(signedIn(), { type: "posts_loaded", channelId: "c1", mode: "around", page: page(["0002"], true, true) });
    const posted = { type: "event", now: 0, event: { seq: 1, event: "posted", channel_id: "c1", data: post("0009") } as AnyEvent } as Action;
    s = reducer(s, posted);
    expect(ids(s)).toEqual(["0002"]);
    s = run(s, { type: "posts_loaded", channelId: "c1", mode: "replace", page: page(["0008"]) }, posted);
    expect(ids(s)).toEqual(["0008", "0009"]);
  });
});

describe("the New messages mark", () => {
  it("records what was unread when a channel is opened", () => {
    const s = reducer(signedIn(), { type: "select_channel", channelId: "c2" });
    expect(s.unreadMark).toEqual({ channelId: "c2", since: 777, count: 4 });
    expect(s.unreads.c2.unread_count).toBe(0);
  });
  it("is cleared by opening a channel with nothing unread, kept by re-selecting the same one", () => {
    let s = reducer(signedIn(), { type: "select_channel", channelId: "c2" });
    expect(reducer(s, { type: "select_channel", channelId: "c2" }).unreadMark?.channelId).toBe("c2");
    s = reducer(s, { type: "select_channel", channelId: "c1" });
    expect(s.unreadMark).toBeNull();
  });
  it("follows my views reported by the server", () => {
    const viewed = { seq: 1, event: "channel_viewed", data: { channel_id: "c2", user_id: "me", last_viewed_at: 999 } } as AnyEvent;
    const s = reducer(signedIn(), { type: "event", event: viewed, now: 0 });
    expect(s.lastViewedAt.c2).toBe(999);
  });
});

describe("saved posts", () => {
  it("loads and toggles ids", () => {
    let s = reducer(signedIn(), { type: "saved_loaded", postIds: ["a", "b"] });
    s = reducer(s, { type: "saved_toggled", postId: "a", saved: false });
    s = reducer(s, { type: "saved_toggled", postId: "c", saved: true });
    expect(Object.keys(s.savedPostIds).sort()).toEqual(["b", "c"]);
    expect(reducer(s, { type: "saved_toggled", postId: "c", saved: true })).toBe(s);
  });
});
