// A search field with operator autocomplete: a search box inside an ARIA
// combobox whose listbox it drives through aria-activedescendant (focus and
// the caret stay in the field while choosing).
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useAppState } from "../../state/store";
import { searchUsers } from "../composer/mentionSource";
import { userName } from "../names";
import { insertSuggestion, isEager, searchableChannels, suggestAt, type SearchSuggestion } from "./operators";
import "./search.css";

const USER_SEARCH_DELAY_MS = 150;

export interface SearchBoxProps {
  /** Accessible name of the field. */
  label: string;
  placeholder?: string;
  /** The query shown when the field is not being edited (the search on screen). */
  value: string;
  onSubmit: (query: string) => void;
  className?: string;
  /** Ctrl/Cmd+Shift+F focuses this field. */
  shortcut?: boolean;
  /** Wrap in a search landmark. */
  landmark?: boolean;
}

export function SearchBox(props: SearchBoxProps) {
  const { label, onSubmit } = props;
  const uid = useId();
  const listId = `search-list-${uid.replace(/:/g, "")}`;
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(props.value);
  const [caret, setCaret] = useState(props.value.length);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [active, setActive] = useState(-1);
  const pendingCaret = useRef<number | null>(null);

  // Show the current search when it changes elsewhere (chips, the other box).
  useEffect(() => {
    if (document.activeElement !== input.current) setText(props.value);
  }, [props.value]);

  const users = useAppState((s) => s.users);
  const channels = useAppState((s) => s.channels);
  const memberships = useAppState((s) => s.memberships);
  const teamId = useAppState((s) => s.currentTeamId);
  const myChannels = useMemo(() => searchableChannels(Object.values(channels), memberships, teamId), [channels, memberships, teamId]);

  const found = useMemo(
    () => (focused ? suggestAt(text, caret, { users: Object.values(users), channels: myChannels, now: new Date() }) : null),
    [focused, text, caret, users, myChannels],
  );
  const items = found?.items ?? [];
  const open = focused && !dismissed && items.length > 0;
  const eager = found ? isEager(found.context) : false;
  const contextKey = found ? `${found.context.kind}:${found.token.start}` : "";

  // People beyond those already known come from the server (they land in the store).
  const peopleQuery = found?.context.kind === "people" ? found.context.query : null;
  useEffect(() => {
    if (peopleQuery === null) return;
    const t = setTimeout(() => void searchUsers(peopleQuery), USER_SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [peopleQuery]);

  // A new list: the first entry is chosen only while typing an operator's value.
  const itemsKey = items.map((s) => s.key).join("|");
  useEffect(() => {
    setActive(eager && itemsKey ? 0 : -1);
  }, [itemsKey, eager, contextKey]);

  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !input.current) return;
    pendingCaret.current = null;
    input.current.setSelectionRange(at, at);
  });

  // Ctrl/Cmd+Shift+F from anywhere.
  useEffect(() => {
    if (!props.shortcut) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      const mac = /Mac|iPhone|iPad/.test(navigator.platform);
      const mod = mac ? e.metaKey : e.ctrlKey;
      if (mod && e.shiftKey && !e.altKey && (e.code === "KeyF" || e.key.toLowerCase() === "f")) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [props.shortcut]);

  const readCaret = () => {
    const el = input.current;
    if (el && el.selectionStart !== null && el.selectionStart === el.selectionEnd) setCaret(el.selectionStart);
  };

  const pick = (i: number) => {
    const s = items[i];
    if (!s || !found) return;
    const next = insertSuggestion(text, found.token, s);
    setText(next.text);
    setCaret(next.caret);
    pendingCaret.current = next.caret;
    setDismissed(false);
    input.current?.focus();
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const q = text.trim();
    if (!q) return;
    setDismissed(true);
    onSubmit(q);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp": {
        if (!open) {
          if (e.key === "ArrowDown" && items.length) {
            e.preventDefault();
            setDismissed(false);
          }
          return;
        }
        e.preventDefault();
        const n = items.length;
        setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
        return;
      }
      case "Enter":
        if (open && active >= 0) {
          e.preventDefault();
          pick(active);
        }
        return; // otherwise the form submits
      case "Tab":
        if (open && !e.shiftKey && (active >= 0 || (found?.token.typed ?? "") !== "")) {
          e.preventDefault();
          pick(active >= 0 ? active : 0);
        }
        return;
      case "Escape":
        if (open) {
          e.preventDefault();
          setDismissed(true);
        }
        return;
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const field = (
    <div className="search-box">
      <div role="combobox" aria-label={label} aria-expanded={open} aria-haspopup="listbox" aria-owns={open ? listId : undefined} className="search-combo">
        <span className="search-glass" aria-hidden="true">
          <svg viewBox="0 0 16 16" width="14" height="14">
            <circle cx="6.8" cy="6.8" r="4.8" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10.4 10.4 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </span>
        <input
          ref={input}
          type="search"
          className="search-input"
          aria-label={label}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          aria-keyshortcuts={props.shortcut ? "Control+Shift+F" : undefined}
          placeholder={props.placeholder ?? "Search"}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart ?? e.target.value.length);
            setDismissed(false);
          }}
          onSelect={readCaret}
          onKeyDown={onKeyDown}
          onFocus={() => {
            setFocused(true);
            setDismissed(false);
            readCaret();
          }}
          onBlur={() => setFocused(false)}
        />
      </div>
      {open && (
        <ul id={listId} role="listbox" aria-label="Search suggestions" className="search-suggest">
          {items.map((s, i) => (
            <li
              key={s.key}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={"search-option" + (i === active ? " active" : "")}
              // Keep focus (and the caret) in the field.
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => i !== active && setActive(i)}
              onClick={() => pick(i)}
            >
              <OptionBody s={s} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <form className={"search-form " + (props.className ?? "")} role={props.landmark ? "search" : undefined} aria-label={props.landmark ? label : undefined} onSubmit={submit}>
      {field}
    </form>
  );
}

function OptionBody({ s }: { s: SearchSuggestion }) {
  switch (s.kind) {
    case "operator":
      return (
        <>
          <code className="search-option-main">{s.label}</code>
          <span className="search-option-note">{s.description}</span>
        </>
      );
    case "user":
      return (
        <>
          <span className="search-option-main">{userName(s.user)}</span>
          <span className="search-option-note">@{s.user.username}</span>
        </>
      );
    case "channel":
      return (
        <>
          <span className="search-option-main">
            <span aria-hidden="true">{s.channel.kind === "private" ? "🔒 " : "# "}</span>
            {s.channel.display_name || s.channel.name}
          </span>
          <span className="search-option-note">~{s.channel.name}</span>
        </>
      );
  }
}
