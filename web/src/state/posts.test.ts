import { describe, expect, it } from "vitest";
import type { Reaction } from "../api/types";
import { post } from "./fixtures";
import { channelRoots, firstUnreadId, groupReactions, reactionLabel } from "./posts";

const r = (user_id: string, emoji_name: string, created_at: number): Reaction => ({ user_id, post_id: "p", emoji_name, created_at });

describe("channelRoots", () => {
  it("keeps roots, drops replies and deleted posts without replies", () => {
    const posts = [
      post("1"),
      post("2", { root_id: "1" }),
      post("3", { deleted_at: 5 }),
      post("4", { deleted_at: 5, reply_count: 2 }),
    ];
    expect(channelRoots(posts).map((p) => p.id)).toEqual(["1", "4"]);
  });
});

describe("groupReactions", () => {
  it("groups by emoji in order of first use and flags mine", () => {
    const groups = groupReactions([r("b", "tada", 3), r("a", "+1", 1), r("me", "tada", 4), r("c", "+1", 2)], "me");
    expect(groups).toEqual([
      { emoji: "+1", count: 2, userIds: ["a", "c"], mine: false },
      { emoji: "tada", count: 2, userIds: ["b", "me"], mine: true },
    ]);
  });

  it("counts a user once per emoji", () => {
    expect(groupReactions([r("a", "x", 1), r("a", "x", 2)], undefined)[0].count).toBe(1);
  });
});

describe("reactionLabel", () => {
  const name = (id: string) => ({ a: "Alice", b: "Bob", c: "Carol", d: "Dan", e: "Eve" })[id] ?? id;
  it("lists who reacted", () => {
    expect(reactionLabel({ emoji: "tada", count: 2, userIds: ["a", "b"], mine: false }, name, "me")).toBe(
      "Alice and Bob reacted with :tada:",
    );
    expect(reactionLabel({ emoji: "+1", count: 1, userIds: ["me"], mine: true }, name, "me")).toBe("You reacted with :+1:");
  });
  it("summarises long lists", () => {
    const g = { emoji: "eyes", count: 5, userIds: ["a", "b", "c", "d", "e"], mine: false };
    expect(reactionLabel(g, name, "me")).toBe("Alice, Bob, Carol and 2 others reacted with :eyes:");
  });
});

describe("firstUnreadId", () => {
  const posts = [
    post("1", { user_id: "x", created_at: 100 }),
    post("2", { user_id: "me", created_at: 200 }),
    post("3", { user_id: "y", created_at: 300 }),
    post("4", { user_id: "x", created_at: 400 }),
  ];
  it("uses my last view when known, skipping my own posts", () => {
    expect(firstUnreadId(posts, 150, 2, "me")).toBe("3");
    expect(firstUnreadId(posts, 400, 0, "me")).toBeNull();
  });
  it("falls back to counting others' posts from the end", () => {
    expect(firstUnreadId(posts, null, 2, "me")).toBe("3");
    expect(firstUnreadId(posts, null, 3, "me")).toBe("1");
    expect(firstUnreadId(posts, null, 0, "me")).toBeNull();
  });
});
