// The Exports and jobs tab: one-off and incremental exports, and the job list.
import { Fragment, useEffect, useState, type FormEvent } from "react";
import type { Id } from "../../api/types";
import { LoadState, useLoad, type Loaded } from "../common";
import { dayToMillis, formatUtc } from "../format";
import { DateField, FormatSelect } from "./fields";
import { JobsTable } from "./JobsTable";
import { complianceApi, FORMATS, isJobActive, type ExportCursorState, type ExportFormat } from "./model";
import { channelLabel } from "./names";
import { NoteLine, useAction } from "./note";
import { ChannelPicker, Chips, UserPicker } from "./pickers";

export function ExportsTab({ officer }: { officer: boolean }) {
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
