// A modal built on <dialog>: the browser traps focus and closes it on Escape;
// focus returns to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from "react";

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for size variants (`wide`). */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => {
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={"dialog" + (props.className ? " " + props.className : "")}
      aria-labelledby={titleId}
      onClose={props.onClose}
      onCancel={(e) => {
        // Escape: close through our state so React unmounts it.
        e.preventDefault();
        props.onClose();
      }}
      onMouseDown={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target !== ref.current) return;
        const r = ref.current.getBoundingClientRect();
        const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
        if (!inside) props.onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </div>
      {props.children}
    </dialog>
  );
}
