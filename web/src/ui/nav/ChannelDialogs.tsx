// Dialogs of the channel menu: info, editing (channel admins), notification
// preferences, archiving and leaving.
import { useId, useState, type FormEvent } from "react";
import { api } from "../../api/client";
import type { Channel, NotifyLevel } from "../../api/types";
import { isDm } from "../../api/types";
import { store, useAppState } from "../../state/store";
import { usePrefs } from "../../state/prefs";
import { errorText, Field } from "../Auth";
import { userName } from "../names";
import { Dialog } from "./Dialog";
import { leaveChannel, updateMembership } from "./navActions";
import { slug } from "./slug";

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

const kindText: Record<Channel["kind"], string> = {
  public: "Public channel",
  private: "Private channel",
  direct: "Direct message",
  group: "Group message",
};

export function ChannelInfoDialog({ channel, title, onClose }: { channel: Channel; title: string; onClose: () => void }) {
  const creator = useAppState((s) => (channel.creator_id ? s.users[channel.creator_id] : undefined));
  const clock24 = usePrefs().clock24;
  const date = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", hour12: !clock24 });
  return (
    <Dialog title={`About ${title}`} onClose={onClose}>
      <dl className="info-list">
        <dt>Type</dt>
        <dd>{kindText[channel.kind]}</dd>
        {!isDm(channel.kind) && (
          <>
            <dt>URL name</dt>
            <dd>{channel.name}</dd>
          </>
        )}
        {channel.purpose && (
          <>
            <dt>Purpose</dt>
            <dd>{channel.purpose}</dd>
          </>
        )}
        {channel.header && (
          <>
            <dt>Header</dt>
            <dd>{channel.header}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          {date(channel.created_at)}
          {creator ? ` by ${userName(creator)}` : ""}
        </dd>
        {channel.archived_at && (
          <>
            <dt>Archived</dt>
            <dd>{date(channel.archived_at)}</dd>
          </>
        )}
        <dt>Messages</dt>
        <dd>{channel.total_msg_count}</dd>
      </dl>
    </Dialog>
  );
}

export function EditChannelDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const [displayName, setDisplayName] = useState(channel.display_name);
  const [name, setName] = useState(channel.name);
  const [purpose, setPurpose] = useState(channel.purpose);
  const [header, setHeader] = useState(channel.header);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const ch = await api.updateChannel(channel.id, {
        display_name: displayName.trim(),
        name: slug(name) || channel.name,
        purpose: purpose.trim(),
        header: header.trim(),
      });
      store.dispatch({ type: "channel_loaded", channel: ch });
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Edit channel" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Name" value={displayName} onChange={setDisplayName} required autoFocus />
        <Field label="URL name" value={name} onChange={setName} required hint="Lowercase letters, digits and dashes; links with the old name stop working." />
        <Field label="Purpose" value={purpose} onChange={setPurpose} />
        <Field label="Header" value={header} onChange={setHeader} hint="Shown under the channel name." />
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
      </form>
    </Dialog>
  );
}

const LEVELS: { level: NotifyLevel; label: string }[] = [
  { level: "default", label: "Default (mentions and direct messages)" },
  { level: "all", label: "All new messages" },
  { level: "mention", label: "Mentions only" },
  { level: "none", label: "Nothing" },
];

export function NotifyPrefsDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const m = useAppState((s) => s.memberships[channel.id]);
  const [level, setLevel] = useState<NotifyLevel>(m?.notify_level ?? "default");
  const [muted, setMuted] = useState(m?.muted ?? false);
  const [error, setError] = useState<string | null>(null);
  const name = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await updateMembership(channel.id, { notify_level: level, muted });
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title="Notification preferences" onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset className="radios">
          <legend>Desktop notifications for this channel</legend>
          {LEVELS.map((l) => (
            <label key={l.level}>
              <input type="radio" name={name} value={l.level} checked={level === l.level} onChange={() => setLevel(l.level)} /> {l.label}
            </label>
          ))}
        </fieldset>
        <div className="field check">
          <input id={`${name}-mute`} type="checkbox" checked={muted} onChange={(e) => setMuted(e.target.checked)} />
          <label htmlFor={`${name}-mute`}>Mute channel (no notifications, not shown as unread)</label>
        </div>
        <ErrorLine error={error} />
        <button type="submit" className="primary">
          Save
        </button>
      </form>
    </Dialog>
  );
}

export function ArchiveChannelDialog({ channel, title, onClose }: { channel: Channel; title: string; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const archived = !!channel.archived_at;
  const go = async () => {
    try {
      const ch = archived ? await api.unarchiveChannel(channel.id) : await api.archiveChannel(channel.id);
      store.dispatch({ type: "channel_loaded", channel: ch });
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog title={archived ? `Unarchive ${title}?` : `Archive ${title}?`} onClose={onClose}>
      <p>
        {archived
          ? "Members can post in it again and it returns to their sidebars."
          : "Nobody can post in it any more; its messages stay readable and it can be unarchived later."}
      </p>
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={archived ? "primary" : "danger"} onClick={() => void go()}>
          {archived ? "Unarchive channel" : "Archive channel"}
        </button>
      </div>
    </Dialog>
  );
}

export function LeaveChannelDialog({ channel, title, onClose }: { channel: Channel; title: string; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    try {
      await leaveChannel(channel.id);
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog title={`Leave ${title}?`} onClose={onClose}>
      <p>
        {channel.kind === "private"
          ? "It is private: you need an invitation to come back."
          : "You can join it again from Browse channels."}
      </p>
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void go()}>
          Leave channel
        </button>
      </div>
    </Dialog>
  );
}
