//! Enterprise sign-in: logins with a second factor, MFA settings, single
//! sign-on providers and LDAP administration.

use hearth_api::{
    AuthProviders, CsrfTokenResponse, LdapDiagnosis, LdapStatus, LdapSyncReport,
    LdapTestUserRequest, LoginMfaEnrolRequest, LoginMfaRequest, LoginOutcome, LoginRequest,
    LogoutResponse, MfaCodeRequest, MfaEnrolment, MfaLoginResponse, MfaStatus, RecoveryCodes,
};
use reqwest::Method;
use uuid::Uuid;

use crate::{Client, Result};

impl Client {
    /// `POST /users/login`, answering either a session (whose token this
    /// client keeps) or an MFA challenge.
    pub async fn login_step(&mut self, login: &str, password: &str) -> Result<LoginOutcome> {
        let req = LoginRequest {
            login: login.to_string(),
            password: password.to_string(),
        };
        let out: LoginOutcome = self
            .json(self.api(Method::POST, "/users/login").json(&req))
            .await?;
        if let LoginOutcome::Session(s) = &out {
            self.token = Some(s.token.clone());
        }
        Ok(out)
    }

    /// `POST /users/login/mfa`: finishes a login with a TOTP or recovery code.
    pub async fn login_mfa(&mut self, req: &LoginMfaRequest) -> Result<MfaLoginResponse> {
        let out: MfaLoginResponse = self
            .json(self.api(Method::POST, "/users/login/mfa").json(req))
            .await?;
        self.token = Some(out.session.token.clone());
        Ok(out)
    }

    /// `POST /users/login/mfa/enrol`: the secret for an enforced enrolment.
    pub async fn login_mfa_enrol(&self, mfa_token: &str) -> Result<MfaEnrolment> {
        let req = LoginMfaEnrolRequest {
            mfa_token: mfa_token.to_string(),
        };
        self.json(self.api(Method::POST, "/users/login/mfa/enrol").json(&req))
            .await
    }

    /// `GET /users/me/mfa`.
    pub async fn mfa_status(&self) -> Result<MfaStatus> {
        self.json(self.api(Method::GET, "/users/me/mfa")).await
    }

    /// `POST /users/me/mfa/enrol`.
    pub async fn mfa_enrol(&self) -> Result<MfaEnrolment> {
        self.json(self.api(Method::POST, "/users/me/mfa/enrol"))
            .await
    }

    /// `POST /users/me/mfa/activate`.
    pub async fn mfa_activate(&self, code: &str) -> Result<RecoveryCodes> {
        let req = MfaCodeRequest {
            code: code.to_string(),
        };
        self.json(self.api(Method::POST, "/users/me/mfa/activate").json(&req))
            .await
    }

    /// `DELETE /users/me/mfa`.
    pub async fn mfa_disable(&self, code: &str) -> Result<()> {
        let req = MfaCodeRequest {
            code: code.to_string(),
        };
        self.empty(self.api(Method::DELETE, "/users/me/mfa").json(&req))
            .await
    }

    /// `POST /users/me/mfa/recovery-codes`.
    pub async fn mfa_recovery_codes(&self, code: &str) -> Result<RecoveryCodes> {
        let req = MfaCodeRequest {
            code: code.to_string(),
        };
        self.json(
            self.api(Method::POST, "/users/me/mfa/recovery-codes")
                .json(&req),
        )
        .await
    }

    /// `DELETE /users/{id}/mfa` (system admin).
    pub async fn admin_reset_mfa(&self, user_id: Uuid) -> Result<()> {
        self.empty(self.api(Method::DELETE, &format!("/users/{user_id}/mfa")))
            .await
    }

    /// `GET /users/me/csrf`.
    pub async fn csrf_token(&self) -> Result<CsrfTokenResponse> {
        self.json(self.api(Method::GET, "/users/me/csrf")).await
    }

    /// `POST /users/logout` for any session: the provider's end-session URL
    /// for single sign-on sessions, `None` otherwise. Forgets the token.
    pub async fn logout_sso(&mut self) -> Result<Option<String>> {
        let resp = self.api(Method::POST, "/users/logout").send().await?;
        let status = resp.status();
        if !status.is_success() {
            let body = resp.bytes().await?;
            return Err(crate::ClientError::from_body(status.as_u16(), &body));
        }
        self.token = None;
        if status.as_u16() == 204 {
            return Ok(None);
        }
        let body: LogoutResponse = resp.json().await?;
        Ok(body.logout_url)
    }

    /// `GET /auth/providers` (no authentication).
    pub async fn auth_providers(&self) -> Result<AuthProviders> {
        self.json(self.api(Method::GET, "/auth/providers")).await
    }

    /// `POST /admin/ldap/test`.
    pub async fn ldap_test(&self) -> Result<LdapDiagnosis> {
        self.json(self.api(Method::POST, "/admin/ldap/test")).await
    }

    /// `POST /admin/ldap/test-user`.
    pub async fn ldap_test_user(
        &self,
        login: &str,
        password: Option<&str>,
    ) -> Result<LdapDiagnosis> {
        let req = LdapTestUserRequest {
            login: login.to_string(),
            password: password.map(str::to_string),
        };
        self.json(self.api(Method::POST, "/admin/ldap/test-user").json(&req))
            .await
    }

    /// `POST /admin/ldap/sync`.
    pub async fn ldap_sync(&self) -> Result<LdapSyncReport> {
        self.json(self.api(Method::POST, "/admin/ldap/sync")).await
    }

    /// `GET /admin/ldap/status`.
    pub async fn ldap_status(&self) -> Result<LdapStatus> {
        self.json(self.api(Method::GET, "/admin/ldap/status")).await
    }
}
