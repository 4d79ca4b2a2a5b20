// Full-size view of a post's images: a modal dialog (Escape closes), with the
// name, size, a download link, and arrows between the post's images.
import { useEffect, useRef } from "react";
import type { FileInfo } from "../../api/types";
import { fileUrl, imageSrc } from "./fileInfo";
import { humanSize } from "./format";

export function Lightbox(props: {
  images: FileInfo[];
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const { images, index, onIndex, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const f = images[index];
  const many = images.length > 1;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const go = (delta: number) => onIndex((index + delta + images.length) % images.length);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={`Image ${f.name}`}
      onClose={onClose}
      onKeyDown={(e) => {
        if (!many) return;
        if (e.key === "ArrowRight") {
          e.preventDefault();
          go(1);
        } else if (e.key === "ArrowLeft") {
          e.preventDefault();
          go(-1);
        }
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, outside the content) closes.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="lightbox-head">
        <span className="lightbox-name" title={f.name}>
          {f.name}
        </span>
        <span className="muted">
          {humanSize(f.size)}
          {many && ` · ${index + 1} of ${images.length}`}
        </span>
        <a className="lightbox-download" href={fileUrl(f.id)} download={f.name}>
          Download
        </a>
        <button type="button" className="icon-btn" aria-label="Close image" onClick={onClose} autoFocus>
          ×
        </button>
      </div>
      <div className="lightbox-body">
        {many && (
          <button type="button" className="lightbox-nav prev" aria-label="Previous image" onClick={() => go(-1)}>
            ‹
          </button>
        )}
        <img key={f.id} src={imageSrc(f)} alt={f.name} width={f.width ?? undefined} height={f.height ?? undefined} />
        {many && (
          <button type="button" className="lightbox-nav next" aria-label="Next image" onClick={() => go(1)}>
            ›
          </button>
        )}
      </div>
    </dialog>
  );
}
