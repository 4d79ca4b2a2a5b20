//! Data import (system admin): the file is sent as the body, options in the
//! query string.

use hearth_api::{ChatImportQuery, ChatImportReport, UserImportQuery, UserImportReport};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::{Client, ClientError, Result, checked_import};

/// The query string of an import: only the options that are set.
fn user_query(q: &UserImportQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(f) = &q.format {
        out.push(("format", f.clone()));
    }
    if let Some(d) = q.dry_run {
        out.push(("dry_run", d.to_string()));
    }
    if let Some(m) = &q.mapping {
        out.push(("mapping", m.clone()));
    }
    out
}

fn chat_query(q: &ChatImportQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(t) = &q.team {
        out.push(("team", t.clone()));
    }
    if let Some(d) = q.dry_run {
        out.push(("dry_run", d.to_string()));
    }
    out
}

impl Client {
    /// `POST /admin/import/users`: creates or updates users and their
    /// memberships from a spreadsheet (XLSX, XLS, ODS or CSV).
    ///
    /// A file with row errors is answered 422 `import_rejected` and nothing is
    /// written; this method returns that answer's report as `Ok` too, with
    /// `applied == false` and `errors > 0`, since the report is what the
    /// caller needs to fix the file.
    pub async fn import_users(
        &self,
        file: Vec<u8>,
        query: &UserImportQuery,
    ) -> Result<UserImportReport> {
        let rb = self
            .api(Method::POST, "/admin/import/users")
            .query(&user_query(query))
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(file);
        self.import_report(rb).await
    }

    /// `POST /admin/import/slack`: imports a Slack export zip into the team
    /// named by `query.team`. Reruns skip what an earlier run imported.
    pub async fn import_slack(
        &self,
        zip: Vec<u8>,
        query: &ChatImportQuery,
    ) -> Result<ChatImportReport> {
        let rb = self
            .api(Method::POST, "/admin/import/slack")
            .query(&chat_query(query))
            .header(reqwest::header::CONTENT_TYPE, "application/zip")
            .body(zip);
        self.import_report(rb).await
    }

    /// `POST /admin/import/mattermost`: imports a Mattermost bulk-import
    /// JSONL file. Reruns skip what an earlier run imported.
    pub async fn import_mattermost(
        &self,
        jsonl: Vec<u8>,
        query: &ChatImportQuery,
    ) -> Result<ChatImportReport> {
        let rb = self
            .api(Method::POST, "/admin/import/mattermost")
            .query(&chat_query(query))
            .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
            .body(jsonl);
        self.import_report(rb).await
    }

    /// A report from a 200 answer, or from the `report` of a 422.
    async fn import_report<T: DeserializeOwned>(&self, rb: reqwest::RequestBuilder) -> Result<T> {
        let resp = checked_import(rb.send().await?).await?;
        let context = format!("{} answer", resp.url().path());
        let rejected = resp.status().as_u16() == 422;
        let body = resp.bytes().await?;
        let decoded = if rejected {
            serde_json::from_slice::<hearth_api::ImportRejected<T>>(&body).map(|r| r.report)
        } else {
            serde_json::from_slice::<T>(&body)
        };
        decoded.map_err(|e| {
            ClientError::decode(format!("{context} ({})", crate::error::snippet(&body)), e)
        })
    }
}
