//! A started server and its ordered shutdown.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use tokio::task::JoinHandle;

use crate::state::Ctx;
use crate::workers::Workers;

/// An HTTP server (TCP or the administration socket) and its task.
pub(crate) struct Http {
    pub handle: ServerHandle,
    pub task: JoinHandle<std::io::Result<()>>,
}

impl Http {
    async fn join(&mut self) -> std::io::Result<()> {
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// A running server.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Present while no account exists: needed to create the first admin.
    pub setup_token: Option<String>,
    pub ctx: Arc<Ctx>,
    /// The local administration socket, when it is on.
    pub admin_socket: Option<PathBuf>,
    pub(crate) tcp: Http,
    pub(crate) local: Option<Http>,
    pub(crate) workers: Workers,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's background workers, to see how many still run.
    pub fn workers(&self) -> Workers {
        self.workers.clone()
    }

    /// Graceful stop, in order: WebSockets close with 1001, the HTTP
    /// requests drain and the listeners close, then the workers stop stage
    /// by stage (see [`crate::workers::Stage`]).
    pub async fn stop(mut self) {
        self.ctx.hub.shutdown().await;
        self.tcp.handle.stop(true).await;
        let _ = self.tcp.join().await;
        self.finish().await;
    }

    /// Serves until `signal` resolves, or until the HTTP server stops by
    /// itself (its error is returned then), and stops as [`Self::stop`] does.
    pub async fn serve_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        let ended = tokio::select! {
            r = self.tcp.join() => Some(r),
            () = signal => None,
        };
        let r = match ended {
            Some(r) => {
                self.ctx.hub.shutdown().await;
                r
            }
            None => {
                tracing::info!("shutting down");
                self.ctx.hub.shutdown().await;
                self.tcp.handle.stop(true).await;
                self.tcp.join().await
            }
        };
        self.finish().await;
        r
    }

    /// What follows the TCP listener: the administration socket, then the workers.
    async fn finish(mut self) {
        if let Some(local) = &mut self.local {
            local.handle.stop(true).await;
            let _ = local.join().await;
        }
        if let Some(p) = &self.admin_socket {
            let _ = std::fs::remove_file(p);
        }
        let bound = Duration::from_secs(self.ctx.config().server.shutdown_grace_secs.max(1));
        self.workers.stop(bound).await;
        release(self.ctx, bound).await;
    }
}

/// Waits (within `bound`) until this is the last handle on the context, so
/// that its database pool closes when `stop` returns: the HTTP worker
/// threads drop their copies on their own, just after reporting stopped.
async fn release(ctx: Arc<Ctx>, bound: Duration) {
    let deadline = tokio::time::Instant::now() + bound;
    while Arc::strong_count(&ctx) > 1 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let others = Arc::strong_count(&ctx) - 1;
    if others > 0 {
        tracing::warn!(
            holders = others,
            "the server context is still in use after shutdown; its database connections close once it is released"
        );
    }
}
