import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../api/types";
import { channel, member, user } from "./fixtures";
import { initialState, reducer, type Action, type State } from "./reducer";

const ev = (e: Omit<AnyEvent, "seq">) => ({ type: "event", event: { seq: 1, ...e } as AnyEvent, now: 0 }) as Action;
const run = (s: State, ...as: Action[]) => as.reduce(reducer, s);

function base(): State {
  return run(
    initialState,
    { type: "bootstrap", me: user("me"), teams: [], channels: [channel("c1", { total_msg_count: 5 }), channel("c2")], unreads: [] },
    { type: "memberships_loaded", members: [member("c1"), member("c2", { favorite: true })] },
  );
}

describe("memberships", () => {
  it("are loaded by channel", () => {
    const s = base();
    expect(Object.keys(s.memberships).sort()).toEqual(["c1", "c2"]);
    expect(s.memberships.c2.favorite).toBe(true);
  });
  it("follow my channel_member_updated events, and ignore other people's", () => {
    let s = run(base(), ev({ event: "channel_member_updated", data: member("c1", { muted: true, msg_count: 3 }) }));
    expect(s.memberships.c1.muted).toBe(true);
    expect(s.unreads.c1.unread_count).toBe(2);
    s = run(s, ev({ event: "channel_member_updated", data: member("c1", { user_id: "other", muted: false }) }));
    expect(s.memberships.c1.muted).toBe(true);
  });
  it("are added when I join and dropped when I leave", () => {
    let s = run(base(), ev({ event: "channel_member_added", data: member("c3") }));
    expect(s.memberships.c3).toBeDefined();
    s = run(s, ev({ event: "channel_member_removed", data: { channel_id: "c1", user_id: "me" } }));
    expect(s.memberships.c1).toBeUndefined();
    expect(s.channels.c1).toBeUndefined();
  });
  it("take a single update from a settings change", () => {
    const s = run(base(), { type: "membership_updated", member: member("c1", { notify_level: "all" }) });
    expect(s.memberships.c1.notify_level).toBe("all");
  });
  it("are forgotten on sign-out", () => {
    expect(run(base(), { type: "signed_out" }).memberships).toEqual({});
  });
});

describe("presence_loaded", () => {
  it("merges statuses", () => {
    const s = run(base(), {
      type: "presence_loaded",
      statuses: [
        { user_id: "u1", presence: "away", manual: true, last_activity_at: 0 },
        { user_id: "u2", presence: "dnd", manual: true, last_activity_at: 0 },
      ],
    });
    expect(s.presence).toEqual({ u1: "away", u2: "dnd" });
  });
});
