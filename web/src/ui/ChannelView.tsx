// One open channel: header, message list, typing line, composer, and the
// right-hand pane beside them.
import { useEffect } from "react";
import type { Channel } from "../api/types";
import { useAppState } from "../state/store";
import { Composer } from "./composer/Composer";
import { MessageList, TypingLine } from "./messages/MessageList";
import { channelTitle, useDmMembers } from "./names";
import { ChannelHeader } from "./nav/ChannelHeader";

export function ChannelView(props: {
  channel: Channel;
  maxChars: number;
  /** ServerInfo.max_file_size, for the composer. */
  maxFileSize?: number;
  navOpen: boolean;
  onToggleNav: () => void;
}) {
  const { channel, maxChars } = props;
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const title = channelTitle(channel, users, dm, me?.id);
  // Mentions anywhere show in the tab title, as in Slack: "(2) town-square · Hearth".
  const mentions = useAppState((s) => Object.values(s.unreads).reduce((n, u) => n + u.mention_count, 0));
  useEffect(() => {
    document.title = `${mentions ? `(${mentions}) ` : ""}${title} · Hearth`;
  }, [title, mentions]);
  return (
    <>
      <ChannelHeader channel={channel} title={title} navOpen={props.navOpen} onToggleNav={props.onToggleNav} />
      <MessageList channel={channel} title={title} />
      <TypingLine channelId={channel.id} />
      {channel.archived_at ? (
        <p className="archived" role="note">
          This channel is archived; it is read-only.
        </p>
      ) : (
        <Composer channel={channel} title={title} maxChars={maxChars} maxFileSize={props.maxFileSize} />
      )}
    </>
  );
}

