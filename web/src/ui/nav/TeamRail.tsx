// The team rail: one button per team with its unread dot and mention count,
// and team creation.
import { useState, type FormEvent } from "react";
import { api } from "../../api/client";
import { store, useAppState } from "../../state/store";
import { errorText, Field } from "../Auth";
import { Dialog } from "./Dialog";
import { reloadTeamsAndChannels } from "./navActions";
import { teamUnread } from "./sidebarModel";
import { slug } from "./slug";

export function TeamRail() {
  const teams = useAppState((s) => s.teams);
  const current = useAppState((s) => s.currentTeamId);
  const unreads = useAppState((s) => s.unreads);
  const channels = useAppState((s) => s.channels);
  const memberships = useAppState((s) => s.memberships);
  const me = useAppState((s) => s.me);
  const [creating, setCreating] = useState(false);
  return (
    <nav className="rail" aria-label="Teams">
      <ul role="list">
        {teams.map((t) => {
          const { unread, mentions } = teamUnread(t.id, channels, unreads, memberships);
          const active = t.id === current;
          return (
            <li key={t.id}>
              <button
                type="button"
                className={"team" + (active ? " active" : "") + (unread ? " unread" : "")}
                aria-current={active ? "page" : undefined}
                title={t.display_name}
                onClick={() => store.dispatch({ type: "select_team", teamId: t.id })}
              >
                <span aria-hidden="true">{t.display_name.slice(0, 2)}</span>
                <span className="sr-only">{t.display_name}</span>
                {unread && <span className="sr-only"> (unread)</span>}
                {mentions > 0 && (
                  <span className="badge team-badge" aria-label={`${mentions} mention${mentions === 1 ? "" : "s"}`}>
                    {mentions > 99 ? "99+" : mentions}
                  </span>
                )}
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

export function CreateTeamForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [open, setOpen] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const team = await api.createTeam({ name: slug(name), display_name: name.trim(), open });
      store.dispatch({ type: "team_loaded", team });
      store.dispatch({ type: "select_team", teamId: team.id });
      await reloadTeamsAndChannels();
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
