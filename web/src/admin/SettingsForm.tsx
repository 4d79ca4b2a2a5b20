// A form over some configuration keys: typed inputs, a client-side check of
// what was typed, then the server's validation of the merged configuration
// before saving. Only changed keys are sent; an untouched secret stays
// "********", which the server reads as "unchanged".
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { errorText } from "../ui/Auth";
import { adminApi, type ConfigView, type JsonValue } from "./api";
import {
  displayValue,
  lockReason,
  needsRestart,
  parseInput,
  partialConfig,
  valueAt,
  type FieldKind,
} from "./configModel";

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind | "select";
  options?: { value: string; label: string }[];
  help?: string;
}

function initialText(view: ConfigView, f: FieldSpec): string {
  const v = valueAt(view.config, f.key);
  const kind = f.kind === "select" ? "string" : f.kind;
  if (v === undefined || v === null) return kind === "bool" ? "false" : "";
  return displayValue({ key: f.key, section: "", kind, value: v });
}

export function SettingsForm(props: {
  view: ConfigView;
  fields: FieldSpec[];
  /** Accessible name of the form. */
  label: string;
  submitLabel?: string;
  onSaved: (v: ConfigView) => void;
}) {
  const { view, fields } = props;
  const initial = useMemo(() => Object.fromEntries(fields.map((f) => [f.key, initialText(view, f)])), [view, fields]);
  const [texts, setTexts] = useState(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => setTexts(initial), [initial]);

  const env = view.env_overrides;
  const cli = view.cli_overrides ?? [];
  const restartKeys = view.restart_keys ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const changes: Record<string, JsonValue> = {};
    const errs: Record<string, string> = {};
    for (const f of fields) {
      if (texts[f.key] === initial[f.key] || lockReason(f.key, env, cli)) continue;
      const p = parseInput(f.kind === "select" ? "string" : f.kind, f.key, texts[f.key]);
      if (p.ok) changes[f.key] = p.value;
      else errs[f.key] = p.error;
    }
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError("Some values are not valid; see the marked fields.");
      return;
    }
    if (Object.keys(changes).length === 0) {
      setSaved("Nothing changed.");
      return;
    }
    setBusy(true);
    try {
      await adminApi.validateConfig(partialConfig(changes));
      const v = await adminApi.patchConfig(changes);
      const later = Object.keys(changes).filter((k) => (v.restart_required ?? []).some((r) => r === k || r.startsWith(k + ".")));
      setSaved(later.length ? `Saved. Takes effect after a restart: ${later.join(", ")}.` : "Saved and applied.");
      props.onSaved(v);
    } catch (err) {
      const msg = errorText(err);
      setError(msg);
      // Point at the field the server named, when it is one of ours.
      if (err instanceof ApiError) {
        const f = [...fields].sort((a, b) => b.key.length - a.key.length).find((x) => msg.includes(x.key) || msg.includes(x.key.split(".").pop() ?? "\0"));
        if (f) setFieldErrors({ [f.key]: msg });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label={props.label} className="settings-form" noValidate>
      {fields.map((f) => {
        const lock = lockReason(f.key, env, cli);
        const err = fieldErrors[f.key];
        const fid = `${id}-${f.key}`;
        const described = [err ? `${fid}-err` : "", f.help || lock || needsRestart(f.key, restartKeys) ? `${fid}-help` : ""]
          .filter(Boolean)
          .join(" ");
        const common = {
          id: fid,
          "aria-invalid": err ? true : undefined,
          "aria-describedby": described || undefined,
          disabled: !!lock,
        };
        const set = (v: string) => setTexts((t) => ({ ...t, [f.key]: v }));
        let input;
        switch (f.kind) {
          case "bool":
            input = <input type="checkbox" {...common} checked={texts[f.key] === "true"} onChange={(e) => set(String(e.target.checked))} />;
            break;
          case "select":
            input = (
              <select {...common} value={texts[f.key]} onChange={(e) => set(e.target.value)}>
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
            break;
          case "list":
          case "json":
            input = (
              <textarea
                {...common}
                className={f.kind === "json" ? "code" : undefined}
                rows={f.kind === "json" ? 6 : 3}
                value={texts[f.key]}
                onChange={(e) => set(e.target.value)}
                spellCheck={false}
              />
            );
            break;
          case "secret":
            input = (
              <input
                type="password"
                {...common}
                value={texts[f.key]}
                onChange={(e) => set(e.target.value)}
                autoComplete="new-password"
              />
            );
            break;
          default:
            input = (
              <input
                type="text"
                inputMode={f.kind === "int" ? "numeric" : undefined}
                {...common}
                value={texts[f.key]}
                onChange={(e) => set(e.target.value)}
                spellCheck={false}
              />
            );
        }
        return (
          <div key={f.key} className={"field" + (f.kind === "bool" ? " check" : "")}>
            {f.kind === "bool" ? (
              <>
                {input}
                <label htmlFor={fid}>{f.label}</label>
              </>
            ) : (
              <>
                <label htmlFor={fid}>
                  {f.label} <code className="key">{f.key}</code>
                </label>
                {input}
              </>
            )}
            {(f.help || lock || needsRestart(f.key, restartKeys)) && (
              <span id={`${fid}-help`} className="hint">
                {[f.help, lock ? `Read-only: ${lock}.` : null, needsRestart(f.key, restartKeys) ? "Applies after a restart." : null]
                  .filter(Boolean)
                  .join(" ")}
              </span>
            )}
            {err && (
              <span id={`${fid}-err`} className="error">
                {err}
              </span>
            )}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : (props.submitLabel ?? "Save")}
        </button>
        {saved && <span role="status">{saved}</span>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
