//! A small bounded pool of service-account connections.
//!
//! Searches are frequent (every login) and binding is comparatively expensive, so bound
//! service connections are reused. At most `pool_size` exist at once; callers wait for
//! a free one. A connection is returned only after an operation succeeded on it, and
//! idle connections older than [`MAX_IDLE`] are checked with a WhoAmI before reuse.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ldap3::Ldap;
use ldap3::exop::WhoAmI;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::config::LdapConfig;
use super::connect::{self, BindError, TlsSettings};
use crate::error::{IdentityError, Result};

/// Idle time after which a pooled connection is verified before use.
const MAX_IDLE: Duration = Duration::from_secs(30);

pub(crate) struct Pool {
    config: Arc<LdapConfig>,
    tls: TlsSettings,
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<(Ldap, Instant)>>,
}

/// A checked-out, service-bound connection. Call [`PooledConn::release`] after a
/// successful operation to return it; dropping it closes it instead.
pub(crate) struct PooledConn {
    pub ldap: Ldap,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl PooledConn {
    pub fn release(self) {
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.push((self.ldap, Instant::now()));
        }
    }
}

impl Pool {
    pub fn new(config: Arc<LdapConfig>, tls: TlsSettings) -> Arc<Pool> {
        let size = config.pool_size.max(1);
        Arc::new(Pool {
            config,
            tls,
            permits: Arc::new(Semaphore::new(size)),
            idle: Mutex::new(Vec::new()),
        })
    }

    pub async fn get(self: &Arc<Self>) -> Result<PooledConn> {
        let wait = self.config.operation_timeout();
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| IdentityError::LdapTimeout {
                operation: "waiting for a pooled connection".into(),
                after_ms: wait.as_millis() as u64,
            })?
            .map_err(|_| IdentityError::LdapOperation {
                operation: "pool".into(),
                detail: "pool closed".into(),
            })?;
        loop {
            let candidate = self.idle.lock().ok().and_then(|mut idle| idle.pop());
            let Some((mut ldap, since)) = candidate else {
                break;
            };
            if ldap.is_closed() {
                continue;
            }
            if since.elapsed() > MAX_IDLE && !self.healthy(&mut ldap).await {
                continue;
            }
            return Ok(PooledConn {
                ldap,
                pool: self.clone(),
                _permit: permit,
            });
        }
        let ldap = service_connection(&self.config, &self.tls).await?;
        Ok(PooledConn {
            ldap,
            pool: self.clone(),
            _permit: permit,
        })
    }

    async fn healthy(&self, ldap: &mut Ldap) -> bool {
        let probe = tokio::time::timeout(self.config.operation_timeout(), ldap.extended(WhoAmI));
        match probe.await {
            Ok(Ok(res)) => res.success().is_ok(),
            _ => false,
        }
    }

    /// Number of idle connections (for diagnostics and tests).
    pub fn idle_count(&self) -> usize {
        self.idle.lock().map(|i| i.len()).unwrap_or(0)
    }
}

/// Connects and binds as the service account (anonymous when no bind DN is set).
pub(crate) async fn service_connection(config: &LdapConfig, tls: &TlsSettings) -> Result<Ldap> {
    let mut ldap = connect::connect(config, tls).await?;
    if !config.bind_dn.is_empty() {
        connect::bind(
            &mut ldap,
            &config.bind_dn,
            config.bind_password.expose(),
            config.operation_timeout(),
        )
        .await
        .map_err(|e| match e {
            BindError::InvalidCredentials(detail) => IdentityError::LdapServiceBind {
                dn: config.bind_dn.clone(),
                detail: format!("{detail} (check bind_dn and bind_password)"),
            },
            BindError::Other(IdentityError::LdapOperation { detail, .. }) => {
                IdentityError::LdapServiceBind {
                    dn: config.bind_dn.clone(),
                    detail,
                }
            }
            BindError::Other(other) => other,
        })?;
    }
    Ok(ldap)
}
