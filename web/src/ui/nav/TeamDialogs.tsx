// Team menu dialogs: the invitation link, team settings, leaving the team.
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../../api/client";
import type { Team } from "../../api/types";
import { parseInvite } from "../../state/router";
import { store, useAppState } from "../../state/store";
import { errorText, Field } from "../Auth";
import { Dialog } from "./Dialog";
import { leaveTeam, reloadTeamsAndChannels } from "./navActions";

export function inviteLink(inviteId: string): string {
  return `${location.origin}/?invite=${encodeURIComponent(inviteId)}`;
}

export function InviteDialog({ team, canRegenerate, onClose }: { team: Team; canRegenerate: boolean; onClose: () => void }) {
  const [invite, setInvite] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    void api.teamInvite(team.id).then(
      (i) => setInvite(i.invite_id),
      (e) => setError(errorText(e)),
    );
  }, [team.id]);
  const link = invite ? inviteLink(invite) : "";
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setError("Copying is not allowed here: select the link and copy it by hand.");
    }
  };
  const [confirming, setConfirming] = useState(false);
  const regenerate = async () => {
    setConfirming(false);
    try {
      setInvite((await api.regenerateInvite(team.id)).invite_id);
      setCopied(false);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog title={`Invite people to ${team.display_name}`} onClose={onClose}>
      <p>Anyone with this link can join the team{team.open ? "" : " (it works even though the team is not open)"}.</p>
      {invite && (
        <div className="invite-row">
          <label htmlFor="invite-link" className="sr-only">
            Invitation link
          </label>
          <input id="invite-link" className="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="primary" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy link"}
          </button>
        </div>
      )}
      <p className="sr-only" role="status">
        {copied ? "Link copied" : ""}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {canRegenerate && invite && !confirming && (
        <p>
          <button type="button" onClick={() => setConfirming(true)}>
            Regenerate link
          </button>
        </p>
      )}
      {confirming && (
        <div className="dialog-actions" role="group" aria-label="Confirm new link">
          <span>The current link stops working at once.</span>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep the link
          </button>
          <button type="button" className="danger" onClick={() => void regenerate()}>
            Make a new link
          </button>
        </div>
      )}
    </Dialog>
  );
}

export function TeamSettingsDialog({ team, onClose }: { team: Team; onClose: () => void }) {
  const [name, setName] = useState(team.display_name);
  const [description, setDescription] = useState(team.description);
  const [open, setOpen] = useState(team.open);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const t = await api.updateTeam(team.id, { display_name: name.trim(), description: description.trim(), open });
      store.dispatch({ type: "team_loaded", team: t });
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Team settings" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Team name" value={name} onChange={setName} required autoFocus />
        <Field label="Description" value={description} onChange={setDescription} />
        <div className="field check">
          <input id="team-settings-open" type="checkbox" checked={open} onChange={(e) => setOpen(e.target.checked)} />
          <label htmlFor="team-settings-open">Anyone on this server may join</label>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
      </form>
    </Dialog>
  );
}

export function LeaveTeamDialog({ team, onClose }: { team: Team; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const leave = async () => {
    try {
      await leaveTeam(team.id);
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog title={`Leave ${team.display_name}?`} onClose={onClose}>
      <p>You will leave all of its channels. To come back you need an invitation{team.open ? " or to join it again as an open team" : ""}.</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void leave()}>
          Leave team
        </button>
      </div>
    </Dialog>
  );
}

/** Open teams I am not in, and a field for an invitation link or code. */
export function JoinTeamPanel({ onJoined }: { onJoined?: () => void }) {
  const [open, setOpen] = useState<Team[] | null>(null);
  const [invite, setInvite] = useState("");
  const [error, setError] = useState<string | null>(null);
  const me = useAppState((s) => s.me);
  const mine = useAppState((s) => s.teams);
  useEffect(() => {
    void api.openTeams().then(setOpen, () => setOpen([]));
  }, []);
  const joined = async (teamId: string) => {
    await reloadTeamsAndChannels();
    store.dispatch({ type: "select_team", teamId });
    onJoined?.();
  };
  const join = async (teamId: string) => {
    if (!me) return;
    try {
      await api.joinTeam(teamId, me.id);
      await joined(teamId);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const joinWithInvite = async () => {
    // Accept a whole link as well as the bare code.
    const id = parseInvite(invite.includes("?") ? invite.slice(invite.indexOf("?")) : `?invite=${encodeURIComponent(invite.trim())}`);
    if (!id) return;
    try {
      const team = await api.joinByInvite(id);
      await joined(team.id);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const joinable = (open ?? []).filter((t) => !mine.some((m) => m.id === t.id));
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {joinable.length > 0 && (
        <section aria-labelledby="open-teams">
          <h2 id="open-teams">Join a team</h2>
          <ul role="list" className="join-list">
            {joinable.map((t) => (
              <li key={t.id}>
                <button type="button" onClick={() => void join(t.id)}>
                  Join {t.display_name}
                </button>
                {t.description && <span className="muted"> {t.description}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {open !== null && joinable.length === 0 && mine.length > 0 && <p>There are no other open teams.</p>}
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
    </>
  );
}

export function JoinTeamDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Join another team" onClose={onClose}>
      <JoinTeamPanel onJoined={onClose} />
    </Dialog>
  );
}
