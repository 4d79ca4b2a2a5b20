import { describe, expect, it } from "vitest";
import { fuzzyScore, pushRecent, rankCandidates, type Candidate } from "./switcherMatch";

function cand(id: string, over: Partial<Candidate> = {}): Candidate {
  return { id, kind: "channel", title: id, alt: "", unread: false, mentions: 0, recent: -1, ...over };
}

describe("fuzzyScore", () => {
  it("prefers exact, then prefix, then word start, then substring, then scattered letters", () => {
    const exact = fuzzyScore("dev", "dev")!;
    const prefix = fuzzyScore("dev", "devops")!;
    const word = fuzzyScore("dev", "web-dev")!;
    const inner = fuzzyScore("dev", "abdevx")!;
    const scattered = fuzzyScore("dev", "do every venture")!;
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(word);
    expect(word).toBeGreaterThan(inner);
    expect(inner).toBeGreaterThan(scattered);
    expect(scattered).toBeGreaterThan(0);
  });
  it("ignores case and rejects letters out of order", () => {
    expect(fuzzyScore("TOWN", "town-square")).not.toBeNull();
    expect(fuzzyScore("ts", "town-square")).not.toBeNull();
    expect(fuzzyScore("st", "town")).toBeNull();
    expect(fuzzyScore("xyz", "town-square")).toBeNull();
  });
});

describe("rankCandidates", () => {
  const list = [
    cand("random", { title: "Random" }),
    cand("dev", { title: "Developers", recent: 1 }),
    cand("design", { title: "Design", unread: true }),
    cand("ops", { title: "Ops", recent: 0 }),
    cand("u-dave", { kind: "person", title: "Dave Ode", alt: "@dave" }),
  ];
  it("lists recent channels first, then unread ones, and no people, for an empty query", () => {
    expect(rankCandidates("", list).map((c) => c.id)).toEqual(["ops", "dev", "design", "random"]);
  });
  it("orders by match quality, recency breaking ties", () => {
    expect(rankCandidates("de", list).map((c) => c.id)).toEqual(["dev", "design", "u-dave"]);
    expect(rankCandidates("dave", list).map((c) => c.id)).toEqual(["u-dave"]);
  });
  it("matches the alternative name too", () => {
    expect(rankCandidates("@dav", list)[0].id).toBe("u-dave");
  });
  it("caps the result count", () => {
    expect(rankCandidates("", list, 2)).toHaveLength(2);
  });
});

describe("pushRecent", () => {
  it("moves an id to the front without duplicates, keeping at most max", () => {
    expect(pushRecent(["a", "b", "c"], "b")).toEqual(["b", "a", "c"]);
    expect(pushRecent(["a", "b", "c"], "d", 3)).toEqual(["d", "a", "b"]);
  });
});
