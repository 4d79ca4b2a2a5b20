import { useState, type FormEvent } from "react";
import { api, ApiError } from "../../api/client";
import type { Presence } from "../../api/types";
import { store, useAppState } from "../../state/store";
import { errorText, Field } from "../Auth";
import { Avatar } from "../messages/Avatar";

function useSaver() {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setMsg(null);
    try {
      setMsg({ ok: true, text: await fn() });
    } catch (e) {
      setMsg({ ok: false, text: e instanceof ApiError || !(e instanceof Error) ? errorText(e) : e.message });
    } finally {
      setBusy(false);
    }
  };
  const line = msg ? (
    <p className={msg.ok ? "ok" : "error"} role={msg.ok ? "status" : "alert"}>
      {msg.text}
    </p>
  ) : null;
  return { run, busy, line };
}

const PRESENCES: { value: Presence; label: string }[] = [
  { value: "online", label: "Online" },
  { value: "away", label: "Away" },
  { value: "dnd", label: "Do not disturb" },
];

export function ProfileTab() {
  const me = useAppState((s) => s.me);
  const presence = useAppState((s) => (s.me ? s.presence[s.me.id] : undefined));
  const [displayName, setDisplayName] = useState(me?.display_name ?? "");
  const [statusText, setStatusText] = useState(me?.status_text ?? "");
  const [timezone, setTimezone] = useState(me?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone);
  const profile = useSaver();
  const avatar = useSaver();
  const status = useSaver();
  if (!me) return null;

  const saveProfile = (e: FormEvent) => {
    e.preventDefault();
    void profile.run(async () => {
      const u = await api.updateProfile({ display_name: displayName.trim(), status_text: statusText.trim(), timezone: timezone.trim() });
      store.dispatch({ type: "users_loaded", users: [u] });
      store.dispatch({ type: "event", now: Date.now(), event: { seq: 0, event: "user_updated", data: u } });
      return "Profile saved.";
    });
  };
  const upload = (file: File | undefined) => {
    if (!file) return;
    void avatar.run(async () => {
      if (file.size > 5 * 1024 * 1024) throw new Error("The picture is larger than 5 MiB.");
      const u = await api.uploadAvatar(file);
      store.dispatch({ type: "event", now: Date.now(), event: { seq: 0, event: "user_updated", data: u } });
      return "Picture updated.";
    });
  };
  const setPresence = (p: Presence) =>
    void status.run(async () => {
      const st = await api.setStatus(p);
      store.dispatch({ type: "presence_loaded", statuses: [st] });
      return "Status set.";
    });

  return (
    <div className="settings-section">
      <h3>Picture</h3>
      <div className="avatar-row">
        <Avatar userId={me.id} user={me} size={64} />
        <label className="file-btn">
          Upload a picture
          <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => upload(e.target.files?.[0])} />
        </label>
        <span className="hint">PNG, JPEG, GIF or WebP, at most 5 MiB.</span>
      </div>
      {avatar.line}

      <h3>Profile</h3>
      <form onSubmit={saveProfile}>
        <Field label="Display name" value={displayName} onChange={setDisplayName} autoComplete="name" />
        <Field label="Status text" value={statusText} onChange={setStatusText} hint="Shown on your profile card, e.g. “In meetings until 3”." />
        <Field label="Time zone" value={timezone} onChange={setTimezone} hint="An IANA zone such as Europe/Paris; others see your local time." />
        <p className="hint">
          Username @{me.username}
          {me.email ? ` · ${me.email}` : ""}
        </p>
        {profile.line}
        <button type="submit" className="primary" disabled={profile.busy}>
          Save profile
        </button>
      </form>

      <fieldset className="radios">
        <legend>Availability</legend>
        {PRESENCES.map((p) => (
          <label key={p.value}>
            <input type="radio" name="presence" checked={(presence ?? "online") === p.value} onChange={() => setPresence(p.value)} /> {p.label}
          </label>
        ))}
      </fieldset>
      {status.line}

      <PasswordForm />
    </div>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const saver = useSaver();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saver.run(async () => {
      if (next !== repeat) throw new Error("The new passwords differ.");
      await api.changePassword({ current_password: current, new_password: next });
      setCurrent("");
      setNext("");
      setRepeat("");
      return "Password changed. Other sessions were signed out.";
    });
  };
  return (
    <form onSubmit={submit}>
      <h3>Change password</h3>
      <Field label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" required />
      <Field label="New password" type="password" value={next} onChange={setNext} autoComplete="new-password" required />
      <Field label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" required />
      {saver.line}
      <button type="submit" className="primary" disabled={saver.busy}>
        Change password
      </button>
    </form>
  );
}
