// The effective configuration by section: every key editable unless fixed by
// the environment or the command line, checked in the browser and by the
// server before it is saved, restart-only keys marked.
import { useMemo, useState } from "react";
import { errorText } from "../ui/Auth";
import { adminApi, type ConfigView } from "./api";
import { LoadState, useLoad, useTitle } from "./common";
import { bySection, flattenConfig } from "./configModel";
import { SettingsForm, type FieldSpec } from "./SettingsForm";

const SECTION_TITLES: Record<string, string> = {
  server: "Server",
  database: "Database",
  accounts: "Accounts",
  files: "Files",
  limits: "Limits",
  realtime: "Real time",
  search: "Search",
  log: "Logging",
  sessions: "Sessions",
  login: "Login",
  mfa: "Multi-factor authentication",
  ldap: "LDAP",
  oidc: "OpenID Connect",
};

/** `ldap.directory.base_dn` → `Base dn` under its section. */
function labelOf(key: string): string {
  const rest = key.split(".").slice(1).join(" › ").replaceAll("_", " ");
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

export default function Configuration() {
  useTitle("Configuration");
  const config = useLoad(adminApi.config, "config");
  const [view, setView] = useState<ConfigView | null>(null);
  const [reloadMsg, setReloadMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const v = view ?? config.data;
  const sections = useMemo(
    () =>
      v
        ? bySection(flattenConfig(v.config)).map(([section, fields]) => [
            section,
            fields.map<FieldSpec>((f) => ({ key: f.key, label: labelOf(f.key), kind: f.kind })),
          ] as const)
        : [],
    [v],
  );

  const reload = async () => {
    setReloadMsg(null);
    try {
      const r = await adminApi.reloadConfig();
      setView(r);
      setReloadMsg({ ok: true, text: "The configuration was read again." });
    } catch (e) {
      setReloadMsg({ ok: false, text: errorText(e) });
    }
  };

  return (
    <section aria-labelledby="config-title">
      <div className="admin-title-row">
        <h1 id="config-title">Configuration</h1>
        <button type="button" onClick={() => void reload()}>
          Reload from file
        </button>
      </div>
      <LoadState loaded={config} what="The configuration" />
      {reloadMsg && (
        <p role={reloadMsg.ok ? "status" : "alert"} className={reloadMsg.ok ? "" : "error"}>
          {reloadMsg.text}
        </p>
      )}
      {v && (
        <>
          <dl className="facts">
            <dt>File</dt>
            <dd>{v.source ?? "None yet: the first change creates hearth.toml in the data directory."}</dd>
            <dt>Changes can be saved</dt>
            <dd>{v.writable ? "Yes" : "No: the file or its directory is read-only"}</dd>
            {v.env_overrides.length > 0 && (
              <>
                <dt>Set by the environment</dt>
                <dd>{v.env_overrides.join(", ")}</dd>
              </>
            )}
          </dl>
          {(v.restart_required ?? []).length > 0 && (
            <p className="admin-notice" role="status">
              Restart required: saved changes to {(v.restart_required ?? []).join(", ")} take effect after the server restarts.
            </p>
          )}
          {sections.map(([section, fields]) => (
            <details key={section} className="panel config-section" open={section === "accounts"}>
              <summary>
                <h2>{SECTION_TITLES[section] ?? section}</h2>
              </summary>
              <SettingsForm
                view={v}
                fields={fields}
                label={`${SECTION_TITLES[section] ?? section} settings`}
                submitLabel={`Save ${(SECTION_TITLES[section] ?? section).toLowerCase()} settings`}
                onSaved={setView}
              />
            </details>
          ))}
        </>
      )}
    </section>
  );
}
