// The channel's message list, virtualized (only what is on screen is in the
// DOM, so 10,000 posts scroll smoothly): date separators, grouped posts, the
// "New messages" line, pending posts, infinite scroll back in history, sticking
// to the bottom while there, and scrolling to a focused post.
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { api } from "../../api/client";
import type { Channel, Id, Millis, Post } from "../../api/types";
import { discardPending, loadLatest, loadOlder, retryPost } from "../../state/actions";
import { loadAround, loadNewer } from "../../state/postActions";
import { channelRoots, firstUnreadId } from "../../state/posts";
import { usePrefs } from "../../state/prefs";
import type { PendingPost } from "../../state/reducer";
import { store, useAppState } from "../../state/store";
import { activeTypers } from "../../state/threads";
import { buildRows, type Row } from "../grouping";
import { renderMarkdown } from "../markdown";
import { typingText, userName } from "../names";
import { formatDay } from "./format";
import { PostView } from "./PostView";
import "./messages.css";

export { PostView } from "./PostView";

/**
 * A list row. Date separators ride on the row they precede rather than being rows
 * of their own: the row kept in place across a prepend must be one whose key
 * moves with the prepend (a post), never a separator that stays first.
 */
type ListRow = (Exclude<Row, { kind: "date" }> & { date: Millis | null }) | { kind: "pending"; key: string; pending: PendingPost; date: null };

const END_THRESHOLD = 48;
const HIGHLIGHT_MS = 2500;
/** Room above the first row for the channel intro or the "loading older" line. It sits
 * outside the rows so that, at the very top, the anchor kept across a prepend is a post. */
const TOP_PX = 88;
/** After a failed page load, wait before the next attempt (instead of retrying on every render). */
const pause = () => new Promise<void>((r) => setTimeout(r, 5000));

function estimate(r: ListRow, compact: boolean): number {
  switch (r.kind) {
    case "new":
      return 28 + (r.date ? 40 : 0);
    case "pending":
      return 56;
    case "post":
      return (r.date ? 40 : 0) + (r.head ? (compact ? 44 : 62) : 26) + (r.post.file_ids.length ? 120 : 0) + (r.post.reactions.length ? 30 : 0);
  }
}

export function MessageList(props: { channel: Channel; title: string }) {
  // A fresh list (and virtualizer) per channel: scroll state never leaks across channels.
  return <ChannelMessages key={props.channel.id} {...props} />;
}

function ChannelMessages({ channel, title }: { channel: Channel; title: string }) {
  const cp = useAppState((s) => s.posts[channel.id]);
  const pending = useAppState((s) => s.pending[channel.id]);
  const me = useAppState((s) => s.me);
  const mark = useAppState((s) => (s.unreadMark?.channelId === channel.id ? s.unreadMark : null));
  const focus = useAppState((s) => (s.focusPost?.channelId === channel.id ? s.focusPost : null));
  const { compact } = usePrefs();
  const scroller = useRef<HTMLDivElement>(null);

  const roots = useMemo(() => channelRoots(cp?.posts ?? []), [cp?.posts]);
  // The line stays where it was when the channel was opened, even as posts arrive;
  // placed once the posts are loaded.
  const [lineAt, setLineAt] = useState<Id | null | undefined>(undefined);
  if (lineAt === undefined && cp?.loaded) setLineAt(mark ? firstUnreadId(roots, mark.since, mark.count, me?.id) : null);

  const rows: ListRow[] = useMemo(() => {
    const out: ListRow[] = [];
    let date: Millis | null = null;
    for (const r of buildRows(roots, undefined, { newBefore: lineAt ?? null })) {
      if (r.kind === "date") date = r.at;
      else {
        out.push({ ...r, date });
        date = null;
      }
    }
    for (const p of pending ?? []) if (p.root_id === null) out.push({ kind: "pending", key: `pending-${p.key}`, pending: p, date: null });
    return out;
  }, [roots, pending, lineAt]);

  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimate(rows[i], compact),
    getItemKey: (i) => rows[i].key,
    anchorTo: "end",
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD,
    overscan: 8,
    paddingStart: TOP_PX,
  });

  // ---- first position: the "New messages" line, else the end ----
  const positioned = useRef(false);
  useLayoutEffect(() => {
    if (positioned.current || !cp?.loaded || focus) return;
    positioned.current = true;
    const i = rows.findIndex((r) => r.kind === "new");
    if (i >= 0) v.scrollToIndex(i, { align: "start" });
    else v.scrollToEnd();
  }, [cp?.loaded, rows, v, focus]);

  // ---- at the end or not; posts that arrived below while reading history ----
  const [atEnd, setAtEnd] = useState(true);
  const [farFromEnd, setFarFromEnd] = useState(false);
  const lastSeen = useRef<Id | null>(null);
  const lastRoot = roots.length ? roots[roots.length - 1].id : null;
  if (atEnd && lastSeen.current !== lastRoot) lastSeen.current = lastRoot;
  const unseen = useMemo(() => {
    if (atEnd || !lastSeen.current) return 0;
    const i = roots.findIndex((p) => p.id === lastSeen.current);
    return i < 0 ? 0 : roots.slice(i + 1).filter((p) => p.user_id !== me?.id).length;
  }, [atEnd, roots, me?.id]);

  // ---- infinite scroll both ways ----
  const loading = useRef<"older" | "newer" | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const items = v.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (!cp?.loaded || loading.current || !positioned.current) return;
    if (firstIndex <= 3 && cp.hasMoreBefore) {
      loading.current = "older";
      setLoadingOlder(true);
      // The virtualizer (anchored to the end) keeps the first visible post in place.
      void loadOlder(channel.id)
        .catch(pause)
        .finally(() => {
          loading.current = null;
          setLoadingOlder(false);
        });
    } else if (lastIndex >= rows.length - 4 && cp.hasMoreAfter) {
      loading.current = "newer";
      void loadNewer(channel.id)
        .catch(pause)
        .finally(() => (loading.current = null));
    }
    // `loadingOlder` re-checks once a page has landed (still at the top: load on).
  }, [firstIndex, lastIndex, rows.length, cp?.loaded, cp?.hasMoreBefore, cp?.hasMoreAfter, channel.id, loadingOlder]);

  // Read from the element: this handler may run before the virtualizer has seen the scroll.
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    const end = distance <= END_THRESHOLD && !cp?.hasMoreAfter;
    if (end !== atEnd) setAtEnd(end);
    const far = distance > el.clientHeight * 1.5;
    if (far !== farFromEnd) setFarFromEnd(far);
  };

  const jumpToEnd = useCallback(async () => {
    if (store.getState().posts[channel.id]?.hasMoreAfter) await loadLatest(channel.id);
    requestAnimationFrame(() => v.scrollToEnd());
    setAtEnd(true);
  }, [channel.id, v]);

  // My own new post: always show it (Slack does), even from history.
  const pendingCount = pending?.filter((p) => p.root_id === null).length ?? 0;
  const prevPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > prevPending.current) void jumpToEnd();
    prevPending.current = pendingCount;
  }, [pendingCount, jumpToEnd]);

  // ---- focus a post (deep link, pinned, saved, search): load it, scroll to it, highlight it ----
  const [highlighted, setHighlighted] = useState<Id | null>(null);
  useEffect(() => {
    if (!focus || !cp?.loaded) return;
    let cancelled = false;
    void (async () => {
      let target = focus.postId;
      let held = store.getState().posts[channel.id]?.posts.find((p) => p.id === target);
      if (!held) {
        // A reply: show its root here and the reply in the thread pane.
        const p = await api.post(target).catch(() => null);
        if (p?.root_id) {
          target = p.root_id;
          store.dispatch({ type: "open_rhs", view: { kind: "thread", rootId: p.root_id, channelId: channel.id } });
        }
        held = store.getState().posts[channel.id]?.posts.find((x) => x.id === target);
        if (!held && p) await loadAround(channel.id, target).catch(() => undefined);
      }
      if (cancelled) return;
      positioned.current = true;
      store.dispatch({ type: "focus_post", target: null });
      setHighlighted(target);
      requestAnimationFrame(() => {
        const i = rowsRef.current.findIndex((r) => r.kind === "post" && r.post.id === target);
        if (i >= 0) v.scrollToIndex(i, { align: "center" });
      });
      setTimeout(() => setHighlighted((h) => (h === target ? null : h)), HIGHLIGHT_MS);
    })();
    return () => {
      cancelled = true;
    };
  }, [focus, cp?.loaded, channel.id, v]);

  // The post being edited (Up-arrow in the composer picks my last one) comes into view.
  const editing = useAppState((s) => (s.editingWhere === "channel" ? s.editingPostId : null));
  useEffect(() => {
    if (!editing) return;
    const i = rowsRef.current.findIndex((r) => r.kind === "post" && r.post.id === editing);
    if (i >= 0) v.scrollToIndex(i, { align: "auto" });
  }, [editing, v]);

  // ---- keyboard: arrows move between posts ----
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const t = e.target as HTMLElement;
    if (!t.matches("article.post") || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    const posts = [...(scroller.current?.querySelectorAll<HTMLElement>("article.post") ?? [])];
    const i = posts.indexOf(t);
    const next = posts[e.key === "ArrowUp" ? i - 1 : i + 1];
    if (next) {
      e.preventDefault();
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    }
  };

  const announcement = useNewPostAnnouncement(roots, me?.id);

  return (
    <div className="message-pane">
      <div
        className="msg-scroller"
        id="message-list"
        ref={scroller}
        role="log"
        aria-label={`Messages in ${title}`}
        aria-live="off"
        aria-busy={!cp?.loaded}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        {!cp?.loaded ? (
          <p className="center" role="status">
            Loading messages…
          </p>
        ) : (
          <div className="msg-canvas" role="list" style={{ height: v.getTotalSize() }}>
            <ListTop title={title} hasMoreBefore={cp.hasMoreBefore} loadingOlder={loadingOlder} />
            {items.map((item) => {
              const r = rows[item.index];
              return (
                <div
                  key={item.key}
                  ref={v.measureElement}
                  data-index={item.index}
                  role="listitem"
                  className="msg-row"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <RowView row={r} highlighted={highlighted} />
                </div>
              );
            })}
          </div>
        )}
      </div>
      {cp?.loaded && (unseen > 0 || cp.hasMoreAfter || (farFromEnd && !atEnd)) && (
        <button type="button" className="jump-to-end" onClick={() => void jumpToEnd()}>
          {/* Past a window around an older post, what lies below is history, not news. */}
          {unseen > 0 && !cp.hasMoreAfter ? "New messages below" : "Jump to recent messages"}
          {unseen > 0 && !cp.hasMoreAfter && (
            <span className="jump-count" aria-hidden="true">
              {unseen}
            </span>
          )}
        </button>
      )}
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}

function ListTop(props: { title: string; hasMoreBefore: boolean; loadingOlder: boolean }) {
  return (
    <div className="list-top" role="listitem" style={{ height: TOP_PX }}>
      {props.hasMoreBefore ? (
        <p className="muted" role="status">
          {props.loadingOlder ? "Loading older messages…" : ""}
        </p>
      ) : (
        <>
          <h3>{props.title}</h3>
          <p className="muted">This is the start of {props.title}.</p>
        </>
      )}
    </div>
  );
}

const RowView = memo(function RowView(props: { row: ListRow; highlighted: Id | null }) {
  const r = props.row;
  if (r.date === null) return <RowContent {...props} />;
  return (
    <>
      <div className="date-sep">
        <h3>{formatDay(r.date)}</h3>
      </div>
      <RowContent {...props} />
    </>
  );
});

function RowContent(props: { row: ListRow; highlighted: Id | null }) {
  const r = props.row;
  switch (r.kind) {
    case "new":
      return (
        <div className="new-line" role="separator" aria-label="New messages">
          <span>New messages</span>
        </div>
      );
    case "post":
      return <PostView post={r.post} head={r.head} highlight={props.highlighted === r.post.id} />;
    case "pending":
      return <PendingItem p={r.pending} />;
  }
}

function PendingItem({ p }: { p: PendingPost }) {
  return (
    <article className={"post head pending" + (p.failed ? " failed" : "")} aria-busy={!p.failed} aria-label={p.failed ? "Not sent" : "Sending"}>
      <div className="post-gutter" />
      <div className="post-main">
        <PendingContent p={p} metaClass="post-meta" authorClass="author" />
      </div>
    </article>
  );
}

/** A post of ours not yet confirmed, in the channel or a thread: sending, or failed with retry and discard. */
export function PendingContent({ p, metaClass, authorClass }: { p: PendingPost; metaClass: string; authorClass: string }) {
  const html = useMemo(() => renderMarkdown(p.message), [p.message]);
  return (
    <>
      <div className={metaClass}>
        <span className={authorClass}>You</span>
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
    </>
  );
}

/** Text for screen readers when someone else posts in the open channel (the log itself stays quiet while scrolling). */
function useNewPostAnnouncement(roots: Post[], me: Id | undefined): string {
  const users = useAppState((s) => s.users);
  const last = roots.length ? roots[roots.length - 1] : undefined;
  const first = useRef<Id | null | undefined>(undefined);
  if (first.current === undefined) first.current = last?.id ?? null;
  if (!last || last.id === first.current || last.user_id === me) return "";
  const text = last.message.length > 140 ? last.message.slice(0, 140) + "…" : last.message;
  return `${userName(users[last.user_id])}: ${text}`;
}

export function TypingLine({ channelId }: { channelId: string }) {
  const typing = useAppState((s) => s.typing[channelId]);
  const users = useAppState((s) => s.users);
  const text = typingText(activeTypers(typing, Date.now()).map((id) => userName(users[id])));
  return (
    <div className="typing" aria-live="polite">
      {text}
    </div>
  );
}
