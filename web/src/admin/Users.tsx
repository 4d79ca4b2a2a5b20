// Users: search and page through accounts, create one, and act on one
// (role, deactivate or activate, password, MFA, sessions), each answered
// with the server's message when it refuses.
import { useState, type FormEvent } from "react";
import type { Role, User } from "../api/types";
import { goTo } from "../state/appPath";
import { errorText } from "../ui/Auth";
import { Dialog } from "../ui/nav/Dialog";
import { MenuButton } from "../ui/nav/Menu";
import { adminApi } from "./api";
import { ConfirmDialog, LoadState, useLoad, useTitle } from "./common";
import { OFFICER_ON_HOST, ROLE_NAMES, roleChangeable, roleChoices } from "./roles";
import { adminPath, type AdminRoute } from "./route";

export const PER_PAGE = 25;


type Action =
  | { kind: "create" }
  | { kind: "role"; user: User }
  | { kind: "active"; user: User }
  | { kind: "password"; user: User }
  | { kind: "mfa"; user: User }
  | { kind: "sessions"; user: User };

export default function Users({ route }: { route: AdminRoute }) {
  useTitle("Users");
  const q = route.query.q ?? "";
  const page = Math.max(0, Number(route.query.page ?? 0) || 0);
  const list = useLoad(() => adminApi.users(q, page, PER_PAGE), `${q}|${page}`);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [text, setText] = useState(q);

  const search = (e: FormEvent) => {
    e.preventDefault();
    goTo(adminPath("users", { q: text.trim() }));
  };
  const done = (msg: string) => {
    setNotice(msg);
    list.reload();
  };
  const users = list.data ?? [];

  return (
    <section aria-labelledby="users-title">
      <div className="admin-title-row">
        <h1 id="users-title">Users</h1>
        <button type="button" className="primary" onClick={() => setAction({ kind: "create" })}>
          Create user
        </button>
      </div>
      <form role="search" className="admin-filters" onSubmit={search}>
        <label>
          Find users
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name, username or e-mail" />
        </label>
        <button type="submit">Search</button>
      </form>
      {notice && (
        <p role="status" className="admin-notice">
          {notice}
        </p>
      )}
      <LoadState loaded={list} what="Users" />
      {list.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Users{q ? ` matching “${q}”` : ""}, page {page + 1}</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.length === 0 && (
                <tr>
                  <td colSpan={5}>No users{q ? ` match “${q}”` : ""}.</td>
                </tr>
              )}
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    <span className="strong">@{u.username}</span>
                    {u.display_name && u.display_name !== u.username && <span className="muted"> {u.display_name}</span>}
                    {u.is_bot && <span className="tag">bot</span>}
                  </th>
                  <td>{u.email ?? ""}</td>
                  <td>{ROLE_NAMES[u.role]}</td>
                  <td>{u.is_active ? "Active" : <span className="tag off">Deactivated</span>}</td>
                  <td className="actions">
                    <MenuButton
                      label={`Actions for ${u.username}`}
                      // An officer's account is managed on the server's host
                      // (the server refuses admins every action on it): only
                      // the role dialog, which says so, is offered.
                      items={
                        roleChangeable(u.role)
                          ? [
                              { label: "Change role", onSelect: () => setAction({ kind: "role", user: u }) },
                              { label: "Reset password", onSelect: () => setAction({ kind: "password", user: u }) },
                              { label: "Reset MFA", onSelect: () => setAction({ kind: "mfa", user: u }) },
                              { label: "Revoke sessions", onSelect: () => setAction({ kind: "sessions", user: u }) },
                              u.is_active
                                ? { label: "Deactivate", danger: true, onSelect: () => setAction({ kind: "active", user: u }) }
                                : { label: "Activate", onSelect: () => setAction({ kind: "active", user: u }) },
                            ]
                          : [{ label: "Change role", onSelect: () => setAction({ kind: "role", user: u }) }]
                      }
                    >
                      Actions
                    </MenuButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages of users">
        <button type="button" disabled={page === 0} onClick={() => goTo(adminPath("users", { q, page: page - 1 || undefined }))}>
          Previous page
        </button>
        <span>Page {page + 1}</span>
        <button type="button" disabled={users.length < PER_PAGE} onClick={() => goTo(adminPath("users", { q, page: page + 1 }))}>
          Next page
        </button>
      </nav>
      {action && <ActionDialog action={action} onClose={() => setAction(null)} onDone={done} />}
    </section>
  );
}

function ActionDialog({ action, onClose, onDone }: { action: Action; onClose: () => void; onDone: (msg: string) => void }) {
  switch (action.kind) {
    case "create":
      return <CreateUserDialog onClose={onClose} onDone={onDone} />;
    case "role":
      return <RoleDialog user={action.user} onClose={onClose} onDone={onDone} />;
    case "password":
      return <PasswordDialog user={action.user} onClose={onClose} onDone={onDone} />;
    case "active": {
      const u = action.user;
      return (
        <ConfirmDialog
          title={u.is_active ? `Deactivate @${u.username}?` : `Activate @${u.username}?`}
          confirmLabel={u.is_active ? "Deactivate" : "Activate"}
          danger={u.is_active}
          onConfirm={() => adminApi.setActive(u.id, !u.is_active)}
          onDone={() => onDone(u.is_active ? `@${u.username} was deactivated.` : `@${u.username} was activated.`)}
          onClose={onClose}
        >
          <p>
            {u.is_active
              ? "They are signed out everywhere at once and cannot sign in until activated again. Their messages stay."
              : "They can sign in again."}
          </p>
        </ConfirmDialog>
      );
    }
    case "mfa":
      return (
        <ConfirmDialog
          title={`Reset MFA of @${action.user.username}?`}
          confirmLabel="Reset MFA"
          danger
          onConfirm={() => adminApi.resetMfa(action.user.id)}
          onDone={() => onDone(`The second factor of @${action.user.username} was removed.`)}
          onClose={onClose}
        >
          <p>Their authenticator app and recovery codes stop working; they enrol again at their next sign-in if MFA is required.</p>
        </ConfirmDialog>
      );
    case "sessions":
      return (
        <ConfirmDialog
          title={`Revoke the sessions of @${action.user.username}?`}
          confirmLabel="Revoke sessions"
          danger
          onConfirm={() => adminApi.revokeSessions(action.user.id)}
          onDone={() => onDone(`Every session and token of @${action.user.username} was revoked.`)}
          onClose={onClose}
        >
          <p>They are signed out on every device and their personal access tokens stop working.</p>
        </ConfirmDialog>
      );
  }
}

function FormError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

function CreateUserDialog({ onClose, onDone }: { onClose: () => void; onDone: (msg: string) => void }) {
  const [f, setF] = useState({ username: "", email: "", display_name: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await adminApi.createUser({ ...f, display_name: f.display_name.trim() || undefined });
      onDone(`@${u.username} was created.`);
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Create user" onClose={onClose}>
      <form onSubmit={submit}>
        <label className="field">
          Username
          <input required value={f.username} onChange={set("username")} autoComplete="off" />
        </label>
        <label className="field">
          E-mail
          <input required type="email" value={f.email} onChange={set("email")} autoComplete="off" />
        </label>
        <label className="field">
          Display name (optional)
          <input value={f.display_name} onChange={set("display_name")} />
        </label>
        <label className="field">
          Password
          <input required type="password" value={f.password} onChange={set("password")} autoComplete="new-password" />
        </label>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RoleDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (msg: string) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await adminApi.setRole(user.id, role);
      onDone(`@${user.username} is now ${ROLE_NAMES[role].toLowerCase()}.`);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title={`Role of @${user.username}`} onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset className="radios" aria-describedby="officer-role-hint">
          <legend>System role</legend>
          {roleChoices(user.role).map((c) => (
            <label key={c.role}>
              <input
                type="radio"
                name="role"
                value={c.role}
                checked={role === c.role}
                disabled={c.disabled}
                onChange={() => setRole(c.role)}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <p id="officer-role-hint" className="hint">
          {roleChangeable(user.role)
            ? OFFICER_ON_HOST
            : `@${user.username} is a compliance officer: this account is managed only on the server's host (hearthctl --local).`}
        </p>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={role === user.role}>
            Save role
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (msg: string) => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await adminApi.resetPassword(user.id, password);
      onDone(`The password of @${user.username} was reset; their sessions ended.`);
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Reset the password of @${user.username}`} onClose={onClose}>
      <form onSubmit={submit}>
        <p>They are signed out everywhere and sign in with the new password.</p>
        <label className="field">
          New password
          <input required type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy || !password}>
            Reset password
          </button>
        </div>
      </form>
    </Dialog>
  );
}
