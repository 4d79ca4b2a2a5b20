// Teams: every team on the server, creating one, and one team's settings and
// members (/admin/teams/<id>).
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { Id, Team, User } from "../api/types";
import { errorText } from "../ui/Auth";
import { Dialog } from "../ui/nav/Dialog";
import { adminApi } from "./api";
import { ConfirmDialog, Link, LoadState, useLoad, useTitle } from "./common";
import { formatUtc } from "./format";
import type { AdminRoute } from "./route";

export default function Teams({ route }: { route: AdminRoute }) {
  return route.id ? <TeamDetail id={route.id} /> : <TeamList />;
}

function TeamList() {
  useTitle("Teams");
  const teams = useLoad(adminApi.teams, "teams");
  const [creating, setCreating] = useState(false);
  return (
    <section aria-labelledby="teams-title">
      <div className="admin-title-row">
        <h1 id="teams-title">Teams</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create team
        </button>
      </div>
      <LoadState loaded={teams} what="Teams" />
      {teams.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">URL name</th>
                <th scope="col">Joining</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {teams.data.length === 0 && (
                <tr>
                  <td colSpan={4}>No teams yet.</td>
                </tr>
              )}
              {teams.data.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    <Link to={`/admin/teams/${t.id}`}>{t.display_name}</Link>
                  </th>
                  <td>{t.name}</td>
                  <td>{t.open ? "Open" : "Invitation only"}</td>
                  <td>{formatUtc(t.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateTeamDialog onClose={() => setCreating(false)} onDone={teams.reload} />}
    </section>
  );
}

function CreateTeamDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [f, setF] = useState({ name: "", display_name: "", description: "", open: true });
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await adminApi.createTeam({ ...f, description: f.description || undefined });
      onDone();
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title="Create team" onClose={onClose}>
      <form onSubmit={submit}>
        <label className="field">
          Display name
          <input required value={f.display_name} onChange={(e) => setF({ ...f, display_name: e.target.value })} />
        </label>
        <label className="field">
          URL name
          <input required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} placeholder="lowercase-letters-and-dashes" />
        </label>
        <label className="field">
          Description
          <input value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
        </label>
        <label className="field check">
          <input type="checkbox" checked={f.open} onChange={(e) => setF({ ...f, open: e.target.checked })} />
          Anyone on the server may join
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function TeamDetail({ id }: { id: Id }) {
  const team = useLoad(() => adminApi.team(id), id);
  const members = useLoad(() => adminApi.teamMembers(id), id);
  const [users, setUsers] = useState<Record<Id, User>>({});
  useTitle(team.data ? `Team ${team.data.display_name}` : "Team");

  // Names for the member list, fetched once per unknown member.
  useEffect(() => {
    const missing = (members.data ?? []).map((m) => m.user_id).filter((u) => !users[u]);
    if (missing.length === 0) return;
    void Promise.all(missing.map((u) => adminApi.user(u).catch(() => null))).then((found) =>
      setUsers((prev) => {
        const next = { ...prev };
        for (const u of found) if (u) next[u.id] = u;
        return next;
      }),
    );
  }, [members.data, users]);

  return (
    <section aria-labelledby="team-title">
      <p>
        <Link to="/admin/teams">All teams</Link>
      </p>
      <h1 id="team-title">{team.data?.display_name ?? "Team"}</h1>
      <LoadState loaded={team} what="The team" />
      {team.data && <TeamForm team={team.data} onSaved={team.reload} />}
      <h2>Members</h2>
      <LoadState loaded={members} what="Members" />
      {members.data && team.data && (
        <Members team={team.data} members={members.data} users={users} onChanged={members.reload} />
      )}
    </section>
  );
}

function TeamForm({ team, onSaved }: { team: Team; onSaved: () => void }) {
  const [f, setF] = useState({ display_name: team.display_name, description: team.description, open: team.open });
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await adminApi.updateTeam(team.id, f);
      setMsg({ ok: true, text: "Team saved." });
      onSaved();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  return (
    <form onSubmit={submit} className="panel form-narrow" aria-label="Team settings">
      <label className="field">
        Display name
        <input required value={f.display_name} onChange={(e) => setF({ ...f, display_name: e.target.value })} />
      </label>
      <label className="field">
        Description
        <input value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      </label>
      <label className="field check">
        <input type="checkbox" checked={f.open} onChange={(e) => setF({ ...f, open: e.target.checked })} />
        Anyone on the server may join
      </label>
      <button type="submit" className="primary">
        Save team
      </button>
      {msg && (
        <p role={msg.ok ? "status" : "alert"} className={msg.ok ? "" : "error"}>
          {msg.text}
        </p>
      )}
    </form>
  );
}

function Members(props: {
  team: Team;
  members: { user_id: Id; role: "admin" | "member" }[];
  users: Record<Id, User>;
  onChanged: () => void;
}) {
  const [username, setUsername] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Id | null>(null);
  const name = (id: Id) => (props.users[id] ? `@${props.users[id].username}` : id);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const u = await api.userByUsername(username.trim().replace(/^@/, ""));
      await adminApi.addTeamMember(props.team.id, u.id);
      setUsername("");
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const setRole = async (userId: Id, role: "admin" | "member") => {
    setError(null);
    try {
      await adminApi.setTeamMemberRole(props.team.id, userId, role);
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <>
      <form className="admin-filters" onSubmit={add}>
        <label>
          Add a member by username
          <input value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <button type="submit">Add member</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="admin-table">
          <caption className="sr-only">Members of {props.team.display_name}</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Team role</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((m) => (
              <tr key={m.user_id}>
                <th scope="row">{name(m.user_id)}</th>
                <td>
                  <select
                    aria-label={`Team role of ${name(m.user_id)}`}
                    value={m.role}
                    onChange={(e) => void setRole(m.user_id, e.target.value as "admin" | "member")}
                  >
                    <option value="member">Member</option>
                    <option value="admin">Team admin</option>
                  </select>
                </td>
                <td className="actions">
                  <button type="button" onClick={() => setRemoving(m.user_id)} aria-label={`Remove ${name(m.user_id)}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {removing && (
        <ConfirmDialog
          title={`Remove ${name(removing)} from ${props.team.display_name}?`}
          confirmLabel="Remove"
          danger
          onConfirm={() => adminApi.removeTeamMember(props.team.id, removing)}
          onDone={props.onChanged}
          onClose={() => setRemoving(null)}
        >
          <p>They leave the team and its channels.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
