//! Answering a search: the caller's readable channels, name resolution for
//! `from:`/`in:`, the index query, and the rows behind the hits.

use std::collections::{HashMap, HashSet};

use hearth_api::{
    ChannelCount, ChannelKind, FileSearchResults, PostSearchResults, SearchMatch, SearchRequest,
    SearchSort,
};
use hearth_core::permissions::{Action, Facts, allowed};
use hearth_core::{Error, Id, Result};
use hearth_search::query::{Resolver, parse_and_resolve};
use hearth_search::{DocKind, Hit, Scope, SearchOptions, SortOrder};
use hearth_store::models::ChannelRow;
use hearth_store::{DbConn, channels, files, parse_id, posts, teams, users};

use super::SearchService;
use crate::auth::Auth;
use crate::services::posts::hydrate;
use crate::state::Ctx;

const DEFAULT_PER_PAGE: u32 = 20;
const MAX_PER_PAGE: u32 = 100;
/// Channels listed in the per-channel counts.
const TOP_CHANNELS: usize = 20;

pub fn search_posts(ctx: &Ctx, auth: &Auth, req: SearchRequest) -> Result<PostSearchResults> {
    posts_in(ctx, auth, req, false)
}

/// Searches every channel, for compliance officers (the caller checks the
/// role and records the search in the audit log).
pub fn search_all_posts(ctx: &Ctx, auth: &Auth, req: SearchRequest) -> Result<PostSearchResults> {
    posts_in(ctx, auth, req, true)
}

fn posts_in(
    ctx: &Ctx,
    auth: &Auth,
    req: SearchRequest,
    everything: bool,
) -> Result<PostSearchResults> {
    let (total, hits, counts) = run(ctx, auth, &req, DocKind::Post, everything)?;
    let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
    let found = ctx.store.read(|c| {
        let rows = posts::by_ids(c, &ids)?;
        hydrate(c, &rows)
    })?;
    let mut by_id: HashMap<Id, hearth_api::Post> = found.into_iter().map(|p| (p.id, p)).collect();
    let mut out_posts = Vec::with_capacity(hits.len());
    let mut matches = Vec::with_capacity(hits.len());
    for h in hits {
        // A post deleted since the index last caught up is left out.
        if let Some(p) = by_id.remove(&h.id).filter(|p| p.deleted_at.is_none()) {
            out_posts.push(p);
            matches.push(to_match(&h));
        }
    }
    Ok(PostSearchResults {
        total,
        posts: out_posts,
        matches,
        channel_counts: counts,
    })
}

pub fn search_files(ctx: &Ctx, auth: &Auth, req: SearchRequest) -> Result<FileSearchResults> {
    let (total, hits, counts) = run(ctx, auth, &req, DocKind::File, false)?;
    let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
    let rows = ctx.store.read(|c| Ok(files::by_ids(c, &ids)?))?;
    let mut by_id: HashMap<Id, _> = rows
        .into_iter()
        .filter(|f| f.deleted_at.is_none())
        .map(|f| (parse_id(&f.id), f.to_api()))
        .collect();
    let mut out_files = Vec::with_capacity(hits.len());
    let mut matches = Vec::with_capacity(hits.len());
    for h in hits {
        if let Some(f) = by_id.remove(&h.id) {
            out_files.push(f);
            matches.push(to_match(&h));
        }
    }
    Ok(FileSearchResults {
        total,
        files: out_files,
        matches,
        channel_counts: counts,
    })
}

fn to_match(h: &Hit) -> SearchMatch {
    SearchMatch {
        id: h.id,
        snippet_html: h.snippet.as_ref().map(|s| s.html.clone()),
        score: h.score,
    }
}

fn service(ctx: &Ctx) -> Result<&SearchService> {
    ctx.search
        .as_deref()
        .ok_or_else(|| Error::Unavailable("search is switched off on this server".into()))
}

fn run(
    ctx: &Ctx,
    auth: &Auth,
    req: &SearchRequest,
    kind: DocKind,
    everything: bool,
) -> Result<(u64, Vec<Hit>, Vec<ChannelCount>)> {
    let service = service(ctx)?;
    let terms = req.terms.trim();
    if terms.is_empty() {
        return Err(Error::invalid("type something to search for"));
    }
    if terms.chars().count() > 1000 {
        return Err(Error::invalid("a search is at most 1000 characters"));
    }
    let per_page = req.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(Error::invalid(format!(
            "per_page must be 1 to {MAX_PER_PAGE}"
        )));
    }
    let page = req.page.unwrap_or(0);
    if page > 1000 {
        return Err(Error::invalid("page must be at most 1000"));
    }
    let zone = req
        .time_zone
        .clone()
        .filter(|z| !z.is_empty())
        .or_else(|| Some(auth.user.timezone.clone()).filter(|z| !z.is_empty()))
        .unwrap_or_else(|| "UTC".to_string());
    let include_archived = req.include_archived.unwrap_or(false);
    let (query, readable) = ctx.store.read(|c| {
        let readable = if everything {
            hearth_store::compliance::all_channels(c)?
        } else {
            readable_channels(c, auth, include_archived, service.include_public_channels)?
        };
        let resolver = DbResolver {
            conn: std::cell::RefCell::new(c),
            me: auth.user.id.clone(),
            team_id: req.team_id.map(|t| t.to_string()),
            readable: &readable,
        };
        let query = parse_and_resolve(terms, &resolver, &zone)
            .map_err(|e| Error::invalid(format!("{e}")))?;
        Ok((query, readable))
    })?;
    let scope = if everything {
        Scope::All
    } else {
        Scope::Channels(readable.iter().map(|c| parse_id(&c.id)).collect())
    };
    let options = SearchOptions {
        scope,
        kind,
        sort: match req.sort.unwrap_or_default() {
            SearchSort::Relevance => SortOrder::Relevance,
            SearchSort::Newest => SortOrder::Newest,
        },
        offset: (page * per_page) as usize,
        limit: per_page as usize,
        channel_counts: Some(TOP_CHANNELS),
        snippets: true,
    };
    let results = service
        .handle
        .current()
        .search(&query, &options)
        .map_err(|e| Error::internal(format!("search: {e}")))?;
    let counts = results
        .channel_counts
        .iter()
        .map(|(channel_id, count)| ChannelCount {
            channel_id: *channel_id,
            count: *count,
        })
        .collect();
    Ok((results.total as u64, results.hits, counts))
}

/// Every channel whose posts the caller may read, by the same rule as
/// reading a channel: member of it, or (not a guest) a public channel of one
/// of their teams.
fn readable_channels(
    c: &mut DbConn,
    auth: &Auth,
    include_archived: bool,
    include_public: bool,
) -> Result<Vec<ChannelRow>> {
    let mut out = channels::for_user(c, &auth.user.id)?;
    if include_public && allowed(&auth.actor, Action::BrowsePublicChannels, &Facts::default()) {
        let mine: HashSet<String> = out.iter().map(|ch| ch.id.clone()).collect();
        for team in teams::for_user(c, &auth.user.id)? {
            for ch in channels::public_in_team(c, &team.id, include_archived)? {
                if !mine.contains(&ch.id) {
                    out.push(ch);
                }
            }
        }
    }
    if !include_archived {
        out.retain(|ch| ch.archived_at.is_none());
    }
    Ok(out)
}

/// Names typed in the query → ids, within what the caller can read.
struct DbResolver<'a, 'c> {
    conn: std::cell::RefCell<&'c mut DbConn>,
    me: String,
    team_id: Option<String>,
    readable: &'a [ChannelRow],
}

impl Resolver for DbResolver<'_, '_> {
    fn user_id(&self, name: &str) -> Option<uuid::Uuid> {
        let name = name.trim_start_matches('@').to_lowercase();
        let mut c = self.conn.borrow_mut();
        users::by_username(&mut c, &name)
            .ok()
            .flatten()
            .map(|u| parse_id(&u.id))
    }

    fn channel_id(&self, name: &str) -> Option<uuid::Uuid> {
        let name = name.trim_start_matches('~').to_lowercase();
        let named = |ch: &&ChannelRow| {
            matches!(ch.kind, ChannelKind::Public | ChannelKind::Private)
                && (ch.name == name || ch.display_name.to_lowercase() == name)
        };
        let in_team = self
            .readable
            .iter()
            .filter(named)
            .find(|ch| self.team_id.is_some() && ch.team_id == self.team_id);
        in_team
            .or_else(|| self.readable.iter().find(named))
            .map(|ch| parse_id(&ch.id))
    }

    fn direct_channel_id(&self, user_name: &str) -> Option<uuid::Uuid> {
        let other = self.user_id(user_name)?;
        let key = crate::services::channels::direct_name(&[parse_id(&self.me), other]);
        self.readable
            .iter()
            .find(|ch| ch.kind == ChannelKind::Direct && ch.name == key)
            .map(|ch| parse_id(&ch.id))
    }
}
