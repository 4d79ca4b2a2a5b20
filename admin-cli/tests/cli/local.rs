//! The local administration socket: the first admin of a fresh server, the
//! audit trail of socket actions, and what the socket does not serve.

use hearth_api::Role;

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(first_admin_through_the_socket, tcp_is_never_local);

async fn first_admin_through_the_socket(s: TestServer) {
    let info = s.client().server_info().await.unwrap();
    assert!(info.needs_setup, "no account exists yet");
    let r = s
        .local(&[
            "--json",
            "user",
            "create",
            "--username",
            "alice",
            "--email",
            "alice@example.com",
            "--role",
            "system_admin",
        ])
        .await
        .json();
    assert_eq!(r["user"]["username"], "alice");
    assert_eq!(r["user"]["role"], "system_admin");
    let password = r["password"]
        .as_str()
        .expect("a generated password")
        .to_string();
    assert_eq!(password.len(), 20);

    // The printed password works, and alice really is a system admin.
    let mut c = s.client();
    let login = c.login("alice", &password).await.expect("alice logs in");
    assert_eq!(login.user.role, Role::SystemAdmin);

    // The audit log says the action came through the local socket.
    let r = s
        .local(&["--json", "audit", "query", "--action", "user.create"])
        .await
        .json();
    let e = &r["entries"][0];
    assert_eq!(e["details"]["via"], "local_socket", "{r}");
    assert!(e["actor_id"].is_null());
    let table = s
        .local(&["audit", "query", "--action", "user.create"])
        .await;
    assert!(table.ok().contains("(local_socket)"), "{table:?}");

    // Table output of a second account names it.
    let out = s
        .local(&[
            "user",
            "create",
            "--username",
            "bob",
            "--email",
            "bob@example.com",
        ])
        .await;
    assert!(out.ok().contains("bob"), "{out:?}");
    assert!(out.stdout.contains("Generated password"), "{out:?}");
}

async fn tcp_is_never_local(s: TestServer) {
    // Over TCP the same request without a token is refused, whatever it claims.
    let (status, body) = s
        .client()
        .raw(hearth_client::Method::GET, "/api/v1/users/me", None)
        .await
        .unwrap();
    assert_eq!(status, 401);
    assert_eq!(
        body.error_code(),
        Some(hearth_api::ErrorCode::Unauthenticated)
    );
    // The socket file is private to the server's user.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&s.socket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The socket serves the API, not the web client.
    let local = hearth_client::Client::unix(&s.socket, std::time::Duration::from_secs(10)).unwrap();
    let (status, _) = local
        .raw(hearth_client::Method::GET, "/", None)
        .await
        .unwrap();
    assert_eq!(status, 404);
    let me = local.me().await.unwrap();
    assert_eq!(me.role, Role::SystemAdmin);
}
