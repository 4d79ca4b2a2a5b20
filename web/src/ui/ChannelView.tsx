// One open channel: header, message list, typing line, composer, and the
// right-hand pane beside them.
import { useEffect } from "react";
import type { Channel } from "../api/types";
import { useAppState } from "../state/store";
import { Composer } from "./composer/Composer";
import { MessageList, TypingLine } from "./messages/MessageList";
import { channelTitle, useDmMembers } from "./names";

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

