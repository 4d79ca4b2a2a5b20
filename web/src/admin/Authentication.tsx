// Authentication: LDAP settings with connection and user tests and sync,
// OpenID Connect providers, MFA enforcement and login lockout. Settings are
// read and written through the configuration endpoints.
import { useState, type FormEvent } from "react";
import { errorText } from "../ui/Auth";
import { adminApi, type ConfigView, type JsonObject, type LdapDiagnosis, type LdapSyncReport } from "./api";
import { LoadState, useLoad, useTitle } from "./common";
import { valueAt } from "./configModel";
import { formatUtc, plural } from "./format";
import { SettingsForm, type FieldSpec } from "./SettingsForm";

const LDAP_FIELDS: FieldSpec[] = [
  { key: "ldap.enabled", label: "Sign in with LDAP and sync the directory", kind: "bool" },
  { key: "ldap.directory.urls", label: "Server URLs", kind: "list", help: "One per line, e.g. ldaps://dc1.example.com:636; tried in order." },
  { key: "ldap.directory.start_tls", label: "Upgrade ldap:// connections with StartTLS", kind: "bool" },
  { key: "ldap.directory.bind_dn", label: "Service account DN", kind: "string" },
  { key: "ldap.directory.bind_password", label: "Service account password", kind: "secret", help: "Left as ******** it keeps its value." },
  { key: "ldap.directory.base_dn", label: "Base DN of users", kind: "string" },
  { key: "ldap.directory.user_filter", label: "User filter", kind: "string" },
  { key: "ldap.directory.login_attribute", label: "Login attribute", kind: "string" },
  { key: "ldap.directory.connect_timeout_ms", label: "Connect timeout (ms)", kind: "int" },
  { key: "ldap.sync_interval_mins", label: "Minutes between syncs (0: on demand only)", kind: "int" },
  { key: "ldap.create_on_login", label: "Create the account at a first LDAP sign-in", kind: "bool" },
  { key: "ldap.group_mappings", label: "Group mappings (JSON)", kind: "json" },
];

const OIDC_FIELDS: FieldSpec[] = [
  { key: "oidc.providers", label: "Providers (JSON)", kind: "json", help: "Client secrets show as ******** and keep their value." },
  { key: "oidc.group_mappings", label: "Group mappings (JSON)", kind: "json" },
];

const POLICY_FIELDS: FieldSpec[] = [
  {
    key: "mfa.enforce",
    label: "Require a second factor for",
    kind: "select",
    options: [
      { value: "none", label: "Nobody (optional for everyone)" },
      { value: "admins", label: "System admins" },
      { value: "all", label: "Everyone signing in with a password" },
    ],
  },
  { key: "mfa.issuer", label: "Name shown in authenticator apps", kind: "string" },
  { key: "login.lockout_threshold", label: "Failed attempts before a login is locked (0: never)", kind: "int" },
  { key: "login.lockout_secs", label: "Seconds a locked login stays locked", kind: "int" },
  { key: "sessions.idle_timeout_mins", label: "Minutes without activity before a browser session ends (0: never)", kind: "int" },
];

export default function Authentication() {
  useTitle("Authentication");
  const config = useLoad(adminApi.config, "config");
  const [view, setView] = useState<ConfigView | null>(null);
  const v = view ?? config.data;
  return (
    <section aria-labelledby="auth-title">
      <h1 id="auth-title">Authentication</h1>
      <LoadState loaded={config} what="The configuration" />
      {v && (
        <>
          <section className="panel" aria-labelledby="ldap-settings">
            <h2 id="ldap-settings">LDAP</h2>
            <SettingsForm view={v} fields={LDAP_FIELDS} label="LDAP settings" submitLabel="Save LDAP settings" onSaved={setView} />
            <LdapTools />
          </section>
          <section className="panel" aria-labelledby="oidc-settings">
            <h2 id="oidc-settings">OpenID Connect</h2>
            <Providers config={v.config} />
            <SettingsForm view={v} fields={OIDC_FIELDS} label="OpenID Connect settings" submitLabel="Save OpenID Connect settings" onSaved={setView} />
          </section>
          <section className="panel" aria-labelledby="policy-settings">
            <h2 id="policy-settings">MFA and lockout</h2>
            <SettingsForm view={v} fields={POLICY_FIELDS} label="MFA and lockout settings" submitLabel="Save MFA and lockout" onSaved={setView} />
          </section>
        </>
      )}
    </section>
  );
}

function Providers({ config }: { config: JsonObject }) {
  const list = valueAt(config, "oidc.providers");
  const providers = Array.isArray(list) ? (list as JsonObject[]) : [];
  if (providers.length === 0) return <p>No OpenID Connect providers are configured.</p>;
  return (
    <div className="table-wrap">
      <table className="admin-table">
        <caption className="sr-only">OpenID Connect providers</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Shown as</th>
            <th scope="col">Issuer</th>
            <th scope="col">Client id</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={String(p.id)}>
              <th scope="row">{String(p.id)}</th>
              <td>{String(p.display_name ?? "")}</td>
              <td>{String(p.issuer_url ?? "")}</td>
              <td>{String(p.client_id ?? "")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_TEXT: Record<string, string> = { ok: "Passed", warning: "Warning", failed: "Failed", skipped: "Skipped" };

export function Diagnosis({ d, title }: { d: LdapDiagnosis; title: string }) {
  return (
    <div className="diagnosis" role="region" aria-label={title}>
      <p className={d.ok ? "ok" : "error"}>
        <strong>{d.ok ? "All checks passed." : "A check failed."}</strong>
      </p>
      <ol>
        {d.steps.map((s, i) => (
          <li key={i} className={`step step-${s.status}`}>
            <span className="step-status">{STATUS_TEXT[s.status] ?? s.status}</span> <code>{s.check}</code>: {s.detail}{" "}
            <span className="muted">({s.elapsed_ms} ms)</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function LdapTools() {
  const status = useLoad(adminApi.ldapStatus, "ldap-status");
  const [test, setTest] = useState<LdapDiagnosis | null>(null);
  const [userTest, setUserTest] = useState<LdapDiagnosis | null>(null);
  const [report, setReport] = useState<LdapSyncReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");

  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const testUser = (e: FormEvent) => {
    e.preventDefault();
    void run("user", async () => setUserTest(await adminApi.ldapTestUser(login.trim(), password || undefined)));
  };
  const s = status.data;

  return (
    <div className="ldap-tools">
      <h3>Directory checks</h3>
      <div className="button-row">
        <button type="button" disabled={!!busy} onClick={() => void run("test", async () => setTest(await adminApi.ldapTest()))}>
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <button
          type="button"
          disabled={!!busy}
          onClick={() =>
            void run("sync", async () => {
              setReport(await adminApi.ldapSync());
              status.reload();
            })
          }
        >
          {busy === "sync" ? "Syncing…" : "Sync now"}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {test && <Diagnosis d={test} title="Connection test" />}
      <form className="admin-filters" onSubmit={testUser} aria-label="Test a user">
        <label>
          Login to test
          <input value={login} onChange={(e) => setLogin(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Password (optional)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" disabled={!!busy}>
          {busy === "user" ? "Testing…" : "Test user"}
        </button>
      </form>
      {userTest && <Diagnosis d={userTest} title="User test" />}
      {report && (
        <p role="status">
          Sync finished: {plural(report.users_seen, "user")} seen, {report.created} created, {report.updated} updated,{" "}
          {report.deactivated} deactivated, {report.reactivated} reactivated, {plural(report.issues, "issue")}.
        </p>
      )}
      <h3>Sync status</h3>
      <LoadState loaded={status} what="The sync status" />
      {s && (
        <dl className="facts">
          <dt>LDAP sign-in</dt>
          <dd>{s.enabled ? "Enabled" : "Not enabled"}</dd>
          <dt>Last sync</dt>
          <dd>{s.running ? "Running now" : s.last_sync ? formatUtc(s.last_sync.finished_at) : "Never"}</dd>
          {s.last_error && (
            <>
              <dt>Last error</dt>
              <dd className="error">{s.last_error}</dd>
            </>
          )}
          <dt>Next sync</dt>
          <dd>{s.next_sync_at ? formatUtc(s.next_sync_at) : s.sync_interval_mins ? "After the next start" : "On demand only"}</dd>
        </dl>
      )}
    </div>
  );
}
