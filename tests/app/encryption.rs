//! Personal values encrypted at rest (`crypto`): a dump of the database
//! holds no family's name, address or phone, no mother's phone or email
//! and no visit note, while the pages and the API show them; searching
//! families by name still finds them; values stored before encryption
//! are sealed; `rotate-data-key` seals everything anew while a server runs.

use std::process::Stdio;

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::external::{
    admin_with_token, connect, fresh_primary, key_for, num, pg_program, run, serve,
};
use crate::harness::{TestApp, expect_json};

const NAME: &str = "Ayşe Yıldırım-Karadağ";
const ADDRESS: &str = "Gellerupvej 217, 2. tv";
const FAMILY_PHONE: &str = "+45 5550 7316";
const MOTHER_PHONE: &str = "+49 170 5550432";
const MOTHER_EMAIL: &str = "hatice.secret@example.org";
const NOTE: &str = "Jugendamt-Termin am Donnerstag vereinbart";

/// Everything stored in `db_url`'s database, as `pg_dump` writes it.
async fn dump(db_url: &str) -> String {
    let out = tokio::process::Command::new(pg_program("pg_dump"))
        .arg("--data-only")
        .arg(db_url)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_dump_holds_no_personal_value_the_pages_show() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = app.active_mother(p, "2023-01-01").await;
    expect_json(
        c.put_json(
            &format!("/api/v1/mothers/{mother}"),
            &json!({"programme_id": p.to_string(), "full_name": "Hatice",
                    "phone": MOTHER_PHONE, "email": MOTHER_EMAIL, "gender": "female",
                    "engagement": "volunteer", "joined_on": "2023-01-01"}),
        )
        .await,
        200,
    )
    .await;
    let family = c
        .create(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
                    "primary_mother_id": mother.to_string(),
                    "name": NAME, "address": ADDRESS, "phone": FAMILY_PHONE}),
        )
        .await;
    let visit = c
        .create(
            "/api/v1/visits",
            &json!({"mother_id": mother.to_string(), "family_id": family.to_string(),
                    "visited_on": "2024-03-01", "duration_minutes": "45", "kind": "home_visit",
                    "topic_ids": ["1"], "note": NOTE}),
        )
        .await;

    // The server shows them.
    let f: Value = c.get_json(&format!("/api/v1/families/{family}")).await;
    assert_eq!(f["personal"]["name"], NAME, "{f}");
    assert_eq!(f["personal"]["address"], ADDRESS);
    assert_eq!(f["personal"]["phone"], FAMILY_PHONE);
    let m: Value = c.get_json(&format!("/api/v1/mothers/{mother}")).await;
    assert_eq!(
        (m["phone"].as_str(), m["email"].as_str()),
        (Some(MOTHER_PHONE), Some(MOTHER_EMAIL))
    );
    let v: Value = c.get_json(&format!("/api/v1/visits/{visit}")).await;
    assert_eq!(v["note"], NOTE, "{v}");
    let list = c.get("/families").await.text().await.expect("body");
    assert!(list.contains(NAME), "the family list shows the name");

    // Searching by name finds the family (any case, a whole word).
    let search = c
        .get(&format!(
            "/visits/new?mother={mother}&family_search=y%C4%B1ld%C4%B1r%C4%B1m"
        ))
        .await
        .text()
        .await
        .expect("body");
    assert!(search.contains(NAME), "the search finds the family by name");
    // The beginnings of its words, in any case; not the middle of a word.
    let finds = |q: &'static str| {
        let c = &c;
        async move {
            c.get(&format!("/visits/new?mother={mother}&family_search={q}"))
                .await
                .text()
                .await
                .expect("body")
                .contains(NAME)
        }
    };
    assert!(finds("Y%C4%B1ld").await);
    assert!(finds("karad").await);
    assert!(finds("ay%C5%9Fe%20kara").await);
    assert!(!finds("ld%C4%B1r%C4%B1m").await);
    assert!(!finds("Nobody").await);
    assert!(!finds("ay%C5%9Fe%20nobody").await, "every word must match");

    // The database and its dump hold none of them.
    let text = dump(&app.db_url).await;
    assert!(
        text.contains("COPY public.family_personal"),
        "the dump has the table"
    );
    for secret in [
        NAME,
        "Yıldırım",
        ADDRESS,
        "Gellerupvej",
        FAMILY_PHONE,
        "5550 7316",
        MOTHER_PHONE,
        MOTHER_EMAIL,
        NOTE,
        "Jugendamt",
    ] {
        assert!(!text.contains(secret), "the dump holds {secret:?}");
        // Nor as bytea's hex.
        let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(!text.contains(&hex), "the dump holds {secret:?} as hex");
    }
    // Each value sealed under key 1, each with a nonce of its own.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM family_personal \
             WHERE substring(name FROM 1 FOR 6) = '\\x000100000001'::bytea \
               AND substring(phone FROM 1 FOR 6) = '\\x000100000001'::bytea"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn values_stored_before_encryption_are_read_and_then_sealed() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let family = c
        .create(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
                    "name": "placeholder"}),
        )
        .await;
    // As an older version stored it: the text's bytes, and no name index.
    app.sql(&format!(
        "UPDATE family_personal SET name = convert_to('Familie Haddad', 'UTF8'), \
         name_index = '{{}}', name_index_key = NULL WHERE family_id = {family}"
    ))
    .await;
    let f: Value = c.get_json(&format!("/api/v1/families/{family}")).await;
    assert_eq!(f["personal"]["name"], "Familie Haddad");

    // What the server's start does for such a database.
    let mut conn =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&app.app_url)
            .await
            .expect("connect");
    let done = neighbourhood_mothers::crypto::reseal::run(&mut conn)
        .await
        .expect("reseal");
    assert_eq!(done.unreadable, 0);
    assert!(done.values >= 1, "{done:?}");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM family_personal WHERE position(convert_to('Haddad', 'UTF8') IN name) > 0"
        )
        .await,
        0
    );
    let f: Value = c.get_json(&format!("/api/v1/families/{family}")).await;
    assert_eq!(f["personal"]["name"], "Familie Haddad");
    let mother = app.active_mother(p, "2023-01-01").await;
    let found = c
        .get(&format!("/visits/new?mother={mother}&family_search=hadd"))
        .await
        .text()
        .await
        .expect("body");
    assert!(found.contains("Familie Haddad"), "found by its new index");
    // Its name index made under the key (for "fa", "fam", ..., "ha", ...).
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM family_personal WHERE family_id = {family} \
             AND name_index_key = 1 AND cardinality(name_index) = 11"
        ))
        .await,
        1
    );
    // A second pass finds nothing to do.
    let again = neighbourhood_mothers::crypto::reseal::run(&mut conn)
        .await
        .expect("reseal");
    assert_eq!(again.values, 0);
}

/// Under which key the family's name is sealed (its header's number).
async fn key_of_name(conn: &mut diesel_async::AsyncPgConnection) -> i64 {
    num(
        conn,
        "SELECT ('x' || encode(substring(name FROM 3 FOR 4), 'hex'))::bit(32)::int::bigint AS v \
         FROM family_personal",
    )
    .await
}

#[tokio::test]
async fn rotating_the_data_key_reseals_everything_while_the_server_runs() {
    let (root, _primary, url) = fresh_primary("rotate").await;
    run(&["migrate"], &url, None).await;
    let token = admin_with_token(&url).await;
    let key = key_for(&url);
    assert!(key.exists(), "the first command made the key file");
    let (_server, base) = serve(&url, None).await;
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        http.post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let p: Value = post(
        "/api/v1/programmes",
        crate::harness::programme_json("Bydelsmødre Oslo"),
    )
    .await
    .expect("programme")
    .json()
    .await
    .expect("json");
    let p = p["id"].as_i64().expect("programme id");
    let f: Value = post(
        "/api/v1/families",
        json!({"programme_id": p.to_string(), "contact_origin": "event",
               "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
               "name": NAME, "address": ADDRESS}),
    )
    .await
    .expect("family")
    .json()
    .await
    .expect("json");
    let family = f["id"].as_i64().expect("family id");
    let mut conn = connect(&url).await;
    assert_eq!(key_of_name(&mut conn).await, 1);
    let before = std::fs::read_to_string(&key).expect("key file");

    let out = run(&["rotate-data-key"], &url, None).await;
    assert!(out.contains("Data key 2"), "{out}");

    // Everything under key 2, the name index too; the file holds key 2 only.
    assert_eq!(key_of_name(&mut conn).await, 2);
    assert_eq!(
        num(
            &mut conn,
            "SELECT count(*) AS v FROM family_personal WHERE name_index_key = 2 AND cardinality(name_index) > 0"
        )
        .await,
        1
    );
    let after = std::fs::read_to_string(&key).expect("key file");
    let lines = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&after).len(), 1, "{after}");
    assert!(lines(&after)[0].starts_with("2 "));
    assert!(!after.contains(&lines(&before)[0]), "the old key is gone");
    assert_eq!(
        num(
            &mut conn,
            "SELECT count(*) AS v FROM data_keys WHERE retired_at IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        num(
            &mut conn,
            "SELECT count(*) AS v FROM audit_events WHERE entity = 'data_key' AND action = 'rotate'"
        )
        .await,
        1
    );

    // The running server opens the resealed values (it reads the file
    // anew on meeting key 2) and seals new ones under key 2.
    let got: Value = http
        .get(format!("{base}/api/v1/families/{family}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("family")
        .json()
        .await
        .expect("json");
    assert_eq!(got["personal"]["name"], NAME, "{got}");
    let res = post(
        "/api/v1/families",
        json!({"programme_id": p.to_string(), "contact_origin": "event",
               "first_contact_on": "2024-02-02", "consent_on": "2024-02-02", "name": "Familie Nour"}),
    )
    .await
    .expect("family");
    assert_eq!(res.status(), 201);
    assert_eq!(
        num(
            &mut conn,
            "SELECT count(*) AS v FROM family_personal WHERE substring(name FROM 1 FOR 6) <> '\\x000100000002'::bytea"
        )
        .await,
        0
    );
    // A server given another installation's key file refuses to start.
    let other = root.0.join("other.key");
    std::fs::write(&other, "2 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").expect("write");
    let refused = tokio::process::Command::new(crate::cli::bin())
        .args([
            "create-user",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "admin",
        ])
        .arg("--database-url")
        .arg(&url)
        .arg("--data-key-file")
        .arg(&other)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("another installation"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
