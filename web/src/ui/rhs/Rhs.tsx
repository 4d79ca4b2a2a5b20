// The right-hand pane: a thread, the followed threads, pinned and saved posts,
// channel members, search results. Beside the channel on wide screens, over it on narrow ones.
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from "react";
import { MAX_POST_CHARS } from "../../api/types";
import type { RhsView } from "../../state/reducer";
import { store, useAppState } from "../../state/store";
import { channelTitle, useDmMembers } from "../names";
import { MembersPane } from "./MembersPane";
import { PinnedPane, SavedPane } from "./PostListPane";
import { ThreadPane } from "./ThreadPane";
import { ThreadsPane } from "./ThreadsPane";
import "./rhs.css";

const SearchPane = lazy(() => import("../search/SearchPane").then((m) => ({ default: m.SearchPane })));

const titles: Record<RhsView["kind"], string> = {
  thread: "Thread",
  threads: "Threads",
  pinned: "Pinned messages",
  saved: "Saved messages",
  members: "Members",
  search: "Search results",
};

/** The views a thread can be opened from, to go back to. */
function canReturnTo(v: RhsView): boolean {
  return v.kind === "threads" || v.kind === "pinned" || v.kind === "saved" || v.kind === "search";
}

export function Rhs({ view, maxChars = MAX_POST_CHARS }: { view: RhsView; maxChars?: number }) {
  const aside = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const currentChannelId = useAppState((s) => s.currentChannelId);
  const channelId = "channelId" in view ? view.channelId : null;
  const channel = useAppState((s) => (channelId ? s.channels[channelId] : undefined));
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();

  // Where "Back" leads: the list a thread was opened from.
  const last = useRef<RhsView | null>(null);
  const back = useRef<RhsView | null>(null);
  if (last.current !== view) {
    if (view.kind !== "thread") back.current = null;
    else if (last.current && canReturnTo(last.current)) back.current = last.current;
    last.current = view;
  }

  // Focus moves into the pane when it opens and back to the opener when it closes.
  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const el = aside.current;
    return () => {
      const active = document.activeElement;
      const lost = !active || active === document.body || (el !== null && el.contains(active));
      if (lost && opener && document.contains(opener)) opener.focus();
    };
  }, []);
  const viewKey = view.kind + ("channelId" in view ? view.channelId : "") + ("rootId" in view ? view.rootId : "");
  useEffect(() => {
    // A thread focuses its reply box itself.
    if (view.kind !== "thread") heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus moves when another view opens, which `viewKey` names; a new `view` object for the same view must not steal focus
  }, [viewKey]);

  // Pinned posts and members follow the channel being read.
  useEffect(() => {
    if (!currentChannelId || !channelId || channelId === currentChannelId) return;
    if (view.kind === "pinned" || view.kind === "members") {
      store.dispatch({ type: "open_rhs", view: { kind: view.kind, channelId: currentChannelId } });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows only a switch of the channel being read, not a change of the pane's own view
  }, [currentChannelId]);

  // The channel is gone (left, removed, archived away): nothing to show.
  useEffect(() => {
    if (channelId && !channel && store.getState().me) store.dispatch({ type: "close_rhs" });
  }, [channelId, channel]);

  const close = () => store.dispatch({ type: "close_rhs" });
  const onKeyDown = (e: KeyboardEvent) => {
    // A dialog opened from the pane closes itself first.
    if (e.key === "Escape" && !e.defaultPrevented && !(e.target as Element).closest("dialog")) {
      e.preventDefault();
      close();
    }
  };
  const subtitle = channel ? channelTitle(channel, users, dm, me?.id) : null;
  const backTo = back.current;

  return (
    <aside className="rhs" ref={aside} aria-labelledby="rhs-title" onKeyDown={onKeyDown}>
      <header className="rhs-head">
        {backTo && (
          <button
            type="button"
            className="icon-btn rhs-back"
            aria-label={`Back to ${titles[backTo.kind].toLowerCase()}`}
            title="Back"
            onClick={() => store.dispatch({ type: "open_rhs", view: backTo })}
          >
            ←
          </button>
        )}
        <div className="rhs-titles">
          <h2 id="rhs-title" ref={heading} tabIndex={-1}>
            {titles[view.kind]}
          </h2>
          {subtitle && (
            <p className="rhs-subtitle">
              {channel && (channel.kind === "public" ? "# " : channel.kind === "private" ? "🔒 " : "")}
              {subtitle}
            </p>
          )}
        </div>
        <button type="button" className="icon-btn rhs-close" aria-label="Close side pane" title="Close (Esc)" onClick={close}>
          ×
        </button>
      </header>
      {view.kind === "thread" && channel && (
        <ThreadPane
          key={view.rootId}
          rootId={view.rootId}
          channel={channel}
          channelTitle={subtitle ?? ""}
          highlightId={view.postId}
          maxChars={maxChars}
        />
      )}
      {view.kind === "threads" && <ThreadsPane />}
      {view.kind === "pinned" && channel && <PinnedPane key={channel.id} channel={channel} />}
      {view.kind === "saved" && <SavedPane />}
      {view.kind === "members" && channel && <MembersPane key={channel.id} channel={channel} />}
      {view.kind === "search" && (
        <Suspense
          fallback={
            <p className="rhs-note" role="status">
              Loading search…
            </p>
          }
        >
          <SearchPane query={view.query} />
        </Suspense>
      )}
    </aside>
  );
}
