// Compliance jobs with their progress, cancel and (for officers) download.
import { useState } from "react";
import { errorText } from "../../ui/Auth";
import { formatUtc, plural } from "../format";
import { canCancel, complianceApi, downloadUrl, fileSizeText, isJobActive, jobProgressText, jobTitle, type ComplianceJob } from "./model";

const STATUS_NAMES: Record<ComplianceJob["status"], string> = {
  queued: "queued",
  running: "running",
  cancelling: "cancelling",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

export function JobsTable({ jobs, officer, onChanged }: { jobs: ComplianceJob[]; officer: boolean; onChanged: () => void }) {
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
