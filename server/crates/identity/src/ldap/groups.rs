//! Group membership resolution, direct and nested, with cycle protection.
//!
//! Two strategies: for a single login the server is asked level by level (or once with
//! Active Directory's in-chain rule); for a full sync every group is already in memory,
//! so the membership graph is walked locally.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use ldap3::{Ldap, Scope, SearchEntry};

use super::config::{GroupConfig, LdapConfig, MemberAttribute, NestedGroups};
use super::filter;
use super::search::{self, normalise_dn, strip_optional_uid};
use crate::directory::GroupRef;
use crate::error::Result;

/// Upper bound on nesting depth; deeper structures are almost certainly mistakes.
const MAX_DEPTH: usize = 32;

/// OID of Active Directory's transitive membership matching rule.
const IN_CHAIN: &str = "1.2.840.113556.1.4.1941";

/// A group with its raw member values.
#[derive(Debug, Clone)]
pub(crate) struct RawGroup {
    pub dn: String,
    pub name: String,
    /// Normalised member DNs (users or groups).
    pub member_dns: Vec<String>,
    /// `memberUid` values, lower-cased.
    pub member_uids: Vec<String>,
}

pub(crate) fn attributes(groups: &GroupConfig) -> Vec<String> {
    let mut attrs = vec![groups.name_attribute.clone()];
    attrs.extend(
        groups
            .member_attributes
            .iter()
            .map(|m| m.attribute().to_string()),
    );
    attrs
}

pub(crate) fn raw_group(entry: &SearchEntry, groups: &GroupConfig) -> RawGroup {
    let name = search::text(entry, &groups.name_attribute).unwrap_or_else(|| {
        // Fall back to the RDN value so the group stays addressable.
        entry
            .dn
            .split(',')
            .next()
            .and_then(|rdn| rdn.split_once('='))
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| entry.dn.clone())
    });
    let mut member_dns = Vec::new();
    let mut member_uids = Vec::new();
    for m in &groups.member_attributes {
        for v in search::texts(entry, m.attribute()) {
            match m {
                MemberAttribute::MemberUid => member_uids.push(v.to_lowercase()),
                _ => member_dns.push(normalise_dn(strip_optional_uid(&v))),
            }
        }
    }
    RawGroup {
        dn: entry.dn.clone(),
        name,
        member_dns,
        member_uids,
    }
}

/// In-memory membership graph built from all groups.
pub(crate) struct GroupIndex {
    groups: Vec<RawGroup>,
    by_member_dn: HashMap<String, Vec<usize>>,
    by_member_uid: HashMap<String, Vec<usize>>,
    nested: NestedGroups,
}

impl GroupIndex {
    pub fn new(groups: Vec<RawGroup>, nested: NestedGroups) -> Self {
        let mut by_member_dn: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_member_uid: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            for m in &g.member_dns {
                by_member_dn.entry(m.clone()).or_default().push(i);
            }
            for u in &g.member_uids {
                by_member_uid.entry(u.clone()).or_default().push(i);
            }
        }
        GroupIndex {
            groups,
            by_member_dn,
            by_member_uid,
            nested,
        }
    }

    pub fn groups(&self) -> &[RawGroup] {
        &self.groups
    }

    /// Indices of every group that `user_dn` (or `login`, for memberUid) belongs to.
    pub fn effective(&self, user_dn: &str, login: &str) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::new();
        let direct = self
            .by_member_dn
            .get(&normalise_dn(user_dn))
            .into_iter()
            .chain(self.by_member_uid.get(&login.to_lowercase()))
            .flatten();
        for &i in direct {
            if seen.insert(i) {
                queue.push_back((i, 0usize));
            }
        }
        if self.nested == NestedGroups::Off {
            return seen;
        }
        while let Some((i, depth)) = queue.pop_front() {
            if depth >= MAX_DEPTH {
                continue;
            }
            let dn = normalise_dn(&self.groups[i].dn);
            for &parent in self.by_member_dn.get(&dn).into_iter().flatten() {
                // `seen` doubles as the cycle guard: a group is expanded once.
                if seen.insert(parent) {
                    queue.push_back((parent, depth + 1));
                }
            }
        }
        seen
    }

    pub fn refs(&self, set: &BTreeSet<usize>) -> Vec<GroupRef> {
        let mut v: Vec<GroupRef> = set
            .iter()
            .map(|&i| GroupRef {
                dn: self.groups[i].dn.clone(),
                name: self.groups[i].name.clone(),
            })
            .collect();
        v.sort();
        v
    }
}

/// Groups of one user, asking the server (used at login).
pub(crate) async fn groups_of_user(
    ldap: &mut Ldap,
    config: &LdapConfig,
    user_dn: &str,
    login: &str,
) -> Result<Vec<GroupRef>> {
    let (Some(groups), Some(base)) = (config.groups.as_ref(), config.group_base()) else {
        return Ok(Vec::new());
    };
    let attrs = attributes(groups);
    let timeout = config.operation_timeout();
    let mut found: HashMap<String, GroupRef> = HashMap::new();

    if groups.nested == NestedGroups::InChain {
        let f = in_chain_filter(&groups.filter, user_dn);
        for e in search::search(ldap, base, Scope::Subtree, &f, &attrs, timeout).await? {
            let g = raw_group(&e, groups);
            found.insert(
                normalise_dn(&g.dn),
                GroupRef {
                    dn: g.dn,
                    name: g.name,
                },
            );
        }
    } else {
        let mut alternatives: Vec<String> = Vec::new();
        for m in &groups.member_attributes {
            match m {
                MemberAttribute::MemberUid => alternatives.push(filter::eq("memberUid", login)),
                other => alternatives.push(filter::eq(other.attribute(), user_dn)),
            }
        }
        let mut frontier = vec![member_filter(&alternatives)];
        let mut visited: HashSet<String> = HashSet::new();
        let mut depth = 0;
        while let Some(member_f) = frontier.pop() {
            let f = filter::and(&[&groups.filter, &member_f]);
            let entries = search::search(ldap, base, Scope::Subtree, &f, &attrs, timeout).await?;
            let mut next_dns = Vec::new();
            for e in entries {
                let g = raw_group(&e, groups);
                let key = normalise_dn(&g.dn);
                if visited.insert(key.clone()) {
                    next_dns.push(g.dn.clone());
                    found.insert(
                        key,
                        GroupRef {
                            dn: g.dn,
                            name: g.name,
                        },
                    );
                }
            }
            depth += 1;
            if groups.nested == NestedGroups::Off || next_dns.is_empty() || depth >= MAX_DEPTH {
                continue;
            }
            let mut alts = Vec::new();
            for dn in &next_dns {
                for m in &groups.member_attributes {
                    if *m != MemberAttribute::MemberUid {
                        alts.push(filter::eq(m.attribute(), dn));
                    }
                }
            }
            if !alts.is_empty() {
                frontier.push(member_filter(&alts));
            }
        }
    }
    let mut v: Vec<GroupRef> = found.into_values().collect();
    v.sort();
    Ok(v)
}

/// Groups containing `user_dn` at any depth, in one Active Directory query.
fn in_chain_filter(group_filter: &str, user_dn: &str) -> String {
    filter::and(&[
        group_filter,
        &format!("(member:{IN_CHAIN}:={})", filter::escape(user_dn)),
    ])
}

fn member_filter(alternatives: &[String]) -> String {
    match alternatives {
        [one] => one.clone(),
        many => format!("(|{})", many.concat()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(dn: &str, members: &[&str], uids: &[&str]) -> RawGroup {
        RawGroup {
            dn: dn.into(),
            name: dn
                .split(',')
                .next()
                .unwrap()
                .trim_start_matches("cn=")
                .into(),
            member_dns: members.iter().map(|m| normalise_dn(m)).collect(),
            member_uids: uids.iter().map(|u| u.to_lowercase()).collect(),
        }
    }

    fn names(idx: &GroupIndex, set: &BTreeSet<usize>) -> Vec<String> {
        idx.refs(set).into_iter().map(|r| r.name).collect()
    }

    #[test]
    fn nested_and_cyclic_groups() {
        let groups = vec![
            g("cn=devs,dc=x", &["uid=alice,dc=x"], &[]),
            g("cn=eng,dc=x", &["cn=devs,dc=x"], &[]),
            g("cn=staff,dc=x", &["cn=eng,dc=x", "cn=loop,dc=x"], &[]),
            g("cn=loop,dc=x", &["cn=staff,dc=x"], &[]),
            g("cn=posix,dc=x", &[], &["Alice"]),
            g("cn=other,dc=x", &["uid=bob,dc=x"], &[]),
        ];
        let idx = GroupIndex::new(groups.clone(), NestedGroups::Iterative);
        let set = idx.effective("UID=alice, DC=x", "alice");
        assert_eq!(
            names(&idx, &set),
            vec!["devs", "eng", "loop", "posix", "staff"]
        );
        let flat = GroupIndex::new(groups, NestedGroups::Off);
        assert_eq!(
            names(&flat, &flat.effective("uid=alice,dc=x", "alice")),
            vec!["devs", "posix"]
        );
    }

    #[test]
    fn in_chain_filter_escapes_the_dn() {
        let f = in_chain_filter("(objectClass=group)", "CN=Smith\\, J (IT),OU=Staff,DC=corp");
        assert_eq!(
            f,
            "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:=CN=Smith\\5c, J \\28IT\\29,OU=Staff,DC=corp))"
        );
        filter::check_syntax(&f).unwrap();
    }

    #[test]
    fn member_filter_shapes() {
        assert_eq!(member_filter(&["(a=1)".into()]), "(a=1)");
        assert_eq!(
            member_filter(&["(a=1)".into(), "(b=2)".into()]),
            "(|(a=1)(b=2))"
        );
    }
}
