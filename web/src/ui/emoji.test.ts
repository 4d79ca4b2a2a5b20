import { describe, expect, it } from "vitest";
import { emojiChar, FREQUENT, rankFrequent } from "./emoji";

describe("rankFrequent", () => {
  it("puts my most used first, then the defaults, without duplicates", () => {
    const list = rankFrequent({ tada: 5, eyes: 2, rocket: 9, unused: 0 }, 6, ["+1", "tada", "smile"]);
    expect(list).toEqual(["rocket", "tada", "eyes", "+1", "smile"]);
  });
  it("falls back to the defaults and honours the limit", () => {
    expect(rankFrequent({}, 3)).toEqual(FREQUENT.slice(0, 3));
  });
});

describe("emojiChar", () => {
  it("knows the common names before the table loads", () => {
    expect(emojiChar("+1")).toBe("👍");
    expect(emojiChar("no_such_emoji_name")).toBeUndefined();
  });
});
