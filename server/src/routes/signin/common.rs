//! What the sign-in routes share: the user agent and the admin check.

use actix_web::HttpRequest;
use actix_web::http::header;
use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;

pub(super) fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

pub(super) fn require_admin(auth: &Auth) -> Result<(), Error> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())
}
