import { describe, expect, it } from "vitest";
import { channel, user } from "../../state/fixtures";
import type { EmojiEntry } from "../emoji";
import { channelSuggestions, emojiSuggestions, inCode, insertCompletion, mentionSuggestions, tokenAtCaret } from "./completion";

/** Token at the caret marked by "|" in the sample. */
const at = (sample: string) => tokenAtCaret(sample.replace("|", ""), sample.indexOf("|"));

describe("tokenAtCaret", () => {
  it("finds @, ~ and : tokens at the start of a word", () => {
    expect(at("hi @al|")).toEqual({ trigger: "@", query: "al", start: 3, end: 6 });
    expect(at("@|")).toEqual({ trigger: "@", query: "", start: 0, end: 1 });
    expect(at("see ~town|")).toEqual({ trigger: "~", query: "town", start: 4, end: 9 });
    expect(at("nice :thu|")).toEqual({ trigger: ":", query: "thu", start: 5, end: 9 });
    expect(at("(@bo|)")?.query).toBe("bo");
    expect(at("line\n@x.y-z_|")?.query).toBe("x.y-z_");
  });
  it("covers the rest of the word when the caret is inside it", () => {
    expect(at("@al|ice and")).toEqual({ trigger: "@", query: "al", start: 0, end: 6 });
  });
  it("needs two characters for emoji and accepts + and -", () => {
    expect(at("ok :t|")).toBeNull();
    expect(at("ok :+1|")?.query).toBe("+1");
    expect(at(":-1|")?.query).toBe("-1");
  });
  it("ignores triggers inside words, times, addresses and finished tokens", () => {
    expect(at("mail bob@example|")).toBeNull();
    expect(at("at 10:30|")).toBeNull();
    expect(at("https://ex|")).toBeNull();
    expect(at(":smile:|")).toBeNull();
    expect(at("@bob |")).toBeNull();
    expect(at("plain words|")).toBeNull();
  });
  it("ignores code spans and fenced blocks", () => {
    expect(at("run `npm @ver|")).toBeNull();
    expect(at("```\nconst x = @dec|")).toBeNull();
    expect(at("```\ncode\n```\n@al|")?.query).toBe("al");
    expect(at("`a` then @al|")?.query).toBe("al");
  });
});

describe("inCode", () => {
  it("counts backticks on the line and fences before", () => {
    expect(inCode("a `b", 4)).toBe(true);
    expect(inCode("a `b` c", 7)).toBe(false);
    expect(inCode("```js\nx", 7)).toBe(true);
  });
});

describe("insertCompletion", () => {
  it("replaces the token and adds a space, caret after it", () => {
    const text = "hi @al";
    const r = insertCompletion(text, tokenAtCaret(text, 6)!, "@alice");
    expect(r).toEqual({ text: "hi @alice ", caret: 10 });
  });
  it("replaces the whole word under the caret and keeps what follows", () => {
    const text = "@al|ice, look".replace("|", "");
    const r = insertCompletion(text, tokenAtCaret(text, 3)!, "@alina");
    expect(r.text).toBe("@alina , look");
    const t2 = "ping ~tow next";
    const r2 = insertCompletion(t2, tokenAtCaret(t2, 9)!, "~town-square");
    expect(r2).toEqual({ text: "ping ~town-square next", caret: 18 });
  });
  it("inserts emoji names between colons", () => {
    const text = "great :tad";
    expect(insertCompletion(text, tokenAtCaret(text, text.length)!, ":tada:").text).toBe("great :tada: ");
  });
});

describe("mentionSuggestions", () => {
  const users = [
    user("u1", { username: "me" }),
    user("u2", { username: "alice", display_name: "Alice Martin" }),
    user("u3", { username: "alfred", display_name: "Fred" }),
    user("u4", { username: "bob", display_name: "Bob Allen" }),
    user("u5", { username: "al", display_name: "Al Gone", is_active: false }),
    user("u6", { username: "malcolm" }),
  ];
  const names = (xs: ReturnType<typeof mentionSuggestions>) => xs.map((x) => x.insert);

  it("puts channel members first, then special mentions, then others", () => {
    const r = mentionSuggestions(users, "al", { memberIds: new Set(["u3", "u4"]), meId: "u1", dm: false });
    expect(names(r)).toEqual(["@alfred", "@bob", "@all", "@alice", "@malcolm"]);
    expect(r[0]).toMatchObject({ kind: "user", member: true });
    expect(r[3]).toMatchObject({ kind: "user", member: false });
  });
  it("ranks username prefix over display-name word over substring", () => {
    const r = mentionSuggestions(users, "al", { memberIds: new Set(), meId: "u1", dm: true });
    expect(names(r)).toEqual(["@alfred", "@alice", "@bob", "@malcolm"]);
  });
  it("skips me and inactive accounts; no special mentions in direct messages", () => {
    const r = mentionSuggestions(users, "", { memberIds: new Set(), meId: "u1", dm: true });
    expect(names(r)).not.toContain("@me");
    expect(names(r)).not.toContain("@al");
    expect(r.some((x) => x.kind === "special")).toBe(false);
    const all = mentionSuggestions([], "", { memberIds: new Set(), dm: false });
    expect(names(all)).toEqual(["@here", "@channel", "@all"]);
  });
  it("respects the limit and de-duplicates", () => {
    const many = Array.from({ length: 30 }, (_, i) => user(`x${i}`, { username: `user${i}` }));
    expect(mentionSuggestions([...many, ...many], "user", { memberIds: new Set(), dm: true, limit: 5 })).toHaveLength(5);
    expect(mentionSuggestions([...many, ...many], "user", { memberIds: new Set(), dm: true, limit: 100 })).toHaveLength(30);
  });
});

describe("channelSuggestions", () => {
  const chans = [
    channel("c1", { name: "town-square", display_name: "Town Square" }),
    channel("c2", { name: "off-topic", display_name: "Off-Topic" }),
    channel("c3", { name: "dev-team", display_name: "Developers", kind: "private" }),
    channel("c4", { name: "other-team", display_name: "Town Hall", team_id: "t2" }),
    channel("c5", { name: "old-town", display_name: "Old Town", archived_at: 5 }),
    channel("d1", { name: "u1__u2", display_name: "", kind: "direct", team_id: null }),
  ];
  it("offers open channels of the team only, best match first", () => {
    expect(channelSuggestions(chans, "to", { teamId: "t1" }).map((s) => s.insert)).toEqual(["~town-square", "~off-topic"]);
    expect(channelSuggestions(chans, "dev", { teamId: "t1" }).map((s) => s.insert)).toEqual(["~dev-team"]);
    expect(channelSuggestions(chans, "", { teamId: "t1" }).map((s) => s.insert)).toEqual(["~dev-team", "~off-topic", "~town-square"]);
  });
});

describe("emojiSuggestions", () => {
  it("inserts the alias that was being typed", () => {
    const e: EmojiEntry = { name: "+1", names: ["+1", "thumbsup"], char: "👍", tags: [], category: "" };
    expect(emojiSuggestions([e], "thumb")[0]).toMatchObject({ insert: ":thumbsup:", char: "👍" });
    expect(emojiSuggestions([e], "+")[0].insert).toBe(":+1:");
  });
});
