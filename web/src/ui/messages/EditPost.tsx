// Editing a post in place: Enter saves, Shift+Enter starts a new line, Escape
// cancels.
import { useLayoutEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { MAX_POST_CHARS, type Post } from "../../api/types";
import { editPost } from "../../state/postActions";
import { store } from "../../state/store";

export function EditPost({ post }: { post: Post }) {
  const [text, setText] = useState(post.message);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, window.innerHeight * 0.4)}px`;
  }, [text]);

  // Closing hands the keyboard back to the post itself.
  const close = () => {
    const article = ref.current?.closest("article");
    store.dispatch({ type: "edit_post", postId: null });
    requestAnimationFrame(() => article?.isConnected && article.focus());
  };
  const save = async () => {
    const message = text.trim();
    if (message === post.message.trim()) return close();
    if (!message) return setError("A message cannot be empty: delete it instead.");
    if (message.length > MAX_POST_CHARS) return setError(`At most ${MAX_POST_CHARS} characters.`);
    setBusy(true);
    try {
      await editPost(post.id, message);
      close();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The message could not be saved.");
      setBusy(false);
    }
  };

  return (
    <div className="edit-post">
      <textarea
        ref={ref}
        aria-label="Edit message"
        value={text}
        rows={1}
        disabled={busy}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          } else if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            close();
          }
        }}
      />
      <div className="edit-actions">
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
        <span className="hint">Enter to save, Escape to cancel</span>
        <button type="button" onClick={close} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
          Save
        </button>
      </div>
    </div>
  );
}
