//! The command line, declared once: parsing, `--help`, completion scripts and
//! the man page all come from these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use uuid::Uuid;

use crate::exit;

/// Administer a Hearth server: users, teams, channels, tokens, sign-in,
/// search, the audit log and the server itself.
#[derive(Debug, Parser)]
#[command(
    name = "hearthctl",
    version,
    about,
    after_help = exit::HELP,
    after_long_help = exit::HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// How to reach the server and how to print.
#[derive(Debug, Args)]
pub struct Global {
    /// Server URL, e.g. https://chat.example.com (overrides the profile).
    #[arg(long, global = true, env = "HEARTHCTL_URL")]
    pub url: Option<String>,
    /// File holding a personal access token (mode 0600).
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Named connection profile (default: the one chosen with `profile use`).
    #[arg(long, global = true, env = "HEARTHCTL_PROFILE")]
    pub profile: Option<String>,
    /// Talk to the server on this host through its administration socket;
    /// acts as the built-in administrator, no token needed.
    #[arg(long, global = true)]
    pub local: bool,
    /// The administration socket to use (implies --local).
    #[arg(long, global = true, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// The server's data directory, where --local finds `hearth.sock`
    /// (default: `HEARTH_SERVER__DATA_DIR` or ./hearth-data).
    #[arg(long, global = true, value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Print JSON (stable field names, for scripts and jq) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// Seconds to wait for an answer (long jobs such as reindex wait longer).
    #[arg(long, global = true, default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage named connection profiles (URL and token file).
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage teams and their members.
    #[command(subcommand)]
    Team(TeamCmd),
    /// Manage channels and their members.
    #[command(subcommand)]
    Channel(ChannelCmd),
    /// Manage your personal access tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Show what each system role may do, and assign roles.
    #[command(subcommand, alias = "permissions")]
    Role(RoleCmd),
    /// Check and synchronise the LDAP directory.
    #[command(subcommand)]
    Ldap(LdapCmd),
    /// Check OpenID Connect providers.
    #[command(subcommand)]
    Oidc(OidcCmd),
    /// Inspect and rebuild the search index.
    #[command(subcommand)]
    Search(SearchCmd),
    /// Read, export and verify the audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Server status, version and configuration.
    #[command(subcommand)]
    System(SystemCmd),
    /// Retention policies and the purge.
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// Legal holds.
    #[command(subcommand)]
    Hold(HoldCmd),
    /// Compliance exports (Actiance XML, GlobalRelay EML, CSV) and their jobs.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Import users from spreadsheets, Slack exports and Mattermost bulk files.
    #[command(subcommand)]
    Import(ImportCmd),
    /// Print a shell completion script.
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCmd {
    /// Add or replace a profile.
    Add {
        name: String,
        #[arg(long)]
        url: String,
        /// File holding the token; it must not be readable by group or others.
        #[arg(long, value_name = "PATH")]
        token_file: PathBuf,
        /// Also make it the default profile.
        #[arg(long)]
        default: bool,
    },
    /// List profiles.
    List,
    /// Remove a profile.
    Remove { name: String },
    /// Make a profile the default.
    Use { name: String },
}

/// The system roles.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum RoleArg {
    SystemAdmin,
    User,
    Guest,
    ComplianceOfficer,
}

impl From<RoleArg> for hearth_api::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::SystemAdmin => hearth_api::Role::SystemAdmin,
            RoleArg::User => hearth_api::Role::User,
            RoleArg::Guest => hearth_api::Role::Guest,
            RoleArg::ComplianceOfficer => hearth_api::Role::ComplianceOfficer,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create an account; without --password one is generated and printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, value_enum, default_value = "user")]
        role: RoleArg,
        #[arg(long)]
        password: Option<String>,
    },
    /// List or search accounts.
    #[command(alias = "search")]
    List {
        /// Text in the username, display name or e-mail.
        #[arg(long, short)]
        query: Option<String>,
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        /// Only deactivated accounts.
        #[arg(long, conflicts_with = "active")]
        inactive: bool,
        /// Only active accounts.
        #[arg(long)]
        active: bool,
        /// Zero-based page.
        #[arg(long, default_value_t = 0)]
        page: u32,
        #[arg(long, default_value_t = 60)]
        per_page: u32,
    },
    /// Show one account (by username, e-mail or id).
    Show { user: String },
    /// Reactivate an account.
    Activate { user: String },
    /// Deactivate an account: it can no longer sign in, its sessions end.
    Deactivate { user: String },
    /// Vouch for the account's e-mail address (single sign-on links only
    /// to verified addresses); --undo withdraws it.
    VerifyEmail {
        user: String,
        #[arg(long)]
        undo: bool,
    },
    /// Set the system role.
    Role {
        user: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Set a new password (generated and printed once unless given); ends the
    /// user's sessions and tokens.
    ResetPassword {
        user: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Remove the user's second factor so they can enrol again.
    ResetMfa { user: String },
    /// End every session and token of the user.
    RevokeSessions { user: String },
    /// Delete an account: profile anonymised, account deactivated and signed
    /// out; content under a legal hold always stays.
    Delete {
        user: String,
        /// Also delete the user's posts, except those a legal hold covers.
        #[arg(long)]
        erase_content: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Export everything a user wrote, with files (data subject access request).
    ExportData {
        user: String,
        /// Wait, then save the archive here (compliance officers).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Create a team (you become its admin).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        display_name: String,
        #[arg(long)]
        description: Option<String>,
        /// Anyone may join without an invitation.
        #[arg(long)]
        open: bool,
    },
    /// List your teams (--open: the open teams you may join; --all: every
    /// team, for system admins).
    List {
        #[arg(long, conflicts_with = "all")]
        open: bool,
        #[arg(long)]
        all: bool,
    },
    /// Show a team (by name or id).
    Show { team: String },
    /// Change a team's display name, description or openness.
    #[command(alias = "rename")]
    Update {
        team: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, conflicts_with = "invite_only")]
        open: bool,
        #[arg(long)]
        invite_only: bool,
    },
    /// Archive a team: no new members or channels; its open channels are
    /// archived (read-only) with it.
    Archive { team: String },
    /// Restore an archived team and the channels its archiving closed.
    Restore { team: String },
    /// Team membership.
    #[command(subcommand)]
    Members(TeamMembersCmd),
}

#[derive(Debug, Subcommand)]
pub enum TeamMembersCmd {
    List { team: String },
    Add { team: String, user: String },
    Remove { team: String, user: String },
}

#[derive(Debug, Subcommand)]
pub enum ChannelCmd {
    /// Create a channel in a team.
    Create {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        display_name: String,
        #[arg(long)]
        private: bool,
        #[arg(long)]
        purpose: Option<String>,
    },
    /// List a team's public channels.
    List {
        team: String,
        #[arg(long)]
        include_archived: bool,
    },
    /// Show a channel (by id, or TEAM:NAME).
    Show { channel: String },
    /// Archive a channel (read-only, hidden from browsing).
    Archive { channel: String },
    /// Restore an archived channel.
    Restore { channel: String },
    /// Change a channel's name or display name.
    Rename {
        channel: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Turn a public channel private: members stay, browsing stops.
    MakePrivate { channel: String },
    /// Move a channel with its posts and members to another team (its
    /// members must be in that team already).
    Move {
        channel: String,
        /// The target team (name or id).
        #[arg(long)]
        team: String,
    },
    /// Channel membership.
    #[command(subcommand)]
    Members(ChannelMembersCmd),
}

#[derive(Debug, Subcommand)]
pub enum ChannelMembersCmd {
    List { channel: String },
    Add { channel: String, user: String },
    Remove { channel: String, user: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a personal access token; the secret is printed once. The
    /// server asks for your password (--password-file) unless you signed in
    /// minutes ago; over the local socket it does not.
    Create {
        #[arg(long)]
        name: String,
        /// Days until expiry (default: the server's sessions.token_default_days).
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// A file (mode 0600) holding your password, to confirm it is you.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// An integration token (for a script or bot): it survives password
        /// and MFA changes of its owner.
        #[arg(long)]
        integration: bool,
        /// For this user instead of yourself (system admins), e.g. a service account.
        #[arg(long)]
        user: Option<String>,
    },
    /// List your tokens (or, with --user, that user's).
    List {
        #[arg(long)]
        user: Option<String>,
    },
    /// Revoke a token by id (yours, or with --user, that user's).
    Revoke {
        id: uuid::Uuid,
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleCmd {
    /// The permission matrix: each action, as a plain member and as an
    /// outsider, per system role.
    Matrix,
    /// Give a user a system role.
    Assign {
        user: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum LdapCmd {
    /// Check the connection, bind and searches step by step.
    Test,
    /// Check that one login is found (and, with --password, can bind).
    TestUser {
        login: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Run a synchronisation now and wait for it.
    Sync,
    /// The last synchronisation and the next one.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum OidcCmd {
    /// Fetch the provider's discovery document and key set, step by step.
    Test {
        /// The provider id from `[[oidc.providers]]`.
        provider: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SearchCmd {
    /// Index size and how far behind it is.
    Status,
    /// Rebuild the index from the database and wait until it is live.
    Reindex,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    Csv,
}

/// Filters shared by `audit query` and `audit export`.
#[derive(Debug, Args)]
pub struct AuditFilter {
    /// Only actions by this user (username, e-mail or id).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only this action, e.g. user.create.
    #[arg(long)]
    pub action: Option<String>,
    /// From this time on: 2026-11-25, 2026-11-25T10:00:00Z or epoch milliseconds.
    #[arg(long)]
    pub since: Option<String>,
    /// Before this time (same forms as --since).
    #[arg(long)]
    pub until: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Show entries, oldest first.
    Query {
        #[command(flatten)]
        filter: AuditFilter,
        /// At most this many entries.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Write every matching entry as JSON lines or CSV.
    Export {
        #[command(flatten)]
        filter: AuditFilter,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Recompute the hash chain; exits 1 when it is broken.
    Verify {
        /// A head hash kept from an earlier verification or an export
        /// manifest (`audit_head.hash`): the chain must still contain it.
        #[arg(long)]
        head: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SystemCmd {
    /// Health, counts, database, search and directory state.
    Status,
    /// This program's version, and the server's when reachable.
    Version,
    /// The server configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Re-read the configuration file and environment; apply what can change live.
    Reload,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// The effective configuration, secrets masked.
    Show,
    /// Check a TOML file (full or partial) without applying it.
    Validate { file: PathBuf },
    /// Set keys, e.g. `set accounts.signup=invite_only log.level=debug`;
    /// values are TOML (strings may go unquoted).
    Set {
        #[arg(required = true, value_name = "KEY=VALUE")]
        pairs: Vec<String>,
    },
}

/// A retention period: a number of days, `forever` or `inherit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Forever,
    Inherit,
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "forever" => Ok(Period::Forever),
            "inherit" => Ok(Period::Inherit),
            n => match n.trim_end_matches('d').parse::<u32>() {
                Ok(0) => Ok(Period::Forever),
                Ok(d) => Ok(Period::Days(d)),
                Err(_) => Err(format!(
                    "'{s}' is not a period: use a number of days (90 or 90d), forever or inherit"
                )),
            },
        }
    }
}

/// Which level a retention command is about; neither means the global default.
#[derive(Debug, Args)]
pub struct RetentionTarget {
    /// A team's policy (name or id).
    #[arg(long)]
    pub team: Option<String>,
    /// A channel's policy (id or TEAM:CHANNEL).
    #[arg(long)]
    pub channel: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RetentionCmd {
    /// Every level that sets a period, and when the daily purge runs.
    Show,
    /// Set the periods of the global default, a team or a channel.
    Set {
        #[command(flatten)]
        target: RetentionTarget,
        /// Messages: days (90), forever, or inherit from the less specific level.
        #[arg(long)]
        messages: Option<Period>,
        /// Files: days, forever or inherit.
        #[arg(long)]
        files: Option<Period>,
    },
    /// Remove a level's policy so it follows the less specific one.
    Remove {
        #[command(flatten)]
        target: RetentionTarget,
    },
    /// What a purge would delete now, per channel; deletes nothing.
    DryRun,
    /// Start a purge now (it also runs daily).
    Run {
        /// Wait until it finishes.
        #[arg(long)]
        wait: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ArchiveFormat {
    /// Smarsh/Actiance Vantage XML.
    Actiance,
    /// RFC 5322 e-mails for GlobalRelay.
    GlobalRelay,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ArchiveProfile {
    /// Hearth's own layout and columns.
    Hearth,
    /// Mattermost's layout, for archives that already ingest it.
    Mattermost,
}

impl From<ArchiveProfile> for hearth_api::ExportProfile {
    fn from(p: ArchiveProfile) -> Self {
        match p {
            ArchiveProfile::Hearth => hearth_api::ExportProfile::Hearth,
            ArchiveProfile::Mattermost => hearth_api::ExportProfile::Mattermost,
        }
    }
}

/// What a legal hold covers.
#[derive(Debug, Args)]
pub struct HoldDefinition {
    /// A unique name, e.g. the matter number.
    pub name: String,
    #[arg(long)]
    pub description: Option<String>,
    /// A person whose posts are held (username, e-mail or id); repeat for more.
    #[arg(long)]
    pub custodian: Vec<String>,
    /// Only these channels (id or TEAM:CHANNEL); repeat for more. None: every channel.
    #[arg(long)]
    pub channel: Vec<String>,
    /// Hold everything in the listed channels, whoever wrote it.
    #[arg(long)]
    pub channel_context: bool,
    /// Earliest creation time held: 2026-01-31, an RFC 3339 time or epoch milliseconds.
    #[arg(long)]
    pub from: Option<String>,
    /// Latest creation time held.
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum HoldCmd {
    /// Legal holds, newest first.
    List {
        /// Leave released holds out.
        #[arg(long)]
        active: bool,
    },
    /// One hold (by name or id) and how many posts it covers.
    Show { hold: String },
    /// Place a hold: what it covers survives retention, user deletes and account deletion.
    Create {
        #[command(flatten)]
        def: HoldDefinition,
    },
    /// Replace an active hold's definition.
    Update {
        /// The hold to change (name or id).
        #[arg(long = "hold", value_name = "HOLD")]
        hold: String,
        #[command(flatten)]
        def: HoldDefinition,
    },
    /// Release a hold; its content follows retention again.
    Release { hold: String },
    /// Export everything a hold covers.
    Export {
        hold: String,
        #[arg(long, value_enum)]
        format: ArchiveFormat,
        /// Wait until the archive is ready.
        #[arg(long)]
        wait: bool,
        /// Wait, then save the archive here (compliance officers).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Start an export of everything in scope.
    Start {
        #[arg(long, value_enum)]
        format: ArchiveFormat,
        /// `mattermost` writes Mattermost's layout (CSV `posts.csv` files with
        /// its columns and post types, `actiance_export.xml`, its GlobalRelay
        /// headers) for archives already ingesting it.
        #[arg(long, value_enum, default_value = "hearth")]
        export_profile: ArchiveProfile,
        /// Earliest event time: 2026-01-31, an RFC 3339 time or epoch milliseconds.
        #[arg(long)]
        from: Option<String>,
        /// Events at or after this time are left out (default: now).
        #[arg(long)]
        until: Option<String>,
        /// Only this channel (id or TEAM:CHANNEL); repeat for more.
        #[arg(long)]
        channel: Vec<String>,
        /// Only events by or about this user; repeat for more.
        #[arg(long)]
        user: Vec<String>,
        /// Wait until the archive is ready.
        #[arg(long)]
        wait: bool,
        /// Wait, then save the archive here (compliance officers).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Run the daily incremental export of a format now.
    Incremental {
        #[arg(long, value_enum)]
        format: ArchiveFormat,
        #[arg(long)]
        wait: bool,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Where the daily incremental exports stand.
    Cursors,
    /// Export, purge and user-export jobs, newest first.
    Jobs {
        /// Only this kind: export, purge or user_export.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One job's status and progress.
    Status { job: Uuid },
    /// Cancel a queued or running job.
    Cancel { job: Uuid },
    /// Save a finished job's archive (compliance officers).
    Download {
        job: Uuid,
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Users (and their teams and channels) from XLSX, XLS, ODS or CSV; all rows or none.
    Users {
        file: PathBuf,
        /// xlsx, xls, ods or csv; detected from the content when left out.
        #[arg(long)]
        format: Option<String>,
        /// Which header holds each field, as JSON: {"email":"E-mail address","username":"Login"}.
        #[arg(long)]
        mapping: Option<String>,
        /// Report what would happen, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A Slack export zip into a team; a rerun imports nothing twice.
    Slack {
        file: PathBuf,
        /// The team to import channels into (name or id).
        #[arg(long)]
        team: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// A Mattermost bulk-import JSONL file; a rerun imports nothing twice.
    Mattermost {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}
