//! System administration (system admin): the server's state and its configuration.

use hearth_api::{
    ConfigValidation, ConfigView, PatchConfigRequest, SystemStatus, ValidateConfigRequest,
};
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `GET /admin/system/status`: version, uptime, database, counts, search and LDAP state.
    pub async fn system_status(&self) -> Result<SystemStatus> {
        self.json(self.api(Method::GET, "/admin/system/status"))
            .await
    }

    /// `GET /admin/config`: the configuration with secrets masked.
    pub async fn config(&self) -> Result<ConfigView> {
        self.json(self.api(Method::GET, "/admin/config")).await
    }

    /// `POST /admin/config/validate`: checks a full or partial configuration
    /// (shaped like the file) merged over the current one; nothing is saved.
    pub async fn validate_config(&self, config: serde_json::Value) -> Result<ConfigValidation> {
        let rb = self
            .api(Method::POST, "/admin/config/validate")
            .json(&ValidateConfigRequest { config });
        self.json(rb).await
    }

    /// `PATCH /admin/config`: sets dotted keys, saves them to the file and
    /// applies what can change live.
    pub async fn patch_config(
        &self,
        set: serde_json::Map<String, serde_json::Value>,
    ) -> Result<ConfigView> {
        let rb = self
            .api(Method::PATCH, "/admin/config")
            .json(&PatchConfigRequest { set });
        self.json(rb).await
    }

    /// `POST /admin/config/reload`: reads the file and environment again.
    pub async fn reload_config(&self) -> Result<ConfigView> {
        self.json(self.api(Method::POST, "/admin/config/reload"))
            .await
    }
}
