// Under a root post with replies: who took part, how many replies, when the
// last one came; opens the thread in the side pane.
import type { Id, Post, User } from "../../api/types";
import { store } from "../../state/store";
import { Avatar } from "./Avatar";
import { formatAgo, formatFull } from "./format";

export function openThread(post: Post): void {
  store.dispatch({ type: "open_rhs", view: { kind: "thread", rootId: post.id, channelId: post.channel_id } });
}

export function ThreadSummary({ post, users, unread }: { post: Post; users: Record<Id, User>; unread?: boolean }) {
  const people = post.participants.slice(0, 4);
  const n = post.reply_count;
  return (
    <div className={"thread-summary" + (unread ? " unread" : "")}>
      <span className="thread-avatars" aria-hidden="true">
        {people.map((id) => (
          <Avatar key={id} userId={id} user={users[id]} size={20} />
        ))}
      </span>
      <button type="button" className="link thread-link" onClick={() => openThread(post)}>
        {n} {n === 1 ? "reply" : "replies"}
      </button>
      {post.last_reply_at && (
        <time className="muted" dateTime={new Date(post.last_reply_at).toISOString()} title={formatFull(post.last_reply_at)}>
          Last reply {formatAgo(post.last_reply_at)}
        </time>
      )}
    </div>
  );
}
