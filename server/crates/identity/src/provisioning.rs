//! What an external sign-in does to Hearth accounts, as a pure decision.
//!
//! Linking by email is the dangerous case both ways: an attacker who controls a provider
//! account with someone else's unverified address must not inherit that person's account,
//! and an account someone signed up with another person's address must not inherit that
//! person's identity. So a link needs the admin's opt-in, the provider's `email_verified`
//! and an account whose address the server verified. A domain allow-list trusts only
//! verified addresses too.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::{AuthSource, ExistingAccount, Names};
use crate::oidc::{ExternalIdentity, OidcProviderConfig};

/// The admin's rules for one provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProvisioningPolicy {
    pub allow_jit: bool,
    pub link_by_verified_email: bool,
    /// Lower-case domains; empty allows all.
    pub allowed_email_domains: Vec<String>,
}

impl From<&OidcProviderConfig> for ProvisioningPolicy {
    fn from(c: &OidcProviderConfig) -> Self {
        ProvisioningPolicy {
            allow_jit: c.allow_jit,
            link_by_verified_email: c.link_by_verified_email,
            allowed_email_domains: c
                .allowed_email_domains
                .iter()
                .map(|d| d.trim().to_lowercase())
                .collect(),
        }
    }
}

/// An account to create for a first sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewExternalAccount {
    /// Free login derived from the username claim, the email or the subject.
    pub login: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub names: Names,
    pub provider_id: String,
    pub subject: String,
}

/// Why a sign-in is refused; [`RefusalReason::code`] is the stable machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The linked (or email-matched) account is deactivated.
    AccountDisabled,
    /// The email's domain is not in the allowed list, or there is no verified email to check.
    EmailDomainNotAllowed,
    /// An account with this email exists and linking is off.
    EmailInUse,
    /// An account with this email exists but the provider did not verify the email.
    EmailNotVerified,
    /// Several accounts share this email; an admin must link by hand.
    AmbiguousEmail,
    /// The account with this email never had its address verified, so it may
    /// belong to someone else; an admin must verify it first.
    AccountEmailNotVerified,
    /// No account exists and just-in-time creation is off.
    JitDisabled,
}

impl RefusalReason {
    pub fn code(self) -> &'static str {
        match self {
            RefusalReason::AccountDisabled => "provisioning.account_disabled",
            RefusalReason::EmailDomainNotAllowed => "provisioning.email_domain_not_allowed",
            RefusalReason::EmailInUse => "provisioning.email_in_use",
            RefusalReason::EmailNotVerified => "provisioning.email_not_verified",
            RefusalReason::AmbiguousEmail => "provisioning.ambiguous_email",
            RefusalReason::AccountEmailNotVerified => "provisioning.account_email_not_verified",
            RefusalReason::JitDisabled => "provisioning.jit_disabled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ProvisioningDecision {
    /// The identity is already linked to this account.
    SignIn {
        user_id: Uuid,
    },
    /// Link the identity (provider + subject) to this account, then sign in.
    Link {
        user_id: Uuid,
    },
    /// Create this account, linked to the identity, then sign in.
    Create {
        account: NewExternalAccount,
    },
    Refuse {
        reason: RefusalReason,
    },
}

fn domain_allowed(email: Option<&str>, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let Some((_, domain)) = email.and_then(|e| e.rsplit_once('@')) else {
        return false;
    };
    let domain = domain.to_lowercase();
    allowed.iter().any(|d| d.eq_ignore_ascii_case(&domain))
}

fn is_linked_to(a: &ExistingAccount, id: &ExternalIdentity) -> bool {
    matches!(&a.auth_source, AuthSource::Oidc { provider_id } if *provider_id == id.provider_id)
        && a.stable_id.as_deref() == Some(id.subject.as_str())
}

/// Login candidates: characters outside `[a-z0-9._-]` dropped, then numbered until free.
fn free_login(identity: &ExternalIdentity, existing: &[ExistingAccount]) -> String {
    let base_source = identity
        .username
        .clone()
        .or_else(|| {
            identity
                .email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| identity.subject.clone());
    let mut base: String = base_source
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(48)
        .collect();
    if base.is_empty() {
        base = "user".into();
    }
    let taken: HashSet<String> = existing.iter().map(|a| a.login.to_lowercase()).collect();
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|l| !taken.contains(l))
        .unwrap_or(base)
}

/// Decides what to do with a verified external identity.
///
/// Order: domain policy, existing link (provider + subject), email match (link only
/// with the admin's opt-in and a verified email), just-in-time creation.
pub fn decide(
    identity: &ExternalIdentity,
    policy: &ProvisioningPolicy,
    existing: &[ExistingAccount],
) -> ProvisioningDecision {
    use ProvisioningDecision::*;
    let checked_email = identity
        .email
        .as_deref()
        .filter(|_| identity.email_verified);
    if !domain_allowed(checked_email, &policy.allowed_email_domains) {
        return Refuse {
            reason: RefusalReason::EmailDomainNotAllowed,
        };
    }
    if let Some(a) = existing.iter().find(|a| is_linked_to(a, identity)) {
        return if a.active {
            SignIn { user_id: a.user_id }
        } else {
            Refuse {
                reason: RefusalReason::AccountDisabled,
            }
        };
    }
    let same_email: Vec<&ExistingAccount> = match identity.email.as_deref() {
        Some(email) => existing
            .iter()
            .filter(|a| {
                a.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .collect(),
        None => Vec::new(),
    };
    if let Some(first) = same_email.first() {
        if !policy.link_by_verified_email {
            return Refuse {
                reason: RefusalReason::EmailInUse,
            };
        }
        if !identity.email_verified {
            return Refuse {
                reason: RefusalReason::EmailNotVerified,
            };
        }
        if same_email.len() > 1 {
            return Refuse {
                reason: RefusalReason::AmbiguousEmail,
            };
        }
        // Already linked to another identity of the same provider: not ours to take.
        if matches!(&first.auth_source, AuthSource::Oidc { provider_id } if *provider_id == identity.provider_id)
        {
            return Refuse {
                reason: RefusalReason::EmailInUse,
            };
        }
        if !first.email_verified {
            return Refuse {
                reason: RefusalReason::AccountEmailNotVerified,
            };
        }
        if !first.active {
            return Refuse {
                reason: RefusalReason::AccountDisabled,
            };
        }
        return Link {
            user_id: first.user_id,
        };
    }
    if !policy.allow_jit {
        return Refuse {
            reason: RefusalReason::JitDisabled,
        };
    }
    Create {
        account: NewExternalAccount {
            login: free_login(identity, existing),
            // An address the provider did not verify is not stored.
            email: identity.email.clone().filter(|_| identity.email_verified),
            email_verified: identity.email_verified,
            names: identity.names.clone(),
            provider_id: identity.provider_id.clone(),
            subject: identity.subject.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Memberships;
    use ProvisioningDecision::*;

    fn identity(email: &str, verified: bool) -> ExternalIdentity {
        ExternalIdentity {
            provider_id: "corp".into(),
            subject: "sub-1".into(),
            email: Some(email.into()),
            email_verified: verified,
            names: Names::default(),
            username: Some("Alice.A".into()),
            groups: vec![],
        }
    }

    fn account(
        n: u128,
        login: &str,
        email: &str,
        source: AuthSource,
        stable: Option<&str>,
    ) -> ExistingAccount {
        ExistingAccount {
            user_id: Uuid::from_u128(n),
            stable_id: stable.map(str::to_string),
            login: login.into(),
            email: Some(email.into()),
            email_verified: true,
            names: Names::default(),
            active: true,
            auth_source: source,
            synced: Memberships::default(),
        }
    }

    fn policy(jit: bool, link: bool) -> ProvisioningPolicy {
        ProvisioningPolicy {
            allow_jit: jit,
            link_by_verified_email: link,
            allowed_email_domains: vec![],
        }
    }

    fn corp() -> AuthSource {
        AuthSource::Oidc {
            provider_id: "corp".into(),
        }
    }

    #[test]
    fn linked_subject_signs_in_even_if_email_changed() {
        let accts = [account(
            1,
            "alice",
            "old@example.com",
            corp(),
            Some("sub-1"),
        )];
        assert_eq!(
            decide(
                &identity("new@example.com", false),
                &policy(false, false),
                &accts
            ),
            SignIn {
                user_id: Uuid::from_u128(1)
            }
        );
        let mut disabled = accts.clone();
        disabled[0].active = false;
        assert_eq!(
            decide(
                &identity("a@example.com", true),
                &policy(true, true),
                &disabled
            ),
            Refuse {
                reason: RefusalReason::AccountDisabled
            }
        );
    }

    #[test]
    fn same_subject_at_another_provider_is_not_a_link() {
        let other = AuthSource::Oidc {
            provider_id: "other".into(),
        };
        let accts = [account(1, "x", "x@example.com", other, Some("sub-1"))];
        assert!(matches!(
            decide(
                &identity("a@example.com", true),
                &policy(true, false),
                &accts
            ),
            Create { .. }
        ));
    }

    #[test]
    fn email_linking_needs_opt_in_and_verification() {
        let accts = [account(
            1,
            "alice",
            "Alice@Example.com",
            AuthSource::Local,
            None,
        )];
        let id = identity("alice@example.com", true);
        assert_eq!(
            decide(&id, &policy(true, false), &accts),
            Refuse {
                reason: RefusalReason::EmailInUse
            }
        );
        assert_eq!(
            decide(&id, &policy(true, true), &accts),
            Link {
                user_id: Uuid::from_u128(1)
            }
        );
        let unverified = identity("alice@example.com", false);
        assert_eq!(
            decide(&unverified, &policy(true, true), &accts),
            Refuse {
                reason: RefusalReason::EmailNotVerified
            }
        );
        // An account whose address nobody verified (a self-signup) may be
        // a squatter's: never linked.
        let mut squatted = accts.clone();
        squatted[0].email_verified = false;
        assert_eq!(
            decide(&id, &policy(true, true), &squatted),
            Refuse {
                reason: RefusalReason::AccountEmailNotVerified
            }
        );
    }

    #[test]
    fn unverified_addresses_are_neither_trusted_nor_stored() {
        let mut p = policy(true, true);
        p.allowed_email_domains = vec!["example.com".into()];
        assert_eq!(
            decide(&identity("a@example.com", false), &p, &[]),
            Refuse {
                reason: RefusalReason::EmailDomainNotAllowed
            }
        );
        match decide(&identity("a@example.com", false), &policy(true, true), &[]) {
            Create { account } => assert_eq!(account.email, None),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn email_linking_refuses_ambiguity_taken_links_and_disabled_accounts() {
        let id = identity("alice@example.com", true);
        let two = [
            account(1, "a1", "alice@example.com", AuthSource::Local, None),
            account(2, "a2", "alice@example.com", AuthSource::Ldap, Some("x")),
        ];
        assert_eq!(
            decide(&id, &policy(true, true), &two),
            Refuse {
                reason: RefusalReason::AmbiguousEmail
            }
        );
        let taken = [account(
            1,
            "a1",
            "alice@example.com",
            corp(),
            Some("sub-OTHER"),
        )];
        assert_eq!(
            decide(&id, &policy(true, true), &taken),
            Refuse {
                reason: RefusalReason::EmailInUse
            }
        );
        let mut off = [account(
            1,
            "a1",
            "alice@example.com",
            AuthSource::Ldap,
            Some("x"),
        )];
        off[0].active = false;
        assert_eq!(
            decide(&id, &policy(true, true), &off),
            Refuse {
                reason: RefusalReason::AccountDisabled
            }
        );
    }

    #[test]
    fn jit_creates_with_a_free_login() {
        let accts = [
            account(1, "alice.a", "x@example.com", AuthSource::Local, None),
            account(2, "alice.a2", "y@example.com", AuthSource::Local, None),
        ];
        match decide(
            &identity("alice@example.com", true),
            &policy(true, false),
            &accts,
        ) {
            Create { account } => {
                assert_eq!(account.login, "alice.a3");
                assert_eq!(account.subject, "sub-1");
                assert_eq!(account.provider_id, "corp");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decide(
                &identity("alice@example.com", true),
                &policy(false, false),
                &[]
            ),
            Refuse {
                reason: RefusalReason::JitDisabled
            }
        );
        let mut no_name = identity("ü@example.com", true);
        no_name.username = None;
        match decide(&no_name, &policy(true, false), &[]) {
            Create { account } => assert_eq!(account.login, "user"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn domain_policy_applies_first() {
        let mut p = policy(true, true);
        p.allowed_email_domains = vec!["example.com".into()];
        assert!(matches!(
            decide(&identity("a@EXAMPLE.com", true), &p, &[]),
            Create { .. }
        ));
        assert_eq!(
            decide(&identity("a@evil.com", true), &p, &[]),
            Refuse {
                reason: RefusalReason::EmailDomainNotAllowed
            }
        );
        let mut none = identity("a@example.com", true);
        none.email = None;
        assert_eq!(
            decide(&none, &p, &[]),
            Refuse {
                reason: RefusalReason::EmailDomainNotAllowed
            }
        );
        // Also for linked accounts: tightening the policy locks them out.
        let accts = [account(1, "a", "a@evil.com", corp(), Some("sub-1"))];
        assert_eq!(
            decide(&identity("a@evil.com", true), &p, &accts),
            Refuse {
                reason: RefusalReason::EmailDomainNotAllowed
            }
        );
        assert_eq!(
            RefusalReason::EmailDomainNotAllowed.code(),
            "provisioning.email_domain_not_allowed"
        );
    }
}
