// Files attached to the message being written: progress, cancel, retry.
import { formatBytes, type Upload } from "../../state/uploads";

export function UploadList(props: { uploads: Upload[]; onCancel: (id: string) => void; onRetry: (id: string) => void }) {
  if (!props.uploads.length) return null;
  return (
    <ul className="upload-list" role="list" aria-label="Attached files">
      {props.uploads.map((u) => (
        <li key={u.id} className={`upload-item ${u.status}`}>
          {u.info?.has_preview ? (
            <img className="upload-thumb" src={`/api/v1/files/${u.info.id}/thumbnail`} alt="" width={36} height={36} />
          ) : (
            <span className="upload-icon" aria-hidden="true">
              {u.info?.mime_type.startsWith("image/") ? "🖼" : "📄"}
            </span>
          )}
          <span className="upload-text">
            <span className="upload-name" title={u.name}>
              {u.name}
            </span>
            <span className="upload-meta">
              {u.status === "uploading"
                ? `${formatBytes(u.loaded)} of ${formatBytes(u.size)}`
                : u.status === "failed"
                  ? <span className="error" role="alert">{u.error}</span>
                  : formatBytes(u.size)}
            </span>
            {u.status === "uploading" && (
              <progress className="upload-progress" value={u.loaded} max={u.size || 1} aria-label={`Uploading ${u.name}`} />
            )}
          </span>
          {u.status === "failed" && (
            <button type="button" className="upload-btn" aria-label={`Retry upload of ${u.name}`} onClick={() => props.onRetry(u.id)}>
              ↻
            </button>
          )}
          <button
            type="button"
            className="upload-btn"
            aria-label={u.status === "uploading" ? `Cancel upload of ${u.name}` : `Remove ${u.name}`}
            onClick={() => props.onCancel(u.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
