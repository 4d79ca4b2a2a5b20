// New direct or group message: pick one to seven people (shown as removable
// chips), then open the conversation. Also channel creation.
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { api } from "../../api/client";
import type { User } from "../../api/types";
import { store, useAppState } from "../../state/store";
import { openChannel } from "../../state/actions";
import { errorText, Field } from "../Auth";
import { userName } from "../names";
import { Avatar } from "../messages/Avatar";
import { Dialog } from "./Dialog";
import { focusComposerSoon, openDirect } from "./navActions";
import { slug } from "./slug";

export const MAX_DM_PEOPLE = 7;

export function NewDirectDialog({ onClose }: { onClose: () => void }) {
  const me = useAppState((s) => s.me);
  const [q, setQ] = useState("");
  const [results, setResults] = useState<User[]>([]);
  const [picked, setPicked] = useState<User[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();

  useEffect(() => {
    const t = setTimeout(() => {
      void api.users(q.trim().replace(/^@/, "") || undefined, 0, 20).then(
        (us) => setResults(us.filter((u) => u.id !== me?.id && u.is_active)),
        (e) => setError(errorText(e)),
      );
    }, 150);
    return () => clearTimeout(t);
  }, [q, me?.id]);
  useEffect(() => setActive(0), [results]);

  const options = results.filter((u) => !picked.some((p) => p.id === u.id));
  const full = picked.length >= MAX_DM_PEOPLE;
  const pick = (u: User | undefined) => {
    if (!u || full) return;
    setPicked((p) => [...p, u]);
    setQ("");
  };
  const go = async () => {
    if (!picked.length) return;
    setBusy(true);
    try {
      await openDirect(picked);
      onClose();
      focusComposerSoon();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = options.length;
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n) {
      e.preventDefault();
      setActive((a) => (a + (e.key === "ArrowDown" ? 1 : -1) + n) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (q.trim() && options[active]) pick(options[active]);
      else void go();
    } else if (e.key === "Backspace" && !q && picked.length) {
      setPicked((p) => p.slice(0, -1));
    }
  };

  return (
    <Dialog title="Direct message" onClose={onClose}>
      <div className="chips" role="list" aria-label="Selected people">
        {picked.map((u) => (
          <span key={u.id} role="listitem" className="chip">
            {userName(u)}
            <button type="button" className="icon-btn" aria-label={`Remove ${userName(u)}`} onClick={() => setPicked((p) => p.filter((x) => x.id !== u.id))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <input
        className="grow"
        role="combobox"
        aria-label="Find people"
        aria-expanded={options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={options.length ? `${listId}-${active}` : undefined}
        placeholder={full ? "At most seven people" : "Find people by name or @username"}
        disabled={full}
        value={q}
        autoFocus
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className="hint">
        {picked.length}/{MAX_DM_PEOPLE} people. Enter adds the highlighted person; Enter on an empty field starts the conversation.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="People" className="people">
        {options.map((u, i) => (
          <li
            key={u.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={"person-option" + (i === active ? " active" : "")}
            onMouseMove={() => setActive(i)}
            onClick={() => pick(u)}
          >
            <Avatar userId={u.id} user={u} size={24} /> {userName(u)} <span className="muted">@{u.username}</span>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="primary" disabled={!picked.length || busy} onClick={() => void go()}>
          {picked.length > 1 ? "Start group message" : "Start conversation"}
        </button>
      </div>
    </Dialog>
  );
}

export function CreateChannelDialog({ teamId, onClose }: { teamId: string; onClose: () => void }) {
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
      void api.myMemberships().then((members) => store.dispatch({ type: "memberships_loaded", members }), () => undefined);
      void openChannel(ch.id);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title="Create a channel" onClose={onClose}>
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
    </Dialog>
  );
}
