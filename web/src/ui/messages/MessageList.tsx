// The channel's message list: date separators, grouped posts, pending posts
// and the typing line.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Channel, Post, User } from "../../api/types";
import { discardPending, loadOlder, retryPost } from "../../state/actions";
import type { PendingPost } from "../../state/reducer";
import { useAppState } from "../../state/store";
import { buildRows } from "../grouping";
import { renderMarkdown } from "../markdown";
import { userName } from "../names";

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateFmt = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function MessageList({ channel, title }: { channel: Channel; title: string }) {
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

export function TypingLine({ channelId }: { channelId: string }) {
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

