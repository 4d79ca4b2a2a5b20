// The signed-in screen: team rail, sidebar, the open channel, the right-hand
// pane, and what floats above them (dialogs, the user card).
import { useEffect, useState } from "react";
import type { ServerInfo } from "../api/types";
import { lastChannel, openChannel, signOut, socket } from "../state/actions";
import { teamChannels } from "../state/reducer";
import { store, useAppState } from "../state/store";
import { ChannelView } from "./ChannelView";
import { userName } from "./names";
import { NavDialogs } from "./nav/NavDialogs";
import { showNotice, useNotice } from "./nav/notice";
import { startNotifications } from "./nav/notifications";
import { ProfileCard } from "./nav/ProfileCard";
import { useGlobalShortcuts } from "./nav/shortcuts";
import { Sidebar } from "./nav/Sidebar";
import { JoinTeamPanel } from "./nav/TeamDialogs";
import { CreateTeamForm, TeamRail } from "./nav/TeamRail";
import { resetLocationSync, useLocationSync } from "./nav/useLocationSync";
import { Rhs } from "./rhs/Rhs";

export { Dialog } from "./nav/Dialog";

export function MainScreen({ info, onSignedOut }: { info: ServerInfo | null; onSignedOut: () => void }) {
  const teams = useAppState((s) => s.teams);
  const currentTeamId = useAppState((s) => s.currentTeamId);
  const currentChannelId = useAppState((s) => s.currentChannelId);
  const channels = useAppState((s) => s.channels);
  const rhs = useAppState((s) => s.rhs);
  const route = useLocationSync();
  const notice = useNotice();
  useGlobalShortcuts();
  useEffect(startNotifications, []);

  // Pick a channel when none is open (once the address has been applied):
  // the last one read in this team, else town-square, else the first.
  useEffect(() => {
    if (!route.ready) return;
    if (currentChannelId && channels[currentChannelId]) return;
    const list = teamChannels(store.getState(), currentTeamId);
    const last = currentTeamId ? lastChannel(currentTeamId) : null;
    const pick = (last ? channels[last] : undefined) ?? list.find((c) => c.name === "town-square") ?? list[0];
    if (pick) void openChannel(pick.id);
  }, [route.ready, currentTeamId, currentChannelId, channels]);

  // Small screens: the sidebar is an overlay opened from the channel header.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [currentChannelId, currentTeamId]);
  useEffect(() => {
    if (!navOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setNavOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navOpen]);

  const signOutNow = () => {
    resetLocationSync();
    void signOut().then(onSignedOut);
  };

  return (
    <div className={"layout" + (navOpen ? " nav-open" : "") + (rhs ? " with-rhs" : "")}>
      <a className="skip" href="#messages">
        Skip to messages
      </a>
      <div className="banners">
        <ReconnectBanner />
        {route.error && (
          <div className="banner" role="alert">
            {route.error}{" "}
            <button type="button" className="link" onClick={route.dismiss}>
              Dismiss
            </button>
          </div>
        )}
        {notice && (
          <div className="banner" role="alert">
            {notice}{" "}
            <button type="button" className="link" onClick={() => showNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      <TeamRail />
      {teams.length === 0 ? (
        <NoTeam />
      ) : (
        <>
          <Sidebar onSignOut={signOutNow} />
          {navOpen && <div className="nav-scrim" aria-hidden="true" onClick={() => setNavOpen(false)} />}
          <main className="channel" id="messages" tabIndex={-1}>
            {currentChannelId && channels[currentChannelId] ? (
              <ChannelView
                channel={channels[currentChannelId]}
                maxChars={info?.max_post_chars ?? 16383}
                maxFileSize={info?.max_file_size}
                navOpen={navOpen}
                onToggleNav={() => setNavOpen((o) => !o)}
              />
            ) : (
              <div className="center">{route.ready ? "No channel selected." : "Opening…"}</div>
            )}
          </main>
          {rhs && <Rhs view={rhs} maxChars={info?.max_post_chars} />}
        </>
      )}
      <NavDialogs />
      <ProfileCard />
    </div>
  );
}

function ReconnectBanner() {
  const status = useAppState((s) => s.connection);
  if (status !== "reconnecting") return null;
  return (
    <div className="banner" role="status">
      Connection lost. Reconnecting…{" "}
      <button type="button" className="link" onClick={() => socket.reconnectNow()}>
        Retry now
      </button>
    </div>
  );
}

/** Signed in but in no team: join an open one, use an invitation, or create one. */
function NoTeam() {
  const me = useAppState((s) => s.me);
  return (
    <main className="center notteam">
      <h1>Welcome{me ? `, ${userName(me)}` : ""}</h1>
      <JoinTeamPanel />
      {me?.role !== "guest" && (
        <section aria-labelledby="new-team">
          <h2 id="new-team">Create a team</h2>
          <CreateTeamForm onDone={() => undefined} />
        </section>
      )}
    </main>
  );
}
