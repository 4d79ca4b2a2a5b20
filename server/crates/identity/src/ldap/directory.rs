//! Login (search-then-bind) and full directory reads.

use std::collections::HashSet;
use std::sync::Arc;

use ldap3::{Scope, SearchEntry};

use super::config::LdapConfig;
use super::connect::{self, BindError, TlsSettings};
use super::filter;
use super::groups::{self, GroupIndex};
use super::pool::Pool;
use super::search::{self, normalise_dn};
use crate::directory::{DirectoryGroup, DirectorySnapshot, DirectoryUser, SnapshotIssue};
use crate::error::{IdentityError, Result};

/// A configured directory. Cheap to clone; holds the service connection pool.
#[derive(Clone)]
pub struct LdapDirectory {
    config: Arc<LdapConfig>,
    tls: TlsSettings,
    pool: Arc<Pool>,
}

impl std::fmt::Debug for LdapDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapDirectory")
            .field("urls", &self.config.urls)
            .field("base_dn", &self.config.base_dn)
            .finish_non_exhaustive()
    }
}

impl LdapDirectory {
    /// Validates the config and loads the CA file. Does not contact the server; use
    /// [`crate::ldap::test_connection`] for that.
    pub async fn new(config: LdapConfig) -> Result<Self> {
        config.validate()?;
        let tls = TlsSettings::from_config(&config).await?;
        let config = Arc::new(config);
        let pool = Pool::new(config.clone(), tls.clone());
        Ok(LdapDirectory { config, tls, pool })
    }

    pub fn config(&self) -> &LdapConfig {
        &self.config
    }

    /// Idle pooled service connections (exposed for monitoring).
    pub fn idle_connections(&self) -> usize {
        self.pool.idle_count()
    }

    fn user_attributes(&self) -> Vec<String> {
        let a = &self.config.attributes;
        let mut v = vec![
            self.config.login_attribute.clone(),
            a.stable_id.clone(),
            a.email.clone(),
            a.first_name.clone(),
            a.last_name.clone(),
            a.display_name.clone(),
        ];
        v.retain(|s| !s.is_empty());
        v.dedup();
        v
    }

    /// Search-then-bind login.
    ///
    /// The service account finds the entry whose login attribute equals `login`, then a
    /// fresh connection binds as that entry with `password`. Unknown login and wrong
    /// password are different errors here (for audit) but share one
    /// [`IdentityError::public_code`]. Disabled accounts are reported only after the
    /// password was verified, so the state is not revealed to someone guessing.
    pub async fn authenticate(&self, login: &str, password: &str) -> Result<DirectoryUser> {
        let mut conn = self.pool.get().await?;
        let found = self.find_entry(&mut conn.ldap, login).await;
        let (entry, mut user) = match found.and_then(|e| self.map_user(&e).map(|u| (e, u))) {
            Ok(v) => v,
            Err(e) => {
                // Lookup misses leave the service connection healthy.
                if !matches!(
                    e,
                    IdentityError::LdapTimeout { .. } | IdentityError::LdapOperation { .. }
                ) {
                    conn.release();
                }
                return Err(e);
            }
        };

        let mut user_conn = connect::connect(&self.config, &self.tls).await?;
        let bound = connect::bind(
            &mut user_conn,
            &entry.dn,
            password,
            self.config.operation_timeout(),
        )
        .await;
        // The user connection is never reused; closing it is best effort.
        let _ = tokio::time::timeout(self.config.operation_timeout(), user_conn.unbind()).await;
        match bound {
            Ok(()) => {}
            Err(BindError::InvalidCredentials(_)) => {
                conn.release();
                return Err(IdentityError::LdapWrongPassword {
                    dn: entry.dn.clone(),
                });
            }
            Err(BindError::Other(e)) => return Err(e),
        }

        user.groups =
            groups::groups_of_user(&mut conn.ldap, &self.config, &user.dn, &user.login).await?;
        user.disabled = self.is_disabled(&mut conn.ldap, &user.dn).await?;
        conn.release();
        if user.disabled {
            return Err(IdentityError::LdapUserDisabled { dn: user.dn });
        }
        Ok(user)
    }

    /// Looks a user up without a password (admin lookups, diagnostics, re-sync of one user).
    pub async fn find_user(&self, login: &str) -> Result<DirectoryUser> {
        let mut conn = self.pool.get().await?;
        let entry = self.find_entry(&mut conn.ldap, login).await?;
        let mut user = self.map_user(&entry)?;
        user.groups =
            groups::groups_of_user(&mut conn.ldap, &self.config, &user.dn, &user.login).await?;
        user.disabled = self.is_disabled(&mut conn.ldap, &user.dn).await?;
        conn.release();
        Ok(user)
    }

    pub(crate) async fn find_entry(
        &self,
        ldap: &mut ldap3::Ldap,
        login: &str,
    ) -> Result<SearchEntry> {
        let login = login.trim();
        if login.is_empty() {
            return Err(IdentityError::LdapUserNotFound {
                login: String::new(),
            });
        }
        let f = filter::and(&[
            &self.config.user_filter,
            &filter::eq(&self.config.login_attribute, login),
        ]);
        let mut entries = search::search(
            ldap,
            &self.config.base_dn,
            Scope::Subtree,
            &f,
            &self.user_attributes(),
            self.config.operation_timeout(),
        )
        .await?;
        match entries.len() {
            0 => Err(IdentityError::LdapUserNotFound {
                login: login.to_string(),
            }),
            1 => Ok(entries.remove(0)),
            count => Err(IdentityError::LdapAmbiguousUser {
                login: login.to_string(),
                count,
            }),
        }
    }

    async fn is_disabled(&self, ldap: &mut ldap3::Ldap, dn: &str) -> Result<bool> {
        let Some(disabled) = &self.config.disabled_filter else {
            return Ok(false);
        };
        let f = filter::normalise(disabled);
        let found = search::search(
            ldap,
            dn,
            Scope::Base,
            &f,
            &["1.1".to_string()],
            self.config.operation_timeout(),
        )
        .await?;
        Ok(!found.is_empty())
    }

    /// Maps attributes; the stable id and the login are required.
    pub(crate) fn map_user(&self, entry: &SearchEntry) -> Result<DirectoryUser> {
        let a = &self.config.attributes;
        let missing = |attribute: &str| IdentityError::LdapAttributeMissing {
            dn: entry.dn.clone(),
            attribute: attribute.to_string(),
        };
        let stable_id = search::stable_id(entry, &a.stable_id, a.stable_id_encoding)
            .ok_or_else(|| missing(&a.stable_id))?;
        let login = search::text(entry, &self.config.login_attribute)
            .ok_or_else(|| missing(&self.config.login_attribute))?;
        Ok(DirectoryUser {
            stable_id,
            login,
            email: search::text(entry, &a.email),
            first_name: search::text(entry, &a.first_name),
            last_name: search::text(entry, &a.last_name),
            display_name: search::text(entry, &a.display_name),
            dn: entry.dn.clone(),
            groups: Vec::new(),
            disabled: false,
        })
    }

    /// Reads all users and groups with paged searches.
    pub async fn snapshot(&self) -> Result<DirectorySnapshot> {
        let mut conn = self.pool.get().await?;
        let cfg = &self.config;
        let timeout = cfg.operation_timeout();
        let users = search::paged_search(
            &mut conn.ldap,
            &cfg.base_dn,
            &filter::normalise(&cfg.user_filter),
            &self.user_attributes(),
            cfg.page_size,
            timeout,
        )
        .await?;

        let mut disabled = HashSet::new();
        if let Some(d) = &cfg.disabled_filter {
            let f = filter::and(&[&cfg.user_filter, d]);
            for e in search::paged_search(
                &mut conn.ldap,
                &cfg.base_dn,
                &f,
                &["1.1".to_string()],
                cfg.page_size,
                timeout,
            )
            .await?
            {
                disabled.insert(normalise_dn(&e.dn));
            }
        }

        let index = match (&cfg.groups, cfg.group_base()) {
            (Some(g), Some(base)) => {
                let entries = search::paged_search(
                    &mut conn.ldap,
                    base,
                    &filter::normalise(&g.filter),
                    &groups::attributes(g),
                    cfg.page_size,
                    timeout,
                )
                .await?;
                let raw = entries.iter().map(|e| groups::raw_group(e, g)).collect();
                Some(GroupIndex::new(raw, g.nested))
            }
            _ => None,
        };
        conn.release();

        let mut snapshot = DirectorySnapshot::default();
        let mut counts = vec![0usize; index.as_ref().map_or(0, |i| i.groups().len())];
        for entry in &users {
            match self.map_user(entry) {
                Ok(mut user) => {
                    if let Some(index) = &index {
                        let set = index.effective(&user.dn, &user.login);
                        for &i in &set {
                            counts[i] += 1;
                        }
                        user.groups = index.refs(&set);
                    }
                    user.disabled = disabled.contains(&normalise_dn(&user.dn));
                    snapshot.users.push(user);
                }
                Err(e) => snapshot.issues.push(SnapshotIssue {
                    dn: entry.dn.clone(),
                    code: e.code().to_string(),
                    detail: e.to_string(),
                }),
            }
        }
        if let Some(index) = &index {
            snapshot.groups = index
                .groups()
                .iter()
                .zip(counts)
                .map(|(g, member_count)| DirectoryGroup {
                    dn: g.dn.clone(),
                    name: g.name.clone(),
                    member_count,
                })
                .collect();
        }
        Ok(snapshot)
    }
}
