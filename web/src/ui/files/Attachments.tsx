// A post's attachments: images as previews sized from their dimensions (no
// layout jump when they load) that open the lightbox, other files as cards
// with an icon, name, size and download link.
import { useState } from "react";
import type { FileInfo, Id } from "../../api/types";
import { fileUrl, imageSrc, useFileInfos } from "./fileInfo";
import { fileKind, fitSize, humanSize, KIND_ICON, KIND_LABEL } from "./format";
import { Lightbox } from "./Lightbox";
import "./files.css";

const MAX_W = 360;
const MAX_H = 260;

export function Attachments({ fileIds }: { fileIds: readonly Id[] }) {
  const infos = useFileInfos(fileIds);
  const [open, setOpen] = useState<number | null>(null);
  const images = infos.filter((f): f is FileInfo => !!f && fileKind(f.mime_type, f.name) === "image");
  return (
    <ul className="attachments" role="list" aria-label="Attachments">
      {infos.map((f, i) => {
        if (f === undefined) {
          return (
            <li key={fileIds[i]} className="file-card loading" aria-busy="true">
              <span className="file-icon" aria-hidden="true">
                📎
              </span>
              <span className="file-name">Loading attachment…</span>
            </li>
          );
        }
        if (f === null) {
          return (
            <li key={fileIds[i]} className="file-card gone">
              <span className="file-icon" aria-hidden="true">
                📎
              </span>
              <span className="file-name">Attachment unavailable</span>
            </li>
          );
        }
        const kind = fileKind(f.mime_type, f.name);
        if (kind === "image") {
          const { width, height } = fitSize(f.width ?? MAX_W, f.height ?? MAX_H, MAX_W, MAX_H);
          return (
            <li key={f.id} className="file-image">
              <button
                type="button"
                className="image-button"
                aria-label={`Open image ${f.name}`}
                onClick={() => setOpen(images.indexOf(f))}
              >
                <img src={imageSrc(f)} alt={f.name} width={width} height={height} loading="lazy" decoding="async" />
              </button>
            </li>
          );
        }
        return (
          <li key={f.id} className="file-card">
            <span className={`file-icon kind-${kind}`} aria-hidden="true">
              {KIND_ICON[kind]}
            </span>
            <span className="file-text">
              <span className="file-name" title={f.name}>
                {f.name}
              </span>
              <span className="file-meta">
                {KIND_LABEL[kind]} · {humanSize(f.size)}
              </span>
            </span>
            <a className="file-download" href={fileUrl(f.id)} download={f.name} aria-label={`Download ${f.name}`}>
              ⤓
            </a>
          </li>
        );
      })}
      {open !== null && images[open] && (
        <Lightbox images={images} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
      )}
    </ul>
  );
}
