// Markdown edits the composer makes for keyboard shortcuts and the emoji
// button: pure functions over the text and its selection.

export interface Edit {
  text: string;
  /** The selection after the edit (equal ends: a caret). */
  start: number;
  end: number;
}

/**
 * Wraps the selection in `marker` (Ctrl+B → `**`), or unwraps it when it is
 * already wrapped; with nothing selected, inserts the pair with the caret inside.
 */
export function toggleWrap(text: string, start: number, end: number, marker: string): Edit {
  const m = marker.length;
  const sel = text.slice(start, end);
  // Already wrapped, markers outside the selection: unwrap.
  if (start >= m && text.slice(start - m, start) === marker && text.slice(end, end + m) === marker) {
    return { text: text.slice(0, start - m) + sel + text.slice(end + m), start: start - m, end: end - m };
  }
  // Markers selected along with the text: unwrap.
  if (sel.length >= 2 * m && sel.startsWith(marker) && sel.endsWith(marker)) {
    const inner = sel.slice(m, sel.length - m);
    return { text: text.slice(0, start) + inner + text.slice(end), start, end: start + inner.length };
  }
  return { text: text.slice(0, start) + marker + sel + marker + text.slice(end), start: start + m, end: end + m };
}

/** Inserts a token such as `:tada:` at the selection, spaced from the words around it. */
export function insertToken(text: string, start: number, end: number, token: string): Edit {
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before && !/\s$/.test(before) ? " " : "";
  const trail = /^\s/.test(after) ? "" : " ";
  const caret = before.length + lead.length + token.length + trail.length;
  return { text: before + lead + token + trail + after, start: caret, end: caret };
}

/** The Markdown marker a formatting shortcut toggles, if the key is one. */
export function shortcutMarker(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): string | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (!e.shiftKey && k === "b") return "**";
  if (!e.shiftKey && k === "i") return "_";
  if (e.shiftKey && k === "x") return "~~";
  return null;
}
