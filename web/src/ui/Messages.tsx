import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { ApiError } from "../api/client";
import type { Channel, Post, User } from "../api/types";
import { discardPending, loadOlder, notifyTyping, retryPost, sendPost } from "../state/actions";
import type { PendingPost } from "../state/reducer";
import { useAppState } from "../state/store";
import { errorText } from "./Auth";
import { buildRows } from "./grouping";
import { renderMarkdown } from "./markdown";
import { channelTitle, useDmMembers, userName } from "./names";

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateFmt = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function ChannelView(props: { channel: Channel; maxChars: number; navOpen: boolean; onToggleNav: () => void }) {
  const { channel, maxChars } = props;
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const title = channelTitle(channel, users, dm, me?.id);
  useEffect(() => {
    document.title = `${title} · Hearth`;
  }, [title]);
  return (
    <>
      <header className="channel-head">
        <button
          type="button"
          className="nav-toggle"
          aria-controls="sidebar"
          aria-expanded={props.navOpen}
          onClick={props.onToggleNav}
        >
          Channels
        </button>
        <h2>
          <span aria-hidden="true">{channel.kind === "private" ? "🔒 " : channel.kind === "public" ? "# " : "@ "}</span>
          {title}
        </h2>
        {(channel.purpose || channel.header) && <p className="purpose">{channel.purpose || channel.header}</p>}
      </header>
      <MessageList channel={channel} title={title} />
      <TypingLine channelId={channel.id} />
      {channel.archived_at ? (
        <p className="archived" role="note">
          This channel is archived; it is read-only.
        </p>
      ) : (
        <Composer channel={channel} title={title} maxChars={maxChars} />
      )}
    </>
  );
}

function MessageList({ channel, title }: { channel: Channel; title: string }) {
  const cp = useAppState((s) => s.posts[channel.id]);
  const pending = useAppState((s) => s.pending[channel.id]);
  const users = useAppState((s) => s.users);
  const rows = useMemo(() => buildRows(cp?.posts ?? []), [cp?.posts]);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prevHeight = useRef<number | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);

  // Stay pinned to the bottom when new posts arrive, keep position when older ones load.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevHeight.current !== null) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
      prevHeight.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [rows, pending]);

  useEffect(() => {
    atBottom.current = true;
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [channel.id]);

  const older = async () => {
    const el = scroller.current;
    if (el) prevHeight.current = el.scrollHeight;
    setLoadingOlder(true);
    try {
      await loadOlder(channel.id);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <div
      className="messages"
      ref={scroller}
      role="log"
      aria-label={`Messages in ${title}`}
      aria-live="polite"
      aria-relevant="additions"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {cp?.loaded && cp.hasMoreBefore && (
        <div className="older">
          <button type="button" onClick={() => void older()} disabled={loadingOlder}>
            {loadingOlder ? "Loading…" : "Load older messages"}
          </button>
        </div>
      )}
      {!cp?.loaded && (
        <p className="center" role="status">
          Loading messages…
        </p>
      )}
      {cp?.loaded && !cp.hasMoreBefore && <p className="intro">This is the start of {title}.</p>}
      <ol className="post-list" role="list">
        {rows.map((r) =>
          r.kind === "date" ? (
            <li key={r.key} className="date-sep">
              <h3>{dateFmt.format(r.at)}</h3>
            </li>
          ) : (
            <PostItem key={r.key} post={r.post} head={r.head} author={users[r.post.user_id]} />
          ),
        )}
        {pending?.map((p) => <PendingItem key={p.key} p={p} />)}
      </ol>
    </div>
  );
}

const PostItem = memo(function PostItem({ post, head, author }: { post: Post; head: boolean; author: User | undefined }) {
  const html = useMemo(() => (post.deleted_at ? "" : renderMarkdown(post.message)), [post.message, post.deleted_at]);
  const reactions = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of post.reactions) m.set(r.emoji_name, (m.get(r.emoji_name) ?? 0) + 1);
    return [...m];
  }, [post.reactions]);
  return (
    <li className={"post" + (head ? " head" : "")} aria-labelledby={head ? `a-${post.id}` : undefined}>
      {head ? (
        <div className="post-meta">
          <span className="author" id={`a-${post.id}`}>
            {userName(author)}
          </span>
          <time dateTime={new Date(post.created_at).toISOString()} title={fullFmt.format(post.created_at)}>
            {timeFmt.format(post.created_at)}
          </time>
          {post.root_id && <span className="muted">replied in a thread</span>}
        </div>
      ) : (
        <time className="gutter-time" dateTime={new Date(post.created_at).toISOString()} title={fullFmt.format(post.created_at)}>
          {timeFmt.format(post.created_at)}
        </time>
      )}
      {post.deleted_at ? (
        <p className="deleted">(message deleted)</p>
      ) : (
        <div className="body" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      {post.edited_at && !post.deleted_at && <span className="muted edited">(edited)</span>}
      {post.file_ids.length > 0 && !post.deleted_at && (
        <ul className="files" role="list" aria-label="Attachments">
          {post.file_ids.map((id) => (
            <li key={id}>
              <a href={`/api/v1/files/${id}`}>Attachment</a>
            </li>
          ))}
        </ul>
      )}
      {reactions.length > 0 && (
        <ul className="reactions" role="list" aria-label="Reactions">
          {reactions.map(([name, n]) => (
            <li key={name} className="reaction">
              :{name}: {n}
            </li>
          ))}
        </ul>
      )}
      {post.reply_count > 0 && (
        <p className="muted replies">
          {post.reply_count} repl{post.reply_count === 1 ? "y" : "ies"}
        </p>
      )}
    </li>
  );
});

function PendingItem({ p }: { p: PendingPost }) {
  const html = useMemo(() => renderMarkdown(p.message), [p.message]);
  return (
    <li className={"post head pending" + (p.failed ? " failed" : "")} aria-busy={!p.failed}>
      <div className="post-meta">
        <span className="author">You</span>
        <span className="muted">{p.failed ? "Not sent" : "Sending…"}</span>
      </div>
      <div className="body" dangerouslySetInnerHTML={{ __html: html }} />
      {p.failed && (
        <div className="pending-actions">
          <button type="button" className="link" onClick={() => void retryPost(p.channel_id, p.key).catch(() => undefined)}>
            Retry
          </button>
          <button type="button" className="link" onClick={() => discardPending(p.channel_id, p.key)}>
            Discard
          </button>
        </div>
      )}
    </li>
  );
}

function TypingLine({ channelId }: { channelId: string }) {
  const typing = useAppState((s) => s.typing[channelId]);
  const users = useAppState((s) => s.users);
  const names = typing
    ? Object.entries(typing)
        .filter(([, until]) => until > Date.now())
        .map(([id]) => userName(users[id]))
    : [];
  const text =
    names.length === 0
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length <= 3
          ? `${names.join(", ")} are typing…`
          : "Several people are typing…";
  return (
    <div className="typing" aria-live="polite">
      {text}
    </div>
  );
}

function Composer({ channel, title, maxChars }: { channel: Channel; title: string; maxChars: number }) {
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
