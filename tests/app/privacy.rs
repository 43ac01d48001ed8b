//! Privacy: the audit log says who changed what and when, but keeps no
//! family's or mother's name, address, phone, email or notes.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn the_audit_log_keeps_no_names_phones_or_notes() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = c
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Hodan Qoraxley",
                    "phone": "+45 5550 1234", "email": "hodan@example.dk",
                    "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01", "note": "speaks Somali and Danish"}),
        )
        .await;
    expect_json(
        c.put_json(
            &format!("/api/v1/mothers/{mother}"),
            &json!({"programme_id": p.to_string(), "full_name": "Hodan Warsame",
                    "phone": "+45 5550 9876", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01"}),
        )
        .await,
        200,
    )
    .await;
    let family = c
        .create(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01", "name": "Familien Abdirahman",
                    "address": "Gellerupvej 12", "phone": "+45 5550 4321"}),
        )
        .await;
    expect_json(
        c.put_json(
            &format!("/api/v1/families/{family}"),
            &json!({"programme_id": p.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01", "name": "Familien Yusuf",
                    "address": "Gellerupvej 14", "phone": "+45 5550 1111"}),
        )
        .await,
        200,
    )
    .await;

    let log = app
        .count(
            "SELECT count(*) FROM audit_events WHERE changes::text ~* \
             '(Qoraxley|Warsame|5550|hodan@|Somali and|Abdirahman|Yusuf|Gellerup)'",
        )
        .await;
    assert_eq!(log, 0, "no personal value in the log");
    // It still says what changed, on whom.
    assert!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'mother' AND entity_id = {mother} \
             AND action = 'update' AND changes->'full_name' = '{{\"changed\": true}}'::jsonb"
        ))
        .await
            == 1
    );
    let page = c
        .get(&format!("/mothers/{mother}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(page.contains("changed"), "the history says it changed");
}

/// The rows written before the log kept no values are redacted by the
/// migration (run here again on a row as the old code wrote it).
#[tokio::test]
async fn old_rows_are_redacted() {
    let app = TestApp::spawn().await;
    app.sql(
        "INSERT INTO audit_events (action, entity, entity_id, changes) VALUES \
         ('update', 'mother', 1, '{\"full_name\": {\"old\": \"Hodan Ali\", \"new\": \"Hodan Warsame\"}, \
           \"status\": {\"new\": \"active\"}}'), \
         ('create', 'programme', 1, '{\"name\": {\"new\": \"Bydelsmødre Aarhus\"}}')",
    )
    .await;
    let sql = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/2026-11-29-000009_audit_without_personal/up.sql"),
    )
    .expect("migration");
    app.sql(&sql).await;
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE changes::text LIKE '%Hodan%'")
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE changes->'status' = '{\"new\": \"active\"}'::jsonb \
             AND changes->'full_name' = '{\"changed\": true}'::jsonb"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE changes::text LIKE '%Aarhus%'")
            .await,
        1,
        "a programme's name is not a person's"
    );
}

/// The README tells the IT volunteer how to encrypt backups, restore
/// them, and that erasure reaches backups only as they expire.
#[test]
fn the_readme_explains_encrypted_backups() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README");
    let section = &readme[readme.find("## Backup and restore").expect("the section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for needed in [
        "| age -r",
        "age -d -i",
        "gpg --encrypt",
        "gpg --decrypt",
        "until those expire",
    ] {
        assert!(
            section.contains(needed),
            "the backup section lacks {needed:?}"
        );
    }
}
