import { describe, expect, it } from "vitest";
import type { Channel } from "../api/types";
import { channel } from "./fixtures";
import { prefetchCandidates } from "./prefetch";
import { initialState, type State } from "./reducer";

/** A channel with one message (channels without any are never prefetched). */
const ch = (id: string, over: Partial<Channel> = {}) => channel(id, { total_msg_count: 1, ...over });

describe("prefetchCandidates", () => {
  it("puts unread channels first, then the most recently active, within the team", () => {
    const s: State = {
      ...initialState,
      currentTeamId: "t1",
      currentChannelId: "open",
      channels: {
        open: ch("open", { last_post_at: 99 }),
        old: ch("old", { last_post_at: 1 }),
        recent: ch("recent", { last_post_at: 50 }),
        unread: ch("unread", { last_post_at: 2 }),
        other: ch("other", { team_id: "t2", last_post_at: 90 }),
        dm: ch("dm", { team_id: null, kind: "direct", last_post_at: 40 }),
        empty: ch("empty", { total_msg_count: 0, last_post_at: 80 }),
        gone: ch("gone", { archived_at: 5, last_post_at: 70 }),
      },
      unreads: { unread: { unread_count: 2, mention_count: 0 } },
    };
    expect(prefetchCandidates(s, 10)).toEqual(["unread", "recent", "dm", "old"]);
    expect(prefetchCandidates(s, 2)).toEqual(["unread", "recent"]);
  });

  it("skips channels already loaded", () => {
    const s: State = {
      ...initialState,
      currentTeamId: "t1",
      channels: { a: ch("a"), b: ch("b") },
      posts: { a: { posts: [], hasMoreBefore: false, hasMoreAfter: false, loaded: true } },
    };
    expect(prefetchCandidates(s, 5)).toEqual(["b"]);
  });
});
