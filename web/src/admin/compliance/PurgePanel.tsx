// The purge: a dry run of what it would delete, and running it now.
import { useState } from "react";
import { ConfirmDialog, Stat } from "../common";
import { formatBytes, formatUtc } from "../format";
import { complianceApi, type PurgeReport } from "./model";
import { useChannelNames } from "./names";
import { NoteLine, useAction } from "./note";

export function PurgePanel() {
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
                      <td>{c.oldest === null || c.oldest === undefined ? "—" : formatUtc(c.oldest)}</td>
                      <td>{c.newest === null || c.newest === undefined ? "—" : formatUtc(c.newest)}</td>
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
