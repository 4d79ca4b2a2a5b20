// Deep links: the address bar mirrors the open team and channel, in the URL
// shapes Mattermost users know. Pure parsing and formatting only; the History
// API wiring lives in ui/nav/useLocationSync.ts.
import type { Channel, Id, Team, User } from "../api/types";

export type Route =
  | { kind: "root" }
  | { kind: "team"; team: string }
  | { kind: "channel"; team: string; channel: string }
  /** A direct message with one person. */
  | { kind: "dm"; team: string; username: string }
  /** A group message (or a direct message whose partner is unknown), by channel id. */
  | { kind: "group"; team: string; channelId: string }
  | { kind: "permalink"; team: string; postId: string };

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** Parses a pathname; anything unrecognised is the root (the app picks a channel). */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decode);
  if (parts.some((p) => p === null || p === "")) return { kind: "root" };
  const [team, section, target, ...rest] = parts as string[];
  if (!team || rest.length > 0) return { kind: "root" };
  if (!section) return { kind: "team", team };
  if (!target) return { kind: "root" };
  switch (section) {
    case "channels":
      return { kind: "channel", team, channel: target };
    case "messages":
      if (target.startsWith("@")) return target.length > 1 ? { kind: "dm", team, username: target.slice(1) } : { kind: "root" };
      return { kind: "group", team, channelId: target };
    case "pl":
      return { kind: "permalink", team, postId: target };
    default:
      return { kind: "root" };
  }
}

export function formatRoute(r: Route): string {
  const e = encodeURIComponent;
  switch (r.kind) {
    case "root":
      return "/";
    case "team":
      return `/${e(r.team)}`;
    case "channel":
      return `/${e(r.team)}/channels/${e(r.channel)}`;
    case "dm":
      return `/${e(r.team)}/messages/@${e(r.username)}`;
    case "group":
      return `/${e(r.team)}/messages/${e(r.channelId)}`;
    case "permalink":
      return `/${e(r.team)}/pl/${e(r.postId)}`;
  }
}

/** The team invitation in a query string (`?invite=<id>`), if any. */
export function parseInvite(search: string): string | null {
  const id = new URLSearchParams(search).get("invite");
  return id && id.trim() ? id.trim() : null;
}

/** The query string without the invitation (kept otherwise as it was). */
export function withoutInvite(search: string): string {
  const q = new URLSearchParams(search);
  q.delete("invite");
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The route that names what is open: a channel of a team, or a direct message. */
export function routeFor(
  team: Team | undefined,
  channel: Channel | undefined,
  dmMembers: Id[] | undefined,
  users: Record<Id, User>,
  me: Id | undefined,
): Route {
  if (!team) return { kind: "root" };
  if (!channel) return { kind: "team", team: team.name };
  if (channel.kind === "public" || channel.kind === "private") {
    return { kind: "channel", team: team.name, channel: channel.name };
  }
  if (channel.kind === "direct" && dmMembers) {
    const others = dmMembers.filter((u) => u !== me);
    const partner = users[others[0] ?? me ?? ""];
    if (partner && others.length <= 1) return { kind: "dm", team: team.name, username: partner.username };
  }
  return { kind: "group", team: team.name, channelId: channel.id };
}

/** Finds what a route names among what is already loaded. */
export function findTeam(teams: Team[], name: string): Team | undefined {
  return teams.find((t) => t.name === name);
}

export function findChannel(channels: Iterable<Channel>, teamId: Id, name: string): Channel | undefined {
  for (const c of channels) if (c.team_id === teamId && c.name === name) return c;
  return undefined;
}
