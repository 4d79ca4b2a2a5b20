//! The permission matrix (system admin).

use hearth_api::PermissionMatrix;
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `GET /admin/permissions`: what each system role may do.
    pub async fn permission_matrix(&self) -> Result<PermissionMatrix> {
        self.json(self.api(Method::GET, "/admin/permissions")).await
    }
}
