//! Administration checks (system admin): the permission matrix and
//! single sign-on provider tests.

use hearth_api::{OidcDiagnosis, PermissionMatrix};
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `GET /admin/permissions`: what each system role may do.
    pub async fn permission_matrix(&self) -> Result<PermissionMatrix> {
        self.json(self.api(Method::GET, "/admin/permissions")).await
    }

    /// `POST /admin/oidc/{provider}/test`: checks a provider's discovery
    /// document and key set step by step.
    pub async fn oidc_test(&self, provider: &str) -> Result<OidcDiagnosis> {
        let path = format!("/admin/oidc/{}/test", crate::seg(provider));
        self.json(self.api(Method::POST, &path)).await
    }
}
