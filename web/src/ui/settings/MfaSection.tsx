import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api } from "../../api/client";
import type { MfaEnrolment, MfaStatus } from "../../api/types";
import { EnrolmentInfo, errorText, Field, RecoveryCodeList } from "../Auth";
import { cleanCode } from "../signin";

/** Settings → Security: set up, use and turn off two-factor authentication. */
export function MfaSection() {
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => void api.mfaStatus().then(setStatus, (e) => setError(errorText(e))), []);
  useEffect(load, [load]);

  const run = (fn: () => Promise<void>) => async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const start = run(async () => {
    setCodes(null);
    setEnrolment(await api.mfaEnrol());
  });
  const activate = run(async () => {
    const r = await api.mfaActivate(cleanCode(code));
    setEnrolment(null);
    setCode("");
    setCodes(r.recovery_codes);
    load();
  });
  const disable = run(async () => {
    await api.mfaDisable(cleanCode(code));
    setCode("");
    setCodes(null);
    load();
  });
  const regenerate = run(async () => {
    const r = await api.mfaRecoveryCodes(cleanCode(code));
    setCode("");
    setCodes(r.recovery_codes);
    load();
  });

  return (
    <section aria-labelledby="mfa-head">
      <h3 id="mfa-head">Two-factor authentication</h3>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status === null ? (
        <p role="status">Loading…</p>
      ) : codes ? (
        <div>
          <p>Save these recovery codes somewhere safe. Each signs you in once without your app; they are shown only now.</p>
          <RecoveryCodeList codes={codes} />
          <button type="button" onClick={() => setCodes(null)}>
            Done
          </button>
        </div>
      ) : enrolment ? (
        <form onSubmit={activate}>
          <EnrolmentInfo enrolment={enrolment} />
          <Field label="Code from the app" value={code} onChange={(v) => setCode(cleanCode(v))} autoComplete="one-time-code" required />
          <button type="submit" className="primary" disabled={busy || code.length !== 6}>
            Turn on
          </button>{" "}
          <button type="button" onClick={() => setEnrolment(null)}>
            Cancel
          </button>
        </form>
      ) : status.enabled ? (
        <form onSubmit={(e) => e.preventDefault()}>
          <p>
            On. {status.recovery_codes_left} recovery code{status.recovery_codes_left === 1 ? "" : "s"} left.
            {status.required && " This server requires it for your account."}
          </p>
          <Field label="Current code from the app" value={code} onChange={(v) => setCode(cleanCode(v))} autoComplete="one-time-code" />
          <button type="button" disabled={busy || code.length !== 6} onClick={() => void regenerate()}>
            New recovery codes
          </button>{" "}
          {!status.required && (
            <button type="button" className="danger" disabled={busy || code.length !== 6} onClick={() => void disable()}>
              Turn off
            </button>
          )}
        </form>
      ) : (
        <div>
          <p>Off. With it on, signing in with your password also asks for a code from an authenticator app.</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
            Set up
          </button>
        </div>
      )}
    </section>
  );
}
