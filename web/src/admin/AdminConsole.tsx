// The system console: a navigation list of pages and the page the address
// names. Loaded on demand (its own chunk) when a system admin or a compliance
// officer opens /admin; officers see the compliance pages and the audit log only.
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { goTo, useLocationPath } from "../state/appPath";
import { useAppState } from "../state/store";
import { resetLocationSync } from "../ui/nav/useLocationSync";
import { Link } from "./common";
import { canOpenPage, canUseConsole, homePage, pagesFor, parseAdminRoute, type AdminRoute } from "./route";
import "./admin.css";

const Dashboard = lazy(() => import("./Dashboard"));
const Users = lazy(() => import("./Users"));
const Teams = lazy(() => import("./Teams"));
const Authentication = lazy(() => import("./Authentication"));
const AuditLog = lazy(() => import("./AuditLog"));
const Configuration = lazy(() => import("./Configuration"));
const Compliance = lazy(() => import("./compliance/Compliance"));

export default function AdminConsole() {
  const path = useLocationPath();
  const route = parseAdminRoute(path);
  const me = useAppState((s) => s.me);
  const [navOpen, setNavOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const page = route?.page;

  // Back in the chat, its address is applied afresh (not the channel left behind).
  useEffect(() => resetLocationSync(), []);

  // A new page: close the small-screen menu and move focus to the page, as a page load would.
  const first = useRef(true);
  useEffect(() => {
    setNavOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [page]);

  if (!canUseConsole(me?.role)) return <NotAllowed />;
  const role = me?.role;
  // An officer at /admin lands on the first page they may open.
  const shown = route?.page === "dashboard" ? { ...route, page: homePage(role) } : route;

  return (
    <div className={"admin" + (navOpen ? " admin-nav-open" : "")}>
      <a className="skip" href="#admin-main">
        Skip to content
      </a>
      <header className="admin-head">
        <button
          type="button"
          className="admin-menu-btn"
          aria-expanded={navOpen}
          aria-controls="admin-nav"
          onClick={() => setNavOpen((o) => !o)}
        >
          Menu
        </button>
        <span className="admin-brand">System Console</span>
        <Link to="/" className="admin-back">
          Back to chat
        </Link>
      </header>
      <nav id="admin-nav" className="admin-nav" aria-label="System console">
        <ul>
          {pagesFor(role).map((p) => (
            <li key={p.page}>
              <Link to={p.path ? `/admin/${p.path}` : "/admin"} current={p.page === shown?.page}>
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="admin-main" className="admin-main" tabIndex={-1} ref={main}>
        <Suspense fallback={<p role="status">Loading…</p>}>
          {!shown ? <NotFound /> : canOpenPage(shown.page, role) ? <Page route={shown} /> : <PageNotAllowed />}
        </Suspense>
      </main>
    </div>
  );
}

function Page({ route }: { route: AdminRoute }) {
  switch (route.page) {
    case "dashboard":
      return <Dashboard />;
    case "users":
      return <Users route={route} />;
    case "teams":
      return <Teams route={route} />;
    case "authentication":
      return <Authentication />;
    case "audit":
      return <AuditLog route={route} />;
    case "config":
      return <Configuration />;
    case "compliance":
      return <Compliance route={route} />;
  }
}

/** A page of the console the signed-in compliance officer may not open. */
function PageNotAllowed() {
  return (
    <section>
      <h1>Not allowed</h1>
      <p>This page is for system administrators. Compliance officers use the Compliance and Audit log pages.</p>
      <button type="button" onClick={() => goTo("/admin/compliance")}>
        Open Compliance
      </button>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>The system console has no page at this address.</p>
      <button type="button" onClick={() => goTo("/admin")}>
        Open the dashboard
      </button>
    </section>
  );
}

/** What everyone but a system admin sees at /admin (the server refuses them too). */
export function NotAllowed() {
  return (
    <main className="center admin-denied">
      <h1>Not allowed</h1>
      <p>The system console is for system administrators. Ask one of them if you need something changed.</p>
      <button type="button" onClick={() => goTo("/")}>
        Back to chat
      </button>
    </main>
  );
}
