import { describe, expect, it } from "vitest";
import type { Channel, User } from "../../api/types";
import {
  OPERATORS,
  channelFilterFor,
  channelFilterOf,
  insertSuggestion,
  isEager,
  parseSnippet,
  searchableChannels,
  snippetAddsContext,
  snippetText,
  splitQuery,
  suggestAt,
  suggestContext,
  tokenAtCaret,
  withChannelFilter,
  type SuggestSources,
} from "./operators";
import { channel as fixtureChannel, member, user as fixtureUser } from "../../state/fixtures";

const user = (id: string, username: string, display_name = "", extra: Partial<User> = {}) =>
  fixtureUser(id, { username, display_name, ...extra });

const channel = (id: string, name: string, display_name: string, extra: Partial<Channel> = {}) =>
  fixtureChannel(id, { name, display_name, ...extra });


const users = [
  user("u1", "alice", "Alice Admin"),
  user("u2", "bob", "Bob Builder"),
  user("u3", "alfred", "Alfred Pennyworth"),
  user("u4", "gone", "Gone Away", { is_active: false }),
];
const channels = [channel("c1", "town-square", "Town Square"), channel("c2", "off-topic", "Off-Topic"), channel("c3", "design", "Design")];
const src: SuggestSources = { users, channels, now: new Date(2026, 10, 25, 12, 0, 0) };

/** Suggestions with the caret at the end of `text`. */
const at = (text: string) => suggestAt(text, text.length, src);
const inserts = (text: string) => at(text)?.items.map((s) => s.insert) ?? [];

describe("splitQuery", () => {
  it("splits on whitespace, keeps phrases whole and marks negation", () => {
    expect(splitQuery(' deploy  "release notes" -lunch in:~town-square ').map((i) => [i.text, i.negated])).toEqual([
      ["deploy", false],
      ['"release notes"', false],
      ["-lunch", true],
      ["in:~town-square", false],
    ]);
  });
  it("runs an unclosed quote to the end and treats a lone dash as a word", () => {
    expect(splitQuery('a "b c').map((i) => i.text)).toEqual(["a", '"b c']);
    expect(splitQuery("a - b").map((i) => [i.text, i.negated])).toEqual([
      ["a", false],
      ["-", false],
      ["b", false],
    ]);
  });
  it("keeps offsets into the query", () => {
    const q = 'x "y z" w';
    for (const i of splitQuery(q)) expect(q.slice(i.start, i.end)).toBe(i.text);
  });
});

describe("channel filter rewriting", () => {
  it("adds a filter when there is none", () => {
    expect(withChannelFilter("deploy failed", "in:~design")).toBe("deploy failed in:~design");
  });
  it("replaces the first in: clause in place and drops the others", () => {
    expect(withChannelFilter("in:~town-square deploy in:@bob", "in:~design")).toBe("in:~design deploy");
  });
  it("keeps excluded channels and phrases untouched", () => {
    expect(withChannelFilter('"in:~x y" -in:~random deploy', "in:~design")).toBe('"in:~x y" -in:~random deploy in:~design');
  });
  it("removes the filter with null", () => {
    expect(withChannelFilter("deploy IN:~design from:@bob", null)).toBe("deploy from:@bob");
  });
  it("reads the current filter", () => {
    expect(channelFilterOf("-in:~a deploy in:~b")).toBe("in:~b");
    expect(channelFilterOf("deploy")).toBeNull();
  });
  it("names channels the way the query language does", () => {
    expect(channelFilterFor(channel("c", "town-square", "Town Square"))).toBe("in:~town-square");
    expect(channelFilterFor(channel("d", "a__b", "", { kind: "direct", team_id: null }), "bob")).toBe("in:@bob");
    expect(channelFilterFor(channel("d", "a__b", "", { kind: "direct", team_id: null }), null)).toBeNull();
    expect(channelFilterFor(channel("g", "g", "", { kind: "group", team_id: null }), "bob")).toBeNull();
  });
});

describe("tokenAtCaret", () => {
  it("finds the whole item around the caret and what is typed up to it", () => {
    expect(tokenAtCaret("deploy from:@al x", 15)).toEqual({ start: 7, end: 15, typed: "from:@al" });
    expect(tokenAtCaret("deploy from:@alice", 13)).toEqual({ start: 7, end: 18, typed: "from:@" });
    expect(tokenAtCaret("deploy ", 7)).toEqual({ start: 7, end: 7, typed: "" });
  });
  it("is null inside a quoted phrase", () => {
    expect(tokenAtCaret('"release no', 11)).toBeNull();
    expect(tokenAtCaret('"release notes" fr', 18)).toEqual({ start: 16, end: 18, typed: "fr" });
  });
});

describe("suggestions", () => {
  it("lists every operator with an explanation in an empty box", () => {
    const r = at("");
    expect(r?.items.map((s) => (s.kind === "operator" ? s.label : ""))).toEqual(OPERATORS.map((o) => o.label));
    expect(r?.items.every((s) => s.kind === "operator" && s.description.length > 0)).toBe(true);
    expect(r && isEager(r.context)).toBe(false);
  });
  it("offers nothing after a finished word in a non-empty box", () => {
    expect(at("deploy ")).toBeNull();
    expect(at("deploy")?.items ?? []).toEqual([]);
  });
  it("completes partial operators without choosing one", () => {
    expect(inserts("fr")).toEqual(["from:@"]);
    expect(inserts("deploy h")).toEqual(["has:file", "has:link"]);
    expect(inserts("i")).toEqual(["in:", "is:thread"]);
    const r = at("fr");
    expect(r && isEager(r.context)).toBe(false);
  });
  it("completes operator values", () => {
    expect(inserts("has:")).toEqual(["has:file", "has:link"]);
    expect(inserts("has:l")).toEqual(["has:link"]);
    expect(inserts("-has:f")).toEqual(["-has:file"]);
    expect(inserts("is:")).toEqual(["is:thread"]);
    expect(inserts("has:file")).toEqual([]);
    expect(inserts("has:zip")).toEqual([]);
  });
  it("suggests people after from: and in:@, best match first, active people only", () => {
    expect(inserts("from:@al")).toEqual(["from:@alfred", "from:@alice"]);
    expect(inserts("from:@ali")).toEqual(["from:@alice"]);
    expect(inserts("from:al")).toEqual(["from:@alfred", "from:@alice"]);
    expect(inserts("deploy in:@bo")).toEqual(["in:@bob"]);
    expect(inserts("from:@builder")).toEqual(["from:@bob"]);
    expect(inserts("from:@gone")).toEqual([]);
    expect(inserts("-from:@b")).toEqual(["-from:@bob"]);
    const r = at("from:@");
    expect(r?.items.length).toBe(3);
    expect(r && isEager(r.context)).toBe(true);
  });
  it("suggests channels after in: and in:~", () => {
    expect(inserts("in:~to")).toEqual(["in:~town-square", "in:~off-topic"]);
    expect(inserts("in:~tow")).toEqual(["in:~town-square"]);
    expect(inserts("in:top")).toEqual(["in:~off-topic"]);
    expect(inserts("in:")).toEqual(["in:~design", "in:~off-topic", "in:~town-square"]);
  });
  it("suggests today and yesterday after date operators", () => {
    expect(inserts("after:")).toEqual(["after:2026-11-25", "after:2026-11-24"]);
    expect(inserts("on:2026-11-24")).toEqual([]);
    expect(inserts("before:1999")).toEqual([]);
  });
  it("says nothing inside quotes or for other colons", () => {
    expect(at('"from:')).toBeNull();
    expect(at("http://x")).toBeNull();
    expect(at("12:30")).toBeNull();
  });
  it("reads the context at the caret, not at the end", () => {
    const text = "from:@al deploy";
    expect(suggestContext(text, 8)?.context).toEqual({ kind: "people", operator: "from", query: "al", negation: "" });
    expect(suggestAt(text, text.length, src)?.items).toEqual([]);
  });
});

describe("searchableChannels", () => {
  it("keeps my open channels of the team", () => {
    const all = [
      ...channels,
      channel("c4", "archived", "Archived", { archived_at: 1 }),
      channel("c5", "other-team", "Other", { team_id: "t2" }),
      channel("c6", "not-mine", "Not mine"),
      channel("d1", "a__b", "", { kind: "direct", team_id: null }),
    ];
    const mine = Object.fromEntries(["c1", "c2", "c4", "c5", "d1"].map((id) => [id, member(id)]));
    expect(searchableChannels(all, mine, "t1").map((c) => c.id)).toEqual(["c1", "c2"]);
  });
});

describe("insertSuggestion", () => {
  it("replaces the item and adds a space after a complete value", () => {
    const text = "deploy from:@al";
    const token = tokenAtCaret(text, text.length)!;
    expect(insertSuggestion(text, token, { insert: "from:@alice", space: true })).toEqual({ text: "deploy from:@alice ", caret: 19 });
  });
  it("replaces the whole item when the caret is inside it, keeping what follows", () => {
    const text = "in:~to deploy";
    const token = tokenAtCaret(text, 6)!;
    expect(insertSuggestion(text, token, { insert: "in:~town-square", space: true })).toEqual({ text: "in:~town-square deploy", caret: 16 });
  });
  it("leaves the caret in an operator that needs a value", () => {
    const token = tokenAtCaret("fr", 2)!;
    expect(insertSuggestion("fr", token, { insert: "from:@", space: false })).toEqual({ text: "from:@", caret: 6 });
  });
  it("puts the caret between the quotes of a phrase", () => {
    const token = tokenAtCaret("", 0)!;
    expect(insertSuggestion("", token, { insert: '""', space: false, caretBack: 1 })).toEqual({ text: '""', caret: 1 });
  });
});

describe("snippets", () => {
  it("turns marks and entities into text pieces", () => {
    expect(parseSnippet("the <mark>deploy</mark> failed &amp; &lt;b&gt; &quot;x&quot; it&#x27;s &#39;")).toEqual([
      { text: "the ", mark: false },
      { text: "deploy", mark: true },
      { text: ` failed & <b> "x" it's '`, mark: false },
    ]);
  });
  it("rejects any other markup", () => {
    expect(parseSnippet('<img src=x onerror="alert(1)">')).toBeNull();
    expect(parseSnippet("<mark onclick=x>a</mark>")).toBeNull();
    expect(parseSnippet("a <script>x</script>")).toBeNull();
    expect(parseSnippet("a > b")).toBeNull();
  });
  it("rejects unbalanced or nested marks", () => {
    expect(parseSnippet("<mark>a")).toBeNull();
    expect(parseSnippet("a</mark>")).toBeNull();
    expect(parseSnippet("<mark><mark>a</mark></mark>")).toBeNull();
  });
  it("keeps unknown entities and bare ampersands as text", () => {
    expect(parseSnippet("R&D &bogus; &#0;")).toEqual([{ text: "R&D &bogus; \ufffd", mark: false }]);
    expect(parseSnippet("")).toEqual([]);
  });
  it("tells whether a snippet shows words the message lacks", () => {
    const inFile = parseSnippet("quarterly <mark>Revenue</mark> table");
    expect(snippetAddsContext("see the attached report", inFile)).toBe(true);
    expect(snippetAddsContext("The revenue is up", inFile)).toBe(false);
    expect(snippetAddsContext("anything", parseSnippet("no marks here"))).toBe(false);
    expect(snippetAddsContext("anything", null)).toBe(false);
    expect(snippetText(inFile!)).toBe("quarterly Revenue table");
  });
});
