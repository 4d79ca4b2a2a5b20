import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api } from "../../api/client";
import type { Session } from "../../api/types";
import { usePrefs } from "../../state/prefs";
import { errorText, Field } from "../Auth";
import { MfaSection } from "./MfaSection";
import { sessionLabel } from "./sessionName";

function useDate() {
  const { clock24 } = usePrefs();
  return (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", hour12: !clock24 });
}

export function SecurityTab() {
  return (
    <div className="settings-section">
      <MfaSection />
      <Sessions />
      <Tokens />
    </div>
  );
}

function Sessions() {
  const [list, setList] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const date = useDate();
  const load = useCallback(() => void api.sessions().then(setList, (e) => setError(errorText(e))), []);
  useEffect(load, [load]);
  const revoke = async (ids: string[]) => {
    try {
      await Promise.all(ids.map((id) => api.revokeSession(id)));
    } catch (e) {
      setError(errorText(e));
    }
    load();
  };
  const others = (list ?? []).filter((s) => !s.current);
  return (
    <section aria-labelledby="sessions-head">
      <h3 id="sessions-head">Signed-in sessions</h3>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list === null ? (
        <p role="status">Loading…</p>
      ) : (
        <ul role="list" className="settings-list">
          {list.map((s) => (
            <li key={s.id}>
              <div>
                <strong title={s.name}>{sessionLabel(s.name)}</strong>
                {s.current && <span className="tag">This session</span>}
                <div className="hint">
                  Signed in {date(s.created_at)} · last active {date(s.last_active_at)}
                </div>
              </div>
              {!s.current && (
                <button type="button" aria-label={`Sign out ${sessionLabel(s.name)} from ${date(s.created_at)}`} onClick={() => void revoke([s.id])}>
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" className="danger" onClick={() => void revoke(others.map((s) => s.id))}>
          Sign out all other sessions
        </button>
      )}
    </section>
  );
}

function Tokens() {
  const [list, setList] = useState<Session[] | null>(null);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const [password, setPassword] = useState("");
  const [integration, setIntegration] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const date = useDate();
  const load = useCallback(() => void api.tokens().then(setList, (e) => setError(errorText(e))), []);
  useEffect(load, [load]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const n = Number(days);
      const t = await api.createToken({
        name: name.trim(),
        expires_in_days: days.trim() && n > 0 ? Math.round(n) : null,
        password: password || undefined,
        integration,
      });
      setCreated(t.token);
      setName("");
      setDays("");
      setPassword("");
      setIntegration(false);
      load();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const revoke = async (id: string) => {
    try {
      await api.revokeToken(id);
    } catch (e) {
      setError(errorText(e));
    }
    load();
  };
  return (
    <section aria-labelledby="tokens-head">
      <h3 id="tokens-head">Personal access tokens</h3>
      <p className="hint">For scripts and integrations: a token acts as you through the API.</p>
      {created && (
        <div className="token-once" role="status">
          <p>Copy the token now: it is not shown again.</p>
          <label className="sr-only" htmlFor="new-token">
            New token
          </label>
          <input id="new-token" readOnly value={created} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created).catch(() => undefined)}>
            Copy token
          </button>
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <form onSubmit={create} className="token-form">
        <Field label="Token name" value={name} onChange={setName} required />
        <Field label="Expires after (days, optional)" type="number" value={days} onChange={setDays} />
        <Field
          label="Your password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          hint="Needed unless you signed in a few minutes ago."
        />
        <label className="check">
          <input type="checkbox" checked={integration} onChange={(e) => setIntegration(e.target.checked)} /> Integration
          token (keeps working after a password or MFA change)
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list && list.length > 0 && (
        <ul role="list" className="settings-list" aria-label="Tokens">
          {list.map((t) => (
            <li key={t.id}>
              <div>
                <strong>{t.name}</strong>
                <div className="hint">
                  Created {date(t.created_at)} · last used {date(t.last_active_at)}
                  {t.expires_at ? ` · expires ${date(t.expires_at)}` : " · never expires"}
                  {t.integration ? " · integration" : ""}
                </div>
              </div>
              <button type="button" aria-label={`Revoke token ${t.name}`} onClick={() => void revoke(t.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {list && list.length === 0 && <p className="hint">No tokens yet.</p>}
    </section>
  );
}
