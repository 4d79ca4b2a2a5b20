//! A private oidc-provider (tests/oidc/provider.mjs) and a scripted browser.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::Duration;

use crate::oidc::OidcProviderConfig;

use super::{crate_dir, free_port, wait_until};

pub struct OidcServer {
    pub port: u16,
    pub issuer: String,
    pub redirect_uri: String,
    pub post_logout_uri: String,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

fn provider_dir() -> PathBuf {
    crate_dir().join("tests/oidc")
}

/// Installs the provider's pinned dependencies once (`npm ci`), serialised across test
/// processes with a lock file.
fn ensure_node_modules() {
    let dir = provider_dir();
    if dir.join("node_modules/oidc-provider/package.json").exists() {
        return;
    }
    let lock = std::env::temp_dir().join("hearth-identity-npm-ci.lock");
    let status = Command::new("flock")
        .arg(&lock)
        .args([
            "sh",
            "-c",
            "[ -f node_modules/oidc-provider/package.json ] || npm ci --no-audit --no-fund --loglevel=error",
        ])
        .current_dir(&dir)
        .status()
        .expect("run flock + npm (Node.js 20+ with npm must be installed)");
    assert!(status.success(), "npm ci in {} failed", dir.display());
}

impl OidcServer {
    pub fn start() -> OidcServer {
        let callback_port = free_port();
        Self::start_for(
            &format!("http://127.0.0.1:{callback_port}/oidc/callback"),
            &format!("http://127.0.0.1:{callback_port}/"),
        )
    }

    /// A provider whose clients are registered with the given redirect and
    /// post-logout URIs (a relying party whose address is known in advance).
    pub fn start_for(redirect_uri: &str, post_logout_uri: &str) -> OidcServer {
        ensure_node_modules();
        let port = free_port();
        let mut s = OidcServer {
            port,
            issuer: format!("http://127.0.0.1:{port}"),
            redirect_uri: redirect_uri.to_string(),
            post_logout_uri: post_logout_uri.to_string(),
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        };
        s.spawn("key-1");
        s
    }

    fn jwks_file(&self) -> PathBuf {
        self.dir.path().join("jwks.json")
    }

    fn spawn(&mut self, kid: &str) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("provider.log"))
            .expect("log file");
        let child = Command::new("node")
            .arg(provider_dir().join("provider.mjs"))
            .current_dir(provider_dir())
            .env("OIDC_PORT", self.port.to_string())
            .env("OIDC_JWKS_FILE", self.jwks_file())
            .env("OIDC_KID", kid)
            .env("OIDC_REDIRECT_URI", &self.redirect_uri)
            .env("OIDC_POST_LOGOUT", &self.post_logout_uri)
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("start node (Node.js 20+ must be installed)");
        self.child = Some(child);
        let addr = format!("127.0.0.1:{}", self.port);
        // Node takes seconds to load the provider on a busy two-core machine;
        // the limit only bounds how long a broken start takes to report.
        let up = wait_until(Duration::from_secs(60), || {
            std::net::TcpStream::connect(&addr).is_ok()
        });
        if !up {
            self.stop();
            let log =
                std::fs::read_to_string(self.dir.path().join("provider.log")).unwrap_or_default();
            panic!("oidc-provider did not start: {log}");
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Restarts the provider on the same port with a freshly generated signing key.
    pub fn rotate_key(&mut self, kid: &str) {
        self.stop();
        let _ = std::fs::remove_file(self.jwks_file());
        let addr = format!("127.0.0.1:{}", self.port);
        wait_until(Duration::from_secs(5), || {
            std::net::TcpStream::connect(&addr).is_err()
        });
        self.spawn(kid);
    }

    /// Provider config for one of the registered clients (`hearth` or `other-app`).
    pub fn config(&self, client_id: &str) -> OidcProviderConfig {
        let mut c = OidcProviderConfig::new(
            "test",
            &self.issuer,
            client_id,
            Some(format!("{client_id}-secret")),
            &self.redirect_uri,
        );
        c.display_name = "Test Provider".into();
        c.scopes = vec![
            "openid".into(),
            "email".into(),
            "profile".into(),
            "groups".into(),
        ];
        c.http_timeout_ms = 5_000;
        c
    }
}

impl Drop for OidcServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn resolve(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(location))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| location.to_string())
}

fn form_action(html: &str) -> Option<String> {
    let start = html.find("action=\"")? + "action=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

/// Plays the browser: follows redirects by hand, submits the login form (any password
/// works with development interactions) and the consent form, and returns the query
/// string of the final redirect to `redirect_uri`.
pub async fn browser_login(authorization_url: &str, login: &str, redirect_uri: &str) -> String {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client");
    let mut url = authorization_url.to_string();
    let mut form: Option<Vec<(&str, String)>> = None;
    for _ in 0..20 {
        let resp = match form.take() {
            Some(fields) => http.post(&url).form(&fields).send().await,
            None => http.get(&url).send().await,
        }
        .expect("request to the provider");
        let status = resp.status();
        if status.is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .expect("redirect without Location")
                .to_string();
            let next = resolve(&url, &location);
            if next.starts_with(redirect_uri) {
                return next
                    .split_once('?')
                    .map(|(_, q)| q.to_string())
                    .unwrap_or_default();
            }
            url = next;
            continue;
        }
        let body = resp.text().await.expect("body");
        assert!(status.is_success(), "provider answered {status}: {body}");
        let action = form_action(&body).unwrap_or_else(|| panic!("no form in page: {body}"));
        url = resolve(&url, &action);
        if body.contains("name=\"prompt\" value=\"login\"") {
            form = Some(vec![
                ("prompt", "login".into()),
                ("login", login.into()),
                ("password", "any password works here".into()),
            ]);
        } else if body.contains("name=\"prompt\" value=\"consent\"") {
            form = Some(vec![("prompt", "consent".into())]);
        } else {
            panic!("unexpected page: {body}");
        }
    }
    panic!("too many steps without reaching {redirect_uri}");
}
