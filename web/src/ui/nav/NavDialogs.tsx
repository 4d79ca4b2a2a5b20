// Renders whichever navigation dialog is open (see dialogs.ts).
import { lazy, Suspense } from "react";
import { useAppState } from "../../state/store";
import { channelTitle, useDmMembers } from "../names";
import { ArchiveChannelDialog, ChannelInfoDialog, EditChannelDialog, LeaveChannelDialog, NotifyPrefsDialog } from "./ChannelDialogs";
import { ChannelBrowser } from "./ChannelBrowser";
import { closeDialog, openDialog, useNavDialog } from "./dialogs";
import { CreateChannelDialog, NewDirectDialog } from "./DirectDialogs";
import { QuickSwitcher } from "./QuickSwitcher";
import { ShortcutsDialog } from "./ShortcutsDialog";
import { useTeamRole } from "./Sidebar";
import { InviteDialog, JoinTeamDialog, LeaveTeamDialog, TeamSettingsDialog } from "./TeamDialogs";

// Settings are opened rarely: their code loads on first use.
const SettingsDialog = lazy(() => import("../settings/SettingsDialog").then((m) => ({ default: m.SettingsDialog })));

export function NavDialogs() {
  const d = useNavDialog();
  const team = useAppState((s) => s.teams.find((t) => t.id === s.currentTeamId));
  const channel = useAppState((s) => (s.currentChannelId ? s.channels[s.currentChannelId] : undefined));
  const users = useAppState((s) => s.users);
  const me = useAppState((s) => s.me);
  const dm = useDmMembers();
  const role = useTeamRole(team?.id ?? null);
  const teamAdmin = role === "admin" || me?.role === "system_admin";
  const onClose = closeDialog;
  const title = channel ? channelTitle(channel, users, dm, me?.id) : "";
  switch (d) {
    case null:
      return null;
    case "switcher":
      return <QuickSwitcher onClose={onClose} />;
    case "shortcuts":
      return <ShortcutsDialog onClose={onClose} />;
    case "settings":
      return (
        <Suspense fallback={null}>
          <SettingsDialog onClose={onClose} />
        </Suspense>
      );
    case "direct":
      return <NewDirectDialog onClose={onClose} />;
    case "browse":
      return team ? (
        <ChannelBrowser teamId={team.id} onClose={onClose} onCreate={me?.role === "guest" ? undefined : () => openDialog("create-channel")} />
      ) : null;
    case "create-channel":
      return team ? <CreateChannelDialog teamId={team.id} onClose={onClose} /> : null;
    case "invite":
      return team ? <InviteDialog team={team} canRegenerate={teamAdmin} onClose={onClose} /> : null;
    case "team-settings":
      return team ? <TeamSettingsDialog team={team} onClose={onClose} /> : null;
    case "join-team":
      return <JoinTeamDialog onClose={onClose} />;
    case "leave-team":
      return team ? <LeaveTeamDialog team={team} onClose={onClose} /> : null;
    case "channel-info":
      return channel ? <ChannelInfoDialog channel={channel} title={title} onClose={onClose} /> : null;
    case "channel-edit":
      return channel ? <EditChannelDialog channel={channel} onClose={onClose} /> : null;
    case "channel-notify":
      return channel ? <NotifyPrefsDialog channel={channel} onClose={onClose} /> : null;
    case "channel-archive":
      return channel ? <ArchiveChannelDialog channel={channel} title={title} onClose={onClose} /> : null;
    case "channel-leave":
      return channel ? <LeaveChannelDialog channel={channel} title={title} onClose={onClose} /> : null;
  }
}
