// The dashboard: accounts, sessions, posts per day, the database, the search
// index (with a rebuild), directory sync and background jobs.
import { useEffect, useState } from "react";
import { errorText } from "../ui/Auth";
import { adminApi, type DayCount, type SearchStatus, type SystemStatus } from "./api";
import { Link, LoadState, Stat, useLoad, useTitle } from "./common";
import { chartBars, formatBytes, formatDuration, formatUtc, plural, searchLag } from "./format";

export default function Dashboard() {
  useTitle("Dashboard");
  const status = useLoad(adminApi.status, "status");
  const s = status.data;
  return (
    <section aria-labelledby="dash-title">
      <div className="admin-title-row">
        <h1 id="dash-title">Dashboard</h1>
        <button type="button" onClick={status.reload} disabled={status.loading}>
          Refresh
        </button>
      </div>
      <LoadState loaded={status} what="The server's status" />
      {s && <Figures s={s} onChanged={status.reload} />}
    </section>
  );
}

function Figures({ s, onChanged }: { s: SystemStatus; onChanged: () => void }) {
  return (
    <>
      <div className="stats">
        <Stat label="Total users" value={s.users.total} hint={s.users.bots ? plural(s.users.bots, "bot") : undefined} />
        <Stat label="Active users" value={s.users.active} />
        <Stat label="Deactivated users" value={s.users.deactivated} />
        <Stat label="Active sessions" value={s.sessions.active} />
        <Stat label="Teams" value={s.teams} />
        <Stat label="Channels" value={s.channels} />
        <Stat label="Posts" value={s.posts.total} />
      </div>

      <section className="panel" aria-labelledby="posts-title">
        <h2 id="posts-title">Posts per day</h2>
        <PostsChart days={s.posts.per_day} />
      </section>

      <div className="panels">
        <section className="panel" aria-labelledby="server-title">
          <h2 id="server-title">Server</h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{s.version}</dd>
            <dt>Up for</dt>
            <dd title={formatUtc(s.started_at)}>{formatDuration(s.uptime_secs)}</dd>
            <dt>Database</dt>
            <dd>{s.database.backend === "postgres" ? "PostgreSQL" : "SQLite"}</dd>
            <dt>Database size</dt>
            <dd>{formatBytes(s.database.size_bytes)}</dd>
            <dt>Database health</dt>
            <dd className={s.database.ok ? "ok" : "error"}>{s.database.ok ? "Answering" : "Not answering"}</dd>
          </dl>
        </section>
        <SearchPanel initial={s.search ?? null} onChanged={onChanged} />
        <section className="panel" aria-labelledby="ldap-title">
          <h2 id="ldap-title">Directory sync (LDAP)</h2>
          {s.ldap ? (
            <dl className="facts">
              <dt>State</dt>
              <dd>{s.ldap.running ? "Syncing now" : s.ldap.enabled ? "Enabled" : "Configured, not enabled"}</dd>
              <dt>Last sync</dt>
              <dd>{s.ldap.last_sync ? formatUtc(s.ldap.last_sync.finished_at) : "Never"}</dd>
              {s.ldap.last_error && (
                <>
                  <dt>Last error</dt>
                  <dd className="error">{s.ldap.last_error}</dd>
                </>
              )}
              <dt>Next sync</dt>
              <dd>{s.ldap.next_sync_at ? formatUtc(s.ldap.next_sync_at) : "On demand only"}</dd>
            </dl>
          ) : (
            <p>LDAP is not configured.</p>
          )}
          <Link to="/admin/authentication">Authentication settings</Link>
        </section>
        <section className="panel" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Jobs</h2>
          {s.jobs.length === 0 ? <p>No background jobs.</p> : <pre>{JSON.stringify(s.jobs, null, 2)}</pre>}
        </section>
      </div>
    </>
  );
}

/** Thirty days of posts as an inline SVG bar chart, with the figures as text for screen readers. */
export function PostsChart({ days }: { days: DayCount[] }) {
  const width = 600;
  const height = 120;
  const bars = chartBars(days, width, height);
  const total = days.reduce((n, d) => n + d.count, 0);
  const busiest = days.reduce<DayCount | null>((b, d) => (!b || d.count > b.count ? d : b), null);
  const summary =
    `${plural(total, "post")} in the last ${days.length} days` +
    (busiest && busiest.count > 0 ? `; busiest day ${busiest.day} with ${busiest.count}` : "");
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        {bars.map((b) => (
          <rect key={b.day} x={b.x} y={b.y} width={b.width} height={b.height} className="bar">
            <title>{`${b.day}: ${b.count}`}</title>
          </rect>
        ))}
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="axis" />
      </svg>
      <figcaption>
        {summary}
        {days.length > 0 && (
          <span className="chart-range">
            {days[0].day} – {days[days.length - 1].day} (UTC)
          </span>
        )}
      </figcaption>
    </figure>
  );
}

function SearchPanel({ initial, onChanged }: { initial: SearchStatus | null; onChanged: () => void }) {
  const [status, setStatus] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(0);
  const [now, setNow] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setStatus(initial), [initial]);

  // While a rebuild runs, poll the status (documents so far, the rebuilding flag) and the elapsed time.
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => {
      setNow(Date.now());
      adminApi.searchStatus().then(setStatus, () => undefined);
    }, 500);
    return () => clearInterval(t);
  }, [busy]);

  const reindex = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    setStarted(Date.now());
    setNow(Date.now());
    try {
      const s = await adminApi.reindex();
      setStatus(s);
      setMessage(`Index rebuilt: ${plural(s.posts, "post")} and ${plural(s.files, "file")}.`);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="search-title">
      <h2 id="search-title">Search index</h2>
      {!status || !status.enabled ? (
        <p>Search is switched off on this server.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Documents</dt>
            <dd>
              {plural(status.posts, "post")}, {plural(status.files, "file")}
            </dd>
            <dt>Index size</dt>
            <dd>{formatBytes(status.size_bytes)}</dd>
            <dt>Lag</dt>
            <dd>{searchLag(status) === 0 ? "Up to date" : `${plural(searchLag(status), "change")} behind`}</dd>
            {status.last_error && (
              <>
                <dt>Last error</dt>
                <dd className="error">{status.last_error}</dd>
              </>
            )}
          </dl>
          <button type="button" onClick={() => void reindex()} disabled={busy || status.rebuilding}>
            Rebuild index
          </button>
          {busy && (
            <div role="status" className="progress-line">
              <progress aria-label="Rebuilding the search index" />
              Rebuilding… {formatDuration((now - started) / 1000)}
            </div>
          )}
        </>
      )}
      {message && <p role="status">{message}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
