// Creating or editing a legal hold: custodians, channels and dates.
import { useState, type FormEvent } from "react";
import type { Id } from "../../api/types";
import { errorText } from "../../ui/Auth";
import { Dialog } from "../../ui/nav/Dialog";
import { dayToMillis } from "../format";
import { DateField, dayOf } from "./fields";
import { complianceApi, type LegalHold, type LegalHoldRequest } from "./model";
import { channelLabel } from "./names";
import { ChannelPicker, Chips, UserPicker } from "./pickers";

export function HoldDialog(props: {
  hold: LegalHold | null;
  userNames: Record<Id, string>;
  channelNames: Record<Id, string>;
  onClose: () => void;
  onDone: () => void;
}) {
  const h = props.hold;
  const [name, setName] = useState(h?.name ?? "");
  const [description, setDescription] = useState(h?.description ?? "");
  const [custodians, setCustodians] = useState(h?.custodians.map((id) => ({ id, name: props.userNames[id] ?? id })) ?? []);
  const [channels, setChannels] = useState(h?.channels.map((id) => ({ id, name: props.channelNames[id] ?? id })) ?? []);
  const [context, setContext] = useState(h?.include_channel_context ?? false);
  const [from, setFrom] = useState(dayOf(h?.start_at ?? null));
  const [to, setTo] = useState(h?.end_at ? dayOf(h.end_at - 1) : "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError("Give the hold a name.");
    if (custodians.length === 0 && channels.length === 0) return setError("Add a custodian or a channel.");
    const end = dayToMillis(to, true);
    const body: LegalHoldRequest = {
      name: name.trim(),
      description: description.trim(),
      custodians: custodians.map((c) => c.id),
      channels: channels.map((c) => c.id),
      include_channel_context: context,
      start_at: dayToMillis(from) ?? null,
      end_at: end === undefined ? null : end - 1,
    };
    setBusy(true);
    setError(null);
    try {
      if (h) await complianceApi.updateHold(h.id, body);
      else await complianceApi.createHold(body);
      props.onDone();
      props.onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  const addUnique = <T extends { id: Id }>(list: T[], item: T) => (list.some((x) => x.id === item.id) ? list : [...list, item]);
  return (
    <Dialog title={h ? `Edit ${h.name}` : "Create a legal hold"} onClose={props.onClose} className="wide">
      <form onSubmit={submit} className="settings-form compliance-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </label>
        <UserPicker label="Custodians" onPick={(u) => setCustodians((l) => addUnique(l, { id: u.id, name: "@" + u.username }))} />
        <Chips label="Custodians chosen" items={custodians} onRemove={(id) => setCustodians((l) => l.filter((x) => x.id !== id))} />
        <ChannelPicker
          label="Channels (optional)"
          addLabel="Add channel"
          onPick={(c) => setChannels((l) => addUnique(l, { id: c.id, name: channelLabel(c) }))}
        />
        <Chips label="Channels chosen" items={channels} onRemove={(id) => setChannels((l) => l.filter((x) => x.id !== id))} />
        <label className="check">
          <input type="checkbox" checked={context} onChange={(e) => setContext(e.target.checked)} /> Include channel context (posts by
          anyone in the chosen channels)
        </label>
        <div className="admin-filters">
          <DateField label="From (optional)" value={from} onChange={setFrom} />
          <DateField label="To (optional)" value={to} onChange={setTo} />
        </div>
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
            {busy ? "Saving…" : h ? "Save hold" : "Create hold"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
