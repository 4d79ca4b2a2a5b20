// The Compliance page: retention periods and the purge, legal holds, exports
// and their jobs, and (for compliance officers) the audited search across all
// content. One tab at a time, named by `?tab=` so each can be deep-linked; each
// tab lives in its own module beside this one.
import { useRef, type KeyboardEvent } from "react";
import { useAppState } from "../../state/store";
import { goTo } from "../../state/appPath";
import { useTitle } from "../common";
import { adminPath, type AdminRoute } from "../route";
import { ExportsTab } from "./ExportsTab";
import { HoldsTab } from "./HoldsTab";
import { parseTab, tabsFor, type ComplianceTab } from "./model";
import { RetentionTab } from "./RetentionTab";
import { SearchTab } from "./SearchTab";

export default function Compliance({ route }: { route: AdminRoute }) {
  useTitle("Compliance");
  const role = useAppState((s) => s.me?.role);
  const tab = parseTab(route.query.tab, role);
  const tabs = tabsFor(role);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const open = (t: ComplianceTab, focus = false) => {
    goTo(adminPath("compliance", { tab: t === tabs[0].tab ? undefined : t }));
    if (focus) refs.current[t]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.tab === tab);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    open(tabs[next].tab, true);
  };
  return (
    <section aria-labelledby="compliance-title">
      <div className="admin-title-row">
        <h1 id="compliance-title">Compliance</h1>
      </div>
      <div role="tablist" aria-label="Compliance" className="admin-tabs" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            id={`ctab-${t.tab}`}
            aria-selected={t.tab === tab}
            aria-controls="ctab-panel"
            tabIndex={t.tab === tab ? 0 : -1}
            ref={(el) => {
              refs.current[t.tab] = el;
            }}
            onClick={() => open(t.tab)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="ctab-panel" aria-labelledby={`ctab-${tab}`} className="admin-tabpanel">
        {tab === "retention" && <RetentionTab />}
        {tab === "holds" && <HoldsTab />}
        {tab === "exports" && <ExportsTab officer={role === "compliance_officer"} />}
        {tab === "search" && <SearchTab />}
      </div>
    </section>
  );
}
