import { describe, expect, it } from "vitest";
import { channel, member } from "../../state/fixtures";
import { adjacentChannel, navOrder, sidebarSections, teamUnread, visibleItems, type SidebarInput } from "./sidebarModel";


const chans = [
  channel("c-b", { display_name: "beta" }),
  channel("c-a", { display_name: "Alpha" }),
  channel("c-z", { display_name: "zulu" }),
  channel("c-old", { display_name: "old", archived_at: 5 }),
  channel("c-other", { display_name: "other team", team_id: "t2" }),
  channel("d-1", { kind: "direct", team_id: null, last_post_at: 10 }),
  channel("d-2", { kind: "group", team_id: null, last_post_at: 30 }),
];

function input(over: Partial<SidebarInput> = {}): SidebarInput {
  return {
    channels: chans,
    teamId: "t1",
    currentChannelId: "c-a",
    unreads: {},
    memberships: {},
    title: (c) => c.display_name,
    unreadsOnTop: false,
    ...over,
  };
}

const ids = (items: { channel: { id: string } }[]) => items.map((i) => i.channel.id);

describe("sidebarSections", () => {
  it("lists the team's open channels by name and direct messages by recency", () => {
    const s = sidebarSections(input());
    expect(s.map((x) => x.key)).toEqual(["channels", "dms"]);
    expect(ids(s[0].items)).toEqual(["c-a", "c-b", "c-z"]);
    expect(ids(s[1].items)).toEqual(["d-2", "d-1"]);
  });
  it("keeps an archived channel while it is open", () => {
    const s = sidebarSections(input({ currentChannelId: "c-old" }));
    expect(ids(s[0].items)).toContain("c-old");
  });
  it("moves favourites, channels and DMs alike, into their own section", () => {
    const s = sidebarSections(input({ memberships: { "c-z": member("c-z", { favorite: true }), "d-1": member("d-1", { favorite: true }) } }));
    expect(s.map((x) => x.key)).toEqual(["favorites", "channels", "dms"]);
    expect(ids(s[0].items)).toEqual(["d-1", "c-z"]); // by title: "d-1" before "zulu"
    expect(s[0].items.every((i) => i.favorite)).toBe(true);
    expect(ids(s[1].items)).not.toContain("c-z");
    expect(ids(s[2].items)).toEqual(["d-2"]);
  });
  it("marks unread channels, but never a muted one; mentions count regardless", () => {
    const s = sidebarSections(
      input({
        unreads: { "c-b": { unread_count: 2, mention_count: 0 }, "c-z": { unread_count: 4, mention_count: 1 } },
        memberships: { "c-z": member("c-z", { muted: true }) },
      }),
    );
    const byId = Object.fromEntries(s[0].items.map((i) => [i.channel.id, i]));
    expect(byId["c-b"].unread).toBe(true);
    expect(byId["c-z"].unread).toBe(false);
    expect(byId["c-z"].muted).toBe(true);
    expect(byId["c-z"].mentions).toBe(1);
  });
  it("gathers unread channels at the top when asked to, most recent first", () => {
    const s = sidebarSections(
      input({
        unreadsOnTop: true,
        channels: chans.map((c) => (c.id === "c-z" ? { ...c, last_post_at: 50 } : c)),
        unreads: { "c-b": { unread_count: 1, mention_count: 0 }, "c-z": { unread_count: 1, mention_count: 0 }, "c-a": { unread_count: 1, mention_count: 0 } },
      }),
    );
    expect(s[0].key).toBe("unreads");
    expect(ids(s[0].items)).toEqual(["c-z", "c-b"]); // the open channel stays in place
    expect(ids(s[1].items)).toEqual(["c-a"]);
  });
});

describe("keyboard movement", () => {
  const unreads = { "c-z": { unread_count: 1, mention_count: 0 }, "d-1": { unread_count: 0, mention_count: 2 } };
  const order = navOrder(sidebarSections(input({ unreads })), []);
  it("follows the sidebar order and wraps around", () => {
    expect(ids(order)).toEqual(["c-a", "c-b", "c-z", "d-2", "d-1"]);
    expect(adjacentChannel(order, "c-a", 1, false)).toBe("c-b");
    expect(adjacentChannel(order, "c-a", -1, false)).toBe("d-1");
    expect(adjacentChannel(order, "d-1", 1, false)).toBe("c-a");
  });
  it("skips to unread or mentioned channels only", () => {
    expect(adjacentChannel(order, "c-a", 1, true)).toBe("c-z");
    expect(adjacentChannel(order, "c-z", 1, true)).toBe("d-1");
    expect(adjacentChannel(order, "c-a", -1, true)).toBe("d-1");
    expect(adjacentChannel(order.filter((i) => i.channel.id === "c-a"), "c-a", 1, true)).toBeNull();
  });
  it("starts from an end when nothing listed is open", () => {
    expect(adjacentChannel(order, null, 1, false)).toBe("c-a");
    expect(adjacentChannel(order, null, -1, false)).toBe("d-1");
  });
  it("skips folded sections except their unread and open channels", () => {
    const sections = sidebarSections(input({ unreads }));
    const folded = navOrder(sections, ["channels"]);
    expect(ids(folded)).toEqual(["c-a", "c-z", "d-2", "d-1"]);
    expect(ids(visibleItems(sections[1], true))).toEqual(["d-1"]);
  });
});

describe("teamUnread", () => {
  it("sums mentions and ignores muted channels for the unread dot", () => {
    const cs = Object.fromEntries(chans.map((c) => [c.id, c]));
    const unreads = {
      "c-b": { unread_count: 3, mention_count: 1 },
      "c-other": { unread_count: 1, mention_count: 2 },
      "d-1": { unread_count: 1, mention_count: 1 },
    };
    expect(teamUnread("t1", cs, unreads, {})).toEqual({ unread: true, mentions: 1 });
    expect(teamUnread("t1", cs, unreads, { "c-b": member("c-b", { muted: true }) })).toEqual({ unread: false, mentions: 1 });
    expect(teamUnread("t2", cs, unreads, {})).toEqual({ unread: true, mentions: 2 });
  });
});
