// The message composer of a channel, and (with `rootId`) the reply box of a
// thread: Enter sends, Shift+Enter adds a line, @/~/: autocomplete, files by
// button, paste or drop, drafts kept per channel and thread.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";
import type { Channel, Id } from "../../api/types";
import { notifyTyping, sendPost } from "../../state/actions";
import { newIdempotencyKey } from "../../api/client";
import { clearDraft, draftKey, draftSaver, loadDraft } from "../../state/drafts";
import { store, useAppState } from "../../state/store";
import {
  addFiles,
  cancelUpload,
  clearUploads,
  fetchMaxFileSize,
  getUploads,
  MAX_FILES_PER_POST,
  retryUpload,
  uploadsSettled,
  uploadSummary,
  useUploads,
} from "../../state/uploads";
import { EmojiPicker } from "../messages/EmojiPicker";
import { insertCompletion, tokenAtCaret } from "./completion";
import { insertToken, shortcutMarker, toggleWrap, type Edit } from "./formatting";
import { charCount, lastOwnPost } from "./sendRules";
import { optionId, SuggestionList } from "./SuggestionList";
import { UploadList } from "./UploadList";
import { useFileDrop } from "./useFileDrop";
import { useSuggestions } from "./useSuggestions";
import "./composer.css";

export interface ComposerProps {
  channel: Channel;
  /** Set: this is the reply box of that thread. */
  rootId?: Id | null;
  /** The channel's name as shown (labels the textarea). */
  title: string;
  maxChars: number;
  /** ServerInfo.max_file_size; fetched when not given. */
  maxFileSize?: number;
}

/** Shows the counter once this close to the limit. */
const COUNTER_MARGIN = 200;

export function Composer(props: ComposerProps) {
  // One instance per draft slot: switching channel or thread starts fresh state.
  const slot = draftKey(props.channel.id, props.rootId);
  return <ComposerBox key={slot} slot={slot} {...props} />;
}

function ComposerBox({ channel, rootId = null, title, maxChars, maxFileSize, slot }: ComposerProps & { slot: string }) {
  const [text, setText] = useState(() => loadDraft(slot));
  const [caret, setCaret] = useState(() => text.length);
  const [error, setError] = useState<string | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const [waiting, setWaiting] = useState(false);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [limit, setLimit] = useState(maxFileSize ?? 0);
  // The last post sent from here: while it stays failed, say why under the box.
  const [lastKey, setLastKey] = useState<string | null>(null);
  const lastFailure = useAppState((s) =>
    lastKey ? (s.pending[channel.id]?.find((p) => p.key === lastKey && p.failed)?.error ?? null) : null,
  );
  const uploads = useUploads(slot);
  const ref = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const [picker, setPicker] = useState(false);
  // Selection to restore once a programmatic edit has rendered.
  const nextSel = useRef<[number, number] | null>(null);
  const uid = useId();
  const inputId = `${uid}-input`;
  const hintId = `${uid}-hint`;
  const listId = `${uid}-suggest`;
  const label = rootId ? "Reply to thread" : `Write to ${title}`;

  useEffect(() => {
    if (maxFileSize !== undefined) setLimit(maxFileSize);
    else void fetchMaxFileSize().then(setLimit);
  }, [maxFileSize]);

  // Focus on open (channel switch, thread opened); write the draft on leaving.
  useEffect(() => {
    const el = ref.current;
    if (el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    return () => draftSaver.flush(slot);
  }, [slot]);

  // Grow with the text up to the CSS max-height, then scroll.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + 2}px`;
    if (nextSel.current) {
      el.setSelectionRange(...nextSel.current);
      nextSel.current = null;
    }
  }, [text]);

  // ---- autocomplete ----
  const token = useMemo(() => tokenAtCaret(text, caret), [text, caret]);
  const items = useSuggestions(token, channel);
  const [focused, setFocused] = useState(false);
  const open = focused && !!token && token.start !== dismissed && items.length > 0 && !waiting;
  // Results may shrink under the highlight (server answers arrive): keep it in range.
  const current = Math.min(active, Math.max(0, items.length - 1));
  const tokenId = token ? `${token.trigger}${token.start}:${token.query}` : "";
  useEffect(() => setActive(0), [tokenId]);
  useEffect(() => {
    if (!token) setDismissed(null);
  }, [token]);

  const pick = (i: number) => {
    const s = items[i];
    if (!token || !s) return;
    const r = insertCompletion(text, token, s.insert);
    applyEdit({ text: r.text, start: r.caret, end: r.caret });
  };
  const applyEdit = (ed: Edit) => {
    update(ed.text);
    setCaret(ed.end);
    nextSel.current = [ed.start, ed.end];
  };

  // ---- text ----
  const count = charCount(text);
  const tooLong = count > maxChars;
  const update = (value: string) => {
    setText(value);
    draftSaver.schedule(slot, value);
    if (error) setError(null);
  };
  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    const value = e.target.value;
    if (value.length > text.length) notifyTyping(channel.id, rootId);
    update(value);
    setCaret(e.target.selectionStart ?? value.length);
  };

  // ---- files ----
  const attach = (files: File[]) => {
    if (!files.length) return;
    setNotices(addFiles(slot, channel.id, files, limit));
    ref.current?.focus();
  };
  useFileDrop(formRef, attach, rootId ? "Drop files to attach to your reply" : `Drop files to share in ${title}`);

  // ---- sending ----
  const summary = uploadSummary(uploads);
  const canSend = !waiting && !tooLong && summary.failed === 0 && (text.trim() !== "" || summary.files.length > 0 || summary.uploading > 0);

  const send = async () => {
    if (waiting || tooLong) return;
    let sum = uploadSummary(getUploads(slot));
    if (sum.failed) {
      setError("Some files failed to upload: retry or remove them first.");
      return;
    }
    if (sum.uploading) {
      // Like Slack: the message goes out as soon as its files are up.
      setWaiting(true);
      await uploadsSettled(slot);
      setWaiting(false);
      sum = uploadSummary(getUploads(slot));
      if (sum.failed) {
        setError("Some files failed to upload: retry or remove them first.");
        return;
      }
    }
    const message = (ref.current?.value ?? text).trim();
    if (!message && !sum.files.length) return;
    setText("");
    setCaret(0);
    setError(null);
    setNotices([]);
    draftSaver.cancel(slot);
    clearDraft(slot);
    clearUploads(slot);
    ref.current?.focus();
    const key = newIdempotencyKey();
    setLastKey(key);
    // A failure is kept on the pending post (with Retry) and shown below while it lasts.
    sendPost({ channelId: channel.id, rootId, message, files: sum.files }, key).catch(() => undefined);
  };

  const editLast = (): boolean => {
    const s = store.getState();
    const me = s.me?.id;
    if (!me) return false;
    const posts = rootId ? (s.threads.posts[rootId]?.posts ?? s.posts[channel.id]?.posts ?? []) : (s.posts[channel.id]?.posts ?? []);
    const p = lastOwnPost(posts, me, rootId);
    if (!p) return false;
    store.dispatch({ type: "edit_post", postId: p.id, where: rootId ? "pane" : "channel" });
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // IME at work
    if (open) {
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp": {
          e.preventDefault();
          const d = e.key === "ArrowDown" ? 1 : -1;
          setActive((current + d + items.length) % items.length);
          return;
        }
        case "Enter":
        case "Tab":
          if (e.shiftKey) break; // Shift+Enter: a new line; Shift+Tab: move focus back
          e.preventDefault();
          pick(current);
          return;
        case "Escape":
          e.preventDefault();
          e.stopPropagation();
          e.nativeEvent.stopPropagation();
          setDismissed(token!.start);
          return;
      }
    }
    const marker = shortcutMarker(e);
    if (marker) {
      e.preventDefault();
      const el = e.currentTarget;
      applyEdit(toggleWrap(text, el.selectionStart, el.selectionEnd, marker));
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.altKey) {
      // Plain Enter sends, and so does Ctrl/Cmd+Enter (a habit from other apps).
      e.preventDefault();
      void send();
    } else if (e.key === "ArrowUp" && text === "" && !e.shiftKey && !e.altKey) {
      if (editLast()) e.preventDefault();
    }
  };

  const showCounter = count > maxChars - COUNTER_MARGIN;
  return (
    <form
      ref={formRef}
      className={"composer-form" + (rootId ? " in-thread" : "")}
      aria-label={rootId ? "Reply" : `Message ${title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className={"composer-box" + (tooLong ? " invalid" : "")}>
        {open && (
          <SuggestionList id={listId} trigger={token.trigger} items={items} active={current} onPick={pick} onHover={setActive} />
        )}
        <UploadList
          uploads={uploads}
          onCancel={(id) => cancelUpload(slot, id)}
          onRetry={(id) => retryUpload(slot, channel.id, id, limit)}
        />
        <label htmlFor={inputId} className="sr-only">
          {label}
        </label>
        <textarea
          id={inputId}
          ref={ref}
          className="composer-input"
          rows={1}
          value={text}
          placeholder={rootId ? "Reply…" : `Write to ${title}`}
          readOnly={waiting}
          aria-describedby={hintId}
          aria-invalid={tooLong || undefined}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(listId, current) : undefined}
          onChange={onChange}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            draftSaver.flush(slot);
          }}
          onPaste={(e) => {
            // Pasted files (screenshots) attach; text that comes with a rendering of itself pastes as text.
            const files = [...e.clipboardData.files];
            if (files.length && !e.clipboardData.types.includes("text/plain")) {
              e.preventDefault();
              attach(files);
            }
          }}
        />
        <div className="composer-tools">
          <button
            type="button"
            className="composer-tool"
            aria-label="Attach files"
            title={`Attach files (up to ${MAX_FILES_PER_POST})`}
            disabled={waiting}
            onClick={() => fileInput.current?.click()}
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <path
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                d="M21 11.5 12.6 19.9a5.5 5.5 0 0 1-7.8-7.8l8.5-8.5a3.7 3.7 0 0 1 5.2 5.2l-8.5 8.5a1.8 1.8 0 0 1-2.6-2.6l7.8-7.8"
              />
            </svg>
          </button>
          <button
            ref={emojiButton}
            type="button"
            className="composer-tool"
            aria-label="Insert emoji"
            aria-haspopup="dialog"
            aria-expanded={picker}
            disabled={waiting}
            onClick={() => setPicker((p) => !p)}
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
                <circle cx="12" cy="12" r="9" />
                <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" />
              </g>
              <circle cx="9" cy="10" r="1.2" fill="currentColor" />
              <circle cx="15" cy="10" r="1.2" fill="currentColor" />
            </svg>
          </button>
          {picker && emojiButton.current && (
            <EmojiPicker
              anchor={emojiButton.current}
              onClose={() => setPicker(false)}
              onPick={(name) => {
                const el = ref.current;
                if (!el) return;
                el.focus();
                applyEdit(insertToken(text, el.selectionStart, el.selectionEnd, `:${name}:`));
              }}
            />
          )}
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            tabIndex={-1}
            onChange={(e) => {
              attach([...(e.target.files ?? [])]);
              e.target.value = "";
            }}
          />
          {showCounter && (
            <span className={"composer-count" + (tooLong ? " over" : "")} aria-hidden="true">
              {count.toLocaleString("en")} / {maxChars.toLocaleString("en")}
            </span>
          )}
          <button type="submit" className="primary composer-send" disabled={!canSend} aria-label="Send">
            {waiting ? "Sending…" : "Send"}
          </button>
        </div>
      </div>
      <p id={hintId} className="composer-hint" aria-live="polite">
        {tooLong ? (
          <span className="error">
            {count.toLocaleString("en")} / {maxChars.toLocaleString("en")} characters: too long by {(count - maxChars).toLocaleString("en")}.
          </span>
        ) : waiting ? (
          "Sending once the files are uploaded…"
        ) : (
          <>
            <kbd>Enter</kbd> sends, <kbd>Shift</kbd>+<kbd>Enter</kbd> adds a line. Markdown works.
          </>
        )}
      </p>
      <p className="sr-only" aria-live="polite">
        {open ? `${items.length} suggestion${items.length === 1 ? "" : "s"}: up and down arrows to choose, Enter or Tab to insert.` : ""}
      </p>
      {notices.map((n, i) => (
        <p key={i} className="error composer-notice" role="alert">
          {n}
        </p>
      ))}
      {(error || lastFailure) && (
        <p className="error composer-error" role="alert">
          {error ?? `Your last message was not sent. ${lastFailure}`}
        </p>
      )}
    </form>
  );
}
