//! Background workers: every loop the server runs beside its requests is
//! spawned here with a name, a [`Stage`] and a cancellation token, so that
//! one shutdown stops them all, in an order that loses nothing committed,
//! and a process can start and stop many servers.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// When a worker stops relative to the others. Stages stop in declaration
/// order: producers first, so that whatever they committed is still routed
/// by the followers, which in turn stop before the hub they hand events to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Writes on its own schedule: compliance jobs and schedule, directory
    /// sync, sweepers.
    Producer,
    /// Follows the change log: the router, the search indexer.
    Follower,
    /// Delivers what the followers route: the hub.
    Delivery,
}

impl Stage {
    const ALL: [Stage; 3] = [Stage::Producer, Stage::Follower, Stage::Delivery];
}

/// The server's workers; cheap to clone, every clone sees the same set.
#[derive(Clone, Default)]
pub struct Workers {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// One token per stage, in [`Stage::ALL`] order.
    stops: [CancellationToken; 3],
    running: AtomicUsize,
    spawned: Mutex<Vec<Spawned>>,
}

struct Spawned {
    name: &'static str,
    stage: Stage,
    handle: JoinHandle<()>,
}

/// Counts a worker as running for as long as its future exists, so an
/// aborted worker is counted out too.
struct Running(Arc<Inner>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Workers {
    pub fn new() -> Workers {
        Workers::default()
    }

    /// Spawns `work` on the current runtime. It receives its stage's token
    /// and must return soon after the token is cancelled.
    pub fn spawn<F, Fut>(&self, name: &'static str, stage: Stage, work: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let stop = self.inner.stops[stage as usize].clone();
        self.inner.running.fetch_add(1, Ordering::SeqCst);
        let running = Running(self.inner.clone());
        let work = work(stop);
        let handle = tokio::spawn(async move {
            let _running = running;
            work.await;
            tracing::debug!(worker = name, "worker stopped");
        });
        self.spawned().push(Spawned {
            name,
            stage,
            handle,
        });
    }

    /// Workers whose future has not ended yet.
    pub fn running(&self) -> usize {
        self.inner.running.load(Ordering::SeqCst)
    }

    /// Cancels and drains the workers stage by stage; a stage's workers get
    /// `bound` in all, those still running then are aborted and named in the
    /// log and in the returned list.
    pub async fn stop(&self, bound: Duration) -> Vec<&'static str> {
        let mut aborted = Vec::new();
        for stage in Stage::ALL {
            self.inner.stops[stage as usize].cancel();
            let deadline = tokio::time::Instant::now() + bound;
            let of_stage: Vec<Spawned> = {
                let mut all = self.spawned();
                let (this, rest) = all.drain(..).partition(|s| s.stage == stage);
                *all = rest;
                this
            };
            for mut s in of_stage {
                match tokio::time::timeout_at(deadline, &mut s.handle).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        tracing::error!(worker = s.name, %error, "worker failed before shutdown");
                    }
                    Err(_) => {
                        s.handle.abort();
                        let _ = s.handle.await;
                        tracing::warn!(
                            worker = s.name,
                            bound_ms = bound.as_millis() as u64,
                            "worker did not stop in time and was aborted"
                        );
                        aborted.push(s.name);
                    }
                }
            }
        }
        aborted
    }

    fn spawned(&self) -> std::sync::MutexGuard<'_, Vec<Spawned>> {
        // A panic while the list was held leaves it whole: keep using it.
        self.inner
            .spawned
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stages_stop_in_order_and_stragglers_are_aborted() {
        let workers = Workers::new();
        let order = Arc::new(Mutex::new(Vec::new()));
        for (name, stage) in [
            ("hub", Stage::Delivery),
            ("router", Stage::Follower),
            ("jobs", Stage::Producer),
        ] {
            let order = order.clone();
            workers.spawn(name, stage, move |stop| async move {
                stop.cancelled().await;
                order.lock().unwrap().push(name);
            });
        }
        workers.spawn("stuck", Stage::Follower, |_| std::future::pending());
        assert_eq!(workers.running(), 4);
        let aborted = workers.stop(Duration::from_millis(50)).await;
        assert_eq!(aborted, vec!["stuck"]);
        assert_eq!(*order.lock().unwrap(), vec!["jobs", "router", "hub"]);
        assert_eq!(workers.running(), 0);
    }
}
