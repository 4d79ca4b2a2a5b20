// Who may do what in the members pane, and the order members are listed in.
import type { Channel, ChannelMember, Id, Presence, User } from "../../api/types";
import { userName } from "../names";

export interface MemberRights {
  /** Add people: members who are not guests, team and system admins (not in DMs or archived channels). */
  canAdd: boolean;
  /** Remove others: channel, team and system admins (not in DMs). */
  canRemove: boolean;
  /** Leave: channels, not DMs; town-square is left with its team only. */
  canLeave: boolean;
}

export function memberRights(
  channel: Channel,
  me: User | null,
  myRole: ChannelMember["role"] | undefined,
  teamAdmin = false,
): MemberRights {
  const dm = channel.kind === "direct" || channel.kind === "group";
  const admin = me?.role === "system_admin" || teamAdmin;
  const member = myRole !== undefined;
  return {
    canAdd: !dm && !channel.archived_at && ((member && me?.role !== "guest") || admin),
    canRemove: !dm && (admin || myRole === "admin"),
    canLeave: !dm && member && !(channel.team_id !== null && channel.name === "town-square"),
  };
}

const presenceRank: Record<Presence, number> = { online: 0, away: 1, dnd: 2, offline: 3 };

/** Admins first, then people online before away and offline, then by name. */
export function sortMembers(
  members: readonly ChannelMember[],
  users: Record<Id, User>,
  presence: Record<Id, Presence>,
): ChannelMember[] {
  const name = (id: Id) => userName(users[id], "").toLocaleLowerCase();
  return [...members].sort(
    (a, b) =>
      (a.role === "admin" ? 0 : 1) - (b.role === "admin" ? 0 : 1) ||
      presenceRank[presence[a.user_id] ?? "offline"] - presenceRank[presence[b.user_id] ?? "offline"] ||
      name(a.user_id).localeCompare(name(b.user_id)) ||
      (a.user_id < b.user_id ? -1 : 1),
  );
}
