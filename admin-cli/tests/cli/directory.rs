//! Users, teams, channels and tokens through `hearthctl`, in table and JSON
//! output, over TCP with an admin's personal access token.

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(user_commands, team_and_channel_commands, token_commands);

async fn user_commands(mut s: TestServer) {
    s.admin().await;
    // Create with a chosen password and a role; JSON carries no password then.
    let r = s
        .ctl(&[
            "--json",
            "user",
            "create",
            "--username",
            "bob",
            "--email",
            "bob@example.com",
            "--password",
            "bob-password-1",
            "--role",
            "guest",
        ])
        .await
        .json();
    assert_eq!(r["user"]["role"], "guest");
    assert!(r.get("password").is_none());
    let bob_id = r["user"]["id"].as_str().unwrap().to_string();

    // Show by username, e-mail and id; tables name the fields.
    for who in ["bob", "bob@example.com", bob_id.as_str()] {
        let u = s.ctl(&["--json", "user", "show", who]).await.json();
        assert_eq!(u["id"], bob_id.as_str(), "{who}");
    }
    let t = s.ctl(&["user", "show", "bob"]).await;
    assert!(
        t.ok().contains("bob@example.com") && t.stdout.contains("guest"),
        "{t:?}"
    );

    // List with filters.
    let all = s.ctl(&["--json", "user", "list"]).await.json();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let guests = s
        .ctl(&["--json", "user", "list", "--role", "guest"])
        .await
        .json();
    assert_eq!(guests.as_array().unwrap().len(), 1);
    let found = s
        .ctl(&["--json", "user", "list", "--query", "bo"])
        .await
        .json();
    assert_eq!(found[0]["username"], "bob");
    let t = s.ctl(&["user", "list"]).await;
    assert!(
        t.ok().contains("admin") && t.stdout.contains("bob"),
        "{t:?}"
    );

    // An admin created bob: the admin's word verifies the address; it can
    // be withdrawn and given again.
    let u = s.ctl(&["--json", "user", "show", "bob"]).await.json();
    assert_eq!(u["email_verified"], true);
    let u = s
        .ctl(&["--json", "user", "verify-email", "bob", "--undo"])
        .await
        .json();
    assert_eq!(u["email_verified"], false);
    let u = s
        .ctl(&["--json", "user", "verify-email", "bob"])
        .await
        .json();
    assert_eq!(u["email_verified"], true);

    // Role, deactivation and the --inactive filter.
    let u = s
        .ctl(&["--json", "user", "role", "bob", "user"])
        .await
        .json();
    assert_eq!(u["role"], "user");
    let u = s.ctl(&["--json", "user", "deactivate", "bob"]).await.json();
    assert_eq!(u["is_active"], false);
    let inactive = s
        .ctl(&["--json", "user", "list", "--inactive"])
        .await
        .json();
    assert_eq!(inactive.as_array().unwrap().len(), 1);
    assert_eq!(inactive[0]["username"], "bob");
    let active = s.ctl(&["--json", "user", "list", "--active"]).await.json();
    assert_eq!(active[0]["username"], "admin");
    assert_eq!(active.as_array().unwrap().len(), 1);
    s.ctl(&["user", "activate", "bob"]).await.ok();

    // Reset password: generated, printed once, works; old sessions end.
    let mut bob = s.client();
    bob.login("bob", "bob-password-1")
        .await
        .expect("old password");
    let r = s
        .ctl(&["--json", "user", "reset-password", "bob"])
        .await
        .json();
    let new = r["password"].as_str().unwrap();
    assert!(bob.me().await.is_err(), "the reset ends bob's sessions");
    let mut again = s.client();
    again
        .login("bob", new)
        .await
        .expect("the new password works");
    let t = s
        .ctl(&[
            "user",
            "reset-password",
            "bob",
            "--password",
            "chosen-password-2",
        ])
        .await;
    assert!(t.ok().contains("reset"), "{t:?}");
    let mut c = s.client();
    c.login("bob", "chosen-password-2")
        .await
        .expect("the chosen password works");

    // Revoke sessions.
    let mut bob = s.client();
    bob.login("bob", "chosen-password-2").await.unwrap();
    let r = s
        .ctl(&["--json", "user", "revoke-sessions", "bob"])
        .await
        .json();
    assert_eq!(r["username"], "bob");
    assert!(bob.me().await.is_err());

    // The permission matrix, from the server's permission module.
    let m = s.ctl(&["--json", "role", "matrix"]).await.json();
    let rows = m["rows"].as_array().unwrap();
    let manage = rows
        .iter()
        .find(|r| r["action"] == "manage users" && r["context"] == "member")
        .unwrap();
    assert_eq!(manage["system_admin"], true);
    assert_eq!(manage["user"], false);
    let t = s.ctl(&["permissions", "matrix"]).await;
    assert!(t.ok().contains("create private channel"), "{t:?}");

    // Role assignment through the role group.
    let u = s
        .ctl(&["--json", "role", "assign", "bob", "system_admin"])
        .await
        .json();
    assert_eq!(u["role"], "system_admin");
}

async fn team_and_channel_commands(mut s: TestServer) {
    s.admin().await;
    s.user_token("carol").await;
    let t = s
        .ctl(&[
            "--json",
            "team",
            "create",
            "--name",
            "eng",
            "--display-name",
            "Engineering",
        ])
        .await
        .json();
    assert_eq!(t["name"], "eng");
    assert_eq!(t["open"], false);
    let list = s.ctl(&["team", "list"]).await;
    assert!(list.ok().contains("Engineering"), "{list:?}");
    // Every team, also through the local socket (which belongs to none).
    let all = s.local(&["--json", "team", "list", "--all"]).await.json();
    assert_eq!(all[0]["name"], "eng");
    let shown = s.local(&["--json", "team", "show", "eng"]).await.json();
    assert_eq!(shown["id"], t["id"]);
    let shown = s.ctl(&["--json", "team", "show", "eng"]).await.json();
    assert_eq!(shown["id"], t["id"]);
    let u = s
        .ctl(&[
            "--json",
            "team",
            "update",
            "eng",
            "--display-name",
            "Eng",
            "--open",
        ])
        .await
        .json();
    assert_eq!(u["display_name"], "Eng");
    assert_eq!(u["open"], true);

    s.ctl(&["team", "members", "add", "eng", "carol"])
        .await
        .ok();
    let members = s
        .ctl(&["--json", "team", "members", "list", "eng"])
        .await
        .json();
    assert_eq!(members.as_array().unwrap().len(), 2);
    let table = s.ctl(&["team", "members", "list", "eng"]).await;
    assert!(table.ok().contains("carol"), "{table:?}");

    // Channels: create, find by team:name, rename, archive and restore.
    let ch = s
        .ctl(&[
            "--json",
            "channel",
            "create",
            "--team",
            "eng",
            "--name",
            "ops",
            "--display-name",
            "Ops",
        ])
        .await
        .json();
    assert_eq!(ch["kind"], "public");
    let list = s.ctl(&["--json", "channel", "list", "eng"]).await.json();
    assert!(list.as_array().unwrap().iter().any(|c| c["name"] == "ops"));
    let shown = s.ctl(&["channel", "show", "eng:ops"]).await;
    assert!(shown.ok().contains("Ops"), "{shown:?}");
    let renamed = s
        .ctl(&[
            "--json",
            "channel",
            "rename",
            "eng:ops",
            "--display-name",
            "Operations",
        ])
        .await
        .json();
    assert_eq!(renamed["display_name"], "Operations");
    let id = ch["id"].as_str().unwrap();
    s.ctl(&["channel", "members", "add", id, "carol"])
        .await
        .ok();
    let members = s
        .ctl(&["--json", "channel", "members", "list", id])
        .await
        .json();
    assert_eq!(members.as_array().unwrap().len(), 2);
    s.ctl(&["channel", "members", "remove", id, "carol"])
        .await
        .ok();
    let members = s
        .ctl(&["--json", "channel", "members", "list", id])
        .await
        .json();
    assert_eq!(members.as_array().unwrap().len(), 1);
    let archived = s.ctl(&["--json", "channel", "archive", id]).await.json();
    assert!(archived["archived_at"].is_number());
    let restored = s.ctl(&["--json", "channel", "restore", id]).await.json();
    assert!(restored["archived_at"].is_null());
    let private = s
        .ctl(&[
            "--json",
            "channel",
            "create",
            "--team",
            "eng",
            "--name",
            "secret",
            "--display-name",
            "Secret",
            "--private",
        ])
        .await
        .json();
    assert_eq!(private["kind"], "private");

    s.ctl(&["team", "members", "remove", "eng", "carol"])
        .await
        .ok();
    let members = s
        .ctl(&["--json", "team", "members", "list", "eng"])
        .await
        .json();
    assert_eq!(members.as_array().unwrap().len(), 1);

    // Archive and restore: channels follow the team, new members are refused.
    let a = s.ctl(&["--json", "team", "archive", "eng"]).await.json();
    assert!(a["archived_at"].is_number());
    let secret = s
        .ctl(&["--json", "channel", "show", "eng:secret"])
        .await
        .json();
    assert_eq!(secret["archived_at"], a["archived_at"]);
    let refused = s.ctl(&["team", "members", "add", "eng", "carol"]).await;
    assert_eq!(refused.code, 5, "{refused:?}");
    assert!(refused.stderr.contains("archived"), "{refused:?}");
    let t = s.ctl(&["team", "show", "eng"]).await;
    assert!(t.ok().contains("archived"), "{t:?}");
    let r = s.ctl(&["--json", "team", "restore", "eng"]).await.json();
    assert!(r["archived_at"].is_null());
    let secret = s
        .ctl(&["--json", "channel", "show", "eng:secret"])
        .await
        .json();
    assert!(secret["archived_at"].is_null());
    let again = s.ctl(&["team", "restore", "eng"]).await;
    assert_eq!(again.code, 5, "{again:?}");
}

async fn token_commands(mut s: TestServer) {
    s.admin().await;
    // Minting over a token (not a fresh sign-in) needs the password.
    let refused = s
        .ctl(&[
            "token",
            "create",
            "--name",
            "backup",
            "--expires-in-days",
            "7",
        ])
        .await;
    assert!(
        refused.stderr.contains("reauthentication_required"),
        "{refused:?}"
    );
    let password = s.write_token("admin.password", "admin-password");
    let password = password.to_str().unwrap();
    let t = s
        .ctl(&[
            "--json",
            "token",
            "create",
            "--name",
            "backup",
            "--expires-in-days",
            "7",
            "--password-file",
            password,
        ])
        .await
        .json();
    let secret = t["token"].as_str().unwrap();
    let id = t["info"]["id"].as_str().unwrap().to_string();
    // The new token works.
    let c = s.client().with_token(secret);
    assert_eq!(c.me().await.unwrap().username, "admin");
    let list = s.ctl(&["--json", "token", "list"]).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let table = s.ctl(&["token", "list"]).await;
    assert!(table.ok().contains("backup"), "{table:?}");
    s.ctl(&["token", "revoke", &id]).await.ok();
    assert!(c.me().await.is_err(), "a revoked token stops working");
    let list = s.ctl(&["--json", "token", "list"]).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // An admin lists and revokes another account's tokens, but only the
    // owner creates one.
    s.ctl(&[
        "user",
        "create",
        "--username",
        "ci-bot",
        "--email",
        "ci@example.com",
        "--password",
        "ci-bot-password",
    ])
    .await
    .ok();
    let refused = s
        .ctl(&["token", "create", "--name", "pipeline", "--user", "ci-bot"])
        .await;
    assert_eq!(refused.code, 4, "{refused:?}");
    let mut owner = s.client();
    owner.login("ci-bot", "ci-bot-password").await.unwrap();
    let created = owner.create_token("pipeline", None).await.unwrap();
    let t = serde_json::to_value(&created).unwrap();
    let bot = s.client().with_token(t["token"].as_str().unwrap());
    assert_eq!(bot.me().await.unwrap().username, "ci-bot");
    let list = s
        .ctl(&["--json", "token", "list", "--user", "ci-bot"])
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "pipeline");
    let id = t["info"]["id"].as_str().unwrap().to_string();
    s.ctl(&["token", "revoke", &id, "--user", "ci-bot"])
        .await
        .ok();
    assert!(bot.me().await.is_err());
    let r = s.ctl(&["token", "revoke", &id, "--user", "ci-bot"]).await;
    assert_eq!(r.code, 3, "{r:?}");
}
