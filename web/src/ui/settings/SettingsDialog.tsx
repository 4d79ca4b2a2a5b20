// Settings, as tabs: display, notifications, profile, security.
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { Dialog } from "../nav/Dialog";
import { DisplayTab } from "./DisplayTab";
import { NotificationsTab } from "./NotificationsTab";
import { ProfileTab } from "./ProfileTab";
import { SecurityTab } from "./SecurityTab";
import "./settings.css";

const TABS = [
  { key: "display", label: "Display", Panel: DisplayTab },
  { key: "notifications", label: "Notifications", Panel: NotificationsTab },
  { key: "profile", label: "Profile", Panel: ProfileTab },
  { key: "security", label: "Security", Panel: SecurityTab },
] as const;

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const [tab, setTab] = useState(0);
  const id = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent) => {
    const n = TABS.length;
    let next: number | null = null;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = (tab + 1) % n;
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = (tab - 1 + n) % n;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = n - 1;
    if (next === null) return;
    e.preventDefault();
    setTab(next);
    tabs.current[next]?.focus();
  };
  const { Panel } = TABS[tab];
  return (
    <Dialog title="Settings" onClose={onClose} className="wide settings">
      <div className="settings-body">
        <div role="tablist" aria-label="Settings sections" aria-orientation="vertical" className="settings-tabs" onKeyDown={onKeyDown}>
          {TABS.map((t, i) => (
            <button
              key={t.key}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${t.key}`}
              aria-selected={i === tab}
              aria-controls={`${id}-panel`}
              tabIndex={i === tab ? 0 : -1}
              className={"settings-tab" + (i === tab ? " active" : "")}
              onClick={() => setTab(i)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${TABS[tab].key}`} className="settings-panel" tabIndex={0}>
          <Panel />
        </div>
      </div>
    </Dialog>
  );
}
