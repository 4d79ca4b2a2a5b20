import { useId, useState, type FormEvent, type ReactNode } from "react";
import { api, ApiError } from "../api/client";

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case "invalid_credentials":
        return "Wrong username or password.";
      case "setup_token_invalid":
        return "The setup token is wrong. It is printed in the server log at first start.";
      case "conflict":
        return "That username or e-mail is already taken.";
      case "signup_disabled":
        return "Signup is closed on this server, or needs a valid invitation.";
      case "rate_limited":
        return `Too many attempts. Try again${e.retryAfter ? ` in ${e.retryAfter} s` : " later"}.`;
      default:
        return e.message;
    }
  }
  return "Something went wrong.";
}

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
      setError(errorText(err));
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
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.signup({
      username: acct.username.trim(),
      email: acct.email.trim(),
      password: acct.password,
      display_name: acct.displayName.trim() || null,
      setup_token: token.trim(),
    });
    await api.login({ login: acct.username.trim(), password: acct.password });
    onDone();
  });
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
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.login({ login: login.trim(), password });
    props.onDone();
  });
  return (
    <Card title="Sign in">
      {props.notice && <p role="note">{props.notice}</p>}
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

export function SignUpScreen(props: { inviteOnly: boolean; inviteId?: string | null; onSignIn: () => void; onDone: () => void }) {
  const acct = useAccount();
  const [invite, setInvite] = useState(props.inviteId ?? "");
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.signup({
      username: acct.username.trim(),
      email: acct.email.trim(),
      password: acct.password,
      display_name: acct.displayName.trim() || null,
      invite_id: invite.trim() || null,
    });
    await api.login({ login: acct.username.trim(), password: acct.password });
    props.onDone();
  });
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
