// The channel header: name with the channel menu, purpose, and the buttons
// that open members, pinned and saved posts in the right-hand pane.
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { Channel } from "../../api/types";
import { isDm } from "../../api/types";
import { socket } from "../../state/actions";
import type { RhsView } from "../../state/reducer";
import { store, useAppState } from "../../state/store";
import { useDmMembers } from "../names";
import { SearchBox } from "../search/SearchBox";
import { PresenceDot } from "./PresenceDot";
import { openDialog } from "./dialogs";
import { BookmarkIcon, MembersIcon, MenuIcon, PinIcon } from "./icons";
import { MenuButton } from "./Menu";
import { canManageChannel, updateMembership } from "./navActions";
import { reportFailure } from "./notice";
import { usePresence } from "./presence";
import "./nav.css";

/** The number of members, refreshed as people join and leave. */
function useMemberCount(channelId: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void api.channelMembers(channelId).then(
        (ms) => live && setCount(ms.length),
        () => live && setCount(null),
      );
    setCount(null);
    load();
    const off = socket.on((m) => {
      if (m.kind !== "event") return;
      const ev = m.event;
      if ((ev.event === "channel_member_added" || ev.event === "channel_member_removed") && ev.data.channel_id === channelId) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [channelId]);
  return count;
}

export function ChannelHeader(props: { channel: Channel; title: string; navOpen: boolean; onToggleNav: () => void }) {
  const { channel, title } = props;
  const membership = useAppState((s) => s.memberships[channel.id]);
  const rhs = useAppState((s) => s.rhs);
  const me = useAppState((s) => s.me);
  const users = useAppState((s) => s.users);
  const presence = useAppState((s) => s.presence);
  const dm = useDmMembers();
  const count = useMemberCount(channel.id);
  const dmChannel = isDm(channel.kind);
  const partnerId = channel.kind === "direct" ? ((dm[channel.id] ?? []).find((u) => u !== me?.id) ?? me?.id) : undefined;
  usePresence(partnerId ? [partnerId] : []);
  const partner = partnerId ? users[partnerId] : undefined;
  const admin = !dmChannel && canManageChannel(channel.id);
  const favorite = membership?.favorite ?? false;
  const muted = membership?.muted ?? false;
  const icon = channel.kind === "private" ? "🔒" : channel.kind === "public" ? "#" : channel.kind === "group" ? "👥" : "@";
  const topic = channel.header || channel.purpose || (partner?.status_text ?? "");
  const pressed = (kind: string) => rhs?.kind === kind;

  return (
    <header className="channel-head">
      <button
        type="button"
        className="nav-toggle"
        aria-controls="sidebar"
        aria-expanded={props.navOpen}
        aria-label="Channels"
        title="Channels"
        onClick={props.onToggleNav}
      >
        <MenuIcon />
      </button>
      <div className="channel-title">
        <h2>
          <MenuButton
            className="channel-menu-btn"
            label={`${title} channel menu`}
            items={[
              { label: "View info", onSelect: () => openDialog("channel-info") },
              admin && !channel.archived_at && { label: "Edit channel", onSelect: () => openDialog("channel-edit") },
              { label: "Notification preferences", onSelect: () => openDialog("channel-notify") },
              {
                label: favorite ? "Remove from favourites" : "Add to favourites",
                onSelect: () => void updateMembership(channel.id, { favorite: !favorite }).catch(reportFailure),
              },
              {
                label: muted ? "Unmute channel" : "Mute channel",
                onSelect: () => void updateMembership(channel.id, { muted: !muted }).catch(reportFailure),
              },
              admin && { label: channel.archived_at ? "Unarchive channel" : "Archive channel", danger: !channel.archived_at, onSelect: () => openDialog("channel-archive") },
              !dmChannel && { label: "Leave channel", danger: true, onSelect: () => openDialog("channel-leave") },
            ]}
          >
            <span className="channel-icon" aria-hidden="true">
              {partner ? <PresenceDot presence={presence[partner.id]} decorative /> : icon}
            </span>
            <span className="channel-name">{title}</span>
            {favorite && (
              <span className="fav-star" aria-hidden="true">
                ★
              </span>
            )}
            <span aria-hidden="true" className="chevron">
              ▾
            </span>
          </MenuButton>
        </h2>
        {topic && (
          <p className="purpose" title={topic}>
            {topic}
          </p>
        )}
        {muted && <span className="tag">Muted</span>}
        {channel.archived_at && <span className="tag">Archived</span>}
      </div>
      <SearchBox
        label="Search messages"
        value={rhs?.kind === "search" ? rhs.query : ""}
        onSubmit={(query) => store.dispatch({ type: "open_rhs", view: { kind: "search", query } })}
        className="header-search"
        shortcut
        landmark
      />
      <div className="channel-tools" role="toolbar" aria-label="Channel tools">
        {!dmChannel || channel.kind === "group" ? (
          <button
            type="button"
            className="tool-btn"
            aria-label={count === null ? "Members" : `Members: ${count}`}
            aria-pressed={pressed("members")}
            title="Members"
            onClick={() => toggleRhs(pressed("members"), { kind: "members", channelId: channel.id })}
          >
            <MembersIcon />
            <span aria-hidden="true">{count ?? ""}</span>
          </button>
        ) : null}
        <button
          type="button"
          className="tool-btn"
          aria-label="Pinned messages"
          aria-pressed={pressed("pinned")}
          title="Pinned messages"
          onClick={() => toggleRhs(pressed("pinned"), { kind: "pinned", channelId: channel.id })}
        >
          <PinIcon />
        </button>
        <button
          type="button"
          className="tool-btn"
          aria-label="Saved messages"
          aria-pressed={pressed("saved")}
          title="Saved messages"
          onClick={() => toggleRhs(pressed("saved"), { kind: "saved" })}
        >
          <BookmarkIcon />
        </button>
        <button type="button" className="tool-btn shortcuts-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts" aria-keyshortcuts="Control+/" onClick={() => openDialog("shortcuts")}>
          <span aria-hidden="true">?</span>
        </button>
      </div>
    </header>
  );
}

function toggleRhs(open: boolean, view: RhsView): void {
  store.dispatch(open ? { type: "close_rhs" } : { type: "open_rhs", view });
}
