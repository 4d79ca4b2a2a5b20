// Navigation side effects shared by the sidebar, header, switcher and deep
// links: opening channels across teams, direct messages, joining and leaving,
// per-channel settings.
import { api } from "../../api/client";
import type { Channel, Id, UpdateMembershipRequest, User } from "../../api/types";
import { isDm } from "../../api/types";
import { dmPartners, openChannel } from "../../state/actions";
import { store } from "../../state/store";

const dispatch = store.dispatch;

/** Opens a channel, switching to its team first when it belongs to another one. */
export async function goToChannel(channelId: Id): Promise<void> {
  const s = store.getState();
  const ch = s.channels[channelId];
  if (ch?.team_id && ch.team_id !== s.currentTeamId) dispatch({ type: "select_team", teamId: ch.team_id });
  await openChannel(channelId);
}

/** Opens (creating if needed) the direct or group message with these people. */
export async function openDirect(users: User[]): Promise<Channel> {
  const ch = await api.directChannel(users.map((u) => u.id));
  dispatch({ type: "users_loaded", users });
  dispatch({ type: "channel_loaded", channel: ch });
  await dmPartners([ch.id]);
  await openChannel(ch.id);
  return ch;
}

/** Joins a public channel of the current team and opens it. */
export async function joinChannel(ch: Channel): Promise<void> {
  const me = store.getState().me;
  if (!me) return;
  if (!store.getState().channels[ch.id]) {
    const m = await api.addChannelMember(ch.id, me.id);
    dispatch({ type: "membership_updated", member: m });
    dispatch({ type: "channel_loaded", channel: await api.channel(ch.id).catch(() => ch) });
  }
  await goToChannel(ch.id);
}

export async function leaveChannel(channelId: Id): Promise<void> {
  const me = store.getState().me;
  if (!me) return;
  await api.removeChannelMember(channelId, me.id);
  // The server's channel_member_removed event drops it too; do it now for a prompt sidebar.
  dispatch({ type: "event", now: Date.now(), event: { seq: 0, event: "channel_member_removed", data: { channel_id: channelId, user_id: me.id } } });
}

export async function updateMembership(channelId: Id, patch: UpdateMembershipRequest): Promise<void> {
  const m = await api.updateMembership(channelId, patch);
  dispatch({ type: "membership_updated", member: m });
}

/** Marks the open channel read (Escape, as in Slack). */
export function markCurrentRead(): void {
  const id = store.getState().currentChannelId;
  if (!id) return;
  dispatch({ type: "mark_read", channelId: id });
  void api.viewChannel(id).catch(() => undefined);
}

/** Reloads my teams and channels after joining or leaving a team. */
export async function reloadTeamsAndChannels(): Promise<void> {
  const [teams, channels] = await Promise.all([api.teams(), api.myChannels()]);
  const dms = channels.filter((c) => isDm(c.kind) && !store.getState().channels[c.id]);
  teams.forEach((team) => dispatch({ type: "team_loaded", team }));
  channels.forEach((channel) => dispatch({ type: "channel_loaded", channel }));
  if (dms.length) void dmPartners(dms.map((c) => c.id));
  void api.myMemberships().then((members) => dispatch({ type: "memberships_loaded", members }), () => undefined);
}

/** Whether I may administer a channel: its admins and system admins. */
export function canManageChannel(channelId: Id): boolean {
  const s = store.getState();
  return s.me?.role === "system_admin" || s.memberships[channelId]?.role === "admin";
}

export async function leaveTeam(teamId: Id): Promise<void> {
  const me = store.getState().me;
  if (!me) return;
  await api.leaveTeam(teamId, me.id);
  dispatch({ type: "event", now: Date.now(), event: { seq: 0, event: "team_member_removed", data: { team_id: teamId, user_id: me.id } } });
}

/** After a dialog opened a channel, typing goes to its composer (the dialog hands focus back first). */
export function focusComposerSoon(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>("#messages textarea")?.focus());
}
