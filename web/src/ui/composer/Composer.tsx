// The message composer: Enter sends, Shift+Enter adds a line.
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { ApiError } from "../../api/client";
import type { Channel } from "../../api/types";
import { notifyTyping, sendPost } from "../../state/actions";
import { errorText } from "../Auth";

export function Composer({ channel, title, maxChars }: { channel: Channel; title: string; maxChars: number }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const drafts = useRef(new Map<string, string>());
  const prevChannel = useRef(channel.id);

  // Keep a draft per channel while switching.
  useEffect(() => {
    if (prevChannel.current !== channel.id) {
      drafts.current.set(prevChannel.current, text);
      setText(drafts.current.get(channel.id) ?? "");
      setError(null);
      prevChannel.current = channel.id;
    }
    ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel.id]);

  const tooLong = [...text].length > maxChars;

  const send = () => {
    const message = text.trim();
    if (!message || tooLong) return;
    setText("");
    setError(null);
    sendPost(channel.id, message).catch((e: unknown) => {
      setError(e instanceof ApiError && e.code === "channel_archived" ? "This channel is archived." : errorText(e));
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor="composer-input" className="sr-only">
        Write to {title}
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={Math.min(8, Math.max(1, text.split("\n").length))}
        value={text}
        placeholder={`Write to ${title}`}
        aria-describedby="composer-hint"
        aria-invalid={tooLong || undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) notifyTyping(channel.id);
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={!text.trim() || tooLong}>
        Send
      </button>
      <p id="composer-hint" className="hint">
        {tooLong ? (
          <span className="error">
            {[...text].length} / {maxChars} characters: too long.
          </span>
        ) : (
          "Enter sends, Shift+Enter adds a line. Markdown works."
        )}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
