//! Opening connections one explicit step at a time (DNS, TCP, TLS, bind), so that a
//! failure names the step that failed instead of surfacing as a generic I/O error.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, StdStream};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;

use super::config::LdapConfig;
use crate::error::{IdentityError, Result};

/// Parsed server URL.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub url: String,
    pub host: String,
    pub port: u16,
    pub ldaps: bool,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target> {
        let bad = |detail: String| IdentityError::Config {
            field: "urls".into(),
            detail,
        };
        let parsed = url::Url::parse(url).map_err(|e| bad(format!("`{url}`: {e}")))?;
        let ldaps = match parsed.scheme() {
            "ldap" => false,
            "ldaps" => true,
            s => return Err(bad(format!("`{url}`: unsupported scheme `{s}`"))),
        };
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad(format!("`{url}` has no host")))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = parsed.port().unwrap_or(if ldaps { 636 } else { 389 });
        Ok(Target {
            url: url.to_string(),
            host,
            port,
            ldaps,
        })
    }
}

/// TLS trust settings, prepared once (reading the CA file is blocking-free here because
/// it happens through tokio's file API).
#[derive(Clone)]
pub(crate) struct TlsSettings {
    config: Option<Arc<ClientConfig>>,
    insecure: bool,
    pub start_tls: bool,
}

impl TlsSettings {
    pub async fn from_config(config: &LdapConfig) -> Result<TlsSettings> {
        let tls_config = match &config.ca_file {
            Some(path) if !config.insecure_skip_verify => {
                let bad = |detail: String| IdentityError::Config {
                    field: "ca_file".into(),
                    detail: format!("{}: {detail}", path.display()),
                };
                let pem = tokio::fs::read(path)
                    .await
                    .map_err(|e| bad(e.to_string()))?;
                let mut roots = RootCertStore::empty();
                let mut count = 0;
                for cert in CertificateDer::pem_slice_iter(&pem) {
                    let cert = cert.map_err(|e| bad(format!("not a PEM certificate: {e}")))?;
                    roots
                        .add(cert)
                        .map_err(|e| bad(format!("unusable certificate: {e}")))?;
                    count += 1;
                }
                if count == 0 {
                    return Err(bad("contains no certificate".into()));
                }
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let cfg = ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .map_err(|e| bad(e.to_string()))?
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                Some(Arc::new(cfg))
            }
            _ => None,
        };
        Ok(TlsSettings {
            config: tls_config,
            insecure: config.insecure_skip_verify,
            start_tls: config.start_tls,
        })
    }

    fn ldap3_settings(&self, timeout: Duration, stream: std::net::TcpStream) -> LdapConnSettings {
        let mut s = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(self.start_tls)
            .set_no_tls_verify(self.insecure)
            .set_std_stream(StdStream::Tcp(stream));
        if let Some(cfg) = &self.config {
            s = s.set_config(cfg.clone());
        }
        s
    }

    pub fn uses_tls(&self, target: &Target) -> bool {
        target.ldaps || self.start_tls
    }
}

/// Resolves the host (an IP literal resolves to itself).
pub(crate) async fn resolve(target: &Target, timeout: Duration) -> Result<Vec<SocketAddr>> {
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    let addrs = tokio::time::timeout(timeout, lookup)
        .await
        .map_err(|_| IdentityError::LdapTimeout {
            operation: format!("DNS lookup of {}", target.host),
            after_ms: timeout.as_millis() as u64,
        })?
        .map_err(|e| IdentityError::LdapDns {
            host: target.host.clone(),
            detail: e.to_string(),
        })?
        .collect::<Vec<_>>();
    if addrs.is_empty() {
        return Err(IdentityError::LdapDns {
            host: target.host.clone(),
            detail: "no addresses".into(),
        });
    }
    Ok(addrs)
}

/// Connects TCP to the first address that accepts.
pub(crate) async fn tcp_connect(
    target: &Target,
    addrs: &[SocketAddr],
    timeout: Duration,
) -> Result<TcpStream> {
    let mut last = None;
    for addr in addrs {
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(e)) => last = Some(format!("{addr}: {e}")),
            Err(_) => {
                return Err(IdentityError::LdapTimeout {
                    operation: format!("TCP connect to {addr}"),
                    after_ms: timeout.as_millis() as u64,
                });
            }
        }
    }
    Err(IdentityError::LdapConnect {
        url: target.url.clone(),
        detail: last.unwrap_or_else(|| "no address to try".into()),
    })
}

/// Runs the LDAP protocol (and TLS / StartTLS) over an open TCP stream.
pub(crate) async fn open_ldap(
    target: &Target,
    tls: &TlsSettings,
    stream: TcpStream,
    timeout: Duration,
) -> Result<Ldap> {
    let std_stream = stream.into_std().map_err(|e| IdentityError::LdapConnect {
        url: target.url.clone(),
        detail: e.to_string(),
    })?;
    let settings = tls.ldap3_settings(timeout, std_stream);
    let uses_tls = tls.uses_tls(target);
    let (conn, ldap) = LdapConnAsync::with_settings(settings, &target.url)
        .await
        .map_err(|e| match e {
            LdapError::Timeout { .. } => IdentityError::LdapTimeout {
                operation: if uses_tls {
                    "TLS handshake".into()
                } else {
                    "connection setup".into()
                },
                after_ms: timeout.as_millis() as u64,
            },
            LdapError::LdapResult { result } => IdentityError::LdapTls {
                url: target.url.clone(),
                detail: format!("server refused StartTLS: {}", describe_result(&result)),
            },
            other if uses_tls => IdentityError::LdapTls {
                url: target.url.clone(),
                detail: tls_detail(&other),
            },
            other => IdentityError::LdapConnect {
                url: target.url.clone(),
                detail: other.to_string(),
            },
        })?;
    let url = target.url.clone();
    tokio::spawn(async move {
        if let Err(e) = conn.drive().await {
            tracing::debug!(url, error = %e, "LDAP connection closed with an error");
        }
    });
    Ok(ldap)
}

fn tls_detail(e: &LdapError) -> String {
    let s = e.to_string();
    if s.contains("UnknownIssuer") {
        format!("{s} (the server certificate is not signed by a trusted CA; set ca_file)")
    } else if s.contains("NotValidForName") {
        format!("{s} (the certificate does not name this host; check the URL host)")
    } else {
        s
    }
}

/// One full connection attempt to one URL.
pub(crate) async fn connect_target(
    config: &LdapConfig,
    tls: &TlsSettings,
    target: &Target,
) -> Result<Ldap> {
    let timeout = config.connect_timeout();
    let addrs = resolve(target, timeout).await?;
    let stream = tcp_connect(target, &addrs, timeout).await?;
    open_ldap(target, tls, stream, timeout).await
}

/// Connects to the first configured URL that works; the error of the last one otherwise.
pub(crate) async fn connect(config: &LdapConfig, tls: &TlsSettings) -> Result<Ldap> {
    let mut last = None;
    for url in &config.urls {
        let target = Target::parse(url)?;
        match connect_target(config, tls, &target).await {
            Ok(ldap) => return Ok(ldap),
            Err(e) => {
                tracing::warn!(url, code = e.code(), error = %e, "LDAP server unreachable");
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| IdentityError::Config {
        field: "urls".into(),
        detail: "no server URL configured".into(),
    }))
}

/// Outcome of a simple bind that did not succeed.
#[derive(Debug)]
pub(crate) enum BindError {
    /// Result code 49: wrong DN or password (the server does not say which).
    InvalidCredentials(String),
    /// Anything else, already classified.
    Other(IdentityError),
}

/// Simple bind; an empty password is refused locally because servers treat it as an
/// unauthenticated bind that "succeeds" without checking anything (RFC 4513 5.1.2).
pub(crate) async fn bind(
    ldap: &mut Ldap,
    dn: &str,
    password: &str,
    timeout: Duration,
) -> Result<(), BindError> {
    if password.is_empty() {
        return Err(BindError::InvalidCredentials("empty password".into()));
    }
    let res = tokio::time::timeout(timeout, ldap.simple_bind(dn, password))
        .await
        .map_err(|_| {
            BindError::Other(IdentityError::LdapTimeout {
                operation: "bind".into(),
                after_ms: timeout.as_millis() as u64,
            })
        })?
        .map_err(|e| BindError::Other(op_error("bind", e)))?;
    match res.rc {
        0 => Ok(()),
        49 => Err(BindError::InvalidCredentials(describe_result(&res))),
        _ => Err(BindError::Other(IdentityError::LdapOperation {
            operation: "bind".into(),
            detail: describe_result(&res),
        })),
    }
}

/// Classifies an error from an operation on an established connection.
pub(crate) fn op_error(operation: &str, e: LdapError) -> IdentityError {
    match e {
        LdapError::Timeout { .. } => IdentityError::LdapTimeout {
            operation: operation.into(),
            after_ms: 0,
        },
        LdapError::LdapResult { result } => IdentityError::LdapOperation {
            operation: operation.into(),
            detail: describe_result(&result),
        },
        other => IdentityError::LdapOperation {
            operation: operation.into(),
            detail: other.to_string(),
        },
    }
}

/// `result code 49 (invalidCredentials): <server text>`.
pub(crate) fn describe_result(r: &ldap3::LdapResult) -> String {
    let name = match r.rc {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        3 => "timeLimitExceeded",
        4 => "sizeLimitExceeded",
        8 => "strongerAuthRequired",
        11 => "adminLimitExceeded",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        16 => "noSuchAttribute",
        32 => "noSuchObject",
        34 => "invalidDNSyntax",
        48 => "inappropriateAuthentication",
        49 => "invalidCredentials",
        50 => "insufficientAccessRights",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        80 => "other",
        _ => "resultCode",
    };
    let mut s = format!("result code {} ({name})", r.rc);
    if !r.text.is_empty() {
        s.push_str(": ");
        s.push_str(&r.text);
    }
    s
}
