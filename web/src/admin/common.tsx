// Building blocks shared by the console's pages: in-app links, loading a
// resource with its error, a confirmation dialog that shows the server's
// answer, and a labelled figure.
import { useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent, type ReactNode } from "react";
import { goTo } from "../state/appPath";
import { errorText } from "../ui/Auth";
import { Dialog } from "../ui/nav/Dialog";

/** A link that navigates in place (a new history entry), or opens normally with a modifier key. */
export function Link(props: { to: string; children: ReactNode; className?: string; current?: boolean; label?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    goTo(props.to);
  };
  return (
    <a
      href={props.to}
      className={props.className}
      aria-current={props.current ? "page" : undefined}
      aria-label={props.label}
      onClick={onClick}
    >
      {props.children}
    </a>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Loads `fn` when `key` changes; the latest answer wins. */
export function useLoad<T>(fn: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    let live = true;
    setLoading(true);
    latest
      .current()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The loading line or the error of a resource. */
export function LoadState({ loaded, what }: { loaded: Loaded<unknown>; what: string }) {
  if (loaded.error)
    return (
      <p role="alert" className="error">
        {what} could not be loaded: {loaded.error}{" "}
        <button type="button" className="link" onClick={loaded.reload}>
          Try again
        </button>
      </p>
    );
  if (loaded.loading && loaded.data === null) return <p role="status">Loading {what.toLowerCase()}…</p>;
  return null;
}

/**
 * Asks before doing something; shows the server's message when it refuses,
 * and closes when it is done.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  onDone?: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onDone?.();
      props.onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit}>
        {props.children}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? "danger" : "primary"} disabled={busy} data-autofocus>
            {busy ? "Working…" : props.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One figure with its label, readable as a group by assistive technology. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat" role="group" aria-label={label}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {hint && <span className="stat-hint">{hint}</span>}
    </div>
  );
}

/** Sets the document title while a page is shown. */
export function useTitle(title: string) {
  useEffect(() => {
    const before = document.title;
    document.title = `${title} · System Console · Hearth`;
    return () => {
      document.title = before;
    };
  }, [title]);
}
