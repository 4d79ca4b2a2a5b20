// A modal built on <dialog>: the browser traps focus and closes it on Escape;
// focus returns to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from "react";

const FIELDS = 'input:not([type="hidden"]):not([disabled]):not([readonly]), textarea:not([disabled]), select:not([disabled])';

/** The field to start in: one marked `data-autofocus`, else the first (for radios, the checked one). */
function firstField(d: HTMLElement): HTMLElement | null {
  const marked = d.querySelector<HTMLElement>("[data-autofocus]");
  if (marked) return marked;
  const f = d.querySelector<HTMLInputElement>(FIELDS);
  if (f?.type === "radio" && f.name) {
    return d.querySelector<HTMLElement>(`input[type="radio"][name="${CSS.escape(f.name)}"]:checked`) ?? f;
  }
  return f;
}

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for size variants (`wide`). */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // What had focus before the dialog (read at first render, before any autoFocus inside moves it).
  const opener = useRef(typeof document === "undefined" ? null : (document.activeElement as HTMLElement | null));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      // showModal() focuses the first focusable element, the Close button; a field is the better start
      // (autoFocus cannot act while the dialog is still closed).
      firstField(d)?.focus();
    }
    const back = opener.current;
    return () => {
      if (back && document.contains(back)) back.focus();
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
