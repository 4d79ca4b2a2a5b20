// What an action on the Compliance page did, shown under it.
import { useState } from "react";
import { errorText } from "../../ui/Auth";

/** A line saying what happened, or the server's refusal. */
export type Note = { ok: boolean; text: string } | null;
export function NoteLine({ note }: { note: Note }) {
  if (!note) return null;
  return note.ok ? (
    <p role="status">{note.text}</p>
  ) : (
    <p role="alert" className="error">
      {note.text}
    </p>
  );
}

/** Runs an action, keeping its busy flag and its outcome. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const run = async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setNote(null);
    try {
      const text = await fn();
      if (text) setNote({ ok: true, text });
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, note, setNote, run };
}
