//! The permission matrix through the API: system role × team membership ×
//! channel kind × channel membership × action, one expectation per row.
//!
//! Fixtures are built once per test (one server); each row then runs its
//! action, checks the answer (allowed, or the exact error code), checks that
//! a refused row changed nothing, and undoes an allowed one so the next row
//! starts from the same state. A channel the caller may not read must
//! answer exactly what a nonexistent id answers.

use hearth_api::{
    Channel, ChannelKind, ChannelMember, CreateChannelRequest, ErrorCode, Post, PostsQuery, Role,
    UpdateChannelRequest, UpdateTeamRequest,
};
use hearth_client::{Client, ClientError};
use uuid::Uuid;

use crate::both_backends;
use crate::harness::TestServer;

/// Status, code and message of a refusal.
type Refusal = (u16, ErrorCode, String);
type Outcome = Result<(), Refusal>;

fn outcome<T>(r: Result<T, ClientError>) -> Outcome {
    match r {
        Ok(_) => Ok(()),
        Err(ClientError::Api {
            status,
            code,
            message,
        }) => Err((status, code, message)),
        Err(e) => panic!("transport or protocol failure: {e}"),
    }
}

/// What a row expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    /// Allowed.
    Y,
    /// 404 not_found, indistinguishable from a nonexistent id.
    Nf,
    /// 403 forbidden.
    Fb,
    /// 400 invalid_input.
    Inv,
    /// Not meaningful for this actor and channel (e.g. "own post" where the
    /// actor could never have posted).
    Skip,
}
use E::*;

impl E {
    fn refusal(self) -> Option<(u16, ErrorCode)> {
        match self {
            Y | Skip => None,
            Nf => Some((404, ErrorCode::NotFound)),
            Fb => Some((403, ErrorCode::Forbidden)),
            Inv => Some((400, ErrorCode::InvalidInput)),
        }
    }
}

/// Channel actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    ReadPosts,
    Post,
    Join,
    AddMember,
    RemoveOther,
    Rename,
    SetHeader,
    Archive,
    EditOwn,
    EditOther,
    DeleteOther,
}
use Act::*;

/// Team actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TeamAct {
    CreatePublic,
    CreatePrivate,
    ViewTeam,
    ManageTeam,
}
use TeamAct::*;

/// The channels of the matrix, in the column order of [`channel_rows`].
const CHANNELS: [&str; 6] = ["pub-in", "pub-out", "priv-in", "priv-out", "dm", "group"];

/// Actors:
/// - `admin`: system admin, in no team and no channel;
/// - `tina`: user, team admin of `acme`, creator (channel admin) of the four
///   team channels, not in the direct or group channel;
/// - `mia`: user, team member, in `pub-in`, `priv-in`, the DM and the group;
/// - `otto`: user in no team;
/// - `gus`: guest, team member, added to `pub-in` and `priv-in`.
///
/// `pete` (in every channel) writes the "other" posts and observes state;
/// `vic` (in every team channel and the group) is the member others remove;
/// `sam` (team member in no extra channel) is the member others add.
fn channel_rows() -> Vec<(&'static str, Act, [E; 6])> {
    vec![
        // columns: pub-in, pub-out, priv-in, priv-out, dm, group
        ("admin", ReadPosts, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", Post, [Fb, Fb, Nf, Nf, Nf, Nf]),
        // Team channels admit team members only, even a system admin.
        ("admin", Join, [Inv, Inv, Nf, Nf, Nf, Nf]),
        ("admin", AddMember, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", RemoveOther, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", Rename, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", SetHeader, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", Archive, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", EditOwn, [Skip, Skip, Skip, Skip, Skip, Skip]),
        ("admin", EditOther, [Y, Y, Nf, Nf, Nf, Nf]),
        ("admin", DeleteOther, [Y, Y, Nf, Nf, Nf, Nf]),
        //
        ("tina", ReadPosts, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", Post, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", Join, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", AddMember, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", RemoveOther, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", Rename, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", SetHeader, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", Archive, [Y, Y, Y, Y, Nf, Nf]),
        ("tina", EditOwn, [Y, Y, Y, Y, Skip, Skip]),
        ("tina", EditOther, [Fb, Fb, Fb, Fb, Nf, Nf]),
        ("tina", DeleteOther, [Y, Y, Y, Y, Nf, Nf]),
        //
        ("mia", ReadPosts, [Y, Y, Y, Nf, Y, Y]),
        ("mia", Post, [Y, Fb, Y, Nf, Y, Y]),
        ("mia", Join, [Y, Y, Y, Nf, Y, Y]),
        ("mia", AddMember, [Y, Fb, Y, Nf, Fb, Fb]),
        ("mia", RemoveOther, [Fb, Fb, Fb, Nf, Inv, Fb]),
        ("mia", Rename, [Fb, Fb, Fb, Nf, Fb, Fb]),
        ("mia", SetHeader, [Y, Fb, Y, Nf, Y, Y]),
        ("mia", Archive, [Fb, Fb, Fb, Nf, Fb, Fb]),
        ("mia", EditOwn, [Y, Skip, Y, Skip, Y, Y]),
        ("mia", EditOther, [Fb, Fb, Fb, Nf, Fb, Fb]),
        ("mia", DeleteOther, [Fb, Fb, Fb, Nf, Fb, Fb]),
        //
        ("otto", ReadPosts, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", Post, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", Join, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", AddMember, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", RemoveOther, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", Rename, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", SetHeader, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", Archive, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", EditOwn, [Skip, Skip, Skip, Skip, Skip, Skip]),
        ("otto", EditOther, [Nf, Nf, Nf, Nf, Nf, Nf]),
        ("otto", DeleteOther, [Nf, Nf, Nf, Nf, Nf, Nf]),
        //
        ("gus", ReadPosts, [Y, Nf, Y, Nf, Nf, Nf]),
        ("gus", Post, [Y, Nf, Y, Nf, Nf, Nf]),
        ("gus", Join, [Y, Nf, Y, Nf, Nf, Nf]),
        ("gus", AddMember, [Fb, Nf, Fb, Nf, Nf, Nf]),
        ("gus", RemoveOther, [Fb, Nf, Fb, Nf, Nf, Nf]),
        ("gus", Rename, [Fb, Nf, Fb, Nf, Nf, Nf]),
        ("gus", SetHeader, [Y, Nf, Y, Nf, Nf, Nf]),
        ("gus", Archive, [Fb, Nf, Fb, Nf, Nf, Nf]),
        ("gus", EditOwn, [Y, Skip, Y, Skip, Skip, Skip]),
        ("gus", EditOther, [Fb, Nf, Fb, Nf, Nf, Nf]),
        ("gus", DeleteOther, [Fb, Nf, Fb, Nf, Nf, Nf]),
    ]
}

/// Team rows on the invite-only team `acme`:
/// columns create public channel, create private channel, view, manage.
fn team_rows() -> Vec<(&'static str, [E; 4])> {
    vec![
        ("admin", [Y, Y, Y, Y]),
        ("tina", [Y, Y, Y, Y]),
        ("mia", [Y, Y, Y, Fb]),
        ("otto", [Nf, Nf, Nf, Nf]),
        ("gus", [Fb, Fb, Y, Fb]),
    ]
}

struct Fx {
    team: Uuid,
    open_team: Uuid,
    channels: Vec<(&'static str, Uuid)>,
    actors: Vec<(&'static str, Client, Uuid)>,
    tina: Client,
    pete: Client,
    pete_id: Uuid,
    vic_id: Uuid,
    sam_id: Uuid,
}

impl Fx {
    fn actor(&self, name: &str) -> (&Client, Uuid) {
        self.actors
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, c, id)| (c, *id))
            .unwrap_or_else(|| panic!("no actor {name}"))
    }

    fn channel(&self, name: &str) -> Uuid {
        self.channels
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no channel {name}"))
    }
}

fn channel_req(team_id: Uuid, kind: ChannelKind, name: &str) -> CreateChannelRequest {
    CreateChannelRequest {
        team_id,
        kind,
        name: name.into(),
        display_name: name.into(),
        purpose: None,
        header: None,
    }
}

async fn fixtures(s: &TestServer) -> Fx {
    let (admin, admin_user) = s.admin().await;
    let (tina, tina_user) = s.user("tina").await;
    let mut others = Vec::new();
    for name in ["mia", "otto", "gus", "pete", "vic", "sam"] {
        others.push(s.user(name).await);
    }
    let id = |i: usize| others[i].1.id;
    let (mia_id, otto_id, gus_id, pete_id, vic_id, sam_id) =
        (id(0), id(1), id(2), id(3), id(4), id(5));
    admin.set_role(gus_id, Role::Guest).await.unwrap();

    let team = s.team(&tina, "acme", false).await;
    let open_team = s.team(&tina, "plaza", true).await;
    for u in [mia_id, gus_id, pete_id, vic_id, sam_id] {
        tina.add_team_member(team.id, u).await.unwrap();
    }
    let mut channels = Vec::new();
    for (name, kind, members) in [
        (
            "pub-in",
            ChannelKind::Public,
            vec![pete_id, vic_id, mia_id, gus_id],
        ),
        ("pub-out", ChannelKind::Public, vec![pete_id, vic_id]),
        (
            "priv-in",
            ChannelKind::Private,
            vec![pete_id, vic_id, mia_id, gus_id],
        ),
        ("priv-out", ChannelKind::Private, vec![pete_id, vic_id]),
    ] {
        let ch = tina
            .create_channel(&channel_req(team.id, kind, name))
            .await
            .unwrap();
        for m in members {
            tina.add_channel_member(ch.id, m).await.unwrap();
        }
        channels.push((name, ch.id));
    }
    let mia = others[0].0.clone();
    let dm = mia.direct_channel(&[pete_id]).await.unwrap();
    assert_eq!(dm.kind, ChannelKind::Direct);
    let group = mia.direct_channel(&[pete_id, vic_id]).await.unwrap();
    assert_eq!(group.kind, ChannelKind::Group);
    channels.push(("dm", dm.id));
    channels.push(("group", group.id));
    let pete = others[3].0.clone();
    // Something to read everywhere.
    for (_, ch) in &channels {
        pete.post_message(*ch, "hello from pete").await.unwrap();
    }
    Fx {
        team: team.id,
        open_team: open_team.id,
        channels,
        actors: vec![
            ("admin", admin, admin_user.id),
            ("tina", tina.clone(), tina_user.id),
            ("mia", mia, mia_id),
            ("otto", others[1].0.clone(), otto_id),
            ("gus", others[2].0.clone(), gus_id),
        ],
        tina,
        pete,
        pete_id,
        vic_id,
        sam_id,
    }
}

/// Everything a refused action must leave unchanged, as pete (in every
/// channel) sees it.
#[derive(Debug, PartialEq)]
struct Snapshot {
    channel: Channel,
    members: Vec<ChannelMember>,
    posts: Vec<Post>,
}

async fn snapshot(fx: &Fx, ch: Uuid) -> Snapshot {
    let mut members = fx.pete.channel_members(ch).await.unwrap();
    members.sort_by_key(|m| m.user_id);
    Snapshot {
        channel: fx.pete.channel(ch).await.unwrap(),
        members,
        posts: fx
            .pete
            .posts(ch, &PostsQuery::default())
            .await
            .unwrap()
            .posts,
    }
}

/// Runs one channel action as `who` on channel `ch` (and post `post` for
/// the post actions).
async fn act(fx: &Fx, who: &str, a: Act, ch: Uuid, post: Option<Uuid>, dm: bool) -> Outcome {
    let (c, me) = fx.actor(who);
    let post = || post.expect("post actions have a post");
    match a {
        ReadPosts => outcome(c.posts(ch, &PostsQuery::default()).await),
        Post => outcome(c.post_message(ch, &format!("row post by {who}")).await),
        Join => outcome(c.add_channel_member(ch, me).await),
        AddMember => outcome(c.add_channel_member(ch, fx.sam_id).await),
        RemoveOther => {
            let victim = if dm { fx.pete_id } else { fx.vic_id };
            outcome(c.remove_channel_member(ch, victim).await)
        }
        Rename => outcome(
            c.update_channel(
                ch,
                &UpdateChannelRequest {
                    display_name: Some(format!("Renamed by {who}")),
                    ..Default::default()
                },
            )
            .await,
        ),
        SetHeader => outcome(
            c.update_channel(
                ch,
                &UpdateChannelRequest {
                    header: Some(format!("header by {who}")),
                    ..Default::default()
                },
            )
            .await,
        ),
        Archive => outcome(c.archive_channel(ch).await),
        EditOwn | EditOther => outcome(c.edit_post(post(), &format!("edited by {who}")).await),
        DeleteOther => outcome(c.delete_post(post()).await),
    }
}

/// Puts back what an allowed action changed.
async fn undo(fx: &Fx, who: &str, a: Act, ch: Uuid, before: &Snapshot, dm: bool) {
    let (c, me) = fx.actor(who);
    let was_member = |u: Uuid| before.members.iter().any(|m| m.user_id == u);
    match a {
        Join if !was_member(me) => c.remove_channel_member(ch, me).await.unwrap(),
        AddMember if !was_member(fx.sam_id) => {
            fx.tina.remove_channel_member(ch, fx.sam_id).await.unwrap()
        }
        RemoveOther => {
            let victim = if dm { fx.pete_id } else { fx.vic_id };
            fx.tina.add_channel_member(ch, victim).await.unwrap();
        }
        Rename => {
            c.update_channel(
                ch,
                &UpdateChannelRequest {
                    display_name: Some(before.channel.display_name.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        SetHeader => {
            c.update_channel(
                ch,
                &UpdateChannelRequest {
                    header: Some(before.channel.header.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        Archive => {
            c.unarchive_channel(ch).await.unwrap();
        }
        _ => {}
    }
}

fn check(failures: &mut Vec<String>, row: String, expected: E, got: &Outcome) -> bool {
    let ok = match (expected.refusal(), got) {
        (None, Ok(())) => true,
        (Some((status, code)), Err((s, c, _))) => status == *s && code == *c,
        _ => false,
    };
    if !ok {
        failures.push(format!("{row}: expected {expected:?}, got {got:?}"));
    }
    ok
}

async fn channel_matrix(s: TestServer) {
    let fx = fixtures(&s).await;
    let mut failures = Vec::new();
    let mut ran = 0;
    for (who, a, cols) in channel_rows() {
        for (i, expected) in cols.into_iter().enumerate() {
            if expected == Skip {
                continue;
            }
            ran += 1;
            let ch_name = CHANNELS[i];
            let ch = fx.channel(ch_name);
            let dm = ch_name == "dm";
            let row = format!("{who} {a:?} {ch_name}");
            let post = match a {
                EditOwn => Some(
                    fx.actor(who)
                        .0
                        .post_message(ch, &format!("own post of {who}"))
                        .await
                        .unwrap()
                        .id,
                ),
                EditOther | DeleteOther => {
                    Some(fx.pete.post_message(ch, "pete's post").await.unwrap().id)
                }
                _ => None,
            };
            let before = snapshot(&fx, ch).await;
            let got = act(&fx, who, a, ch, post, dm).await;
            let as_expected = check(&mut failures, row.clone(), expected, &got);
            match &got {
                Ok(()) => undo(&fx, who, a, ch, &before, dm).await,
                Err(refusal) => {
                    let after = snapshot(&fx, ch).await;
                    if after != before {
                        failures.push(format!("{row}: refused but changed state"));
                    }
                    // A channel one may not read looks exactly like none at all.
                    if as_expected && expected == Nf {
                        let ghost = act(
                            &fx,
                            who,
                            a,
                            Uuid::now_v7(),
                            post.map(|_| Uuid::now_v7()),
                            dm,
                        )
                        .await;
                        if ghost.as_ref().err() != Some(refusal) {
                            failures.push(format!(
                                "{row}: answered {refusal:?}, a nonexistent id answers {ghost:?}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(ran > 250, "the matrix ran {ran} rows");
    assert!(
        failures.is_empty(),
        "{} of {ran} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn team_act(fx: &Fx, who: &str, a: TeamAct, team: Uuid) -> Outcome {
    let (c, _) = fx.actor(who);
    let name = format!("{who}-{a:?}").to_lowercase();
    match a {
        CreatePublic => outcome(
            c.create_channel(&channel_req(team, ChannelKind::Public, &name))
                .await,
        ),
        CreatePrivate => outcome(
            c.create_channel(&channel_req(team, ChannelKind::Private, &name))
                .await,
        ),
        ViewTeam => outcome(c.team(team).await),
        ManageTeam => outcome(
            c.update_team(
                team,
                &UpdateTeamRequest {
                    description: Some(format!("managed by {who}")),
                    ..Default::default()
                },
            )
            .await,
        ),
    }
}

async fn team_matrix_and_guests(s: TestServer) {
    let fx = fixtures(&s).await;
    let mut failures = Vec::new();
    let (otto, otto_id) = fx.actor("otto");
    let (gus, gus_id) = fx.actor("gus");
    let (mia, _) = fx.actor("mia");

    // Guests see only the channels they were added to (and the team's
    // default channels, which every team member joins).
    let mut mine: Vec<String> = gus
        .my_channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    mine.sort();
    assert_eq!(mine, ["off-topic", "priv-in", "pub-in", "town-square"]);
    assert!(
        gus.browse_channels(fx.team, false)
            .await
            .unwrap()
            .is_empty(),
        "guests browse nothing"
    );
    assert!(gus.open_teams().await.unwrap().is_empty());
    let seen: Vec<String> = gus
        .users(None, None, Some(200))
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(
        !seen.contains(&"otto".to_string()) && !seen.contains(&"admin".to_string()),
        "guests only find people they share a channel with: {seen:?}"
    );
    assert!(seen.contains(&"pete".to_string()));

    // Members browse public channels only; outsiders see no team at all.
    let mut browse: Vec<String> = mia
        .browse_channels(fx.team, false)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    browse.sort();
    assert_eq!(browse, ["off-topic", "pub-in", "pub-out", "town-square"]);
    let mut mine: Vec<String> = mia
        .my_channels()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.team_id == Some(fx.team))
        .map(|c| c.name)
        .collect();
    mine.sort();
    assert_eq!(mine, ["off-topic", "priv-in", "pub-in", "town-square"]);
    check(
        &mut failures,
        "otto browses acme".into(),
        Nf,
        &outcome(otto.browse_channels(fx.team, false).await),
    );
    check(
        &mut failures,
        "otto lists acme members".into(),
        Nf,
        &outcome(otto.team_members(fx.team).await),
    );

    // An open team is visible to outsiders, who may join it but not manage it.
    for (row, expected, got) in [
        (
            "otto view plaza",
            Y,
            team_act(&fx, "otto", ViewTeam, fx.open_team).await,
        ),
        (
            "otto manage plaza",
            Fb,
            team_act(&fx, "otto", ManageTeam, fx.open_team).await,
        ),
        (
            "otto create channel in plaza",
            Nf,
            team_act(&fx, "otto", CreatePublic, fx.open_team).await,
        ),
        (
            "otto joins acme uninvited",
            Nf,
            outcome(otto.add_team_member(fx.team, otto_id).await),
        ),
        (
            "gus joins open plaza",
            Fb,
            outcome(gus.add_team_member(fx.open_team, gus_id).await),
        ),
        (
            "gus creates a team",
            Fb,
            outcome(
                gus.create_team(&hearth_api::CreateTeamRequest {
                    name: "gusteam".into(),
                    display_name: "Gus".into(),
                    ..Default::default()
                })
                .await,
            ),
        ),
        (
            "mia adds otto to acme",
            Fb,
            outcome(mia.add_team_member(fx.team, otto_id).await),
        ),
        (
            "otto joins open plaza",
            Y,
            outcome(otto.add_team_member(fx.open_team, otto_id).await),
        ),
    ] {
        check(&mut failures, row.to_string(), expected, &got);
    }
    let plaza_members: Vec<Uuid> = fx
        .tina
        .team_members(fx.open_team)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    assert!(plaza_members.contains(&otto_id));
    assert!(!plaza_members.contains(&gus_id), "the guest was not added");
    let acme_members: Vec<Uuid> = fx
        .tina
        .team_members(fx.team)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    assert!(!acme_members.contains(&otto_id));

    for (who, cols) in team_rows() {
        for (a, expected) in [CreatePublic, CreatePrivate, ViewTeam, ManageTeam]
            .into_iter()
            .zip(cols)
        {
            let row = format!("{who} {a:?} acme");
            let before = fx.tina.team(fx.team).await.unwrap();
            let got = team_act(&fx, who, a, fx.team).await;
            let as_expected = check(&mut failures, row.clone(), expected, &got);
            match (&got, a) {
                (Ok(()), ManageTeam) => {
                    fx.tina
                        .update_team(
                            fx.team,
                            &UpdateTeamRequest {
                                description: Some(before.description.clone()),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                }
                (Err(_), CreatePublic | CreatePrivate) => {
                    // Nothing was written: the name is still free.
                    let kind = if a == CreatePublic {
                        ChannelKind::Public
                    } else {
                        ChannelKind::Private
                    };
                    let name = format!("{who}-{a:?}").to_lowercase();
                    if let Err(e) = fx
                        .tina
                        .create_channel(&channel_req(fx.team, kind, &name))
                        .await
                    {
                        failures.push(format!("{row}: refused but the name is taken: {e}"));
                    }
                }
                (Err(_), _) if fx.tina.team(fx.team).await.unwrap() != before => {
                    failures.push(format!("{row}: refused but changed the team"));
                }
                _ => {}
            }
            if let (true, Nf, Err(refusal)) = (as_expected, expected, &got) {
                let ghost = team_act(&fx, who, a, Uuid::now_v7()).await;
                if ghost.as_ref().err() != Some(refusal) {
                    failures.push(format!(
                        "{row}: answered {refusal:?}, a nonexistent team answers {ghost:?}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Archived channels are read-only; leaving a channel ends the right to
/// edit one's posts there.
async fn archived_and_left_channels(s: TestServer) {
    let fx = fixtures(&s).await;
    let (mia, mia_id) = fx.actor("mia");
    let (sam_c, _) = s.login("sam", "sam-password").await;
    let pub_in = fx.channel("pub-in");
    let own = mia
        .post_message(pub_in, "before the archive")
        .await
        .unwrap();
    fx.tina.archive_channel(pub_in).await.unwrap();
    let before = snapshot(&fx, pub_in).await;
    let archived = |r: Outcome| match r {
        Err((403, ErrorCode::ChannelArchived, _)) => {}
        other => panic!("expected channel_archived, got {other:?}"),
    };
    archived(outcome(mia.post_message(pub_in, "after").await));
    archived(outcome(mia.edit_post(own.id, "edited after").await));
    archived(outcome(mia.delete_post(own.id).await));
    archived(outcome(
        mia.update_channel(
            pub_in,
            &UpdateChannelRequest {
                header: Some("new header".into()),
                ..Default::default()
            },
        )
        .await,
    ));
    archived(outcome(
        fx.tina
            .update_channel(
                pub_in,
                &UpdateChannelRequest {
                    display_name: Some("Renamed while archived".into()),
                    ..Default::default()
                },
            )
            .await,
    ));
    assert_eq!(
        outcome(sam_c.add_channel_member(pub_in, fx.sam_id).await)
            .unwrap_err()
            .1,
        ErrorCode::Forbidden,
        "nobody joins an archived channel"
    );
    mia.posts(pub_in, &PostsQuery::default())
        .await
        .expect("archived channels stay readable");
    assert_eq!(snapshot(&fx, pub_in).await, before);
    fx.tina.unarchive_channel(pub_in).await.unwrap();
    mia.edit_post(own.id, "edited after unarchive")
        .await
        .unwrap();

    // Joined, posted, left: a public channel stays readable, so editing is
    // forbidden; a private one is no longer visible at all.
    let pub_out = fx.channel("pub-out");
    mia.add_channel_member(pub_out, mia_id).await.unwrap();
    let p = mia.post_message(pub_out, "drive-by").await.unwrap();
    mia.remove_channel_member(pub_out, mia_id).await.unwrap();
    assert_eq!(
        outcome(mia.edit_post(p.id, "changed my mind").await)
            .unwrap_err()
            .1,
        ErrorCode::Forbidden
    );
    let priv_out = fx.channel("priv-out");
    fx.tina.add_channel_member(priv_out, mia_id).await.unwrap();
    let p = mia.post_message(priv_out, "secret").await.unwrap();
    fx.tina
        .remove_channel_member(priv_out, mia_id)
        .await
        .unwrap();
    let gone = outcome(mia.edit_post(p.id, "changed my mind").await).unwrap_err();
    let ghost = outcome(mia.edit_post(Uuid::now_v7(), "changed my mind").await).unwrap_err();
    assert_eq!(gone, ghost);
    assert_eq!(gone.1, ErrorCode::NotFound);
    assert_eq!(
        fx.pete.post(p.id).await.unwrap().message,
        "secret",
        "the refused edit changed nothing"
    );
    // Town-square cannot be left or archived.
    let town = mia
        .my_channels()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == "town-square" && c.team_id == Some(fx.team))
        .unwrap();
    assert_eq!(
        outcome(mia.remove_channel_member(town.id, mia_id).await)
            .unwrap_err()
            .1,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        outcome(fx.tina.archive_channel(town.id).await)
            .unwrap_err()
            .1,
        ErrorCode::InvalidInput
    );
}

both_backends!(
    channel_matrix,
    team_matrix_and_guests,
    archived_and_left_channels
);
