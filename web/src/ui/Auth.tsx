import { lazy, Suspense, useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { api, isMfaChallenge } from "../api/client";
import type { AuthProvider, MfaChallenge, MfaEnrolment } from "../api/types";
import { cleanCode, groupSecret, providerHref, readSsoError, ssoErrorText } from "./signin";
import { errorText, signinErrorText } from "./errors";

const QrCode = lazy(() => import("./QrCode"));

export function Field(props: {
  label: string;
  type?: string;
  value: string;
  onChange: (v: string) => void;
  autoComplete?: string;
  required?: boolean;
  hint?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? "text"}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        required={props.required}
        autoFocus={props.autoFocus}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

function Card(props: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="card">
        <h1 className="brand">Hearth</h1>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </main>
  );
}

function useSubmit(fn: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(signinErrorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, onSubmit };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

function AccountFields(p: {
  username: string;
  setUsername: (v: string) => void;
  email: string;
  setEmail: (v: string) => void;
  displayName: string;
  setDisplayName: (v: string) => void;
  password: string;
  setPassword: (v: string) => void;
}) {
  return (
    <>
      <Field label="Username" value={p.username} onChange={p.setUsername} autoComplete="username" required />
      <Field label="E-mail" type="email" value={p.email} onChange={p.setEmail} autoComplete="email" required />
      <Field label="Display name (optional)" value={p.displayName} onChange={p.setDisplayName} autoComplete="name" />
      <Field label="Password" type="password" value={p.password} onChange={p.setPassword} autoComplete="new-password" required />
    </>
  );
}

function useAccount() {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  return { username, setUsername, email, setEmail, displayName, setDisplayName, password, setPassword };
}

export function SetupScreen({ onDone }: { onDone: () => void }) {
  const [token, setToken] = useState("");
  const acct = useAccount();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.signup({
      username: acct.username.trim(),
      email: acct.email.trim(),
      password: acct.password,
      display_name: acct.displayName.trim() || null,
      setup_token: token.trim(),
    });
    const r = await api.login({ login: acct.username.trim(), password: acct.password });
    if (isMfaChallenge(r)) setChallenge(r);
    else onDone();
  });
  if (challenge) return <MfaStep challenge={challenge} onDone={onDone} onCancel={() => setChallenge(null)} />;
  return (
    <Card title="Set up this server">
      <p>Create the first account. It becomes the system administrator.</p>
      <form onSubmit={onSubmit}>
        <Field
          label="Setup token"
          value={token}
          onChange={setToken}
          required
          autoFocus
          autoComplete="off"
          hint="Printed by the server when it first starts."
        />
        <AccountFields {...acct} />
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create administrator"}
        </button>
      </form>
    </Card>
  );
}

export function SignInScreen(props: { canSignUp: boolean; onSignUp: () => void; onDone: () => void; notice?: string }) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [providers, setProviders] = useState<AuthProvider[]>([]);
  const [ssoError] = useState(() => readSsoError(window.location.search));
  useEffect(() => {
    // Shown once: a reload should not repeat an old failure.
    if (ssoError) {
      const url = new URL(window.location.href);
      url.searchParams.delete("sso_error");
      window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    }
  }, [ssoError]);
  useEffect(() => {
    void api.authProviders().then(
      (p) => setProviders(p.providers),
      () => setProviders([]),
    );
  }, []);
  const { error, busy, onSubmit } = useSubmit(async () => {
    const r = await api.login({ login: login.trim(), password });
    if (isMfaChallenge(r)) {
      setPassword("");
      setChallenge(r);
    } else props.onDone();
  });
  if (challenge) return <MfaStep challenge={challenge} onDone={props.onDone} onCancel={() => setChallenge(null)} />;
  const returnTo = window.location.pathname === "/" ? "/" : window.location.pathname + window.location.search;
  return (
    <Card title="Sign in">
      {props.notice && <p role="note">{props.notice}</p>}
      {ssoError && (
        <p className="error" role="alert">
          {ssoErrorText(ssoError)}
        </p>
      )}
      {providers.length > 0 && (
        <div className="sso-buttons">
          {providers.map((p) => (
            <a key={p.id} className="button primary" href={providerHref(p.login_url, returnTo)}>
              Sign in with {p.display_name}
            </a>
          ))}
          <p className="hint">or with your username and password</p>
        </div>
      )}
      <form onSubmit={onSubmit}>
        <Field label="Username or e-mail" value={login} onChange={setLogin} autoComplete="username" required autoFocus />
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.canSignUp && (
        <p>
          No account?{" "}
          <button type="button" className="link" onClick={props.onSignUp}>
            Create one
          </button>
        </p>
      )}
    </Card>
  );
}

/** The second step of a login: a code from the authenticator app or a recovery code;
 * where MFA is enforced and not set up yet, enrolment first. */
function MfaStep(props: { challenge: MfaChallenge; onDone: () => void; onCancel: () => void }) {
  const { challenge } = props;
  const [code, setCode] = useState("");
  const [useRecovery, setUseRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const enrol = useSubmit(async () => {
    setEnrolment(await api.loginMfaEnrol(challenge.mfa_token));
  });
  const { error, busy, onSubmit } = useSubmit(async () => {
    const r = await api.loginMfa(
      useRecovery ? { mfa_token: challenge.mfa_token, recovery_code: code.trim() } : { mfa_token: challenge.mfa_token, code: cleanCode(code) },
    );
    if (r.recovery_codes?.length) setCodes(r.recovery_codes);
    else props.onDone();
  });
  if (codes) {
    return (
      <Card title="Save your recovery codes">
        <p>Each code signs you in once if you lose your authenticator. They are shown only now.</p>
        <RecoveryCodeList codes={codes} />
        <button type="button" className="primary" onClick={props.onDone}>
          I saved them, continue
        </button>
      </Card>
    );
  }
  if (challenge.enrolment_required && !enrolment) {
    return (
      <Card title="Set up two-factor authentication">
        <p>This server requires a code from an authenticator app (such as FreeOTP, Aegis or Google Authenticator) at every sign-in.</p>
        <form onSubmit={enrol.onSubmit}>
          <ErrorLine error={enrol.error} />
          <button type="submit" className="primary" disabled={enrol.busy}>
            Set up now
          </button>
        </form>
        <p>
          <button type="button" className="link" onClick={props.onCancel}>
            Back to sign in
          </button>
        </p>
      </Card>
    );
  }
  return (
    <Card title="Two-factor authentication">
      {enrolment && <EnrolmentInfo enrolment={enrolment} />}
      <form onSubmit={onSubmit}>
        {useRecovery ? (
          <Field label="Recovery code" value={code} onChange={setCode} autoComplete="off" required autoFocus />
        ) : (
          <Field
            label="Code from your authenticator app"
            value={code}
            onChange={(v) => setCode(cleanCode(v))}
            autoComplete="one-time-code"
            required
            autoFocus
          />
        )}
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Checking…" : "Verify"}
        </button>
      </form>
      {!enrolment && (
        <p>
          <button
            type="button"
            className="link"
            onClick={() => {
              setCode("");
              setUseRecovery(!useRecovery);
            }}
          >
            {useRecovery ? "Use a code from the app" : "Use a recovery code"}
          </button>
        </p>
      )}
      <p>
        <button type="button" className="link" onClick={props.onCancel}>
          Back to sign in
        </button>
      </p>
    </Card>
  );
}

/** The QR code (loaded on demand) and the secret as text. */
export function EnrolmentInfo({ enrolment }: { enrolment: MfaEnrolment }) {
  return (
    <div className="mfa-enrol">
      <p>Scan this code with your authenticator app, or type the key by hand.</p>
      <Suspense fallback={<div className="qr-placeholder" role="status">Loading QR code…</div>}>
        <QrCode text={enrolment.otpauth_uri} label="QR code for your authenticator app" />
      </Suspense>
      <p>
        Key: <code className="secret">{groupSecret(enrolment.secret)}</code>
      </p>
    </div>
  );
}

export function RecoveryCodeList({ codes }: { codes: string[] }) {
  return (
    <ul className="recovery-codes" aria-label="Recovery codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ul>
  );
}

export function SignUpScreen(props: { inviteOnly: boolean; inviteId?: string | null; onSignIn: () => void; onDone: () => void }) {
  const acct = useAccount();
  const [invite, setInvite] = useState(props.inviteId ?? "");
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.signup({
      username: acct.username.trim(),
      email: acct.email.trim(),
      password: acct.password,
      display_name: acct.displayName.trim() || null,
      invite_id: invite.trim() || null,
    });
    const r = await api.login({ login: acct.username.trim(), password: acct.password });
    if (isMfaChallenge(r)) setChallenge(r);
    else props.onDone();
  });
  if (challenge) return <MfaStep challenge={challenge} onDone={props.onDone} onCancel={() => setChallenge(null)} />;
  return (
    <Card title="Create an account">
      {props.inviteId && <p role="note">You have been invited to a team: create an account to join it, or sign in if you have one.</p>}
      <form onSubmit={onSubmit}>
        <AccountFields {...acct} />
        {(props.inviteOnly || props.inviteId) && (
          <Field label="Invitation code" value={invite} onChange={setInvite} required hint="From a team invite link." />
        )}
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <p>
        Have an account?{" "}
        <button type="button" className="link" onClick={props.onSignIn}>
          Sign in
        </button>
      </p>
    </Card>
  );
}

export { errorText };
