// One post: author (avatar and name open the user card), time, text, files,
// reactions, thread summary, and the action toolbar shown on hover or focus.
// Used by the channel list and by the side pane (threads, pinned, saved).
import { memo, useCallback, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from "react";
import type { Channel, Post } from "../../api/types";
import { isDm } from "../../api/types";
import { openChannel } from "../../state/actions";
import { deletePost, permalink, setPinned, setSaved, toggleReaction } from "../../state/postActions";
import { usePrefs } from "../../state/prefs";
import type { EditPlace } from "../../state/reducer";
import { store, useAppState } from "../../state/store";
import { Attachments } from "../files/Attachments";
import { Dialog } from "../Main";
import { userName } from "../names";
import { Avatar, cardPoint } from "./Avatar";
import { EditPost } from "./EditPost";
import { EmojiPicker } from "./EmojiPicker";
import { formatFull, formatTime } from "./format";
import { Menu, type MenuItem } from "./Popover";
import { PostBody } from "./PostBody";
import { Reactions } from "./Reactions";
import { openThread, ThreadSummary } from "./ThreadSummary";
import "./messages.css";

export interface PostViewProps {
  post: Post;
  /** First of a group: show the avatar and name (grouped posts show only the text). */
  head?: boolean;
  /** The "N replies" summary under roots (off in the thread pane). */
  showThreadSummary?: boolean;
  /** "Reply in thread" in the toolbar (off for replies shown in their thread). */
  showReply?: boolean;
  /** Name the post's channel and offer to jump to it (pinned, saved, search lists). */
  showChannel?: boolean;
  /** Briefly highlighted (a focused deep link). */
  highlight?: boolean;
  /** Where this copy of the post is shown; only the copy where editing started shows the editor. */
  where?: EditPlace;
}

export const PostView = memo(function PostView(props: PostViewProps) {
  const { post, head = true, showThreadSummary = true, showReply = true, showChannel = false, highlight = false, where = "channel" } = props;
  const me = useAppState((s) => s.me);
  const author = useAppState((s) => s.users[post.user_id]);
  const users = useAppState((s) => s.users);
  const channel = useAppState((s) => s.channels[post.channel_id]) as Channel | undefined;
  const editing = useAppState((s) => s.editingPostId === post.id && s.editingWhere === where);
  const saved = useAppState((s) => !!s.savedPostIds[post.id]);
  const memberRole = useAppState((s) => s.memberships[post.channel_id]?.role);
  const team = useAppState((s) => {
    const tid = s.channels[post.channel_id]?.team_id ?? s.currentTeamId;
    return s.teams.find((t) => t.id === tid);
  });
  const threadUnread = useAppState((s) => (s.threads.states[post.id]?.unread_replies ?? 0) > 0);
  const { compact, clock24 } = usePrefs();

  const [hover, setHover] = useState(false);
  const [focusWithin, setFocusWithin] = useState(false);
  const [popup, setPopup] = useState<"react" | "menu" | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reactBtn = useRef<HTMLButtonElement>(null);
  const moreBtn = useRef<HTMLButtonElement>(null);

  const deleted = post.deleted_at !== null;
  const mine = !!me && post.user_id === me.id;
  const archived = !!channel?.archived_at;
  const canAct = !deleted && !archived;
  const canDelete =
    canAct && (mine || me?.role === "system_admin" || (memberRole === "admin" && !!channel && !isDm(channel.kind)));
  // Explicit mentions only: in a direct message every post would count otherwise.
  const mentioned = !!me && !mine && !deleted && (post.mentions.includes(me.id) || post.mentions_channel);
  const name = userName(author);
  const time = formatTime(post.created_at, clock24);

  const fail = useCallback((e: unknown) => setError(e instanceof Error ? e.message : "That did not work."), []);
  const profile = (e: MouseEvent<HTMLElement>) =>
    store.dispatch({ type: "show_profile", card: { userId: post.user_id, ...cardPoint(e) } });

  const copyLink = () => {
    const url = permalink(post);
    const done = () => {
      setNotice("Link copied");
      setTimeout(() => setNotice(null), 2000);
    };
    if (navigator.clipboard) void navigator.clipboard.writeText(url).then(done, () => window.prompt("Copy this link:", url));
    else window.prompt("Copy this link:", url);
  };
  const jump = () => {
    void openChannel(post.channel_id).then(() =>
      store.dispatch({ type: "focus_post", target: { channelId: post.channel_id, postId: post.root_id ?? post.id } }),
    );
  };

  const menuItems: MenuItem[] = [];
  if (canAct && showReply) menuItems.push({ label: "Reply in thread", onSelect: () => openThread(rootOf(post)) });
  if (!deleted) menuItems.push({ label: "Copy link", onSelect: copyLink });
  if (canAct)
    menuItems.push({
      label: post.is_pinned ? "Unpin from channel" : "Pin to channel",
      onSelect: () => void setPinned(post.id, !post.is_pinned).catch(fail),
    });
  if (!deleted)
    menuItems.push({ label: saved ? "Remove from saved" : "Save message", onSelect: () => void setSaved(post.id, !saved).catch(fail) });
  if (canAct && mine) menuItems.push({ label: "Edit message", onSelect: () => store.dispatch({ type: "edit_post", postId: post.id, where }) });
  if (canDelete) menuItems.push({ label: "Delete message", onSelect: () => setConfirmDelete(true), danger: true });

  const active = (hover || focusWithin || popup !== null) && !deleted && !editing;
  const onBlur = (e: FocusEvent<HTMLElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusWithin(false);
  };

  const cls =
    "post" +
    (head ? " head" : "") +
    (compact ? " compact" : "") +
    (mentioned ? " mentioned" : "") +
    (highlight ? " focused" : "") +
    (post.is_pinned ? " pinned" : "") +
    (active ? " active" : "");

  return (
    <article
      className={cls}
      data-post-id={post.id}
      tabIndex={0}
      aria-label={`${name}, ${time}${post.is_pinned ? ", pinned" : ""}`}
      onMouseOver={() => hover || setHover(true)}
      onMouseOut={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHover(false);
      }}
      onFocus={() => setFocusWithin(true)}
      onBlur={onBlur}
    >
      {/* First in the DOM: Tab from a focused post reaches its actions first. */}
      {active && (
        <div className="post-toolbar" role="toolbar" aria-label="Message actions" onKeyDown={toolbarKeys}>
          {canAct && (
            <button
              ref={reactBtn}
              type="button"
              className="tool"
              aria-label="Add reaction"
              title="Add reaction"
              aria-haspopup="dialog"
              aria-expanded={popup === "react"}
              onClick={() => setPopup(popup === "react" ? null : "react")}
            >
              <span aria-hidden="true">☺</span>
            </button>
          )}
          {canAct && showReply && (
            <button type="button" className="tool" aria-label="Reply in thread" title="Reply in thread" onClick={() => openThread(rootOf(post))}>
              <span aria-hidden="true">↩</span>
            </button>
          )}
          <button
            type="button"
            className={"tool" + (saved ? " on" : "")}
            aria-label={saved ? "Remove from saved" : "Save message"}
            title={saved ? "Remove from saved" : "Save message"}
            onClick={() => void setSaved(post.id, !saved).catch(fail)}
          >
            <span aria-hidden="true">{saved ? "🔖" : "🏷"}</span>
          </button>
          <button
            ref={moreBtn}
            type="button"
            className="tool"
            aria-label="More actions"
            title="More actions"
            aria-haspopup="menu"
            aria-expanded={popup === "menu"}
            onClick={() => setPopup(popup === "menu" ? null : "menu")}
          >
            <span aria-hidden="true">⋯</span>
          </button>
          {popup === "react" && reactBtn.current && (
            <EmojiPicker
              anchor={reactBtn.current}
              onClose={() => setPopup(null)}
              onPick={(emoji) => {
                const already = post.reactions.some((r) => r.user_id === me?.id && r.emoji_name === emoji);
                if (!already) void toggleReaction(post, emoji).catch(fail);
              }}
            />
          )}
          {popup === "menu" && moreBtn.current && (
            <Menu anchor={moreBtn.current} label="More actions" items={menuItems} onClose={() => setPopup(null)} />
          )}
        </div>
      )}
      <div className="post-gutter">
        {head && !compact ? (
          <button type="button" className="avatar-button" aria-label={`Profile of ${name}`} tabIndex={-1} onClick={profile}>
            <Avatar userId={post.user_id} user={author} />
          </button>
        ) : (
          <time
            className={"gutter-time" + (head ? " shown" : "")}
            dateTime={new Date(post.created_at).toISOString()}
            title={formatFull(post.created_at)}
          >
            {time}
          </time>
        )}
      </div>
      <div className="post-main">
        {head && (
          <div className="post-meta">
            <button type="button" className="author" onClick={profile}>
              {name}
            </button>
            {author?.is_bot && <span className="tag">Bot</span>}
            {!compact && (
              <time dateTime={new Date(post.created_at).toISOString()} title={formatFull(post.created_at)}>
                {time}
              </time>
            )}
            {showChannel && channel && (
              <button type="button" className="link post-channel" onClick={jump} title="Jump to the message">
                {isDm(channel.kind) ? "in a direct message" : `in ~${channel.name}`}
              </button>
            )}
          </div>
        )}
        {(post.is_pinned || saved) && !deleted && (
          <div className="post-flags">
            {post.is_pinned && <span className="flag pinned-flag">📌 Pinned</span>}
            {saved && <span className="flag saved-flag">🔖 Saved</span>}
          </div>
        )}
        {deleted ? (
          <p className="deleted">(message deleted)</p>
        ) : editing ? (
          <EditPost post={post} />
        ) : (
          <>
            <PostBody text={post.message} me={me?.username} team={team?.name} teamId={channel?.team_id ?? null} />
            {post.edited_at && (
              <span className="muted edited" title={`Edited ${formatFull(post.edited_at)}`}>
                (edited)
              </span>
            )}
          </>
        )}
        {!deleted && post.file_ids.length > 0 && <Attachments fileIds={post.file_ids} />}
        {!deleted && <Reactions post={post} me={me?.id} users={users} canReact={canAct} />}
        {showThreadSummary && post.root_id === null && post.reply_count > 0 && (
          <ThreadSummary post={post} users={users} unread={threadUnread} />
        )}
        {notice && (
          <p className="muted post-notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p className="error post-error" role="alert">
            {error}{" "}
            <button type="button" className="link" onClick={() => setError(null)}>
              Dismiss
            </button>
          </p>
        )}
      </div>
      {confirmDelete && (
        <Dialog title="Delete message" onClose={() => setConfirmDelete(false)}>
          <p>
            Delete this message{post.reply_count > 0 ? "? Its replies stay in the thread." : "?"} This cannot be undone.
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger-button"
              autoFocus
              onClick={() => {
                setConfirmDelete(false);
                void deletePost(post).catch(fail);
              }}
            >
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </article>
  );
});

/** Left and Right move between a toolbar's buttons. */
function toolbarKeys(e: KeyboardEvent<HTMLDivElement>): void {
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>(":scope > button")];
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  e.preventDefault();
  buttons[(i + (e.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length]?.focus();
}

/** The post a thread hangs off: the post itself, or its root (for replies). */
function rootOf(post: Post): Post {
  return post.root_id ? { ...post, id: post.root_id } : post;
}
