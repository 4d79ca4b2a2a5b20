//! File upload and download.

use hearth_api::FileInfo;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use uuid::Uuid;

use crate::{Client, Download, Result};

impl Client {
    /// `POST /files` (multipart: text part `channel_id`, one part `files` per
    /// file, named as given). Attach the returned ids to a post.
    pub async fn upload_files(
        &self,
        channel_id: Uuid,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<FileInfo>> {
        let mut form = Form::new().text("channel_id", channel_id.to_string());
        for (name, bytes) in files {
            form = form.part("files", Part::bytes(bytes).file_name(name));
        }
        self.json(self.api(Method::POST, "/files").multipart(form))
            .await
    }

    /// `GET /files/{id}`: the content as an attachment.
    pub async fn download_file(&self, file_id: Uuid) -> Result<Download> {
        self.download(self.api(Method::GET, &format!("/files/{file_id}")))
            .await
    }

    /// `GET /files/{id}/info`.
    pub async fn file_info(&self, file_id: Uuid) -> Result<FileInfo> {
        self.json(self.api(Method::GET, &format!("/files/{file_id}/info")))
            .await
    }

    /// `GET /files/{id}/thumbnail`: JPEG, at most 120×100 (images only).
    pub async fn thumbnail(&self, file_id: Uuid) -> Result<Download> {
        let path = format!("/files/{file_id}/thumbnail");
        self.download(self.api(Method::GET, &path)).await
    }

    /// `GET /files/{id}/preview`: JPEG, at most 1920×1080 (images only).
    pub async fn preview(&self, file_id: Uuid) -> Result<Download> {
        let path = format!("/files/{file_id}/preview");
        self.download(self.api(Method::GET, &path)).await
    }
}
