//! The audit log (system admin).

use hearth_api::{AuditPage, AuditQuery, AuditVerification};
use reqwest::Method;

use crate::{Client, Result};

/// The query string of `GET /admin/audit`: only the filters that are set.
pub(crate) fn audit_query(q: &AuditQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(a) = q.after {
        out.push(("after", a.to_string()));
    }
    if let Some(l) = q.limit {
        out.push(("limit", l.to_string()));
    }
    if let Some(a) = &q.action {
        out.push(("action", a.clone()));
    }
    if let Some(a) = q.actor_id {
        out.push(("actor_id", a.to_string()));
    }
    if let Some(t) = q.since {
        out.push(("since", t.to_string()));
    }
    if let Some(t) = q.until {
        out.push(("until", t.to_string()));
    }
    out
}

impl Client {
    /// `GET /admin/audit`: a page of entries, oldest first.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<AuditPage> {
        self.json(
            self.api(Method::GET, "/admin/audit")
                .query(&audit_query(query)),
        )
        .await
    }

    /// `GET /admin/audit/verify`: recomputes the chain.
    pub async fn audit_verify(&self) -> Result<AuditVerification> {
        self.json(self.api(Method::GET, "/admin/audit/verify"))
            .await
    }

    /// `GET /admin/audit/verify?expected_head=`: also requires the chain to
    /// contain an entry whose hash is `head` (kept outside the database).
    pub async fn audit_verify_against(&self, head: &str) -> Result<AuditVerification> {
        self.json(
            self.api(Method::GET, "/admin/audit/verify")
                .query(&[("expected_head", head)]),
        )
        .await
    }
}
