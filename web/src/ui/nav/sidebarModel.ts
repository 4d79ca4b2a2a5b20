// What the sidebar lists, in which order: pure functions over the state, so
// the grouping, the unread marks and keyboard movement are tested without a DOM.
import type { Channel, ChannelMember, Id } from "../../api/types";
import { isDm } from "../../api/types";
import type { Unread } from "../../state/reducer";

export type SectionKey = "unreads" | "favorites" | "channels" | "dms";

export interface SidebarItem {
  channel: Channel;
  title: string;
  /** New posts since last viewed (never for a muted channel, as in Slack). */
  unread: boolean;
  mentions: number;
  muted: boolean;
  favorite: boolean;
  active: boolean;
}

export interface SidebarSection {
  key: SectionKey;
  title: string;
  items: SidebarItem[];
}

export interface SidebarInput {
  channels: Channel[];
  teamId: Id | null;
  currentChannelId: Id | null;
  unreads: Record<Id, Unread>;
  memberships: Record<Id, ChannelMember>;
  title: (c: Channel) => string;
  unreadsOnTop: boolean;
}

const byTitle = (a: SidebarItem, b: SidebarItem) =>
  a.title.localeCompare(b.title, undefined, { sensitivity: "base" }) || a.channel.id.localeCompare(b.channel.id);
const byRecent = (a: SidebarItem, b: SidebarItem) => b.channel.last_post_at - a.channel.last_post_at || byTitle(a, b);

export function sidebarSections(inp: SidebarInput): SidebarSection[] {
  const favorites: SidebarItem[] = [];
  const channels: SidebarItem[] = [];
  const dms: SidebarItem[] = [];
  const unreadItems: SidebarItem[] = [];
  for (const c of inp.channels) {
    const dm = isDm(c.kind);
    if (!dm && (c.team_id === null || c.team_id !== inp.teamId)) continue;
    const active = c.id === inp.currentChannelId;
    // Archived channels drop out of the list, except the one being read.
    if (c.archived_at && !active) continue;
    const m = inp.memberships[c.id];
    const u = inp.unreads[c.id];
    const muted = m?.muted ?? false;
    const item: SidebarItem = {
      channel: c,
      title: inp.title(c),
      unread: !muted && (u?.unread_count ?? 0) > 0,
      mentions: u?.mention_count ?? 0,
      muted,
      favorite: m?.favorite ?? false,
      active,
    };
    if (inp.unreadsOnTop && !active && (item.unread || item.mentions > 0)) unreadItems.push(item);
    else if (item.favorite) favorites.push(item);
    else if (dm) dms.push(item);
    else channels.push(item);
  }
  const out: SidebarSection[] = [];
  if (unreadItems.length) out.push({ key: "unreads", title: "Unreads", items: unreadItems.sort(byRecent) });
  if (favorites.length) out.push({ key: "favorites", title: "Favourites", items: favorites.sort(byTitle) });
  out.push({ key: "channels", title: "Channels", items: channels.sort(byTitle) });
  out.push({ key: "dms", title: "Direct messages", items: dms.sort(byRecent) });
  return out;
}

/** The items a section shows: a folded section still shows its unread and open channels. */
export function visibleItems(section: SidebarSection, collapsed: boolean): SidebarItem[] {
  if (!collapsed) return section.items;
  return section.items.filter((i) => i.active || i.unread || i.mentions > 0);
}

/** Channel ids in the order the sidebar shows them. */
export function navOrder(sections: SidebarSection[], collapsed: readonly string[]): SidebarItem[] {
  return sections.flatMap((s) => visibleItems(s, collapsed.includes(s.key)));
}

/**
 * The channel to move to with Alt+Up/Down (dir -1/+1), wrapping around; with
 * `unreadOnly` (Alt+Shift) only unread or mentioned channels qualify.
 */
export function adjacentChannel(order: SidebarItem[], currentId: Id | null, dir: 1 | -1, unreadOnly: boolean): Id | null {
  const n = order.length;
  if (n === 0) return null;
  const at = order.findIndex((i) => i.channel.id === currentId);
  for (let k = 1; k <= n; k++) {
    const idx = at < 0 ? (dir === 1 ? k - 1 : n - k) : (((at + dir * k) % n) + n) % n;
    const item = order[idx];
    if (item.channel.id === currentId) continue;
    if (!unreadOnly || item.unread || item.mentions > 0) return item.channel.id;
  }
  return null;
}

/** A team's mark in the team rail: any unread channel (not muted) and the sum of mentions. */
export function teamUnread(
  teamId: Id,
  channels: Record<Id, Channel>,
  unreads: Record<Id, Unread>,
  memberships: Record<Id, ChannelMember>,
): { unread: boolean; mentions: number } {
  let unread = false;
  let mentions = 0;
  for (const [cid, u] of Object.entries(unreads)) {
    const c = channels[cid];
    if (!c || c.team_id !== teamId) continue;
    mentions += u.mention_count;
    if (u.unread_count > 0 && !memberships[cid]?.muted) unread = true;
  }
  return { unread, mentions };
}
