//! Carrying out a sync plan: accounts, their fields and memberships, in one
//! transaction with audit entries and change-log events.

use std::collections::HashMap;

use hearth_api::LdapSyncIssue;
use hearth_core::{Result, now_millis};
use hearth_identity::sync::{AccountRef, Field, SyncPlan};
use hearth_store::kinds::SignInSource;
use hearth_store::models::UserAuthRow;
use hearth_store::{Tx, identity as store, users};

use super::accounts::user_changed;
use super::memberships::{apply_channel, apply_role, apply_team};
use crate::services::{audit, sessions};
use crate::signin::{
    Profile, Synced, auth_row, create_external_user, display_name_of, free_username, usable_email,
};

pub(super) fn issue(code: &str, subject: &str, detail: String) -> LdapSyncIssue {
    LdapSyncIssue {
        code: code.into(),
        subject: subject.into(),
        detail,
    }
}

/// Carries out a plan; what cannot be done is returned as issues, and only
/// database failures abort (rolling everything back).
pub fn apply_plan(tx: &mut Tx, plan: &SyncPlan, trigger: &str) -> Result<Vec<LdapSyncIssue>> {
    let mut issues = Vec::new();
    let mut created: HashMap<String, String> = HashMap::new();

    for n in &plan.create {
        if let Some(email) = n.email.as_deref().map(str::to_lowercase)
            && users::by_email(tx.conn, &email)?.is_some()
        {
            issues.push(issue(
                "sync.email_conflict",
                &n.dn,
                format!("e-mail {email} already belongs to another account; not created"),
            ));
            continue;
        }
        let synced = Synced {
            memberships: Default::default(),
            profile: Some(Profile {
                login: n.login.clone(),
                email: n.email.clone(),
                names: n.names.clone(),
            }),
        };
        let mut auth = UserAuthRow::local("", now_millis());
        auth.source = SignInSource::Ldap;
        auth.external_id = Some(n.stable_id.clone());
        auth.synced = synced.to_json();
        let row = create_external_user(tx, &n.login, n.email.as_deref(), &n.names, auth)?;
        audit::record(
            tx,
            None,
            "user.provision",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "source": "ldap", "decision": "create", "trigger": trigger,
                "login": row.username, "dn": n.dn,
            }),
        )?;
        created.insert(n.stable_id.clone(), row.id);
    }

    for u in &plan.update {
        let uid = u.user_id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        let mut a = auth_row(tx.conn, &uid)?;
        let mut synced = Synced::parse(&a.synced);
        let mut profile = synced.profile.take().unwrap_or_default();
        for c in &u.changes {
            match c.field {
                Field::Login => {
                    if let Some(new) = &c.new {
                        profile.login = new.clone();
                        row.username = free_username(tx.conn, new, Some(&row.id))?;
                    }
                }
                Field::Email => {
                    profile.email = c.new.clone();
                    let email = usable_email(tx.conn, c.new.as_deref(), Some(&row.id))?;
                    if email != row.email {
                        row.email_verified_at = None;
                    }
                    row.email = email;
                }
                Field::FirstName => profile.names.first_name = c.new.clone(),
                Field::LastName => profile.names.last_name = c.new.clone(),
                Field::DisplayName => profile.names.display_name = c.new.clone(),
            }
        }
        row.display_name = display_name_of(&profile.names, &row.username);
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        synced.profile = Some(profile);
        a.synced = synced.to_json();
        a.updated_at = now_millis();
        store::save_auth(tx.conn, &a)?;
        audit::record(
            tx,
            None,
            "user.sync_update",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger, "changes": u.changes }),
        )?;
    }

    for d in &plan.deactivate {
        let uid = d.user_id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        row.is_active = false;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        sessions::revoke_all_in(tx, None, d.user_id)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.deactivate",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger, "reason": d.reason }),
        )?;
    }

    for id in &plan.reactivate {
        let uid = id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        row.is_active = true;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.activate",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger }),
        )?;
    }

    let resolve = |r: &AccountRef| -> Option<String> {
        match r {
            AccountRef::Existing { user_id } => Some(user_id.to_string()),
            AccountRef::New { stable_id } => created.get(stable_id).cloned(),
        }
    };
    for t in &plan.teams {
        let Some(uid) = resolve(&t.account) else {
            continue;
        };
        if let Some(i) = apply_team(tx, &uid, &t.team, t.to)? {
            issues.push(i);
        }
    }
    for c in &plan.channels {
        let Some(uid) = resolve(&c.account) else {
            continue;
        };
        if let Some(i) = apply_channel(tx, &uid, &c.channel, c.join)? {
            issues.push(i);
        }
    }
    for r in &plan.roles {
        let Some(uid) = resolve(&r.account) else {
            continue;
        };
        if let Some(i) = apply_role(tx, &uid, r.to, SignInSource::Ldap)? {
            issues.push(i);
        }
    }
    Ok(issues)
}

pub(super) fn update_synced(tx: &mut Tx, uid: &str, f: impl FnOnce(&mut Synced)) -> Result<()> {
    let mut a = auth_row(tx.conn, uid)?;
    let mut s = Synced::parse(&a.synced);
    f(&mut s);
    a.synced = s.to_json();
    a.updated_at = now_millis();
    store::save_auth(tx.conn, &a)?;
    Ok(())
}
