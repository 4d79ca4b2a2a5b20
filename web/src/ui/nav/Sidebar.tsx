// The channel sidebar: team and user menus, then Favourites, Channels and
// Direct messages sections (foldable), with unread, mention, muted and
// presence marks.
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { Channel, Id, MemberRole, Presence } from "../../api/types";
import { isDm } from "../../api/types";
import { store, useAppState } from "../../state/store";
import { toggleCollapsed, usePrefs } from "../../state/prefs";
import { channelTitle, useDmMembers, userName } from "../names";
import { ThreadsButton } from "../rhs/ThreadsButton";
import { Avatar } from "../messages/Avatar";
import { PresenceDot, presenceLabel } from "./PresenceDot";
import { openDialog } from "./dialogs";
import { ListIcon, SearchIcon } from "./icons";
import { MenuButton } from "./Menu";
import { goToChannel, leaveChannel, updateMembership } from "./navActions";
import { reportFailure } from "./notice";
import { usePresence } from "./presence";
import { sidebarSections, visibleItems, type SidebarItem, type SidebarSection } from "./sidebarModel";
import { goTo } from "../../state/appPath";
import "./nav.css";

/** My role in each team, fetched once per team (team settings are for team admins). */
const teamRoles = new Map<string, Promise<MemberRole>>();
function fetchTeamRole(teamId: Id, me: Id): Promise<MemberRole> {
  const key = `${me}:${teamId}`;
  let p = teamRoles.get(key);
  if (!p) {
    p = api.teamMembers(teamId).then((ms) => ms.find((m) => m.user_id === me)?.role ?? "member");
    p.catch(() => teamRoles.delete(key));
    teamRoles.set(key, p);
  }
  return p;
}

export function useTeamRole(teamId: Id | null): MemberRole | null {
  const me = useAppState((s) => s.me?.id);
  const [role, setRole] = useState<MemberRole | null>(null);
  useEffect(() => {
    setRole(null);
    if (!teamId || !me) return;
    let live = true;
    void fetchTeamRole(teamId, me).then(
      (r) => live && setRole(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [teamId, me]);
  return role;
}

export function Sidebar({ onSignOut }: { onSignOut: () => void }) {
  const channels = useAppState((s) => s.channels);
  const teamId = useAppState((s) => s.currentTeamId);
  const currentChannelId = useAppState((s) => s.currentChannelId);
  const unreads = useAppState((s) => s.unreads);
  const memberships = useAppState((s) => s.memberships);
  const users = useAppState((s) => s.users);
  const presence = useAppState((s) => s.presence);
  const me = useAppState((s) => s.me);
  const prefs = usePrefs();
  const dm = useDmMembers();

  const sections = sidebarSections({
    channels: Object.values(channels),
    teamId,
    currentChannelId,
    unreads,
    memberships,
    title: (c) => channelTitle(c, users, dm, me?.id),
    unreadsOnTop: prefs.unreadsOnTop,
  });

  // Presence of the people we have direct messages with.
  const partners = Object.values(channels)
    .filter((c) => c.kind === "direct")
    .flatMap((c) => (dm[c.id] ?? []).filter((u) => u !== me?.id));
  usePresence(partners);

  const partnerPresence = (c: Channel): Presence | undefined => {
    if (c.kind !== "direct") return undefined;
    const other = (dm[c.id] ?? []).find((u) => u !== me?.id) ?? me?.id;
    return other ? (presence[other] ?? "offline") : undefined;
  };

  return (
    <nav className="sidebar" id="sidebar" aria-label="Channels">
      <SidebarHead onSignOut={onSignOut} />
      <div className="sidebar-tools">
        <ThreadsButton />
        <button type="button" className="side-tool" onClick={() => openDialog("switcher")} aria-keyshortcuts="Control+K">
          <SearchIcon size={15} /> Find channel
        </button>
        <button type="button" className="side-tool" onClick={() => openDialog("browse")}>
          <ListIcon size={15} /> Browse channels
        </button>
      </div>
      {sections.map((sec) => (
        <Section
          key={sec.key}
          section={sec}
          collapsed={prefs.collapsed.includes(sec.key)}
          canCreate={me?.role !== "guest"}
          presenceOf={partnerPresence}
        />
      ))}
    </nav>
  );
}

function Section(props: {
  section: SidebarSection;
  collapsed: boolean;
  canCreate: boolean;
  presenceOf: (c: Channel) => Presence | undefined;
}) {
  const { section, collapsed } = props;
  const listId = `side-${section.key}`;
  const items = visibleItems(section, collapsed);
  return (
    <section className="side-section" aria-labelledby={`${listId}-head`}>
      <div className="section-head">
        <h2 id={`${listId}-head`}>
          <button
            type="button"
            className="section-toggle"
            aria-expanded={!collapsed}
            aria-controls={listId}
            onClick={() => toggleCollapsed(section.key)}
          >
            <span className="chevron" aria-hidden="true">
              {collapsed ? "▸" : "▾"}
            </span>
            {section.title}
          </button>
        </h2>
        {section.key === "channels" && props.canCreate && (
          <button type="button" className="icon-btn" aria-label="Create a channel" title="Create a channel" onClick={() => openDialog("create-channel")}>
            +
          </button>
        )}
        {section.key === "dms" && (
          <button type="button" className="icon-btn" aria-label="Write a direct message" title="Write a direct message" onClick={() => openDialog("direct")}>
            +
          </button>
        )}
      </div>
      <ul role="list" id={listId} aria-labelledby={`${listId}-head`}>
        {items.map((it) => (
          <Item key={it.channel.id} item={it} presence={props.presenceOf(it.channel)} />
        ))}
      </ul>
    </section>
  );
}

function Item({ item, presence }: { item: SidebarItem; presence: Presence | undefined }) {
  const c = item.channel;
  const icon = c.kind === "private" ? "🔒" : c.kind === "public" ? "#" : c.kind === "group" ? "👥" : null;
  const cls =
    "chan" + (item.active ? " active" : "") + (item.unread ? " unread" : "") + (item.muted ? " muted-chan" : "");
  return (
    <li className="chan-row">
      <button
        type="button"
        className={cls}
        aria-current={item.active ? "page" : undefined}
        onClick={() => void goToChannel(c.id).catch(reportFailure)}
      >
        <span className="icon" aria-hidden={icon ? "true" : undefined}>
          {icon ?? <PresenceDot presence={presence} decorative />}
        </span>
        <span className="name">{item.title}</span>
        {item.unread && <span className="sr-only"> (unread)</span>}
        {item.mentions > 0 && (
          <span className="badge" aria-label={`${item.mentions} mention${item.mentions === 1 ? "" : "s"}`}>
            {item.mentions}
          </span>
        )}
        {presence && <span className="sr-only">, {presenceLabel[presence].toLowerCase()}</span>}
      </button>
      <MenuButton
        className="chan-menu icon-btn"
        label={`Channel options for ${item.title}`}
        title="Channel options"
        items={[
          {
            label: item.favorite ? "Remove from favourites" : "Add to favourites",
            onSelect: () => void updateMembership(c.id, { favorite: !item.favorite }).catch(reportFailure),
          },
          {
            label: item.muted ? "Unmute channel" : "Mute channel",
            onSelect: () => void updateMembership(c.id, { muted: !item.muted }).catch(reportFailure),
          },
          (item.unread || item.mentions > 0) && {
            label: "Mark as read",
            onSelect: () => {
              store.dispatch({ type: "mark_read", channelId: c.id });
              void api.viewChannel(c.id).catch(() => undefined);
            },
          },
          !isDm(c.kind) && { label: "Leave channel", danger: true, onSelect: () => void leaveChannel(c.id).catch(reportFailure) },
        ]}
      >
        ⋯
      </MenuButton>
    </li>
  );
}

function SidebarHead({ onSignOut }: { onSignOut: () => void }) {
  const teams = useAppState((s) => s.teams);
  const teamId = useAppState((s) => s.currentTeamId);
  const me = useAppState((s) => s.me);
  const myPresence = useAppState((s) => (s.me ? s.presence[s.me.id] : undefined));
  const team = teams.find((t) => t.id === teamId);
  const role = useTeamRole(teamId);
  const isAdmin = role === "admin" || me?.role === "system_admin";
  const setPresence = (p: Presence) =>
    void api.setStatus(p).then((st) => store.dispatch({ type: "presence_loaded", statuses: [st] }), reportFailure);
  return (
    <header className="sidebar-head">
      <div className="team-name">
        {team ? (
          <>
            <h1 className="sr-only">{team.display_name}</h1>
            <MenuButton
              className="team-menu-btn"
              label={`Team menu: ${team.display_name}`}
              items={[
                me?.role !== "guest" && { label: "Invite people", onSelect: () => openDialog("invite") },
                isAdmin && { label: "Team settings", onSelect: () => openDialog("team-settings") },
                { label: "Join another team", onSelect: () => openDialog("join-team") },
                { label: "Leave team", danger: true, onSelect: () => openDialog("leave-team") },
              ]}
            >
              <span className="team-title">{team.display_name}</span>
              <span aria-hidden="true">▾</span>
            </MenuButton>
          </>
        ) : (
          <h1>Hearth</h1>
        )}
      </div>
      <MenuButton
        className="me-btn"
        label={`User menu: ${userName(me ?? undefined)}, ${presenceLabel[myPresence ?? "online"]}`}
        items={[
          { label: "Online", checked: myPresence === "online", onSelect: () => setPresence("online") },
          { label: "Away", checked: myPresence === "away", onSelect: () => setPresence("away") },
          { label: "Do not disturb", checked: myPresence === "dnd", onSelect: () => setPresence("dnd") },
          { label: "Settings", onSelect: () => openDialog("settings") },
          (me?.role === "system_admin" || me?.role === "compliance_officer") && { label: "System Console", onSelect: () => goTo("/admin") },
          { label: "Keyboard shortcuts", onSelect: () => openDialog("shortcuts") },
          { label: "Sign out", danger: true, onSelect: onSignOut },
        ]}
      >
        <span className="me-avatar">
          <Avatar userId={me?.id ?? ""} user={me ?? undefined} size={24} />
          <PresenceDot presence={myPresence ?? "online"} />
        </span>
        <span className="me-name">{userName(me ?? undefined)}</span>
        {me?.status_text && <span className="me-status">{me.status_text}</span>}
      </MenuButton>
    </header>
  );
}
