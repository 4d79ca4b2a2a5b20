//! The closed enums as `Text` columns (feature `diesel`, enabled by the
//! store): one mapping for SQLite, PostgreSQL and the store's multi-backend
//! connection. Reading a value the enum does not know fails the query: a
//! corrupt or newer row must never pass for a default role, kind or state.

#[doc(hidden)]
pub use diesel as __diesel;

use crate::{
    ChannelKind, HoldStatus, JobKind, JobStatus, MemberRole, NotifyLevel, Presence, RetentionScope,
    Role, SessionKind,
};

/// Stores an enum as text through a `fn(Self) -> &'static str` and reads it
/// back through a `fn(&str) -> Option<Self>` (by default the enum's
/// `as_str` and `parse`). The enum also derives `diesel::AsExpression` and
/// `diesel::FromSqlRow` with `sql_type = Text`.
#[macro_export]
macro_rules! text_enum_sql {
    ($ty:ty) => {
        $crate::text_enum_sql!($ty, <$ty>::as_str, <$ty>::parse);
    };
    ($ty:ty, $to:expr, $from:expr) => {
        impl<DB> $crate::sql::__diesel::serialize::ToSql<$crate::sql::__diesel::sql_types::Text, DB>
            for $ty
        where
            DB: $crate::sql::__diesel::backend::Backend,
            str:
                $crate::sql::__diesel::serialize::ToSql<$crate::sql::__diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut $crate::sql::__diesel::serialize::Output<'b, '_, DB>,
            ) -> $crate::sql::__diesel::serialize::Result {
                let text: &'static str = ($to)(*self);
                <str as $crate::sql::__diesel::serialize::ToSql<
                    $crate::sql::__diesel::sql_types::Text,
                    DB,
                >>::to_sql(text, out)
            }
        }

        impl<DB>
            $crate::sql::__diesel::deserialize::FromSql<$crate::sql::__diesel::sql_types::Text, DB>
            for $ty
        where
            DB: $crate::sql::__diesel::backend::Backend,
            String: $crate::sql::__diesel::deserialize::FromSql<
                    $crate::sql::__diesel::sql_types::Text,
                    DB,
                >,
        {
            fn from_sql(
                bytes: <DB as $crate::sql::__diesel::backend::Backend>::RawValue<'_>,
            ) -> $crate::sql::__diesel::deserialize::Result<Self> {
                let text = <String as $crate::sql::__diesel::deserialize::FromSql<
                    $crate::sql::__diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                ($from)(text.as_str()).ok_or_else(|| {
                    format!("unknown {} {text:?} in the database", stringify!($ty)).into()
                })
            }
        }
    };
}

text_enum_sql!(Role);
text_enum_sql!(MemberRole);
text_enum_sql!(ChannelKind);
text_enum_sql!(NotifyLevel);
text_enum_sql!(Presence);
text_enum_sql!(RetentionScope);
text_enum_sql!(HoldStatus);
text_enum_sql!(JobKind);
text_enum_sql!(JobStatus);
text_enum_sql!(SessionKind, stored_session_kind, session_kind_of);

/// Access tokens were stored as `token` before the API named them
/// `access_token`; rows keep the stored name.
fn stored_session_kind(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Session => "session",
        SessionKind::AccessToken => "token",
    }
}

fn session_kind_of(text: &str) -> Option<SessionKind> {
    match text {
        "session" => Some(SessionKind::Session),
        "token" => Some(SessionKind::AccessToken),
        _ => None,
    }
}
