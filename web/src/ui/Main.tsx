// The signed-in screen: team rail, sidebar, the open channel, the right-hand
// pane, and what floats above them (dialogs, the user card).
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { ServerInfo, Team } from "../api/types";
import { lastChannel, openChannel, signOut, socket } from "../state/actions";
import { parseInvite } from "../state/router";
import { teamChannels } from "../state/reducer";
import { store, useAppState } from "../state/store";
import { errorText } from "./Auth";
import { ChannelView } from "./ChannelView";
import { userName } from "./names";
import { NavDialogs } from "./nav/NavDialogs";
import { reloadTeamsAndChannels } from "./nav/navActions";
import { startNotifications } from "./nav/notifications";
import { ProfileCard } from "./nav/ProfileCard";
import { useGlobalShortcuts } from "./nav/shortcuts";
import { Sidebar } from "./nav/Sidebar";
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
  const [open, setOpen] = useState<Team[] | null>(null);
  const [invite, setInvite] = useState("");
  const [error, setError] = useState<string | null>(null);
  const me = useAppState((s) => s.me);
  useEffect(() => {
    void api.openTeams().then(setOpen, () => setOpen([]));
  }, []);
  const join = async (teamId: string) => {
    if (!me) return;
    try {
      await api.joinTeam(teamId, me.id);
      await reloadTeamsAndChannels();
      store.dispatch({ type: "select_team", teamId });
    } catch (e) {
      setError(errorText(e));
    }
  };
  const joinWithInvite = async () => {
    // Accept a whole link as well as the bare code.
    const id = parseInvite(invite.includes("?") ? invite.slice(invite.indexOf("?")) : `?invite=${invite}`);
    if (!id) return;
    try {
      const team = await api.joinByInvite(id);
      await reloadTeamsAndChannels();
      store.dispatch({ type: "select_team", teamId: team.id });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <main className="center notteam">
      <h1>Welcome{me ? `, ${userName(me)}` : ""}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {open && open.length > 0 && (
        <section aria-labelledby="open-teams">
          <h2 id="open-teams">Join a team</h2>
          <ul role="list">
            {open.map((t) => (
              <li key={t.id}>
                <button type="button" onClick={() => void join(t.id)}>
                  Join {t.display_name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="invite-head">
        <h2 id="invite-head">Have an invitation?</h2>
        <form
          className="invite-row"
          onSubmit={(e) => {
            e.preventDefault();
            void joinWithInvite();
          }}
        >
          <label htmlFor="invite-code" className="sr-only">
            Invitation link or code
          </label>
          <input id="invite-code" className="grow" placeholder="Invitation link or code" value={invite} onChange={(e) => setInvite(e.target.value)} />
          <button type="submit">Join with invitation</button>
        </form>
      </section>
      {me?.role !== "guest" && (
        <section aria-labelledby="new-team">
          <h2 id="new-team">Create a team</h2>
          <CreateTeamForm onDone={() => undefined} />
        </section>
      )}
    </main>
  );
}
