// The Compliance page: retention periods and the purge, legal holds, exports
// and their jobs, and (for compliance officers) the audited search across all
// content. One tab at a time, named by `?tab=` so each can be deep-linked.
import { Fragment, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { api } from "../api/client";
import type { Channel, Id, Team, User } from "../api/types";
import { useAppState } from "../state/store";
import { goTo } from "../state/appPath";
import { errorText } from "../ui/Auth";
import { Dialog } from "../ui/nav/Dialog";
import { adminApi } from "./api";
import { ConfirmDialog, LoadState, Stat, useLoad, useTitle, type Loaded } from "./common";
import {
  canCancel,
  complianceApi,
  downloadUrl,
  fileSizeText,
  formatPeriod,
  FORMATS,
  isJobActive,
  jobProgressText,
  jobTitle,
  parsePeriod,
  parseTab,
  periodText,
  tabsFor,
  type ComplianceJob,
  type ComplianceTab,
  type ExportCursorState,
  type ExportFormat,
  type LegalHold,
  type LegalHoldRequest,
  type PurgeReport,
  type RetentionPolicy,
} from "./compliance";
import { dayToMillis, formatBytes, formatUtc, plural } from "./format";
import { adminPath, type AdminRoute } from "./route";

export default function Compliance({ route }: { route: AdminRoute }) {
  useTitle("Compliance");
  const role = useAppState((s) => s.me?.role);
  const tab = parseTab(route.query.tab, role);
  const tabs = tabsFor(role);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const open = (t: ComplianceTab, focus = false) => {
    goTo(adminPath("compliance", { tab: t === tabs[0].tab ? undefined : t }));
    if (focus) refs.current[t]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.tab === tab);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    open(tabs[next].tab, true);
  };
  return (
    <section aria-labelledby="compliance-title">
      <div className="admin-title-row">
        <h1 id="compliance-title">Compliance</h1>
      </div>
      <div role="tablist" aria-label="Compliance" className="admin-tabs" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            id={`ctab-${t.tab}`}
            aria-selected={t.tab === tab}
            aria-controls="ctab-panel"
            tabIndex={t.tab === tab ? 0 : -1}
            ref={(el) => {
              refs.current[t.tab] = el;
            }}
            onClick={() => open(t.tab)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="ctab-panel" aria-labelledby={`ctab-${tab}`} className="admin-tabpanel">
        {tab === "retention" && <RetentionTab />}
        {tab === "holds" && <HoldsTab />}
        {tab === "exports" && <ExportsTab officer={role === "compliance_officer"} />}
        {tab === "search" && <SearchTab />}
      </div>
    </section>
  );
}

// ---------------------------------------------------------------- shared parts

/** A line saying what happened, or the server's refusal. */
type Note = { ok: boolean; text: string } | null;
function NoteLine({ note }: { note: Note }) {
  if (!note) return null;
  return note.ok ? (
    <p role="status">{note.text}</p>
  ) : (
    <p role="alert" className="error">
      {note.text}
    </p>
  );
}

/** Runs an action, keeping its busy flag and its outcome. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const run = async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setNote(null);
    try {
      const text = await fn();
      if (text) setNote({ ok: true, text });
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, note, setNote, run };
}

/** Every team (system admins), else the teams the user is in. */
function useTeams() {
  return useLoad<Team[]>(() => adminApi.teams().catch(() => api.teams()), "teams");
}

/** Names of channels, fetched once each; the id until known. */
function useChannelNames(ids: Id[]): Record<Id, string> {
  const [names, setNames] = useState<Record<Id, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    const missing = key ? key.split(",").filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(
      missing.map((id) => api.channel(id).then((c) => [id, channelLabel(c)] as const, () => [id, hiddenChannel(id)] as const)),
    ).then(
      (found) => live && setNames((prev) => ({ ...prev, ...Object.fromEntries(found) })),
    );
    return () => {
      live = false;
    };
  }, [key, names]);
  return names;
}

/** Usernames of users, fetched once each. */
function useUserNames(ids: Id[]): Record<Id, string> {
  const [names, setNames] = useState<Record<Id, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    const missing = key ? key.split(",").filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => adminApi.user(id).then((u) => [id, "@" + u.username] as const, () => [id, id] as const))).then(
      (found) => live && setNames((prev) => ({ ...prev, ...Object.fromEntries(found) })),
    );
    return () => {
      live = false;
    };
  }, [key, names]);
  return names;
}

/** A channel the reader may not open (an officer outside a private channel): its id, shortened. */
const hiddenChannel = (id: Id) => `channel ${id.slice(-8)} (not open to you)`;

const channelLabel = (c: Channel) => (c.kind === "direct" || c.kind === "group" ? "Direct message" : "~" + c.name);

/** A team, then one of its channels. */
function ChannelPicker(props: { label: string; onPick: (c: Channel) => void; addLabel?: string }) {
  const teams = useTeams();
  const [teamId, setTeamId] = useState("");
  const channels = useLoad<Channel[]>(() => (teamId ? api.browseChannels(teamId, true) : Promise.resolve([])), teamId);
  const [channelId, setChannelId] = useState("");
  const picked = channels.data?.find((c) => c.id === channelId);
  return (
    <fieldset className="picker">
      <legend>{props.label}</legend>
      <label>
        Team
        <select
          aria-label="Team"
          value={teamId}
          onChange={(e) => {
            setTeamId(e.target.value);
            setChannelId("");
          }}
        >
          <option value="">Choose a team</option>
          {teams.data?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.display_name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Channel
        <select aria-label="Channel" value={channelId} onChange={(e) => setChannelId(e.target.value)} disabled={!teamId}>
          <option value="">Choose a channel</option>
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.display_name} (~{c.name})
            </option>
          ))}
        </select>
      </label>
      {props.addLabel && (
        <button type="button" disabled={!picked} onClick={() => picked && props.onPick(picked)}>
          {props.addLabel}
        </button>
      )}
      {!props.addLabel && picked && <PickEffect value={picked} onPick={props.onPick} />}
    </fieldset>
  );
}

/** Reports the current choice of a single-choice picker. */
function PickEffect<T>({ value, onPick }: { value: T; onPick: (v: T) => void }) {
  useEffect(() => onPick(value), [value]); // eslint-disable-line react-hooks/exhaustive-deps
  return null;
}

/** Users found by a username search, each added with a button. */
function UserPicker(props: { label: string; onPick: (u: User) => void }) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    setError(null);
    try {
      setFound(await adminApi.users(q.trim().replace(/^@/, ""), 0, 10));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <fieldset className="picker">
      <legend>{props.label}</legend>
      <label>
        Find by username
        <input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void search();
            }
          }}
        />
      </label>
      <button type="button" onClick={() => void search()}>
        Search users
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {found && (
        <ul className="pick-results" aria-label="Users found">
          {found.length === 0 && <li>No users match.</li>}
          {found.map((u) => (
            <li key={u.id}>
              <button type="button" className="link" onClick={() => props.onPick(u)}>
                Add @{u.username}
              </button>{" "}
              {u.display_name}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** Chosen items, each with a remove button. */
function Chips(props: { label: string; items: { id: Id; name: string }[]; onRemove: (id: Id) => void }) {
  if (props.items.length === 0) return null;
  return (
    <ul className="chips" aria-label={props.label}>
      {props.items.map((i) => (
        <li key={i.id}>
          {i.name}{" "}
          <button type="button" className="link" aria-label={`Remove ${i.name}`} onClick={() => props.onRemove(i.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

function DateField(props: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {props.label}
      <input type="date" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </label>
  );
}

function FormatSelect(props: { value: ExportFormat; onChange: (f: ExportFormat) => void; label?: string }) {
  return (
    <label>
      {props.label ?? "Format"}
      <select aria-label={props.label ?? "Format"} value={props.value} onChange={(e) => props.onChange(e.target.value as ExportFormat)}>
        {FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const dayOf = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString().slice(0, 10));

// ---------------------------------------------------------------- retention

function RetentionTab() {
  const loaded = useLoad(() => complianceApi.retention(), "retention");
  const [editing, setEditing] = useState<RetentionPolicy | "new" | null>(null);
  const [removing, setRemoving] = useState<RetentionPolicy | null>(null);
  const policies = loaded.data?.policies ?? [];
  const global = policies.find((p) => p.scope === "global") ?? { scope: "global" as const, messages_days: null, files_days: null };
  const overrides = policies.filter((p) => p.scope !== "global");
  const channelNames = useChannelNames(overrides.filter((p) => p.scope === "channel" && p.scope_id).map((p) => p.scope_id!));
  const teams = useTeams();
  const teamName = (id?: Id) => teams.data?.find((t) => t.id === id)?.display_name ?? id ?? "";
  const scopeName = (p: RetentionPolicy) =>
    p.scope === "global" ? "Global default" : p.scope === "team" ? `Team ${teamName(p.scope_id)}` : `Channel ${channelNames[p.scope_id ?? ""] ?? p.scope_id}`;

  return (
    <>
      <h2>Retention</h2>
      <p className="hint">
        Content older than the period is deleted by the purge, except what a legal hold covers. The most specific level wins;
        “inherit” follows the less specific level.{" "}
        {loaded.data && (loaded.data.purge_time ? `The purge runs daily at ${loaded.data.purge_time} UTC.` : "The scheduled purge is off.")}
      </p>
      <LoadState loaded={loaded} what="Retention policies" />
      {loaded.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Retention periods</caption>
            <thead>
              <tr>
                <th scope="col">Applies to</th>
                <th scope="col">Messages</th>
                <th scope="col">Files</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[global, ...overrides].map((p) => {
                const name = scopeName(p);
                return (
                  <tr key={p.scope + (p.scope_id ?? "")}>
                    <th scope="row">{name}</th>
                    <td>{formatPeriod(p.messages_days)}</td>
                    <td>{formatPeriod(p.files_days)}</td>
                    <td className="actions">
                      <button type="button" className="link" aria-label={`Edit ${name}`} onClick={() => setEditing(p)}>
                        Edit
                      </button>
                      {p.scope !== "global" && (
                        <>
                          {" "}
                          <button type="button" className="link" aria-label={`Remove ${name}`} onClick={() => setRemoving(p)}>
                            Remove
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row">
        <button type="button" onClick={() => setEditing("new")}>
          Add override
        </button>
      </div>
      <PurgePanel />
      {editing && (
        <RetentionDialog
          policy={editing === "new" ? null : editing}
          name={editing === "new" ? "" : scopeName(editing)}
          onClose={() => setEditing(null)}
          onDone={loaded.reload}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the override of ${scopeName(removing)}?`}
          confirmLabel="Remove"
          danger
          onConfirm={() => complianceApi.removeRetention(removing.scope, removing.scope_id)}
          onClose={() => setRemoving(null)}
          onDone={loaded.reload}
        >
          <p>Its content follows the less specific level again.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function RetentionDialog(props: { policy: RetentionPolicy | null; name: string; onClose: () => void; onDone: () => void }) {
  const p = props.policy;
  const [scope, setScope] = useState<"team" | "channel">(p?.scope === "team" ? "team" : "channel");
  const [teamId, setTeamId] = useState<Id>("");
  const [channel, setChannel] = useState<Channel | null>(null);
  const [messages, setMessages] = useState(periodText(p?.messages_days));
  const [files, setFiles] = useState(periodText(p?.files_days));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const teams = useTeams();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = parsePeriod(messages);
    const f = parsePeriod(files);
    if (m === undefined || f === undefined) return setError("Periods are whole numbers of days (0 keeps forever, empty inherits).");
    let target: RetentionPolicy;
    if (p) target = { scope: p.scope, scope_id: p.scope_id, messages_days: m, files_days: f };
    else if (scope === "team") {
      if (!teamId) return setError("Choose a team.");
      target = { scope: "team", scope_id: teamId, messages_days: m, files_days: f };
    } else {
      if (!channel) return setError("Choose a channel.");
      target = { scope: "channel", scope_id: channel.id, messages_days: m, files_days: f };
    }
    if (!target.scope_id) delete target.scope_id;
    setBusy(true);
    setError(null);
    try {
      await complianceApi.setRetention(target);
      props.onDone();
      props.onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={p ? `Retention: ${props.name}` : "Add a retention override"} onClose={props.onClose}>
      <form onSubmit={submit} className="settings-form compliance-form">
        {!p && (
          <>
            <fieldset>
              <legend>Applies to</legend>
              <label className="check">
                <input type="radio" name="scope" checked={scope === "team"} onChange={() => setScope("team")} /> A team
              </label>
              <label className="check">
                <input type="radio" name="scope" checked={scope === "channel"} onChange={() => setScope("channel")} /> A channel
              </label>
            </fieldset>
            {scope === "team" ? (
              <label>
                Team
                <select aria-label="Team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
                  <option value="">Choose a team</option>
                  {teams.data?.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.display_name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <ChannelPicker label="Which channel" onPick={setChannel} />
            )}
          </>
        )}
        <label>
          Messages: days to keep
          <input inputMode="numeric" value={messages} onChange={(e) => setMessages(e.target.value)} aria-describedby="period-hint" />
        </label>
        <label>
          Files: days to keep
          <input inputMode="numeric" value={files} onChange={(e) => setFiles(e.target.value)} aria-describedby="period-hint" />
        </label>
        <p id="period-hint" className="hint">
          0 keeps forever; leave empty to inherit.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save period"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PurgePanel() {
  const [report, setReport] = useState<PurgeReport | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, note, setNote, run } = useAction();
  const names = useChannelNames(report?.channels.map((c) => c.channel_id) ?? []);
  return (
    <div className="panel">
      <h3>Purge</h3>
      <div className="button-row">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              setReport(await complianceApi.dryRun());
            })
          }
        >
          Dry run
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Run purge now
        </button>
      </div>
      <NoteLine note={note} />
      {report && (
        <section aria-label="Dry run report">
          <div className="stats">
            <Stat label="Posts to delete" value={report.posts} />
            <Stat label="Files to delete" value={report.files} hint={formatBytes(report.file_bytes)} />
            <Stat label="Held posts kept" value={report.held_posts} />
          </div>
          {report.channels.length === 0 ? (
            <p>Nothing is old enough to delete.</p>
          ) : (
            <div className="table-wrap">
              <table className="admin-table">
                <caption className="sr-only">What the purge would delete, per channel</caption>
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Posts</th>
                    <th scope="col">Files</th>
                    <th scope="col">Held posts</th>
                    <th scope="col">Oldest</th>
                    <th scope="col">Newest</th>
                  </tr>
                </thead>
                <tbody>
                  {report.channels.map((c) => (
                    <tr key={c.channel_id}>
                      <th scope="row">{names[c.channel_id] ?? c.channel_id}</th>
                      <td>{c.posts}</td>
                      <td>
                        {c.files} ({formatBytes(c.file_bytes)})
                      </td>
                      <td>{c.held_posts}</td>
                      <td>{c.oldest === null ? "—" : formatUtc(c.oldest)}</td>
                      <td>{c.newest === null ? "—" : formatUtc(c.newest)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title="Run the purge now?"
          confirmLabel="Run purge"
          danger
          onConfirm={async () => {
            await complianceApi.runPurge();
            setNote({ ok: true, text: "The purge job was started; follow it under Exports and jobs." });
          }}
          onClose={() => setConfirming(false)}
        >
          <p>Content older than its retention period is deleted for good, except what a legal hold covers.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- legal holds

function HoldsTab() {
  const holds = useLoad(() => complianceApi.holds(), "holds");
  // The list leaves out covered counts; each hold's own read has it.
  const [covered, setCovered] = useState<Record<Id, number>>({});
  useEffect(() => {
    let live = true;
    for (const h of holds.data ?? [])
      void complianceApi.hold(h.id).then(
        (full) => live && full.covered_posts !== undefined && setCovered((c) => ({ ...c, [h.id]: full.covered_posts! })),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [holds.data]);
  const [editing, setEditing] = useState<LegalHold | "new" | null>(null);
  const [releasing, setReleasing] = useState<LegalHold | null>(null);
  const [exporting, setExporting] = useState<LegalHold | null>(null);
  const [note, setNote] = useState<Note>(null);
  const users = useUserNames((holds.data ?? []).flatMap((h) => h.custodians));
  const channels = useChannelNames((holds.data ?? []).flatMap((h) => h.channels));
  const range = (h: LegalHold) =>
    h.start_at === null && h.end_at === null ? "all time" : `${h.start_at === null ? "…" : dayOf(h.start_at)} to ${h.end_at === null ? "…" : dayOf(h.end_at)}`;
  return (
    <>
      <div className="admin-title-row">
        <h2>Legal holds</h2>
        <button type="button" onClick={() => setEditing("new")}>
          Create hold
        </button>
      </div>
      <NoteLine note={note} />
      <LoadState loaded={holds} what="Legal holds" />
      {holds.data && (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="sr-only">Legal holds, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Custodians</th>
                <th scope="col">Channels</th>
                <th scope="col">Dates</th>
                <th scope="col">Covered posts</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {holds.data.length === 0 && (
                <tr>
                  <td colSpan={7}>No legal holds yet.</td>
                </tr>
              )}
              {holds.data.map((h) => (
                <tr key={h.id}>
                  <th scope="row">
                    <span className="strong">{h.name}</span>
                    {h.description && <div className="hint">{h.description}</div>}
                  </th>
                  <td>{h.status === "active" ? "Active" : `Released ${h.released_at ? formatUtc(h.released_at) : ""}`}</td>
                  <td>{h.custodians.map((id) => users[id] ?? id).join(", ") || "—"}</td>
                  <td>
                    {h.channels.map((id) => channels[id] ?? id).join(", ") || "any"}
                    {h.include_channel_context && <div className="hint">with channel context</div>}
                  </td>
                  <td>{range(h)}</td>
                  <td>{covered[h.id] ?? h.covered_posts ?? "…"}</td>
                  <td className="actions">
                    {h.status === "active" && (
                      <>
                        <button type="button" className="link" aria-label={`Edit ${h.name}`} onClick={() => setEditing(h)}>
                          Edit
                        </button>{" "}
                        <button type="button" className="link" aria-label={`Release ${h.name}`} onClick={() => setReleasing(h)}>
                          Release
                        </button>{" "}
                      </>
                    )}
                    <button type="button" className="link" aria-label={`Export ${h.name}`} onClick={() => setExporting(h)}>
                      Export
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <HoldDialog
          hold={editing === "new" ? null : editing}
          userNames={users}
          channelNames={channels}
          onClose={() => setEditing(null)}
          onDone={holds.reload}
        />
      )}
      {releasing && (
        <ConfirmDialog
          title={`Release ${releasing.name}?`}
          confirmLabel="Release hold"
          danger
          onConfirm={() => complianceApi.releaseHold(releasing.id)}
          onClose={() => setReleasing(null)}
          onDone={holds.reload}
        >
          <p>Its content becomes subject to retention again. A released hold cannot be edited.</p>
        </ConfirmDialog>
      )}
      {exporting && (
        <HoldExportDialog
          hold={exporting}
          onClose={() => setExporting(null)}
          onStarted={() => setNote({ ok: true, text: `The export of ${exporting.name} was started; follow it under Exports and jobs.` })}
        />
      )}
    </>
  );
}

function HoldExportDialog(props: { hold: LegalHold; onClose: () => void; onStarted: () => void }) {
  const [format, setFormat] = useState<ExportFormat>("csv");
  return (
    <ConfirmDialog
      title={`Export ${props.hold.name}`}
      confirmLabel="Start export"
      onConfirm={() => complianceApi.exportHold(props.hold.id, format)}
      onClose={props.onClose}
      onDone={props.onStarted}
    >
      <FormatSelect value={format} onChange={setFormat} />
    </ConfirmDialog>
  );
}

function HoldDialog(props: {
  hold: LegalHold | null;
  userNames: Record<Id, string>;
  channelNames: Record<Id, string>;
  onClose: () => void;
  onDone: () => void;
}) {
  const h = props.hold;
  const [name, setName] = useState(h?.name ?? "");
  const [description, setDescription] = useState(h?.description ?? "");
  const [custodians, setCustodians] = useState(h?.custodians.map((id) => ({ id, name: props.userNames[id] ?? id })) ?? []);
  const [channels, setChannels] = useState(h?.channels.map((id) => ({ id, name: props.channelNames[id] ?? id })) ?? []);
  const [context, setContext] = useState(h?.include_channel_context ?? false);
  const [from, setFrom] = useState(dayOf(h?.start_at ?? null));
  const [to, setTo] = useState(h?.end_at ? dayOf(h.end_at - 1) : "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError("Give the hold a name.");
    if (custodians.length === 0 && channels.length === 0) return setError("Add a custodian or a channel.");
    const end = dayToMillis(to, true);
    const body: LegalHoldRequest = {
      name: name.trim(),
      description: description.trim(),
      custodians: custodians.map((c) => c.id),
      channels: channels.map((c) => c.id),
      include_channel_context: context,
      start_at: dayToMillis(from) ?? null,
      end_at: end === undefined ? null : end - 1,
    };
    setBusy(true);
    setError(null);
    try {
      if (h) await complianceApi.updateHold(h.id, body);
      else await complianceApi.createHold(body);
      props.onDone();
      props.onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  const addUnique = <T extends { id: Id }>(list: T[], item: T) => (list.some((x) => x.id === item.id) ? list : [...list, item]);
  return (
    <Dialog title={h ? `Edit ${h.name}` : "Create a legal hold"} onClose={props.onClose} className="wide">
      <form onSubmit={submit} className="settings-form compliance-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </label>
        <UserPicker label="Custodians" onPick={(u) => setCustodians((l) => addUnique(l, { id: u.id, name: "@" + u.username }))} />
        <Chips label="Custodians chosen" items={custodians} onRemove={(id) => setCustodians((l) => l.filter((x) => x.id !== id))} />
        <ChannelPicker
          label="Channels (optional)"
          addLabel="Add channel"
          onPick={(c) => setChannels((l) => addUnique(l, { id: c.id, name: channelLabel(c) }))}
        />
        <Chips label="Channels chosen" items={channels} onRemove={(id) => setChannels((l) => l.filter((x) => x.id !== id))} />
        <label className="check">
          <input type="checkbox" checked={context} onChange={(e) => setContext(e.target.checked)} /> Include channel context (posts by
          anyone in the chosen channels)
        </label>
        <div className="admin-filters">
          <DateField label="From (optional)" value={from} onChange={setFrom} />
          <DateField label="To (optional)" value={to} onChange={setTo} />
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : h ? "Save hold" : "Create hold"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ---------------------------------------------------------------- exports and jobs

function ExportsTab({ officer }: { officer: boolean }) {
  const jobs = useLoad(() => complianceApi.jobs(), "jobs");
  const cursors = useLoad(() => complianceApi.cursors(), "cursors");
  const active = (jobs.data ?? []).some(isJobActive);
  const { reload } = jobs;
  useEffect(() => {
    if (!active) return;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [active, reload]);
  const started = () => {
    jobs.reload();
    cursors.reload();
  };
  return (
    <>
      <h2>Exports and jobs</h2>
      <div className="panels">
        <ExportForm onStarted={started} />
        <IncrementalPanel cursors={cursors} onStarted={started} />
      </div>
      <h3>Jobs</h3>
      {!officer && <p className="hint">Archives are downloaded by compliance officers.</p>}
      <LoadState loaded={jobs} what="Jobs" />
      {jobs.data && <JobsTable jobs={jobs.data} officer={officer} onChanged={jobs.reload} />}
    </>
  );
}

function ExportForm({ onStarted }: { onStarted: () => void }) {
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [channels, setChannels] = useState<{ id: Id; name: string }[]>([]);
  const [users, setUsers] = useState<{ id: Id; name: string }[]>([]);
  const { busy, note, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await complianceApi.startExport({
        format,
        from: dayToMillis(from),
        until: dayToMillis(to, true),
        channels: channels.length ? channels.map((c) => c.id) : undefined,
        users: users.length ? users.map((u) => u.id) : undefined,
      });
      onStarted();
      return "The export was started.";
    });
  };
  return (
    <form className="panel compliance-form" onSubmit={submit} aria-labelledby="export-title">
      <h3 id="export-title">Start an export</h3>
      <FormatSelect value={format} onChange={setFormat} />
      <div className="admin-filters">
        <DateField label="From (optional)" value={from} onChange={setFrom} />
        <DateField label="To (optional)" value={to} onChange={setTo} />
      </div>
      <details>
        <summary>Only some channels or users</summary>
        <ChannelPicker
          label="Channels"
          addLabel="Add channel"
          onPick={(c) => setChannels((l) => (l.some((x) => x.id === c.id) ? l : [...l, { id: c.id, name: channelLabel(c) }]))}
        />
        <Chips label="Channels chosen" items={channels} onRemove={(id) => setChannels((l) => l.filter((x) => x.id !== id))} />
        <UserPicker
          label="Users"
          onPick={(u) => setUsers((l) => (l.some((x) => x.id === u.id) ? l : [...l, { id: u.id, name: "@" + u.username }]))}
        />
        <Chips label="Users chosen" items={users} onRemove={(id) => setUsers((l) => l.filter((x) => x.id !== id))} />
      </details>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Start export
        </button>
      </div>
      <NoteLine note={note} />
    </form>
  );
}

function IncrementalPanel(props: { cursors: Loaded<ExportCursorState[]>; onStarted: () => void }) {
  const [format, setFormat] = useState<ExportFormat>("csv");
  const { busy, note, run } = useAction();
  const { cursors } = props;
  return (
    <div className="panel compliance-form">
      <h3>Daily incremental export</h3>
      <FormatSelect value={format} onChange={setFormat} label="Incremental format" />
      <div className="form-actions">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await complianceApi.incremental(format);
              props.onStarted();
              return "The incremental export was started.";
            })
          }
        >
          Run incremental export now
        </button>
      </div>
      <NoteLine note={note} />
      <LoadState loaded={cursors} what="Export cursors" />
      {cursors.data &&
        (cursors.data.length === 0 ? (
          <p className="hint">No incremental export has run yet.</p>
        ) : (
          <dl className="facts" aria-label="Incremental export cursors">
            {cursors.data.map((c) => (
              <Fragment key={c.name}>
                <dt>{FORMATS.find((f) => f.value === c.name)?.label ?? c.name}</dt>
                <dd>up to {formatUtc(c.at)}</dd>
              </Fragment>
            ))}
          </dl>
        ))}
    </div>
  );
}

const STATUS_NAMES: Record<ComplianceJob["status"], string> = {
  queued: "queued",
  running: "running",
  cancelling: "cancelling",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

function JobsTable({ jobs, officer, onChanged }: { jobs: ComplianceJob[]; officer: boolean; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const cancel = async (j: ComplianceJob) => {
    setError(null);
    try {
      await complianceApi.cancelJob(j.id);
    } catch (e) {
      setError(errorText(e));
    }
    onChanged();
  };
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="admin-table jobs-table">
          <caption className="sr-only">Compliance jobs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Created</th>
              <th scope="col">Finished</th>
              <th scope="col">File</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.length === 0 && (
              <tr>
                <td colSpan={7}>No jobs yet.</td>
              </tr>
            )}
            {jobs.map((j) => (
              <tr key={j.id} aria-label={`${jobTitle(j)}, ${j.status}`}>
                <th scope="row">{jobTitle(j)}</th>
                <td>
                  <span className={`job-status job-${j.status}`}>{STATUS_NAMES[j.status]}</span>
                  {j.error && <div className="error">{j.error}</div>}
                </td>
                <td>{jobProgressText(j)}</td>
                <td>{formatUtc(j.created_at)}</td>
                <td>{j.finished_at ? formatUtc(j.finished_at) : "—"}</td>
                <td>
                  {fileSizeText(j.file_size)}
                  {j.file_sha256 && (
                    <div>
                      SHA-256 <code className="hash">{j.file_sha256}</code>
                    </div>
                  )}
                </td>
                <td className="actions">
                  {canCancel(j) && (
                    <button type="button" className="link" aria-label={`Cancel ${jobTitle(j)}`} onClick={() => void cancel(j)}>
                      Cancel
                    </button>
                  )}
                  {officer && j.status === "succeeded" && j.file_name && (
                    <a href={downloadUrl(j.id)} download={j.file_name}>
                      Download
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint" aria-live="polite">
        {jobs.some(isJobActive) ? `${plural(jobs.filter(isJobActive).length, "job")} in progress; refreshing every 2 seconds.` : ""}
      </p>
    </>
  );
}

// ---------------------------------------------------------------- search

function SearchTab() {
  const [terms, setTerms] = useState("");
  const [reason, setReason] = useState("");
  const [results, setResults] = useState<Awaited<ReturnType<typeof complianceApi.search>> | null>(null);
  const { busy, note, run } = useAction();
  const posts = results?.posts ?? [];
  const channels = useChannelNames(posts.map((p) => p.channel_id));
  const users = useUserNames(posts.map((p) => p.user_id));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setResults(await complianceApi.search(terms.trim(), reason.trim()));
    });
  };
  return (
    <>
      <h2>Search all content</h2>
      <p className="hint">Searches every channel, private and direct included. Each search is recorded in the audit log with its reason.</p>
      <form className="compliance-form form-narrow" onSubmit={submit} aria-label="Compliance search">
        <label>
          Search terms
          <input value={terms} onChange={(e) => setTerms(e.target.value)} required placeholder="from:alice in:town-square budget" />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} required placeholder="e.g. case 2026-14" />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !terms.trim() || !reason.trim()}>
            Search
          </button>
        </div>
      </form>
      <NoteLine note={note} />
      {results && (
        <section aria-label="Search results">
          <p role="status">{plural(results.total, "post")} found.</p>
          <ol className="search-results">
            {posts.map((p) => (
              <li key={p.id} className="panel">
                <div className="hint">
                  <span title={p.channel_id}>{channels[p.channel_id] ?? p.channel_id}</span> · <span>{users[p.user_id] ?? p.user_id}</span> ·{" "}
                  <time dateTime={new Date(p.created_at).toISOString()}>{formatUtc(p.created_at)}</time>
                  {p.deleted_at !== null && " · deleted"}
                </div>
                <p className="search-text">{p.message}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
