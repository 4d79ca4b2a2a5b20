// The Search tab (compliance officers): audited search across all content.
import { useState, type FormEvent } from "react";
import { formatUtc, plural } from "../format";
import { complianceApi } from "./model";
import { useChannelNames, useUserNames } from "./names";
import { NoteLine, useAction } from "./note";

export function SearchTab() {
  const [terms, setTerms] = useState("");
  const [reason, setReason] = useState("");
  const [results, setResults] = useState<Awaited<ReturnType<typeof complianceApi.search>> | null>(null);
  const { busy, note, run } = useAction();
  const posts = results?.posts ?? [];
  const channels = useChannelNames(posts.map((p) => p.channel_id));
  const users = useUserNames(posts.map((p) => p.user_id));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setResults(await complianceApi.search(terms.trim(), reason.trim()));
    });
  };
  return (
    <>
      <h2>Search all content</h2>
      <p className="hint">Searches every channel, private and direct included. Each search is recorded in the audit log with its reason.</p>
      <form className="compliance-form form-narrow" onSubmit={submit} aria-label="Compliance search">
        <label>
          Search terms
          <input value={terms} onChange={(e) => setTerms(e.target.value)} required placeholder="from:alice in:town-square budget" />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} required placeholder="e.g. case 2026-14" />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !terms.trim() || !reason.trim()}>
            Search
          </button>
        </div>
      </form>
      <NoteLine note={note} />
      {results && (
        <section aria-label="Search results">
          <p role="status">{plural(results.total, "post")} found.</p>
          <ol className="search-results">
            {posts.map((p) => (
              <li key={p.id} className="panel">
                <div className="hint">
                  <span title={p.channel_id}>{channels[p.channel_id] ?? p.channel_id}</span> · <span>{users[p.user_id] ?? p.user_id}</span> ·{" "}
                  <time dateTime={new Date(p.created_at).toISOString()}>{formatUtc(p.created_at)}</time>
                  {p.deleted_at !== null && " · deleted"}
                </div>
                <p className="search-text">{p.message}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
