//! Users, sessions, personal access tokens and status.

use hearth_api::{
    ChangePasswordRequest, CreateTokenRequest, CreatedToken, LoginRequest, LoginResponse, Presence,
    Role, Session, SetActiveRequest, SetRoleRequest, SetStatusRequest, SignupRequest,
    UpdateProfileRequest, User, UserStatus,
};
use reqwest::Method;
use uuid::Uuid;

use crate::{Client, Download, Result, seg};

/// Filters of [`Client::find_users`]; unset ones do not filter.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Text in the username, display name or (for admins) e-mail.
    pub q: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only active (`true`) or deactivated (`false`) accounts.
    pub active: Option<bool>,
    /// Zero-based page.
    pub page: Option<u32>,
    /// Users per page (1 to 200).
    pub per_page: Option<u32>,
}

impl Client {
    /// `POST /users/signup`: creates an account (does not log in).
    pub async fn signup(&self, req: &SignupRequest) -> Result<User> {
        self.json(self.api(Method::POST, "/users/signup").json(req))
            .await
    }

    /// `POST /users`: a system admin creates an account whatever the signup mode.
    pub async fn create_user(&self, req: &SignupRequest) -> Result<User> {
        self.json(self.api(Method::POST, "/users").json(req)).await
    }

    /// `POST /users/login` with a username or e-mail; keeps the returned
    /// token for every later call on this client. Accounts with MFA answer a
    /// challenge instead of a session: use [`Client::login_step`] for those.
    pub async fn login(&mut self, login: &str, password: &str) -> Result<LoginResponse> {
        let req = LoginRequest {
            login: login.to_string(),
            password: password.to_string(),
        };
        let resp: LoginResponse = self
            .json(self.api(Method::POST, "/users/login").json(&req))
            .await?;
        self.token = Some(resp.token.clone());
        Ok(resp)
    }

    /// `POST /users/logout`: ends this session and forgets the token.
    pub async fn logout(&mut self) -> Result<()> {
        self.empty(self.api(Method::POST, "/users/logout")).await?;
        self.token = None;
        Ok(())
    }

    /// `GET /users/me`.
    pub async fn me(&self) -> Result<User> {
        self.json(self.api(Method::GET, "/users/me")).await
    }

    /// `PATCH /users/me`: changes only the fields that are set.
    pub async fn update_me(&self, req: &UpdateProfileRequest) -> Result<User> {
        self.json(self.api(Method::PATCH, "/users/me").json(req))
            .await
    }

    /// `PUT /users/me/password`.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<()> {
        let req = ChangePasswordRequest {
            current_password: current.to_string(),
            new_password: new.to_string(),
        };
        self.empty(self.api(Method::PUT, "/users/me/password").json(&req))
            .await
    }

    /// `PUT /users/me/avatar` with the raw image and its media type
    /// (`image/png`, `image/jpeg`, `image/gif` or `image/webp`).
    pub async fn set_avatar(&self, bytes: Vec<u8>, content_type: &str) -> Result<User> {
        let rb = self
            .api(Method::PUT, "/users/me/avatar")
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes);
        self.json(rb).await
    }

    /// `GET /users/{id}/avatar`: the image.
    pub async fn avatar(&self, user_id: Uuid) -> Result<Download> {
        self.download(self.api(Method::GET, &format!("/users/{user_id}/avatar")))
            .await
    }

    /// `GET /users/{id}`.
    pub async fn user(&self, id: Uuid) -> Result<User> {
        self.json(self.api(Method::GET, &format!("/users/{id}")))
            .await
    }

    /// `GET /users?q=&page=&per_page=`: searches or lists users.
    pub async fn users(
        &self,
        q: Option<&str>,
        page: Option<u32>,
        per_page: Option<u32>,
    ) -> Result<Vec<User>> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(q) = q {
            query.push(("q", q.to_string()));
        }
        if let Some(p) = page {
            query.push(("page", p.to_string()));
        }
        if let Some(p) = per_page {
            query.push(("per_page", p.to_string()));
        }
        self.json(self.api(Method::GET, "/users").query(&query))
            .await
    }

    /// `GET /users` with every filter: text, role, active state and paging.
    pub async fn find_users(&self, query: &UserQuery) -> Result<Vec<User>> {
        let mut q: Vec<(&str, String)> = Vec::new();
        if let Some(t) = &query.q {
            q.push(("q", t.clone()));
        }
        if let Some(r) = query.role {
            q.push(("role", r.as_str().to_string()));
        }
        if let Some(a) = query.active {
            q.push(("active", a.to_string()));
        }
        if let Some(p) = query.page {
            q.push(("page", p.to_string()));
        }
        if let Some(p) = query.per_page {
            q.push(("per_page", p.to_string()));
        }
        self.json(self.api(Method::GET, "/users").query(&q)).await
    }

    /// `GET /users/by-username/{username}`.
    pub async fn user_by_username(&self, username: &str) -> Result<User> {
        let path = format!("/users/by-username/{}", seg(username));
        self.json(self.api(Method::GET, &path)).await
    }

    /// `PUT /users/{id}/role` (system admin). To or from
    /// [`Role::ComplianceOfficer`] only on a [`Client::unix`] client on the
    /// local administration socket; elsewhere `separation_of_duties`.
    pub async fn set_role(&self, user_id: Uuid, role: Role) -> Result<User> {
        let rb = self
            .api(Method::PUT, &format!("/users/{user_id}/role"))
            .json(&SetRoleRequest { role });
        self.json(rb).await
    }

    /// `PUT /users/{id}/active`: (de)activates an account.
    pub async fn set_active(&self, user_id: Uuid, active: bool) -> Result<User> {
        let rb = self
            .api(Method::PUT, &format!("/users/{user_id}/active"))
            .json(&SetActiveRequest { active });
        self.json(rb).await
    }

    /// `PUT /users/{id}/password`: a system admin sets a new password for a
    /// local account; its sessions and tokens end.
    pub async fn reset_password(&self, user_id: Uuid, new_password: &str) -> Result<()> {
        let rb = self
            .api(Method::PUT, &format!("/users/{user_id}/password"))
            .json(&hearth_api::AdminSetPasswordRequest {
                new_password: new_password.into(),
            });
        self.empty(rb).await
    }

    /// `POST /users/{id}/sessions/revoke`: ends every session of a user.
    pub async fn revoke_all_sessions(&self, user_id: Uuid) -> Result<()> {
        let path = format!("/users/{user_id}/sessions/revoke");
        self.empty(self.api(Method::POST, &path)).await
    }

    /// `GET /users/me/sessions`.
    pub async fn sessions(&self) -> Result<Vec<Session>> {
        self.json(self.api(Method::GET, "/users/me/sessions")).await
    }

    /// `DELETE /users/me/sessions/{id}`.
    pub async fn revoke_session(&self, session_id: Uuid) -> Result<()> {
        let path = format!("/users/me/sessions/{session_id}");
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `POST /users/me/tokens`: a personal access token (secret shown once).
    pub async fn create_token(
        &self,
        name: &str,
        expires_in_days: Option<u32>,
    ) -> Result<CreatedToken> {
        self.create_token_with(&CreateTokenRequest {
            name: name.to_string(),
            expires_in_days,
            ..Default::default()
        })
        .await
    }

    /// `POST /users/me/tokens` with every option: the caller's password
    /// (needed unless the session is a fresh sign-in), integration tokens.
    pub async fn create_token_with(&self, req: &CreateTokenRequest) -> Result<CreatedToken> {
        self.json(self.api(Method::POST, "/users/me/tokens").json(req))
            .await
    }

    /// `GET /users/me/tokens`.
    pub async fn tokens(&self) -> Result<Vec<Session>> {
        self.json(self.api(Method::GET, "/users/me/tokens")).await
    }

    /// `DELETE /users/me/tokens/{id}`.
    pub async fn revoke_token(&self, token_id: Uuid) -> Result<()> {
        let path = format!("/users/me/tokens/{token_id}");
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `POST /users/{id}/tokens`: a token for another user (system admin).
    pub async fn create_token_for(
        &self,
        user_id: Uuid,
        name: &str,
        expires_in_days: Option<u32>,
    ) -> Result<CreatedToken> {
        self.create_token_for_with(
            user_id,
            &CreateTokenRequest {
                name: name.to_string(),
                expires_in_days,
                ..Default::default()
            },
        )
        .await
    }

    /// `POST /users/{id}/tokens` with every option (see [`Client::create_token_with`]).
    pub async fn create_token_for_with(
        &self,
        user_id: Uuid,
        req: &CreateTokenRequest,
    ) -> Result<CreatedToken> {
        let path = format!("/users/{user_id}/tokens");
        self.json(self.api(Method::POST, &path).json(req)).await
    }

    /// `PUT /users/{id}/email_verified`: a system admin vouches for (or
    /// withdraws) an account's e-mail address.
    pub async fn set_email_verified(&self, user_id: Uuid, verified: bool) -> Result<User> {
        let path = format!("/users/{user_id}/email_verified");
        self.json(
            self.api(Method::PUT, &path)
                .json(&hearth_api::SetEmailVerifiedRequest { verified }),
        )
        .await
    }

    /// `GET /users/{id}/tokens`: another user's tokens (system admin).
    pub async fn tokens_of(&self, user_id: Uuid) -> Result<Vec<Session>> {
        self.json(self.api(Method::GET, &format!("/users/{user_id}/tokens")))
            .await
    }

    /// `DELETE /users/{id}/tokens/{token_id}` (system admin, or self).
    pub async fn revoke_token_of(&self, user_id: Uuid, token_id: Uuid) -> Result<()> {
        let path = format!("/users/{user_id}/tokens/{token_id}");
        self.empty(self.api(Method::DELETE, &path)).await
    }

    /// `GET /users/{id}/status`.
    pub async fn status(&self, user_id: Uuid) -> Result<UserStatus> {
        self.json(self.api(Method::GET, &format!("/users/{user_id}/status")))
            .await
    }

    /// `PUT /users/me/status`.
    pub async fn set_status(&self, presence: Presence) -> Result<UserStatus> {
        let rb = self
            .api(Method::PUT, "/users/me/status")
            .json(&SetStatusRequest { presence });
        self.json(rb).await
    }

    /// `POST /users/status/ids`: the status of several users at once.
    pub async fn statuses(&self, user_ids: &[Uuid]) -> Result<Vec<UserStatus>> {
        self.json(self.api(Method::POST, "/users/status/ids").json(user_ids))
            .await
    }
}
