//! GET /api/v1/websocket: one task per connection that forwards hub frames,
//! answers client frames and keeps the connection alive with pings.

use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, get, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use futures_util::StreamExt;
use hearth_api::{ClientFrame, ServerFrame};
use hearth_core::Error;
use tokio::sync::mpsc;

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::hub::Outbound;
use crate::openapi::{BadRequest, Forbidden, TooManyRequests, Unauthorized};
use crate::services::realtime;

const PING_EVERY: Duration = Duration::from_secs(20);
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
const MAX_FRAME: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(websocket);
}

/// Resuming after a disconnect: both or neither.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Resume {
    /// The `epoch` of the last frame seen, to resume (with `seq`).
    epoch: Option<String>,
    /// The `seq` of the last frame seen, to resume (with `epoch`).
    seq: Option<u64>,
}

/// Refuses cookie-authenticated upgrades from other sites (cross-site WebSocket hijacking).
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get("origin").and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = req.connection_info().host().to_string();
    origin
        .split_once("://")
        .map(|(_, h)| h == host)
        .unwrap_or(false)
}

/// GET /api/v1/websocket
#[utoipa::path(
    get,
    path = "/api/v1/websocket",
    operation_id = "websocket",
    tag = "ws",
    summary = "Open the WebSocket for live events",
    params(Resume),
    responses(
        (status = 101, description = "Switched to the WebSocket protocol. The server sends `ServerFrame`s (first `hello`), the client `ClientFrame`s; text frames of JSON only"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/websocket")]
async fn websocket(
    ctx: Ctx,
    auth: Auth,
    req: HttpRequest,
    body: web::Payload,
    q: web::Query<Resume>,
) -> ApiResult<HttpResponse> {
    if req.headers().get("authorization").is_none() && !same_origin(&req) {
        return Err(
            Error::forbidden("cross-origin WebSocket connections need a bearer token").into(),
        );
    }
    let max = ctx.config().realtime.max_connections_per_user;
    let slot = ctx.ws_slots.acquire(auth.user_id(), max)?;
    let resume = match (q.epoch.clone(), q.seq) {
        (Some(e), Some(s)) => Some((e, s)),
        (None, None) => None,
        _ => return Err(Error::invalid("epoch and seq go together").into()),
    };
    let (resp, session, stream) = actix_ws::handle(&req, body)
        .map_err(|e| Error::invalid(format!("not a WebSocket upgrade: {e}")))?;
    let stream = stream
        .max_frame_size(MAX_FRAME)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME);
    let ctx = ctx.into_inner();
    let (tx, rx) = mpsc::channel(ctx.config().realtime.queue_size);
    let conn_id = ctx.hub.next_conn_id();
    ctx.hub
        .connect(conn_id, auth.user_id(), auth.session_id.clone(), resume, tx)
        .await;
    actix_web::rt::spawn(async move {
        run(ctx, auth, conn_id, session, stream, rx).await;
        drop(slot);
    });
    Ok(resp)
}

async fn run(
    ctx: std::sync::Arc<crate::state::Ctx>,
    auth: Auth,
    conn_id: u64,
    mut session: actix_ws::Session,
    mut stream: actix_ws::AggregatedMessageStream,
    mut rx: mpsc::Receiver<Outbound>,
) {
    let user_id = auth.user_id();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = Instant::now();
    let close: Option<CloseReason> = loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Outbound::Text(t)) => {
                    if session.text(t).await.is_err() {
                        break None;
                    }
                }
                Some(Outbound::Close(code, why)) => {
                    break Some(CloseReason { code: CloseCode::from(code), description: Some(why.into()) });
                }
                None => break Some(CloseReason { code: CloseCode::Policy, description: Some("too slow: send queue full".into()) }),
            },
            msg = stream.next() => match msg {
                Some(Ok(AggregatedMessage::Text(t))) => {
                    heard = Instant::now();
                    if let Err(reason) = on_frame(&ctx, &auth, conn_id, &t, &mut session).await {
                        break Some(reason);
                    }
                }
                Some(Ok(AggregatedMessage::Ping(b))) => {
                    heard = Instant::now();
                    if session.pong(&b).await.is_err() {
                        break None;
                    }
                }
                Some(Ok(AggregatedMessage::Pong(_))) => heard = Instant::now(),
                Some(Ok(AggregatedMessage::Binary(_))) => {
                    break Some(CloseReason { code: CloseCode::Unsupported, description: Some("binary frames are not supported".into()) });
                }
                Some(Ok(AggregatedMessage::Close(_))) | None => break None,
                Some(Err(e)) => break Some(CloseReason { code: CloseCode::Protocol, description: Some(e.to_string()) }),
            },
            _ = ping.tick() => {
                if heard.elapsed() > SILENCE_LIMIT {
                    break Some(CloseReason { code: CloseCode::Away, description: Some("no answer to pings".into()) });
                }
                if session.ping(b"").await.is_err() {
                    break None;
                }
            }
        }
    };
    ctx.hub.disconnect(conn_id, user_id).await;
    let _ = session.close(close).await;
}

/// Handles one client frame; an error closes the connection with that reason.
async fn on_frame(
    ctx: &std::sync::Arc<crate::state::Ctx>,
    auth: &Auth,
    conn_id: u64,
    text: &str,
    session: &mut actix_ws::Session,
) -> Result<(), CloseReason> {
    let frame: ClientFrame = serde_json::from_str(text).map_err(|e| CloseReason {
        code: CloseCode::Invalid,
        description: Some(format!("bad frame: {e}")),
    })?;
    let user_id = auth.user_id();
    match frame {
        ClientFrame::Ping => {
            let pong = serde_json::to_string(&ServerFrame::Pong).unwrap_or_default();
            let _ = session.text(pong).await;
        }
        ClientFrame::Activity => ctx.hub.activity(user_id),
        ClientFrame::SubscribePresence { user_ids } => {
            realtime::subscribe_presence(ctx, auth, conn_id, user_ids).await
        }
        ClientFrame::Typing {
            channel_id,
            root_id,
        } => realtime::typing(ctx, auth, channel_id, root_id).await,
    }
    Ok(())
}
