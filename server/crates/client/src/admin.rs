//! Administration checks: the permission matrix and sign-in provider tests
//! (system admin).

use hearth_api::PermissionMatrix;
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `GET /admin/permissions`: what each system role may do.
    pub async fn permission_matrix(&self) -> Result<PermissionMatrix> {
        self.json(self.api(Method::GET, "/admin/permissions")).await
    }
}

impl Client {
    /// `POST /admin/oidc/{provider}/test`: checks a provider's discovery
    /// document and key set step by step.
    pub async fn oidc_test(&self, provider: &str) -> Result<hearth_api::OidcDiagnosis> {
        let path = format!("/admin/oidc/{}/test", crate::seg(provider));
        self.json(self.api(Method::POST, &path)).await
    }
}
