// The Legal holds tab: the holds, their covered posts, release and export.
import { useEffect, useState } from "react";
import type { Id } from "../../api/types";
import { ConfirmDialog, LoadState, useLoad } from "../common";
import { formatUtc } from "../format";
import { dayOf, FormatSelect } from "./fields";
import { HoldDialog } from "./HoldDialog";
import { complianceApi, type ExportFormat, type LegalHold } from "./model";
import { useChannelNames, useUserNames } from "./names";
import { NoteLine, type Note } from "./note";

export function HoldsTab() {
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
