import { describe, expect, it } from "vitest";
import type { ChannelMember } from "../../api/types";
import { channel, member, user } from "../../state/fixtures";
import { memberRights, sortMembers } from "./members";

const m = (user_id: string, role: ChannelMember["role"] = "member") => member("c1", { user_id, role });

describe("memberRights", () => {
  it("members add, channel admins and system admins remove", () => {
    expect(memberRights(channel("c1"), user("u1"), "member")).toEqual({ canAdd: true, canRemove: false, canLeave: true });
    expect(memberRights(channel("c1"), user("u1"), "admin")).toMatchObject({ canRemove: true });
    expect(memberRights(channel("c1"), user("u1", { role: "system_admin" }), undefined)).toEqual({ canAdd: true, canRemove: true, canLeave: false });
  });
  it("guests do not add; nobody manages DMs; town-square cannot be left", () => {
    expect(memberRights(channel("c1"), user("u1", { role: "guest" }), "member").canAdd).toBe(false);
    expect(memberRights(channel("d", { kind: "direct", team_id: null }), user("u1", { role: "system_admin" }), "admin")).toEqual({ canAdd: false, canRemove: false, canLeave: false });
    expect(memberRights(channel("ts", { name: "town-square" }), user("u1"), "member").canLeave).toBe(false);
  });
  it("archived channels take no new members", () => {
    expect(memberRights(channel("c1", { archived_at: 5 }), user("u1"), "admin").canAdd).toBe(false);
  });
});

describe("sortMembers", () => {
  it("lists admins, then online people, then by name", () => {
    const users = { a: user("a", { display_name: "Zed" }), b: user("b", { display_name: "Amy" }), c: user("c", { display_name: "Bob" }), d: user("d", { display_name: "Cat" }) };
    const out = sortMembers([m("a"), m("b"), m("c"), m("d", "admin")], users, { c: "online" });
    expect(out.map((x) => x.user_id)).toEqual(["d", "c", "b", "a"]);
  });
});

describe("memberRights for team admins", () => {
  it("team admins add and remove without being channel admins", () => {
    expect(memberRights(channel("c1"), user("u1"), undefined, true)).toEqual({ canAdd: true, canRemove: true, canLeave: false });
  });
});
