// The audit log: entries filtered by actor, action and date range, paged by
// sequence number, one entry in detail (/admin/audit/<seq>), and a check of
// the whole hash chain.
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { Id, User } from "../api/types";
import { goTo } from "../state/appPath";
import { errorText } from "../ui/Auth";
import { Dialog } from "../ui/nav/Dialog";
import { adminApi, type AuditLogEntry, type AuditPage, type AuditVerification } from "./api";
import { Link, LoadState, useLoad, useTitle } from "./common";
import { auditQuery, formatUtc, plural } from "./format";
import { adminPath, type AdminRoute } from "./route";

export default function AuditLog({ route }: { route: AdminRoute }) {
  useTitle("Audit log");
  const q = route.query;
  const filters = { actor: q.actor, action: q.action, from: q.from, to: q.to };
  const key = JSON.stringify({ ...filters, after: q.after });
  const page = useLoad<AuditPage>(async () => {
    let actorId: Id | undefined;
    if (q.actor) actorId = (await api.userByUsername(q.actor.replace(/^@/, ""))).id;
    return adminApi.audit(auditQuery(q, actorId));
  }, key);
  const names = useNames(page.data?.entries ?? []);

  return (
    <section aria-labelledby="audit-title">
      <div className="admin-title-row">
        <h1 id="audit-title">Audit log</h1>
      </div>
      <VerifyChain />
      <Filters initial={filters} />
      <LoadState loaded={page} what="Audit entries" />
      {page.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Audit entries, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.entries.length === 0 && (
                <tr>
                  <td colSpan={6}>No entries match.</td>
                </tr>
              )}
              {page.data.entries.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{formatUtc(e.at)}</td>
                  <td>{actorName(e, names)}</td>
                  <th scope="row">
                    <code>{e.action}</code>
                  </th>
                  <td>
                    {e.target_kind}
                    {e.target_id && e.target_kind === "user" && names[e.target_id] ? ` @${names[e.target_id].username}` : ""}
                  </td>
                  <td>
                    <Link to={adminPath("audit", filters, String(e.seq))} label={`Details of entry ${e.seq}`}>
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages of audit entries">
        <button type="button" disabled={!q.after} onClick={() => goTo(adminPath("audit", filters))}>
          First page
        </button>
        <button
          type="button"
          disabled={!page.data?.next_after}
          onClick={() => goTo(adminPath("audit", { ...filters, after: page.data?.next_after ?? undefined }))}
        >
          Next page
        </button>
      </nav>
      {route.id && <EntryDialog seq={Number(route.id)} names={names} onClose={() => goTo(adminPath("audit", { ...filters, after: q.after }))} />}
    </section>
  );
}

function actorName(e: AuditLogEntry, names: Record<Id, User>): string {
  if (!e.actor_id) return "The server";
  const u = names[e.actor_id];
  return u ? `@${u.username}` : e.actor_id;
}

/** Users named by the entries (actors and user targets), fetched once each. */
function useNames(entries: AuditLogEntry[]): Record<Id, User> {
  const [names, setNames] = useState<Record<Id, User>>({});
  useEffect(() => {
    const ids = new Set<Id>();
    for (const e of entries) {
      if (e.actor_id) ids.add(e.actor_id);
      if (e.target_kind === "user" && e.target_id) ids.add(e.target_id);
    }
    const missing = [...ids].filter((id) => !names[id]);
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => adminApi.user(id).catch(() => null))).then((found) => {
      if (!live) return;
      setNames((prev) => {
        const next = { ...prev };
        for (const u of found) if (u) next[u.id] = u;
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [entries, names]);
  return names;
}

function Filters({ initial }: { initial: Record<string, string | undefined> }) {
  const [f, setF] = useState({ actor: initial.actor ?? "", action: initial.action ?? "", from: initial.from ?? "", to: initial.to ?? "" });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    goTo(adminPath("audit", { actor: f.actor.trim().replace(/^@/, ""), action: f.action.trim(), from: f.from, to: f.to }));
  };
  const clear = () => {
    setF({ actor: "", action: "", from: "", to: "" });
    goTo(adminPath("audit"));
  };
  return (
    <form className="admin-filters" onSubmit={submit} aria-label="Filter audit entries">
      <label>
        Actor (username)
        <input value={f.actor} onChange={(e) => setF({ ...f, actor: e.target.value })} />
      </label>
      <label>
        Action
        <input value={f.action} onChange={(e) => setF({ ...f, action: e.target.value })} placeholder="e.g. user.deactivate" />
      </label>
      <label>
        From
        <input type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
      </label>
      <button type="submit">Apply filters</button>
      <button type="button" onClick={clear}>
        Clear
      </button>
    </form>
  );
}

function VerifyChain() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await adminApi.verifyAudit());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="verify">
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? "Verifying…" : "Verify chain"}
      </button>
      {result &&
        (result.ok ? (
          <p role="status" className="ok">
            Chain OK: {plural(result.entries, "entry", "entries")} verified
            {result.head_hash ? (
              <>
                , head hash <code className="hash">{result.head_hash.slice(0, 16)}…</code>
              </>
            ) : null}
            {result.keyed_from_seq != null ? <>, keyed from entry #{result.keyed_from_seq}</> : null}.
          </p>
        ) : result.first_bad_seq == null && result.unchecked_from_seq != null ? (
          <p role="alert" className="error">
            Cannot check keyed entries from #{result.unchecked_from_seq} on: {result.reason}
          </p>
        ) : (
          <p role="alert" className="error">
            Chain broken at entry #{result.first_bad_seq}: {result.reason}
          </p>
        ))}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

function EntryDialog({ seq, names, onClose }: { seq: number; names: Record<Id, User>; onClose: () => void }) {
  const entry = useLoad(async () => {
    const p = await adminApi.audit({ after: seq - 1, limit: 1 });
    const e = p.entries[0];
    if (!e || e.seq !== seq) throw new Error(`There is no audit entry #${seq}.`);
    return e;
  }, String(seq));
  const e = entry.data;
  return (
    <Dialog title={`Audit entry #${seq}`} onClose={onClose} className="wide">
      <LoadState loaded={entry} what="The entry" />
      {e && (
        <dl className="facts">
          <dt>Time</dt>
          <dd>{formatUtc(e.at)}</dd>
          <dt>Actor</dt>
          <dd>{actorName(e, names)}</dd>
          <dt>Action</dt>
          <dd>
            <code>{e.action}</code>
          </dd>
          <dt>Target</dt>
          <dd>
            {e.target_kind} {e.target_id ?? ""}
          </dd>
          <dt>Address</dt>
          <dd>{e.ip ?? "—"}</dd>
          <dt>Details</dt>
          <dd>
            <pre className="code">{JSON.stringify(e.details, null, 2)}</pre>
          </dd>
          <dt>Hash</dt>
          <dd>
            <code className="hash">{e.hash}</code>
          </dd>
          <dt>Previous hash</dt>
          <dd>
            <code className="hash">{e.prev_hash}</code>
          </dd>
        </dl>
      )}
    </Dialog>
  );
}
