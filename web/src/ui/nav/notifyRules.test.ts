import { describe, expect, it } from "vitest";
import type { ChannelMember } from "../../api/types";
import { channel, member as membership, post } from "../../state/fixtures";

const member = (over: Partial<ChannelMember> = {}) => membership("c1", over);
import { notificationText, plainPreview, shouldNotify, type NotifyContext } from "./notifyRules";


function ctx(over: Partial<NotifyContext> = {}): NotifyContext {
  return {
    post: post("p1", { channel_id: "c1", user_id: "u2", mentions: ["me"] }),
    meId: "me",
    channel: channel("c1"),
    membership: member(),
    currentChannelId: "c2",
    tabVisible: true,
    myPresence: "online",
    enabled: true,
    ...over,
  };
}

describe("shouldNotify", () => {
  it("notifies a mention in another channel", () => {
    expect(shouldNotify(ctx())).toBe(true);
  });
  it("notifies a mention in the open channel only while the tab is hidden", () => {
    expect(shouldNotify(ctx({ currentChannelId: "c1" }))).toBe(false);
    expect(shouldNotify(ctx({ currentChannelId: "c1", tabVisible: false }))).toBe(true);
  });
  it("notifies every direct message but not plain channel chatter", () => {
    const plain = post("p2", { channel_id: "c1", user_id: "u2" });
    expect(shouldNotify(ctx({ post: plain }))).toBe(false);
    expect(shouldNotify(ctx({ post: plain, channel: channel("c1", { kind: "direct", team_id: null }) }))).toBe(true);
    expect(shouldNotify(ctx({ post: { ...plain, mentions_channel: true } }))).toBe(true);
  });
  it("honours the channel's level", () => {
    const plain = post("p2", { channel_id: "c1", user_id: "u2" });
    expect(shouldNotify(ctx({ post: plain, membership: member({ notify_level: "all" }) }))).toBe(true);
    expect(shouldNotify(ctx({ membership: member({ notify_level: "none" }) }))).toBe(false);
    expect(shouldNotify(ctx({ membership: member({ notify_level: "mention" }) }))).toBe(true);
  });
  it("stays silent for muted channels, Do Not Disturb, own posts, or when turned off", () => {
    expect(shouldNotify(ctx({ membership: member({ muted: true }) }))).toBe(false);
    expect(shouldNotify(ctx({ myPresence: "dnd" }))).toBe(false);
    expect(shouldNotify(ctx({ post: post("p3", { channel_id: "c1", user_id: "me", mentions: ["me"] }) }))).toBe(false);
    expect(shouldNotify(ctx({ enabled: false }))).toBe(false);
    expect(shouldNotify(ctx({ channel: undefined }))).toBe(false);
  });
});

describe("notification text", () => {
  it("reduces markdown to a short line", () => {
    expect(plainPreview("**Hello** [site](http://x) `code`\n\nbye")).toBe("Hello site code bye");
    expect(plainPreview("a".repeat(200), 10)).toBe("aaaaaaaaa…");
    expect(plainPreview("```\nlet x\n```")).toBe("[code]");
  });
  it("titles a channel post by channel, a direct message by sender", () => {
    const p = post("p1", { message: "hi @me" });
    expect(notificationText(p, "Alice", "town-square", channel("c1"))).toEqual({ title: "#town-square", body: "Alice: hi @me" });
    expect(notificationText(p, "Alice", "Alice", channel("d1", { kind: "direct" }))).toEqual({ title: "Alice", body: "hi @me" });
  });
});
