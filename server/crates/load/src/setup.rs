//! Builds the world a run needs: an admin, an open team, N users in it,
//! M public channels of K members each, and one WebSocket per user.

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use hearth_api::{ChannelKind, CreateChannelRequest, CreateTeamRequest, ErrorCode, SignupRequest};
use hearth_client::{Client, ClientError, WsConnection};
use uuid::Uuid;

use crate::Args;

/// Per-request timeout of every HTTP call the load generator makes.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A generated user, logged in.
pub struct LoadUser {
    pub id: Uuid,
    pub client: Client,
}

/// Everything set up for a run.
pub struct World {
    pub runid: String,
    pub users: Vec<LoadUser>,
    pub channels: Vec<Uuid>,
    /// For each channel, the indices of its generated members (K each).
    pub members: Vec<Vec<usize>>,
}

impl World {
    /// For each user, the indices of the channels it is a member of.
    pub fn user_channels(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.users.len()];
        for (c, members) in self.members.iter().enumerate() {
            for &u in members {
                out[u].push(c);
            }
        }
        out
    }
}

/// Members of channel `c`: K consecutive users starting at `c*K`, wrapping,
/// so users are spread round-robin and every channel has K distinct members.
pub fn channel_members(c: usize, k: usize, n: usize) -> Vec<usize> {
    (0..k.min(n)).map(|i| (c * k + i) % n).collect()
}

/// Retries `f` while the server answers `rate_limited` or `unavailable`,
/// backing off from 50 ms to 1 s with jitter (so concurrent setup tasks that
/// met a busy signup budget together do not come back together), for at
/// most 60 attempts.
pub async fn retry<T, Fut>(mut f: impl FnMut() -> Fut) -> Result<T, ClientError>
where
    Fut: Future<Output = Result<T, ClientError>>,
{
    let mut delay = Duration::from_millis(50);
    let mut attempt = 1;
    loop {
        match f().await {
            Err(e)
                if attempt < 60
                    && matches!(
                        e.code(),
                        Some(ErrorCode::RateLimited | ErrorCode::Unavailable)
                    ) =>
            {
                let jitter = u64::from(Uuid::new_v4().as_bytes()[0]) % 50;
                tokio::time::sleep(delay + Duration::from_millis(jitter)).await;
                delay = (delay * 2).min(Duration::from_secs(1));
                attempt += 1;
            }
            r => return r,
        }
    }
}

/// Treats `conflict` (already a member) as success.
fn ok_if_conflict<T>(r: Result<T, ClientError>) -> Result<(), ClientError> {
    match r {
        Err(e) if e.code() == Some(ErrorCode::Conflict) => Ok(()),
        r => r.map(|_| ()),
    }
}

/// Logs in with retries and returns a client carrying the new token.
async fn login(base: &Client, login: &str, password: &str) -> Result<Client, ClientError> {
    let token = retry(|| {
        let mut c = base.clone();
        async move { c.login(login, password).await.map(|r| r.token) }
    })
    .await?;
    Ok(base.clone().with_token(token))
}

fn log(args: &Args, what: String, since: Instant) {
    if !args.quiet {
        eprintln!("[setup {:>6.1}s] {what}", since.elapsed().as_secs_f64());
    }
}

/// Creates the admin if the server needs setup, then logs it in.
async fn ensure_admin(args: &Args, anon: &Client) -> Result<Client, String> {
    let info = retry(|| anon.server_info())
        .await
        .map_err(|e| format!("cannot reach {}: {e}", args.url))?;
    if info.needs_setup {
        let Some(token) = &args.setup_token else {
            return Err("the server has no users yet: pass --setup-token".into());
        };
        let req = SignupRequest {
            username: args.admin_login.clone(),
            email: format!("{}@example.com", args.admin_login),
            password: args.admin_password.clone(),
            display_name: Some("Load admin".into()),
            setup_token: Some(token.clone()),
            invite_id: None,
        };
        retry(|| anon.signup(&req))
            .await
            .map_err(|e| format!("creating the first admin: {e}"))?;
    }
    login(anon, &args.admin_login, &args.admin_password)
        .await
        .map_err(|e| format!("admin login as {}: {e}", args.admin_login))
}

/// Builds the whole world, printing each phase's progress to stderr.
pub async fn build(args: &Args) -> Result<World, String> {
    let t0 = Instant::now();
    let anon = Client::with_timeout(&args.url, HTTP_TIMEOUT).map_err(|e| e.to_string())?;
    let admin = ensure_admin(args, &anon).await?;
    let runid = Uuid::new_v4().simple().to_string()[..6].to_string();
    log(args, format!("admin ready, run id {runid}"), t0);

    let team_req = CreateTeamRequest {
        name: format!("load-{runid}"),
        display_name: format!("Load {runid}"),
        description: Some("hearth-load benchmark".into()),
        open: true,
    };
    let team = retry(|| admin.create_team(&team_req))
        .await
        .map_err(|e| format!("creating the team: {e}"))?;
    let invite = retry(|| admin.team_invite(team.id))
        .await
        .map_err(|e| format!("reading the team invite: {e}"))?;

    let conc = args.concurrency.max(1);
    let results: Vec<Result<(usize, LoadUser), String>> = stream::iter(0..args.users)
        .map(|i| {
            let (anon, admin, runid, invite) = (&anon, &admin, &runid, &invite.invite_id);
            async move {
                let username = format!("load-{runid}-{i}");
                let req = SignupRequest {
                    username: username.clone(),
                    email: format!("{username}@example.com"),
                    password: args.password.clone(),
                    display_name: Some(format!("Load user {i}")),
                    setup_token: None,
                    invite_id: Some(invite.clone()),
                };
                let user = retry(|| anon.signup(&req))
                    .await
                    .map_err(|e| format!("signup of {username}: {e}"))?;
                let client = login(anon, &username, &args.password)
                    .await
                    .map_err(|e| format!("login of {username}: {e}"))?;
                ok_if_conflict(retry(|| admin.add_team_member(team.id, user.id)).await)
                    .map_err(|e| format!("adding {username} to the team: {e}"))?;
                Ok((
                    i,
                    LoadUser {
                        id: user.id,
                        client,
                    },
                ))
            }
        })
        .buffer_unordered(conc)
        .collect()
        .await;
    let mut users: Vec<(usize, LoadUser)> = results.into_iter().collect::<Result<_, _>>()?;
    users.sort_by_key(|(i, _)| *i);
    let users: Vec<LoadUser> = users.into_iter().map(|(_, u)| u).collect();
    log(
        args,
        format!("{} users signed up, logged in, in the team", users.len()),
        t0,
    );

    let channels: Vec<Result<(usize, Uuid), String>> = stream::iter(0..args.channels)
        .map(|c| {
            let (admin, runid) = (&admin, &runid);
            async move {
                let req = CreateChannelRequest {
                    team_id: team.id,
                    kind: ChannelKind::Public,
                    name: format!("load-{runid}-c{c}"),
                    display_name: format!("Load {runid} #{c}"),
                    purpose: None,
                    header: None,
                };
                let ch = retry(|| admin.create_channel(&req))
                    .await
                    .map_err(|e| format!("creating channel {c}: {e}"))?;
                Ok((c, ch.id))
            }
        })
        .buffer_unordered(conc)
        .collect()
        .await;
    let mut channels: Vec<(usize, Uuid)> = channels.into_iter().collect::<Result<_, _>>()?;
    channels.sort_by_key(|(c, _)| *c);
    let channels: Vec<Uuid> = channels.into_iter().map(|(_, id)| id).collect();

    let members: Vec<Vec<usize>> = (0..channels.len())
        .map(|c| channel_members(c, args.members_per_channel, users.len()))
        .collect();
    let adds: Vec<(Uuid, Uuid)> = members
        .iter()
        .zip(&channels)
        .flat_map(|(m, &ch)| m.iter().map(move |&u| (ch, u)))
        .map(|(ch, u)| (ch, users[u].id))
        .collect();
    let added: Vec<Result<(), String>> = stream::iter(adds)
        .map(|(ch, user)| {
            let admin = &admin;
            async move {
                ok_if_conflict(retry(|| admin.add_channel_member(ch, user)).await)
                    .map_err(|e| format!("adding {user} to channel {ch}: {e}"))
            }
        })
        .buffer_unordered(conc)
        .collect()
        .await;
    added.into_iter().collect::<Result<(), String>>()?;
    log(
        args,
        format!(
            "{} channels with {} members each",
            channels.len(),
            args.members_per_channel.min(users.len())
        ),
        t0,
    );

    Ok(World {
        runid,
        users,
        channels,
        members,
    })
}

/// Opens one WebSocket per user. Users whose connection failed get `None`
/// (reported, and left out of the expected deliveries).
pub async fn connect_all(args: &Args, world: &World) -> (Vec<Option<WsConnection>>, Vec<String>) {
    let t0 = Instant::now();
    let results: Vec<(usize, Result<WsConnection, ClientError>)> =
        stream::iter(world.users.iter().enumerate())
            .map(|(i, u)| async move { (i, retry(|| u.client.connect_ws(None)).await) })
            .buffer_unordered(args.concurrency.max(1))
            .collect()
            .await;
    let mut conns: Vec<Option<WsConnection>> = (0..world.users.len()).map(|_| None).collect();
    let mut errors = Vec::new();
    for (i, r) in results {
        match r {
            Ok(c) => conns[i] = Some(c),
            Err(e) => errors.push(format!("user {i}: {e}")),
        }
    }
    log(
        args,
        format!(
            "{} WebSockets open, {} failed",
            conns.iter().filter(|c| c.is_some()).count(),
            errors.len()
        ),
        t0,
    );
    (conns, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_round_robin_and_distinct() {
        let (n, k, m) = (10, 4, 5);
        let all: Vec<Vec<usize>> = (0..m).map(|c| channel_members(c, k, n)).collect();
        assert_eq!(all[0], vec![0, 1, 2, 3]);
        assert_eq!(all[2], vec![8, 9, 0, 1]);
        for ch in &all {
            let mut s = ch.clone();
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), k);
        }
        // every user is in m*k/n channels
        let mut per_user = vec![0; n];
        all.iter().flatten().for_each(|&u| per_user[u] += 1);
        assert!(per_user.iter().all(|&c| c == m * k / n));
        // K larger than N is capped at N
        assert_eq!(channel_members(0, 20, 3), vec![0, 1, 2]);
    }
}
