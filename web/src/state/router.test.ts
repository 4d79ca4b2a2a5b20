import { describe, expect, it } from "vitest";
import { channel, user } from "./fixtures";
import { findChannel, formatRoute, parseInvite, parseRoute, routeFor, withoutInvite, type Route } from "./router";

const team = { id: "t1", name: "eng", display_name: "Eng", description: "", open: true, created_at: 0, updated_at: 0 };

describe("parseRoute", () => {
  it("reads channel, direct message, group and permalink paths", () => {
    expect(parseRoute("/eng/channels/town-square")).toEqual({ kind: "channel", team: "eng", channel: "town-square" });
    expect(parseRoute("/eng/messages/@alice")).toEqual({ kind: "dm", team: "eng", username: "alice" });
    expect(parseRoute("/eng/messages/0190abcd")).toEqual({ kind: "group", team: "eng", channelId: "0190abcd" });
    expect(parseRoute("/eng/pl/0190ffff")).toEqual({ kind: "permalink", team: "eng", postId: "0190ffff" });
    expect(parseRoute("/eng")).toEqual({ kind: "team", team: "eng" });
    expect(parseRoute("/eng/")).toEqual({ kind: "team", team: "eng" });
  });
  it("treats anything else as the root", () => {
    for (const p of ["/", "", "/eng/unknown/x", "/eng/channels", "/eng/channels/a/b", "/eng/messages/@", "/%E0%A4%A/channels/x"]) {
      expect(parseRoute(p)).toEqual({ kind: "root" });
    }
  });
  it("decodes escaped parts", () => {
    expect(parseRoute("/my%20team/channels/caf%C3%A9")).toEqual({ kind: "channel", team: "my team", channel: "café" });
  });
});

describe("formatRoute", () => {
  it("round-trips through parseRoute", () => {
    const routes: Route[] = [
      { kind: "root" },
      { kind: "team", team: "eng" },
      { kind: "channel", team: "eng", channel: "off-topic" },
      { kind: "dm", team: "eng", username: "bob.smith" },
      { kind: "group", team: "eng", channelId: "abc" },
      { kind: "permalink", team: "eng", postId: "p1" },
      { kind: "channel", team: "a/b", channel: "x y" },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(formatRoute({ kind: "dm", team: "eng", username: "bob" })).toBe("/eng/messages/@bob");
  });
});

describe("invites", () => {
  it("finds and strips the invitation", () => {
    expect(parseInvite("?invite=abc123")).toBe("abc123");
    expect(parseInvite("?x=1")).toBeNull();
    expect(parseInvite("?invite=")).toBeNull();
    expect(withoutInvite("?invite=abc&x=1")).toBe("?x=1");
    expect(withoutInvite("?invite=abc")).toBe("");
  });
});

describe("routeFor", () => {
  const users = { u1: user("u1"), u2: user("u2", { username: "alice" }) };
  it("names channels by team and channel name", () => {
    expect(routeFor(team, channel("c1", { name: "town-square" }), undefined, users, "u1")).toEqual({
      kind: "channel",
      team: "eng",
      channel: "town-square",
    });
    expect(routeFor(team, undefined, undefined, users, "u1")).toEqual({ kind: "team", team: "eng" });
    expect(routeFor(undefined, undefined, undefined, users, "u1")).toEqual({ kind: "root" });
  });
  it("names a direct message by the partner's username, and a group by id", () => {
    const d = channel("d1", { kind: "direct", team_id: null });
    expect(routeFor(team, d, ["u1", "u2"], users, "u1")).toEqual({ kind: "dm", team: "eng", username: "alice" });
    expect(routeFor(team, d, ["u1"], users, "u1")).toEqual({ kind: "dm", team: "eng", username: "u1" });
    expect(routeFor(team, d, undefined, users, "u1")).toEqual({ kind: "group", team: "eng", channelId: "d1" });
    const g = channel("g1", { kind: "group", team_id: null });
    expect(routeFor(team, g, ["u1", "u2", "u3"], users, "u1")).toEqual({ kind: "group", team: "eng", channelId: "g1" });
  });
});

describe("findChannel", () => {
  it("matches the name within the team only", () => {
    const cs = [channel("a", { name: "general", team_id: "t2" }), channel("b", { name: "general", team_id: "t1" })];
    expect(findChannel(cs, "t1", "general")?.id).toBe("b");
    expect(findChannel(cs, "t3", "general")).toBeUndefined();
  });
});
