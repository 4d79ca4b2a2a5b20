//! Who is calling: the account, its role and the session or token it came
//! with. Nothing here knows about HTTP; the routes layer builds an [`Auth`]
//! from a request (see `crate::routes::extract`).

use hearth_api::Role;
use hearth_core::permissions::Actor;
use hearth_core::{Error, Id};
use hearth_store::models::UserRow;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth {
    pub actor: Actor,
    pub user: UserRow,
    pub session_id: String,
}

impl Auth {
    pub fn user_id(&self) -> Id {
        self.actor.user_id
    }

    /// The built-in administrator of the local administration socket: it has
    /// no account (it must work before the first one exists), so its id is
    /// [`LOCAL_ADMIN_ID`], which the audit log records as "via local socket".
    pub fn local_admin() -> Auth {
        let mut user = UserRow::new_account(
            "local-admin".into(),
            String::new(),
            "Local administrator".into(),
            None,
            Role::SystemAdmin,
            0,
        );
        user.id = LOCAL_ADMIN_ID.to_string();
        Auth {
            actor: Actor {
                user_id: LOCAL_ADMIN_ID,
                role: Role::SystemAdmin,
            },
            user,
            session_id: String::new(),
        }
    }

    /// True for requests that came through the local administration socket.
    pub fn is_local(&self) -> bool {
        self.actor.user_id == LOCAL_ADMIN_ID
    }

    /// Refuses the local administrator for actions that make the caller
    /// the owner or a member of something (teams, channels, tokens): it
    /// has no account to hold them.
    pub fn require_account(&self) -> Result<(), Error> {
        if self.is_local() {
            return Err(Error::invalid(
                "the local administrator has no account to own this; create an admin \
                 account and act as it (with a personal access token) instead",
            ));
        }
        Ok(())
    }
}

/// The actor id of requests on the local administration socket (the nil
/// UUID, which no account ever gets: account ids are UUIDv7).
pub const LOCAL_ADMIN_ID: Id = Id::nil();
