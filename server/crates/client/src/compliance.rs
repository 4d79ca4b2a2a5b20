//! Compliance: retention, legal holds, export and purge jobs, audited
//! search and data subject requests.

use hearth_api::{
    AnonymiseOutcome, AnonymiseRequest, ComplianceJob, ComplianceSearchRequest, ExportCursorState,
    ExportFormat, ExportRequest, Id, JobKind, LegalHold, LegalHoldRequest, PostSearchResults,
    PurgeReport, RetentionPolicies, RetentionPolicy, RetentionScope,
};
use reqwest::Method;

use crate::{Client, Download, Result};

impl Client {
    /// `GET /compliance/retention`.
    pub async fn retention_policies(&self) -> Result<RetentionPolicies> {
        self.json(self.api(Method::GET, "/compliance/retention"))
            .await
    }

    /// `PUT /compliance/retention`: sets one level's periods.
    pub async fn set_retention(&self, policy: &RetentionPolicy) -> Result<RetentionPolicy> {
        self.json(self.api(Method::PUT, "/compliance/retention").json(policy))
            .await
    }

    /// `DELETE /compliance/retention`: the level follows the less specific one again.
    pub async fn delete_retention(
        &self,
        scope: RetentionScope,
        scope_id: Option<Id>,
    ) -> Result<()> {
        let mut q = vec![("scope", scope.as_str().to_string())];
        if let Some(id) = scope_id {
            q.push(("scope_id", id.to_string()));
        }
        self.empty(self.api(Method::DELETE, "/compliance/retention").query(&q))
            .await
    }

    /// `POST /compliance/retention/dry-run`.
    pub async fn retention_dry_run(&self) -> Result<PurgeReport> {
        self.json(self.api(Method::POST, "/compliance/retention/dry-run"))
            .await
    }

    /// `POST /compliance/retention/run`: queues a purge job.
    pub async fn retention_run(&self) -> Result<ComplianceJob> {
        self.json(self.api(Method::POST, "/compliance/retention/run"))
            .await
    }

    /// `GET /compliance/holds`.
    pub async fn legal_holds(&self, active_only: bool) -> Result<Vec<LegalHold>> {
        self.json(
            self.api(Method::GET, "/compliance/holds")
                .query(&[("active", active_only)]),
        )
        .await
    }

    /// `POST /compliance/holds`.
    pub async fn create_legal_hold(&self, req: &LegalHoldRequest) -> Result<LegalHold> {
        self.json(self.api(Method::POST, "/compliance/holds").json(req))
            .await
    }

    /// `GET /compliance/holds/{id}`, with the number of posts covered.
    pub async fn legal_hold(&self, id: Id) -> Result<LegalHold> {
        self.json(self.api(Method::GET, &format!("/compliance/holds/{id}")))
            .await
    }

    /// `PATCH /compliance/holds/{id}`: replaces the hold's definition.
    pub async fn update_legal_hold(&self, id: Id, req: &LegalHoldRequest) -> Result<LegalHold> {
        self.json(
            self.api(Method::PATCH, &format!("/compliance/holds/{id}"))
                .json(req),
        )
        .await
    }

    /// `POST /compliance/holds/{id}/release`.
    pub async fn release_legal_hold(&self, id: Id) -> Result<LegalHold> {
        self.json(self.api(Method::POST, &format!("/compliance/holds/{id}/release")))
            .await
    }

    /// `POST /compliance/holds/{id}/export`.
    pub async fn export_legal_hold(&self, id: Id, format: ExportFormat) -> Result<ComplianceJob> {
        self.json(
            self.api(Method::POST, &format!("/compliance/holds/{id}/export"))
                .json(&serde_json::json!({ "format": format })),
        )
        .await
    }

    /// `POST /compliance/exports`.
    pub async fn start_export(&self, req: &ExportRequest) -> Result<ComplianceJob> {
        self.json(self.api(Method::POST, "/compliance/exports").json(req))
            .await
    }

    /// `POST /compliance/exports/incremental`: the daily export of `format`, now.
    pub async fn start_incremental_export(&self, format: ExportFormat) -> Result<ComplianceJob> {
        self.json(
            self.api(Method::POST, "/compliance/exports/incremental")
                .json(&serde_json::json!({ "format": format })),
        )
        .await
    }

    /// `GET /compliance/exports/cursors`.
    pub async fn export_cursors(&self) -> Result<Vec<ExportCursorState>> {
        self.json(self.api(Method::GET, "/compliance/exports/cursors"))
            .await
    }

    /// `GET /compliance/jobs`.
    pub async fn compliance_jobs(
        &self,
        kind: Option<JobKind>,
        limit: Option<u32>,
    ) -> Result<Vec<ComplianceJob>> {
        let mut q = Vec::new();
        if let Some(k) = kind {
            q.push(("kind", k.as_str().to_string()));
        }
        if let Some(l) = limit {
            q.push(("limit", l.to_string()));
        }
        self.json(self.api(Method::GET, "/compliance/jobs").query(&q))
            .await
    }

    /// `GET /compliance/jobs/{id}`.
    pub async fn compliance_job(&self, id: Id) -> Result<ComplianceJob> {
        self.json(self.api(Method::GET, &format!("/compliance/jobs/{id}")))
            .await
    }

    /// `POST /compliance/jobs/{id}/cancel`.
    pub async fn cancel_compliance_job(&self, id: Id) -> Result<ComplianceJob> {
        self.json(self.api(Method::POST, &format!("/compliance/jobs/{id}/cancel")))
            .await
    }

    /// `GET /compliance/jobs/{id}/download`: the archive (compliance officers).
    pub async fn download_compliance_job(&self, id: Id) -> Result<Download> {
        self.download(self.api(Method::GET, &format!("/compliance/jobs/{id}/download")))
            .await
    }

    /// `POST /compliance/search`: every channel, audited with the reason.
    pub async fn compliance_search(
        &self,
        req: &ComplianceSearchRequest,
    ) -> Result<PostSearchResults> {
        self.json(self.api(Method::POST, "/compliance/search").json(req))
            .await
    }

    /// `POST /compliance/users/{id}/export`.
    pub async fn start_user_export(&self, user_id: Id) -> Result<ComplianceJob> {
        self.json(self.api(Method::POST, &format!("/compliance/users/{user_id}/export")))
            .await
    }

    /// `POST /compliance/users/{id}/anonymise`.
    pub async fn anonymise_user(
        &self,
        user_id: Id,
        erase_content: bool,
    ) -> Result<AnonymiseOutcome> {
        self.json(
            self.api(
                Method::POST,
                &format!("/compliance/users/{user_id}/anonymise"),
            )
            .json(&AnonymiseRequest { erase_content }),
        )
        .await
    }

    /// `DELETE /users/{id}`: anonymises and deactivates; held content stays.
    pub async fn delete_user(&self, user_id: Id, erase_content: bool) -> Result<AnonymiseOutcome> {
        self.json(
            self.api(Method::DELETE, &format!("/users/{user_id}"))
                .query(&[("erase_content", erase_content)]),
        )
        .await
    }

    /// `GET /admin/audit/export`: `jsonl` or `csv`.
    pub async fn audit_export(&self, format: &str) -> Result<Download> {
        self.download(
            self.api(Method::GET, "/admin/audit/export")
                .query(&[("format", format)]),
        )
        .await
    }
}
