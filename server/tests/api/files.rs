//! Files: multipart upload, image dimensions, JPEG thumbnails and previews,
//! attaching to posts, who may download, size limits and content-addressed
//! storage on disk.

use std::path::PathBuf;

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use hearth_api::{ChannelKind, CreateChannelRequest, CreatePostRequest, ErrorCode};
use hearth_client::{Client, ClientError, Method};
use hearth_server::Config;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::accounts::png;
use crate::bad_input::files_under;
use crate::both_backends;
use crate::harness::TestServer;

fn err<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, ErrorCode) {
    match r {
        Err(ClientError::Api { status, code, .. }) => (status, code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn reboot_with(mut s: TestServer, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let backend = s.backend;
    s.stop().await;
    drop(s);
    TestServer::boot_with(backend, tweak).await
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content files in the store (named by their hash; variants and the
/// temporary directory left out).
fn blobs(s: &TestServer) -> Vec<PathBuf> {
    files_under(&s.dir.path().join("files"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect()
}

fn temp_files(s: &TestServer) -> Vec<PathBuf> {
    files_under(&s.dir.path().join("files").join("tmp"))
}

/// How many file rows the database holds, deleted ones included.
fn file_rows(s: &TestServer) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let q = diesel::sql_query("SELECT COUNT(*) AS n FROM files");
    let got: Count = match &s.pg {
        Some(db) => q.get_result(&mut PgConnection::establish(&db.url()).unwrap()),
        None => {
            let path = s.dir.path().join("hearth.db");
            q.get_result(&mut SqliteConnection::establish(path.to_str().unwrap()).unwrap())
        }
    }
    .unwrap();
    got.n
}

/// An API error's status, code and message.
fn full_err<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, ErrorCode, String) {
    match r {
        Err(ClientError::Api {
            status,
            code,
            message,
            ..
        }) => (status, code, message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Bob and Carol in an open team (town-square), plus Dave outside it and a
/// private channel of Bob's that Carol is not in.
struct World {
    bob: Client,
    carol: Client,
    dave: Client,
    town: Uuid,
    secret: Uuid,
}

async fn world(s: &TestServer) -> World {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, carol_user) = s.user("carol").await;
    let (dave, _) = s.user("dave").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    carol.add_team_member(team.id, carol_user.id).await.unwrap();
    let town = crate::harness::my_channel(&bob, "town-square").await.id;
    let secret = bob
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            kind: ChannelKind::Private,
            name: "secret".into(),
            display_name: "Secret".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap()
        .id;
    World {
        bob,
        carol,
        dave,
        town,
        secret,
    }
}

fn jpeg_dims(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(
        image::guess_format(bytes).unwrap(),
        image::ImageFormat::Jpeg,
        "variants are JPEG"
    );
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

async fn images_get_dimensions_thumbnails_and_previews(s: TestServer) {
    let w = world(&s).await;
    let small = png(300, 200);
    let wide = png(2400, 600);
    let infos = w
        .bob
        .upload_files(
            w.town,
            vec![
                ("photo.png".into(), small.clone()),
                ("panorama.png".into(), wide.clone()),
                ("notes.txt".into(), b"just text".to_vec()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(infos.len(), 3);
    let (photo, pano, notes) = (&infos[0], &infos[1], &infos[2]);
    assert_eq!(photo.name, "photo.png");
    assert_eq!(photo.mime_type, "image/png");
    assert_eq!((photo.width, photo.height), (Some(300), Some(200)));
    assert_eq!(photo.size, small.len() as i64);
    assert_eq!(photo.sha256, sha_hex(&small));
    assert!(photo.has_preview);
    assert_eq!(photo.channel_id, w.town);
    assert!(photo.post_id.is_none());
    assert_eq!((pano.width, pano.height), (Some(2400), Some(600)));
    assert_eq!(notes.mime_type, "text/plain");
    assert_eq!((notes.width, notes.height), (None, None));
    assert!(!notes.has_preview);

    let thumb = w.bob.thumbnail(photo.id).await.unwrap();
    assert_eq!(thumb.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        jpeg_dims(&thumb.bytes),
        (120, 80),
        "fits 120×100, keeps aspect"
    );
    let preview = w.bob.preview(photo.id).await.unwrap();
    assert_eq!(preview.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        jpeg_dims(&preview.bytes),
        (300, 200),
        "small images are not enlarged"
    );
    let (tw, th) = jpeg_dims(&w.bob.thumbnail(pano.id).await.unwrap().bytes);
    assert!(tw <= 120 && th <= 100 && tw == 120, "{tw}×{th}");
    assert_eq!(
        jpeg_dims(&w.bob.preview(pano.id).await.unwrap().bytes),
        (1920, 480)
    );

    // Non-images have no variants.
    assert_eq!(
        err(w.bob.thumbnail(notes.id).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(w.bob.preview(notes.id).await),
        (404, ErrorCode::NotFound)
    );
    // A broken image is stored as a plain file without variants.
    let broken = w
        .bob
        .upload_files(w.town, vec![("broken.png".into(), small[..100].to_vec())])
        .await
        .unwrap();
    assert!(!broken[0].has_preview);
    assert_eq!(broken[0].width, None);
    assert_eq!(
        err(w.bob.thumbnail(broken[0].id).await),
        (404, ErrorCode::NotFound)
    );
    assert!(
        temp_files(&s).is_empty(),
        "no temporary files are left behind"
    );
}

async fn attach_and_download(s: TestServer) {
    let w = world(&s).await;
    let picture = png(40, 30);
    let infos = w
        .bob
        .upload_files(
            w.town,
            vec![
                ("photo.png".into(), picture.clone()),
                ("q3 report.csv".into(), b"a,b\n1,2\n".to_vec()),
            ],
        )
        .await
        .unwrap();
    let ids: Vec<Uuid> = infos.iter().map(|f| f.id).collect();
    // Before it is posted, only the uploader sees a file.
    w.bob.file_info(ids[0]).await.unwrap();
    assert_eq!(
        err(w.carol.file_info(ids[0]).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(w.carol.download_file(ids[0]).await),
        (404, ErrorCode::NotFound)
    );
    // Others cannot attach someone else's upload.
    let stolen = w
        .carol
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "mine now".into(),
            file_ids: vec![ids[0]],
            ..Default::default()
        })
        .await;
    assert_eq!(err(stolen), (400, ErrorCode::InvalidInput));

    let post = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: String::new(),
            file_ids: ids.clone(),
            ..Default::default()
        })
        .await
        .expect("a post may be files only");
    assert_eq!(post.file_ids, ids);
    assert_eq!(w.carol.post(post.id).await.unwrap().file_ids, ids);
    for id in &ids {
        assert_eq!(w.carol.file_info(*id).await.unwrap().post_id, Some(post.id));
    }
    // A file is attached once.
    let again = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "again".into(),
            file_ids: vec![ids[0]],
            ..Default::default()
        })
        .await;
    assert_eq!(err(again), (400, ErrorCode::InvalidInput));

    let d = w.carol.download_file(ids[0]).await.unwrap();
    assert_eq!(d.bytes, picture);
    assert_eq!(d.content_type.as_deref(), Some("image/png"));
    assert_eq!(
        d.content_disposition.as_deref(),
        Some("attachment; filename=\"photo.png\"")
    );
    let d = w.carol.download_file(ids[1]).await.unwrap();
    assert_eq!(d.bytes, b"a,b\n1,2\n");
    assert_eq!(d.content_type.as_deref(), Some("text/csv"));
    assert_eq!(
        d.content_disposition.as_deref(),
        Some("attachment; filename=\"q3 report.csv\"")
    );
    let resp = w
        .carol
        .request(Method::GET, &format!("/api/v1/files/{}", ids[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    w.carol.thumbnail(ids[0]).await.unwrap();

    // Dave is not in the team: the files do not exist for him.
    let ghost = Uuid::now_v7();
    for id in [ids[0], ghost] {
        assert_eq!(err(w.dave.file_info(id).await), (404, ErrorCode::NotFound));
        assert_eq!(
            err(w.dave.download_file(id).await),
            (404, ErrorCode::NotFound)
        );
        assert_eq!(err(w.dave.thumbnail(id).await), (404, ErrorCode::NotFound));
        assert_eq!(err(w.dave.preview(id).await), (404, ErrorCode::NotFound));
    }
    let real = w
        .dave
        .raw(Method::GET, &format!("/api/v1/files/{}", ids[0]), None)
        .await
        .unwrap();
    let missing = w
        .dave
        .raw(Method::GET, &format!("/api/v1/files/{ghost}"), None)
        .await
        .unwrap();
    assert_eq!(real, missing, "a forbidden file answers like a missing one");

    // Deleting the post takes its files with it.
    w.bob.delete_post(post.id).await.unwrap();
    assert_eq!(
        err(w.carol.download_file(ids[0]).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(w.bob.download_file(ids[0]).await),
        (404, ErrorCode::NotFound)
    );
}

async fn private_channel_files_are_for_members_only(s: TestServer) {
    let w = world(&s).await;
    // Carol cannot upload into a channel she cannot see, and nothing is stored.
    let before = blobs(&s);
    assert_eq!(
        err(w
            .carol
            .upload_files(w.secret, vec![("leak.txt".into(), b"leak".to_vec())])
            .await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(blobs(&s), before);
    assert!(!blobs(&s).iter().any(|p| p.ends_with(sha_hex(b"leak"))));

    let infos = w
        .bob
        .upload_files(w.secret, vec![("plan.txt".into(), b"the plan".to_vec())])
        .await
        .unwrap();
    let post = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.secret,
            message: "see attached".into(),
            file_ids: vec![infos[0].id],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        err(w.carol.download_file(infos[0].id).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(w.carol.file_info(infos[0].id).await),
        (404, ErrorCode::NotFound)
    );
    // Files uploaded to one channel cannot be posted into another.
    let other = w
        .bob
        .upload_files(w.secret, vec![("moved.txt".into(), b"moved".to_vec())])
        .await
        .unwrap();
    let moved = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "moved".into(),
            file_ids: vec![other[0].id],
            ..Default::default()
        })
        .await;
    assert_eq!(err(moved), (400, ErrorCode::InvalidInput));
    assert_eq!(
        err(w.carol.file_info(other[0].id).await),
        (404, ErrorCode::NotFound)
    );

    // Once added, Carol reads the channel and its files.
    let carol_id = w.carol.me().await.unwrap().id;
    w.bob.add_channel_member(w.secret, carol_id).await.unwrap();
    assert_eq!(
        w.carol.download_file(infos[0].id).await.unwrap().bytes,
        b"the plan"
    );
    assert_eq!(
        w.carol.file_info(infos[0].id).await.unwrap().post_id,
        Some(post.id)
    );
    // And loses them on leaving.
    w.carol
        .remove_channel_member(w.secret, carol_id)
        .await
        .unwrap();
    assert_eq!(
        err(w.carol.download_file(infos[0].id).await),
        (404, ErrorCode::NotFound)
    );
}

async fn uploads_over_the_size_limit(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.files.max_file_size = 1024).await;
    let w = world(&s).await;
    assert_eq!(w.bob.server_info().await.unwrap().max_file_size, 1024);
    let exact = vec![b'a'; 1024];
    let over = vec![b'b'; 1025];
    let info = w
        .bob
        .upload_files(w.town, vec![("exact.bin".into(), exact.clone())])
        .await
        .unwrap();
    assert_eq!(info[0].size, 1024);
    let stored = blobs(&s);
    assert_eq!(stored.len(), 1);

    assert_eq!(
        err(w
            .bob
            .upload_files(w.town, vec![("over.bin".into(), over.clone())])
            .await),
        (413, ErrorCode::FileTooLarge)
    );
    // One oversized part refuses the whole upload, including parts before it.
    let first = vec![b'c'; 10];
    assert_eq!(
        err(w
            .bob
            .upload_files(
                w.town,
                vec![
                    ("small.bin".into(), first.clone()),
                    ("over.bin".into(), over.clone())
                ]
            )
            .await),
        (413, ErrorCode::FileTooLarge)
    );
    // Much larger bodies are cut off while streaming, with the same answer.
    assert_eq!(
        err(w
            .bob
            .upload_files(
                w.town,
                vec![("huge.bin".into(), vec![b'd'; 4 * 1024 * 1024])]
            )
            .await),
        (413, ErrorCode::FileTooLarge)
    );
    assert_eq!(blobs(&s), stored, "nothing more was stored");
    assert!(temp_files(&s).is_empty());
    // Avatars have their own (larger) limit and are unaffected.
    let u = w.bob.set_avatar(png(50, 50), "image/png").await.unwrap();
    assert!(u.has_avatar);
}

async fn identical_content_is_stored_once(s: TestServer) {
    let w = world(&s).await;
    let content = b"the same bytes, uploaded three times".to_vec();
    let a = w
        .bob
        .upload_files(w.town, vec![("a.txt".into(), content.clone())])
        .await
        .unwrap();
    let b = w
        .bob
        .upload_files(w.town, vec![("b.txt".into(), content.clone())])
        .await
        .unwrap();
    let c = w
        .carol
        .upload_files(w.town, vec![("c.txt".into(), content.clone())])
        .await
        .unwrap();
    let (a, b, c) = (&a[0], &b[0], &c[0]);
    assert!(
        a.id != b.id && b.id != c.id && a.id != c.id,
        "each upload is its own file"
    );
    let sha = sha_hex(&content);
    assert_eq!((&a.sha256, &b.sha256, &c.sha256), (&sha, &sha, &sha));
    let stored = blobs(&s);
    assert_eq!(stored.len(), 1, "one blob on disk: {stored:?}");
    let expected = s
        .dir
        .path()
        .join("files")
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(&sha);
    assert_eq!(stored[0], expected);
    assert_eq!(std::fs::read(&expected).unwrap(), content);

    // Images: the variants are stored once per content, too.
    let picture = png(64, 64);
    for name in ["one.png", "two.png"] {
        w.bob
            .upload_files(w.town, vec![(name.into(), picture.clone())])
            .await
            .unwrap();
    }
    let all = files_under(&s.dir.path().join("files"));
    let psha = sha_hex(&picture);
    let of_picture: Vec<String> = all
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
        .filter(|n| n.starts_with(&psha))
        .collect();
    assert_eq!(
        of_picture.len(),
        3,
        "content, thumbnail and preview once each: {of_picture:?}"
    );
    assert_eq!(blobs(&s).len(), 2);

    // Each file keeps its own name and uploader.
    let post = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "two copies".into(),
            file_ids: vec![a.id, b.id],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(post.file_ids.len(), 2);
    let da = w.carol.download_file(a.id).await.unwrap();
    let db = w.carol.download_file(b.id).await.unwrap();
    assert_eq!(da.bytes, db.bytes);
    assert_eq!(
        da.content_disposition.as_deref(),
        Some("attachment; filename=\"a.txt\"")
    );
    assert_eq!(
        db.content_disposition.as_deref(),
        Some("attachment; filename=\"b.txt\"")
    );
    assert_eq!(
        w.carol.file_info(c.id).await.unwrap().uploader_id,
        w.carol.me().await.unwrap().id
    );
}

async fn uploads_need_posting_rights(s: TestServer) {
    let w = world(&s).await;
    // A public channel Carol can read but has not joined.
    let team = w.bob.teams().await.unwrap()[0].id;
    let open = w
        .bob
        .create_channel(&CreateChannelRequest {
            team_id: team,
            kind: ChannelKind::Public,
            name: "open".into(),
            display_name: "Open".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap()
        .id;
    let before = blobs(&s);
    assert_eq!(
        err(w
            .carol
            .upload_files(open, vec![("x.txt".into(), b"not a member".to_vec())])
            .await),
        (403, ErrorCode::Forbidden)
    );
    w.bob.archive_channel(open).await.unwrap();
    assert_eq!(
        err(w
            .bob
            .upload_files(open, vec![("x.txt".into(), b"archived".to_vec())])
            .await),
        (403, ErrorCode::ChannelArchived)
    );
    assert_eq!(
        err(w
            .dave
            .upload_files(w.town, vec![("x.txt".into(), b"outsider".to_vec())])
            .await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(s
            .client()
            .upload_files(w.town, vec![("x.txt".into(), b"anonymous".to_vec())])
            .await),
        (401, ErrorCode::Unauthenticated)
    );
    assert_eq!(blobs(&s), before, "refused uploads store nothing");
}

/// An upload is all or nothing: a later part with a bad name refuses the
/// parts before it too, leaving neither a blob on disk nor a file row.
async fn a_refused_upload_stores_none_of_its_parts(s: TestServer) {
    let w = world(&s).await;
    let got = w
        .bob
        .upload_files(
            w.town,
            vec![
                ("good.txt".into(), b"good part".to_vec()),
                ("../bad.txt".into(), b"bad part".to_vec()),
            ],
        )
        .await;
    assert_eq!(err(got), (400, ErrorCode::InvalidInput));
    assert!(
        blobs(&s).is_empty(),
        "the refused upload left {:?} behind",
        blobs(&s)
    );
    assert_eq!(file_rows(&s), 0);
    // Likewise for too many parts: the eleventh refuses the first ten.
    let eleven = (0..11)
        .map(|i| (format!("f{i}.txt"), format!("part {i}").into_bytes()))
        .collect();
    assert_eq!(
        err(w.bob.upload_files(w.town, eleven).await),
        (400, ErrorCode::InvalidInput)
    );
    assert!(blobs(&s).is_empty());
    assert_eq!(file_rows(&s), 0);
    assert!(temp_files(&s).is_empty());
    // The channel_id part must come first: file parts before it are refused.
    let form = reqwest::multipart::Form::new()
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"early".to_vec()).file_name("early.txt"),
        )
        .text("channel_id", w.town.to_string());
    let resp = w
        .bob
        .request(Method::POST, "/api/v1/files")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("before the file parts"), "{body}");
    assert!(blobs(&s).is_empty());
    assert_eq!(file_rows(&s), 0);
    // A good upload of several parts stores them all.
    let two = w
        .bob
        .upload_files(
            w.town,
            vec![
                ("one.txt".into(), b"one".to_vec()),
                ("two.txt".into(), b"two".to_vec()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(blobs(&s).len(), 2);
    assert_eq!(file_rows(&s), 2);
}

/// Someone outside a private channel (outside its team, or in the team but
/// not the channel) is refused as soon as `channel_id` is read, before the
/// file parts (so an oversized part answers 404, not 413), with the answer a
/// channel that does not exist gets; nothing is stored.
async fn outsiders_cannot_upload_to_private_channels(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.files.max_file_size = 1024).await;
    let w = world(&s).await;
    let parts = || {
        vec![
            ("leak.txt".to_string(), b"outsider leak".to_vec()),
            ("big.bin".to_string(), vec![b'e'; 4 * 1024 * 1024]),
        ]
    };
    let secret = full_err(w.dave.upload_files(w.secret, parts()).await);
    assert_eq!((secret.0, secret.1), (404, ErrorCode::NotFound));
    let ghost = full_err(w.dave.upload_files(Uuid::now_v7(), parts()).await);
    assert_eq!(
        secret, ghost,
        "a private channel answers like a missing one"
    );
    assert_eq!(
        full_err(w.carol.upload_files(w.secret, parts()).await),
        ghost
    );
    assert!(blobs(&s).is_empty(), "{:?}", blobs(&s));
    assert_eq!(file_rows(&s), 0);
    assert!(temp_files(&s).is_empty());
    // Bob, a member, may.
    w.bob
        .upload_files(w.secret, vec![("plan.txt".into(), b"plan".to_vec())])
        .await
        .unwrap();
    assert_eq!(file_rows(&s), 1);
}

/// A file name outside ASCII is sent per RFC 6266: an ASCII fallback in
/// `filename="…"` and the real name in `filename*=UTF-8''…`.
async fn non_ascii_names_get_an_rfc6266_disposition(s: TestServer) {
    let w = world(&s).await;
    let infos = w
        .bob
        .upload_files(w.town, vec![("résumé.txt".into(), b"cv".to_vec())])
        .await
        .unwrap();
    assert_eq!(infos[0].name, "résumé.txt");
    let d = w.bob.download_file(infos[0].id).await.unwrap();
    let cd = d
        .content_disposition
        .expect("a Content-Disposition header that is valid ASCII");
    assert!(cd.starts_with("attachment"), "{cd}");
    assert_eq!(
        cd,
        "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
    );
    let parsed = actix_web::http::header::ContentDisposition::from_raw(
        &actix_web::http::header::HeaderValue::from_str(&cd).unwrap(),
    )
    .unwrap();
    assert_eq!(
        parsed.get_filename_ext().map(|v| v.value.as_slice()),
        Some("résumé.txt".as_bytes())
    );
    assert_eq!(d.bytes, b"cv");

    // A client that sends the name as `filename*` (RFC 5987) is understood too.
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"channel_id\"\r\n\r\n{}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"files\"; \
         filename*=UTF-8''%C3%BCbersicht.txt\r\n\r\nplan\r\n--XyZ--\r\n",
        w.town
    );
    let resp = w
        .bob
        .request(Method::POST, "/api/v1/files")
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let infos: Vec<hearth_api::FileInfo> = resp.json().await.unwrap();
    assert_eq!(infos[0].name, "übersicht.txt");
    let cd = w
        .bob
        .download_file(infos[0].id)
        .await
        .unwrap()
        .content_disposition
        .unwrap();
    assert_eq!(
        cd,
        "attachment; filename=\"_bersicht.txt\"; filename*=UTF-8''%C3%BCbersicht.txt"
    );
}

both_backends!(
    images_get_dimensions_thumbnails_and_previews,
    attach_and_download,
    private_channel_files_are_for_members_only,
    uploads_over_the_size_limit,
    identical_content_is_stored_once,
    uploads_need_posting_rights,
    a_refused_upload_stores_none_of_its_parts,
    non_ascii_names_get_an_rfc6266_disposition,
    outsiders_cannot_upload_to_private_channels,
);
