//! The OpenAPI 3.1 document of the HTTP API, served at `GET /api/v1/openapi.json`.
//!
//! It is generated from the code: every handler in `routes/` carries a
//! `#[utoipa::path]` annotation (method, full path, parameters, body, answers),
//! and the bodies are the `hearth_api` types, which derive `ToSchema`. A new
//! route must be annotated and listed in [`ApiDoc`]'s `paths(...)`; the API test
//! `openapi` fails otherwise.
//!
//! Errors share one body, [`ErrorBody`]; each status an operation can answer is
//! a reusable response below ([`BadRequest`], [`Unauthorized`], ...), whose
//! description names the `ErrorCode`s behind that status.

use std::sync::OnceLock;

use hearth_api::{
    AddMemberRequest, AdminSetPasswordRequest, AnonymiseOutcome, AnonymiseRequest, AuditLogEntry,
    AuditPage, AuditQuery, AuditVerification, AuthProvider, AuthProviders, ChangePasswordRequest,
    Channel, ChannelCount, ChannelKind, ChannelMember, ChannelMembership, ChannelPurgeReport,
    ChannelUnread, ChannelViewed, ClientFrame, ComplianceJob, ComplianceSearchRequest,
    CreateChannelRequest, CreatePostRequest, CreateTeamRequest, CreateTokenRequest, CreatedToken,
    CsrfTokenResponse, DirectChannelRequest, EditPostRequest, ErrorBody, ErrorCode, ErrorDetail,
    Event, EventKind, EventPayload, ExportCursorState, ExportFormat, ExportRequest, FileInfo,
    FileSearchResults, FollowRequest, HoldStatus, JobKind, JobProgress, JobStatus, JoinTeamRequest,
    LdapCheckStep, LdapDiagnosis, LdapStatus, LdapSyncIssue, LdapSyncReport, LdapTestUserRequest,
    LegalHold, LegalHoldRequest, LoginMfaEnrolRequest, LoginMfaRequest, LoginOutcome, LoginRequest,
    LoginResponse, LogoutResponse, MemberRole, MfaChallenge, MfaCodeRequest, MfaEnrolment,
    MfaLoginResponse, MfaStatus, MoveChannelRequest, NotifyLevel, OidcCheckStep, OidcDiagnosis,
    PermissionContext, PermissionMatrix, PermissionRow, Post, PostPage, PostSearchResults,
    PostVersion, PostsQuery, Presence, PurgeReport, Reaction, ReactionRequest, RecoveryCodes,
    RetentionPolicies, RetentionPolicy, RetentionScope, Role, SearchMatch, SearchRequest,
    SearchSort, SearchStatus, ServerFrame, ServerInfo, Session, SessionKind, SessionRevoked,
    SetActiveRequest, SetEmailVerifiedRequest, SetMemberRoleRequest, SetRoleRequest,
    SetStatusRequest, SignupRequest, Team, TeamInvite, TeamMember, TeamMembership, ThreadState,
    Typing, UpdateChannelRequest, UpdateMembershipRequest, UpdateProfileRequest, UpdateTeamRequest,
    User, UserStatus,
};
use hearth_api::{
    ChatImportIssue, ChatImportReport, ImportColumn, ImportIssue, ImportIssueCode, ImportRowStatus,
    UserImportReport, UserImportRow,
};
use hearth_api::{
    ConfigValidation, ConfigView, DatabaseStatus, DayCount, PatchConfigRequest, PostStats,
    SessionCounts, SystemStatus, UserCounts, ValidateConfigRequest,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse, ToSchema};

use crate::routes::extract::{CSRF_HEADER, SESSION_COOKIE};
use crate::routes::{
    audit, channel_admin, channels, compliance, compliance_jobs, files, import, oidc_admin,
    permissions, posts, search, signin, system, system_admin, team_admin, teams, user_admin, users,
    ws,
};

/// Security scheme: `Authorization: Bearer <token>` (login token or personal access token).
pub const BEARER: &str = "bearer";
/// Security scheme: the `HEARTH_SESSION` cookie set by login.
pub const SESSION_COOKIE_SCHEME: &str = "session_cookie";
/// Security scheme: the session's CSRF token, required with the cookie on writes.
pub const CSRF_SCHEME: &str = "csrf_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "The Hearth workplace chat HTTP API (v1). Bodies are JSON unless an \
            operation says otherwise; ids are UUIDv7 strings and times are UTC milliseconds.\n\n\
            Authenticate with `Authorization: Bearer <token>` (the `token` of a login, or a \
            personal access token), or with the `HEARTH_SESSION` cookie set by login; \
            cookie-authenticated writes (POST, PUT, PATCH, DELETE) must also send the \
            session's `csrf_token` in `X-CSRF-Token`.\n\n\
            Every failure answers `{\"error\":{\"code\":\"…\",\"message\":\"…\"}}` (`ErrorBody`); \
            besides the statuses listed per operation, any operation may answer \
            `500 internal`. Channels and posts the caller may not read answer `404 not_found`, \
            as if they did not exist."
    ),
    paths(
        // System (root routes first, outside /api/v1).
        system::healthz,
        system::readyz,
        system::metrics,
        system::info,
        system::openapi,
        // Users, sessions, tokens, status.
        users::registration::signup,
        users::registration::create_user,
        users::login::login,
        users::login::logout,
        users::profile::me,
        users::profile::update_me,
        users::profile::change_password,
        users::profile::set_avatar,
        users::profile::avatar,
        users::sessions::my_sessions,
        users::sessions::revoke_session,
        users::sessions::create_token,
        users::sessions::my_tokens,
        users::sessions::revoke_token,
        user_admin::create_token,
        user_admin::tokens,
        user_admin::revoke_token,
        user_admin::set_email_verified,
        users::status::set_my_status,
        users::status::status,
        users::status::statuses,
        users::directory::search,
        users::directory::by_username,
        users::directory::get_user,
        users::admin::set_role,
        users::admin::set_active,
        users::admin::revoke_all,
        users::admin::reset_password,
        // Enterprise sign-in: MFA, single sign-on, LDAP administration.
        signin::mfa_login::login_mfa,
        signin::mfa_login::login_mfa_enrol,
        signin::mfa::mfa_status,
        signin::mfa::mfa_enrol,
        signin::mfa::mfa_activate,
        signin::mfa::mfa_disable,
        signin::mfa::mfa_recovery_codes,
        signin::csrf::csrf,
        signin::mfa::admin_mfa_reset,
        signin::sso::auth_providers,
        signin::sso::oauth_login,
        signin::sso::oauth_callback,
        signin::ldap::ldap_test,
        signin::ldap::ldap_test_user,
        signin::ldap::ldap_sync,
        signin::ldap::ldap_status,
        // Teams.
        teams::create,
        teams::mine,
        teams::all,
        teams::open,
        teams::join,
        teams::get_team,
        teams::update,
        teams::get_invite,
        teams::new_invite,
        teams::members,
        teams::add_member,
        teams::remove_member,
        teams::set_member_role,
        teams::browse_channels,
        team_admin::archive,
        team_admin::restore,
        // Channels.
        channels::create,
        channels::direct,
        channels::mine,
        channels::unreads,
        channels::memberships,
        channels::get_channel,
        channels::update,
        channels::archive,
        channels::unarchive,
        channels::members,
        channels::add_member,
        channels::update_membership,
        channels::remove_member,
        channels::set_member_role,
        channels::view,
        channels::list_posts,
        channels::pinned,
        channel_admin::make_private,
        channel_admin::move_channel,
        // Posts.
        posts::create,
        posts::saved,
        posts::my_threads,
        posts::get_post,
        posts::edit,
        posts::delete_post,
        posts::history,
        posts::thread,
        posts::view_thread,
        posts::follow,
        posts::add_reaction,
        posts::remove_reaction,
        posts::pin,
        posts::unpin,
        posts::save,
        posts::unsave,
        // Files.
        files::upload,
        files::info,
        files::download,
        files::thumbnail,
        files::preview,
        // Search.
        search::search_posts,
        search::search_files,
        search::status,
        search::reindex,
        // Audit log.
        audit::list,
        audit::verify,
        audit::export,
        // Compliance.
        compliance::list_policies,
        compliance::put_policy,
        compliance::delete_policy,
        compliance::dry_run,
        compliance::run_purge,
        compliance::list_holds,
        compliance::create_hold,
        compliance::get_hold,
        compliance::update_hold,
        compliance::release_hold,
        compliance::export_hold,
        compliance_jobs::start_export,
        compliance_jobs::start_incremental,
        compliance_jobs::cursors,
        compliance_jobs::list_jobs,
        compliance_jobs::get_job,
        compliance_jobs::cancel_job,
        compliance_jobs::download,
        compliance_jobs::search,
        compliance_jobs::user_export,
        compliance_jobs::anonymise,
        compliance_jobs::delete_user,
        permissions::matrix,
        oidc_admin::test_provider,
        // System administration.
        system_admin::status,
        system_admin::get_config,
        system_admin::validate_config,
        system_admin::patch_config,
        system_admin::reload_config,
        // Import.
        import::users,
        import::slack,
        import::mattermost,
        // Realtime.
        ws::websocket,
    ),
    components(
        schemas(
            ErrorBody, ErrorDetail, ErrorCode,
            User, Role, Presence, LoginResponse, Session, SessionKind, CreatedToken, UserStatus,
            Team, TeamInvite, TeamMember, MemberRole,
            Channel, ChannelKind, ChannelMember, ChannelUnread, NotifyLevel,
            Post, PostPage, PostVersion, Reaction, ThreadState, FileInfo, ServerInfo,
            SignupRequest, LoginRequest, UpdateProfileRequest, ChangePasswordRequest,
            SetRoleRequest, SetActiveRequest, SetEmailVerifiedRequest, PermissionMatrix, PermissionContext, PermissionRow, OidcDiagnosis, OidcCheckStep, MoveChannelRequest, CreateTokenRequest, SetStatusRequest,
            CreateTeamRequest, UpdateTeamRequest, JoinTeamRequest, AddMemberRequest,
            SetMemberRoleRequest, CreateChannelRequest, UpdateChannelRequest,
            DirectChannelRequest, UpdateMembershipRequest, CreatePostRequest, EditPostRequest,
            ReactionRequest, FollowRequest, PostsQuery, FileUpload,
            ServerFrame, ClientFrame, Event, EventKind, EventPayload, ChannelMembership,
            TeamMembership, ChannelViewed, Typing, SessionRevoked,
            LoginOutcome, MfaChallenge, LoginMfaRequest, LoginMfaEnrolRequest, MfaLoginResponse,
            MfaEnrolment, MfaCodeRequest, RecoveryCodes, MfaStatus, AuthProvider, AuthProviders,
            CsrfTokenResponse, LogoutResponse, LdapTestUserRequest, LdapCheckStep, LdapDiagnosis,
            LdapSyncReport, LdapSyncIssue, LdapStatus,
            SearchRequest, SearchSort, SearchMatch, ChannelCount, PostSearchResults,
            FileSearchResults, SearchStatus,
            AuditLogEntry, AuditQuery, AuditPage, AuditVerification,
            RetentionScope, RetentionPolicy, RetentionPolicies, ChannelPurgeReport, PurgeReport,
            LegalHoldRequest, HoldStatus, LegalHold, ExportFormat, ExportRequest, JobKind,
            JobStatus, JobProgress, ComplianceJob, ExportCursorState, ComplianceSearchRequest,
            AnonymiseRequest, AnonymiseOutcome, crate::routes::compliance::HoldExportRequest,
            SystemStatus, DatabaseStatus, UserCounts, SessionCounts, PostStats, DayCount,
            ConfigView, ValidateConfigRequest, ConfigValidation, PatchConfigRequest,
            AdminSetPasswordRequest,
            UserImportReport, UserImportRow, ImportRowStatus, ImportIssue, ImportIssueCode,
            ImportColumn, ChatImportReport, ChatImportIssue,
        ),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
            TooManyRequests, ServiceUnavailable,
        )
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Health, readiness, metrics, server facts and this document."),
        (name = "users", description = "Accounts, profiles, sessions, personal access tokens and presence."),
        (name = "teams", description = "Teams, invitations and team membership."),
        (name = "channels", description = "Channels, membership, preferences, read state and channel post listings."),
        (name = "posts", description = "Posts, threads, reactions, pins and saved posts."),
        (name = "files", description = "Uploads and downloads."),
        (name = "search", description = "Full-text search of posts and files within the caller's channels, and the index's administration."),
        (name = "compliance", description = "Retention policies and purges, legal holds, exports (Actiance XML, GlobalRelay EML, CSV) with incremental cursors, audited search across all content, and data subject requests. System admins and compliance officers manage; only compliance officers download or search content."),
        (name = "admin", description = "Server administration: system status, configuration, directory (LDAP) tests and sync, the audit log and its verification, data import."),
        (name = "ws", description = "The WebSocket for live events (frames: `ServerFrame`, `ClientFrame`)."),
    )
)]
pub struct ApiDoc;

/// Registers the security schemes the operations refer to.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "`Authorization: Bearer <token>`: the `token` of a login response, or \
                         a personal access token (`POST /api/v1/users/me/tokens`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SESSION_COOKIE_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The HttpOnly session cookie set by `POST /api/v1/users/login`. Writes \
                 authenticated by it also need `csrf_token`.",
            ))),
        );
        components.add_security_scheme(
            CSRF_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                CSRF_HEADER,
                "The session's `csrf_token` from the login response; required with the \
                 session cookie on POST, PUT, PATCH and DELETE (not with a bearer token).",
            ))),
        );
    }
}

/// The multipart body of `POST /api/v1/files`.
#[derive(ToSchema)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct FileUpload {
    /// The channel the files are for. Send this text part before the files.
    pub channel_id: uuid::Uuid,
    /// One to ten parts named `files`, each with a file name; each at most
    /// `files.max_file_size` bytes.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// `invalid_input`: the body, the query string or a path parameter did not
/// parse (malformed JSON, unknown field, bad id) or failed validation;
/// `invalid_config`: a configuration change does not validate.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct BadRequest(pub ErrorBody);

/// `unauthenticated` (no bearer token or session cookie), `session_expired`
/// (expired or revoked), or `invalid_credentials` (wrong login or password, on
/// login and password change).
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct Unauthorized(pub ErrorBody);

/// `forbidden` (the caller's role does not allow this), `csrf_mismatch` (a
/// cookie-authenticated write without the session's `X-CSRF-Token`),
/// `account_inactive`, `channel_archived` (the channel is read-only),
/// `signup_disabled` or `setup_token_invalid`.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct Forbidden(pub ErrorBody);

/// `not_found`: the resource does not exist, or the caller may not see it.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct NotFound(pub ErrorBody);

/// `conflict`: a unique name, username or e-mail is already taken;
/// `config_locked`: a configuration key is fixed by the environment or command line.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct Conflict(pub ErrorBody);

/// `payload_too_large` (the JSON body exceeds `limits.max_json_bytes`) or
/// `file_too_large` (an upload exceeds its size limit).
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct PayloadTooLarge(pub ErrorBody);

/// `rate_limited`: too many requests; retry after the seconds in `Retry-After`.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
#[response(headers(("Retry-After" = u64, description = "Seconds to wait before retrying")))]
pub struct TooManyRequests(pub ErrorBody);

/// `unavailable`: the database does not answer, or the server is starting or stopping.
#[derive(ToResponse)]
#[expect(dead_code, reason = "a shape for the OpenAPI document, never built")]
pub struct ServiceUnavailable(pub ErrorBody);

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        ApiDoc::openapi().to_json().unwrap_or_else(|e| {
            serde_json::json!({ "error": { "code": "internal", "message": e.to_string() } })
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    /// Generated clients type their event handlers from these schemas.
    #[test]
    fn the_event_contract_is_in_the_document() {
        let doc: serde_json::Value = serde_json::from_str(super::json()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for name in [
            "EventPayload",
            "EventKind",
            "ChannelMembership",
            "TeamMembership",
            "ChannelViewed",
            "Typing",
            "SessionRevoked",
        ] {
            assert!(schemas[name].is_object(), "{name} is missing");
        }
        let variants = schemas["EventPayload"]["oneOf"].as_array().unwrap();
        assert_eq!(variants.len(), 20, "one schema per event");
    }
}
