import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api } from "../api/client";
import type { Channel, ServerInfo, User } from "../api/types";
import { dmPartners, lastChannel, openChannel, signOut, socket } from "../state/actions";
import { directChannels, teamChannels } from "../state/reducer";
import { store, useAppState } from "../state/store";
import { errorText, Field } from "./Auth";
import { ChannelView } from "./ChannelView";
import { Rhs } from "./rhs/Rhs";
import { channelTitle, useDmMembers, userName } from "./names";

export function MainScreen({ info, onSignedOut }: { info: ServerInfo | null; onSignedOut: () => void }) {
  const teams = useAppState((s) => s.teams);
  const currentTeamId = useAppState((s) => s.currentTeamId);
  const currentChannelId = useAppState((s) => s.currentChannelId);
  const channels = useAppState((s) => s.channels);
  const rhs = useAppState((s) => s.rhs);

  // Pick a channel when none is open: town-square of the team, else the first one.
  useEffect(() => {
    if (currentChannelId && channels[currentChannelId]) return;
    const list = teamChannels(store.getState(), currentTeamId);
    const last = currentTeamId ? lastChannel(currentTeamId) : null;
    const pick = (last ? channels[last] : undefined) ?? list.find((c) => c.name === "town-square") ?? list[0];
    if (pick) void openChannel(pick.id);
  }, [currentTeamId, currentChannelId, channels]);

  // Small screens: the sidebar is an overlay opened from the channel header.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [currentChannelId, currentTeamId]);

  return (
    <div className={"layout" + (navOpen ? " nav-open" : "") + (rhs ? " with-rhs" : "")}>
      <a className="skip" href="#messages">
        Skip to messages
      </a>
      <ReconnectBanner />
      <TeamRail />
      {teams.length === 0 ? (
        <NoTeam />
      ) : (
        <>
          <Sidebar
            onSignOut={() => {
              void signOut().then(onSignedOut);
            }}
          />
          <main className="channel" id="messages" tabIndex={-1}>
            {currentChannelId && channels[currentChannelId] ? (
              <ChannelView
                channel={channels[currentChannelId]}
                maxChars={info?.max_post_chars ?? 16383}
                navOpen={navOpen}
                onToggleNav={() => setNavOpen((o) => !o)}
              />
            ) : (
              <div className="center">No channel selected.</div>
            )}
          </main>
          {rhs && <Rhs view={rhs} />}
        </>
      )}
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

function TeamRail() {
  const teams = useAppState((s) => s.teams);
  const current = useAppState((s) => s.currentTeamId);
  const unreads = useAppState((s) => s.unreads);
  const channels = useAppState((s) => s.channels);
  const [creating, setCreating] = useState(false);
  const me = useAppState((s) => s.me);
  return (
    <nav className="rail" aria-label="Teams">
      <ul role="list">
        {teams.map((t) => {
          const unread = Object.entries(unreads).some(([cid, u]) => channels[cid]?.team_id === t.id && u.unread_count > 0);
          return (
            <li key={t.id}>
              <button
                type="button"
                className={"team" + (t.id === current ? " active" : "") + (unread ? " unread" : "")}
                aria-current={t.id === current ? "page" : undefined}
                title={t.display_name}
                aria-label={t.display_name + (unread ? " (unread)" : "")}
                onClick={() => store.dispatch({ type: "select_team", teamId: t.id })}
              >
                {t.display_name.slice(0, 2)}
              </button>
            </li>
          );
        })}
        {me?.role !== "guest" && (
          <li>
            <button type="button" className="team add" aria-label="Create a team" title="Create a team" onClick={() => setCreating(true)}>
              +
            </button>
          </li>
        )}
      </ul>
      {creating && (
        <Dialog title="Create a team" onClose={() => setCreating(false)}>
          <CreateTeamForm onDone={() => setCreating(false)} />
        </Dialog>
      )}
    </nav>
  );
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

function CreateTeamForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [open, setOpen] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const team = await api.createTeam({ name: slug(name), display_name: name.trim(), open });
      store.dispatch({ type: "team_loaded", team });
      store.dispatch({ type: "select_team", teamId: team.id });
      for (const c of await api.myChannels()) store.dispatch({ type: "channel_loaded", channel: c });
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form onSubmit={submit}>
      <Field label="Team name" value={name} onChange={setName} required autoFocus />
      <div className="field check">
        <input id="team-open" type="checkbox" checked={open} onChange={(e) => setOpen(e.target.checked)} />
        <label htmlFor="team-open">Anyone on this server may join</label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary">
        Create team
      </button>
    </form>
  );
}

function NoTeam() {
  const [open, setOpen] = useState<{ id: string; display_name: string }[] | null>(null);
  const me = useAppState((s) => s.me);
  useEffect(() => {
    void api.openTeams().then(setOpen, () => setOpen([]));
  }, []);
  const join = async (teamId: string) => {
    if (!me) return;
    await api.joinTeam(teamId, me.id);
    const teams = await api.teams();
    teams.forEach((team) => store.dispatch({ type: "team_loaded", team }));
    for (const c of await api.myChannels()) store.dispatch({ type: "channel_loaded", channel: c });
  };
  return (
    <main className="center notteam">
      <h1>Welcome{me ? `, ${userName(me)}` : ""}</h1>
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
      {me?.role !== "guest" && (
        <section aria-labelledby="new-team">
          <h2 id="new-team">Create a team</h2>
          <CreateTeamForm onDone={() => undefined} />
        </section>
      )}
    </main>
  );
}

function Sidebar({ onSignOut }: { onSignOut: () => void }) {
  const state = useAppState((s) => s);
  const dm = useDmMembers();
  const [dialog, setDialog] = useState<"channel" | "dm" | null>(null);
  const team = state.teams.find((t) => t.id === state.currentTeamId);
  const chans = teamChannels(state, state.currentTeamId);
  const dms = directChannels(state);
  const me = state.me;

  const item = (c: Channel) => {
    const u = state.unreads[c.id];
    const unread = !!u && u.unread_count > 0;
    const mentions = u?.mention_count ?? 0;
    const current = c.id === state.currentChannelId;
    const title = channelTitle(c, state.users, dm, me?.id);
    const icon = c.kind === "private" ? "🔒" : c.kind === "public" ? "#" : "@";
    return (
      <li key={c.id}>
        <button
          type="button"
          className={"chan" + (current ? " active" : "") + (unread ? " unread" : "")}
          aria-current={current ? "page" : undefined}
          onClick={() => void openChannel(c.id)}
        >
          <span className="icon" aria-hidden="true">
            {icon}
          </span>
          <span className="name">{title}</span>
          {unread && <span className="sr-only"> (unread)</span>}
          {mentions > 0 && (
            <span className="badge" aria-label={`${mentions} mention${mentions === 1 ? "" : "s"}`}>
              {mentions}
            </span>
          )}
        </button>
      </li>
    );
  };

  return (
    <nav className="sidebar" id="sidebar" aria-label="Channels">
      <header className="sidebar-head">
        <h1 className="team-name">{team?.display_name ?? "Hearth"}</h1>
        <div className="me">
          <span>{userName(me ?? undefined)}</span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="section-head">
        <h2 id="chan-head">Channels</h2>
        {me?.role !== "guest" && (
          <button type="button" className="icon-btn" aria-label="Create a channel" onClick={() => setDialog("channel")}>
            +
          </button>
        )}
      </div>
      <ul role="list" aria-labelledby="chan-head">
        {chans.map(item)}
      </ul>
      <div className="section-head">
        <h2 id="dm-head">Direct messages</h2>
        <button type="button" className="icon-btn" aria-label="Write a direct message" onClick={() => setDialog("dm")}>
          +
        </button>
      </div>
      <ul role="list" aria-labelledby="dm-head">
        {dms.map(item)}
      </ul>
      {dialog === "channel" && team && (
        <Dialog title="Create a channel" onClose={() => setDialog(null)}>
          <CreateChannelForm teamId={team.id} onDone={() => setDialog(null)} />
        </Dialog>
      )}
      {dialog === "dm" && (
        <Dialog title="Direct message" onClose={() => setDialog(null)}>
          <NewDmForm onDone={() => setDialog(null)} />
        </Dialog>
      )}
    </nav>
  );
}

/** A modal built on <dialog>: focus is trapped, Escape closes. */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={props.onClose}>
      <div className="dialog-head">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </div>
      {props.children}
    </dialog>
  );
}

function CreateChannelForm({ teamId, onDone }: { teamId: string; onDone: () => void }) {
  const [name, setName] = useState("");
  const [purpose, setPurpose] = useState("");
  const [priv, setPriv] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const ch = await api.createChannel({
        team_id: teamId,
        kind: priv ? "private" : "public",
        name: slug(name),
        display_name: name.trim(),
        purpose: purpose.trim() || null,
      });
      store.dispatch({ type: "channel_loaded", channel: ch });
      void openChannel(ch.id);
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form onSubmit={submit}>
      <Field label="Name" value={name} onChange={setName} required autoFocus />
      <Field label="Purpose (optional)" value={purpose} onChange={setPurpose} />
      <div className="field check">
        <input id="chan-private" type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} />
        <label htmlFor="chan-private">Private (invitation only)</label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary">
        Create
      </button>
    </form>
  );
}

function NewDmForm({ onDone }: { onDone: () => void }) {
  const [q, setQ] = useState("");
  const [results, setResults] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const me = useAppState((s) => s.me);
  useEffect(() => {
    const t = setTimeout(() => {
      void api.users(q.trim() || undefined, 0, 20).then(
        (us) => setResults(us.filter((u) => u.id !== me?.id && u.is_active)),
        (e) => setError(errorText(e)),
      );
    }, 200);
    return () => clearTimeout(t);
  }, [q, me?.id]);
  const start = async (u: User) => {
    try {
      const ch = await api.directChannel([u.id]);
      store.dispatch({ type: "users_loaded", users: [u] });
      store.dispatch({ type: "channel_loaded", channel: ch });
      void dmPartners([ch.id]);
      void openChannel(ch.id);
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div>
      <Field label="Find people" value={q} onChange={setQ} autoFocus />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul role="list" className="people">
        {results.map((u) => (
          <li key={u.id}>
            <button type="button" onClick={() => void start(u)}>
              {userName(u)} <span className="muted">@{u.username}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
