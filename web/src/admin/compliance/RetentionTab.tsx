// The Retention tab: the global period, team and channel overrides, and the purge.
import { useState, type FormEvent } from "react";
import type { Channel, Id } from "../../api/types";
import { errorText } from "../../ui/Auth";
import { Dialog } from "../../ui/nav/Dialog";
import { ConfirmDialog, LoadState, useLoad } from "../common";
import { complianceApi, formatPeriod, parsePeriod, periodText, type RetentionPolicy } from "./model";
import { useChannelNames, useTeams } from "./names";
import { ChannelPicker } from "./pickers";
import { PurgePanel } from "./PurgePanel";

export function RetentionTab() {
  const loaded = useLoad(() => complianceApi.retention(), "retention");
  const [editing, setEditing] = useState<RetentionPolicy | "new" | null>(null);
  const [removing, setRemoving] = useState<RetentionPolicy | null>(null);
  const policies = loaded.data?.policies ?? [];
  const global = policies.find((p) => p.scope === "global") ?? { scope: "global" as const, messages_days: null, files_days: null };
  const overrides = policies.filter((p) => p.scope !== "global");
  const channelNames = useChannelNames(overrides.filter((p) => p.scope === "channel" && p.scope_id).map((p) => p.scope_id!));
  const teams = useTeams();
  const teamName = (id?: Id | null) => teams.data?.find((t) => t.id === id)?.display_name ?? id ?? "";
  const scopeName = (p: RetentionPolicy) =>
    p.scope === "global" ? "Global default" : p.scope === "team" ? `Team ${teamName(p.scope_id)}` : `Channel ${channelNames[p.scope_id ?? ""] ?? p.scope_id}`;

  return (
    <>
      <h2>Retention</h2>
      <p className="hint">
        Content older than the period is deleted by the purge, except what a legal hold covers. The most specific level wins;
        “inherit” follows the less specific level.{" "}
        {loaded.data && (loaded.data.purge_time ? `The purge runs daily at ${loaded.data.purge_time} UTC.` : "The scheduled purge is off.")}
      </p>
      <LoadState loaded={loaded} what="Retention policies" />
      {loaded.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Retention periods</caption>
            <thead>
              <tr>
                <th scope="col">Applies to</th>
                <th scope="col">Messages</th>
                <th scope="col">Files</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[global, ...overrides].map((p) => {
                const name = scopeName(p);
                return (
                  <tr key={p.scope + (p.scope_id ?? "")}>
                    <th scope="row">{name}</th>
                    <td>{formatPeriod(p.messages_days)}</td>
                    <td>{formatPeriod(p.files_days)}</td>
                    <td className="actions">
                      <button type="button" className="link" aria-label={`Edit ${name}`} onClick={() => setEditing(p)}>
                        Edit
                      </button>
                      {p.scope !== "global" && (
                        <>
                          {" "}
                          <button type="button" className="link" aria-label={`Remove ${name}`} onClick={() => setRemoving(p)}>
                            Remove
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row">
        <button type="button" onClick={() => setEditing("new")}>
          Add override
        </button>
      </div>
      <PurgePanel />
      {editing && (
        <RetentionDialog
          policy={editing === "new" ? null : editing}
          name={editing === "new" ? "" : scopeName(editing)}
          onClose={() => setEditing(null)}
          onDone={loaded.reload}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the override of ${scopeName(removing)}?`}
          confirmLabel="Remove"
          danger
          onConfirm={() => complianceApi.removeRetention(removing.scope, removing.scope_id)}
          onClose={() => setRemoving(null)}
          onDone={loaded.reload}
        >
          <p>Its content follows the less specific level again.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function RetentionDialog(props: { policy: RetentionPolicy | null; name: string; onClose: () => void; onDone: () => void }) {
  const p = props.policy;
  const [scope, setScope] = useState<"team" | "channel">(p?.scope === "team" ? "team" : "channel");
  const [teamId, setTeamId] = useState<Id>("");
  const [channel, setChannel] = useState<Channel | null>(null);
  const [messages, setMessages] = useState(periodText(p?.messages_days));
  const [files, setFiles] = useState(periodText(p?.files_days));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const teams = useTeams();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = parsePeriod(messages);
    const f = parsePeriod(files);
    if (m === undefined || f === undefined) return setError("Periods are whole numbers of days (0 keeps forever, empty inherits).");
    let target: RetentionPolicy;
    if (p) target = { scope: p.scope, scope_id: p.scope_id, messages_days: m, files_days: f };
    else if (scope === "team") {
      if (!teamId) return setError("Choose a team.");
      target = { scope: "team", scope_id: teamId, messages_days: m, files_days: f };
    } else {
      if (!channel) return setError("Choose a channel.");
      target = { scope: "channel", scope_id: channel.id, messages_days: m, files_days: f };
    }
    if (!target.scope_id) delete target.scope_id;
    setBusy(true);
    setError(null);
    try {
      await complianceApi.setRetention(target);
      props.onDone();
      props.onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={p ? `Retention: ${props.name}` : "Add a retention override"} onClose={props.onClose}>
      <form onSubmit={submit} className="settings-form compliance-form">
        {!p && (
          <>
            <fieldset>
              <legend>Applies to</legend>
              <label className="check">
                <input type="radio" name="scope" checked={scope === "team"} onChange={() => setScope("team")} /> A team
              </label>
              <label className="check">
                <input type="radio" name="scope" checked={scope === "channel"} onChange={() => setScope("channel")} /> A channel
              </label>
            </fieldset>
            {scope === "team" ? (
              <label>
                Team
                <select aria-label="Team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
                  <option value="">Choose a team</option>
                  {teams.data?.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.display_name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <ChannelPicker label="Which channel" onPick={setChannel} />
            )}
          </>
        )}
        <label>
          Messages: days to keep
          <input inputMode="numeric" value={messages} onChange={(e) => setMessages(e.target.value)} aria-describedby="period-hint" />
        </label>
        <label>
          Files: days to keep
          <input inputMode="numeric" value={files} onChange={(e) => setFiles(e.target.value)} aria-describedby="period-hint" />
        </label>
        <p id="period-hint" className="hint">
          0 keeps forever; leave empty to inherit.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save period"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
