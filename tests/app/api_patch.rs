//! Partial updates (`PATCH`): the fields sent change, the others stay; a
//! bad value changes nothing; two PATCHes of different fields of one
//! record at once both take effect.

use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json, programme_json};
use neighbourhood_mothers::authz::Role;

#[tokio::test]
async fn a_patch_changes_only_the_fields_sent() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let d = app
        .create(
            &format!("/api/v1/programmes/{p}/districts"),
            &json!({"name": "Rollberg"}),
        )
        .await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = c
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p, "district_id": d, "full_name": "Ayşe Demir",
                    "phone": "+49 30 1234567", "gender": "female", "engagement": "volunteer",
                    "languages": ["tr", "de"], "joined_on": "2020-01-01"}),
        )
        .await;
    let family = c
        .create(
            "/api/v1/families",
            &json!({"programme_id": p, "district_id": d, "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
                    "name": "Familie Yılmaz", "address": "Rollbergstr. 1", "phone": "030 555"}),
        )
        .await;

    // One field of each kind of record; the rest must stay.
    let m = expect_json(
        c.patch_json(
            &format!("/api/v1/mothers/{mother}"),
            &json!({"phone": "+49 30 7654321"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(m["phone"], "+49 30 7654321");
    assert_eq!(m["full_name"], "Ayşe Demir");
    assert_eq!(m["languages"], json!(["tr", "de"]));
    assert_eq!(m["district_id"], d);

    let f = expect_json(
        c.patch_json(
            &format!("/api/v1/families/{family}"),
            &json!({"address": "Werbellinstr. 2"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(f["personal"]["address"], "Werbellinstr. 2");
    assert_eq!(f["personal"]["name"], "Familie Yılmaz");
    assert_eq!(f["personal"]["phone"], "030 555");

    let pr = expect_json(
        app.patch_json(
            &format!("/api/v1/programmes/{p}"),
            &json!({"city": "Berlin-Neukölln"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(pr["city"], "Berlin-Neukölln");
    assert_eq!(pr["name"], "Stadtteilmütter Neukölln");

    let dd = expect_json(
        app.patch_json(
            &format!("/api/v1/districts/{d}"),
            &json!({"name": "Rollbergsiedlung"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(dd["name"], "Rollbergsiedlung");

    let funder = app
        .create(
            "/api/v1/funders",
            &json!({"programme_id": p, "name": "Bezirksamt", "kind": "municipality",
                    "contact": "Frau Schulz"}),
        )
        .await;
    let fu = expect_json(
        app.patch_json(
            &format!("/api/v1/funders/{funder}"),
            &json!({"name": "Bezirksamt Neukölln"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fu["name"], "Bezirksamt Neukölln");
    assert_eq!(fu["contact"], "Frau Schulz");
    assert_eq!(fu["programme_id"], p, "the owner stays");

    let grant = app
        .create(
            "/api/v1/grants",
            &json!({"programme_id": p, "funder_id": funder, "amount": "126000",
                    "starts_on": "2024-01-01", "ends_on": "2024-12-31", "status": "granted",
                    "district_ids": [d]}),
        )
        .await;
    let g = expect_json(
        app.patch_json(
            &format!("/api/v1/grants/{grant}"),
            &json!({"purpose": "Hausbesuche"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(g["purpose"], "Hausbesuche");
    assert_eq!(g["amount_minor"], 12_600_000);
    assert_eq!(g["district_ids"], json!([d]));

    let expense = app
        .create(
            "/api/v1/expenses",
            &json!({"programme_id": p, "spent_on": "2024-03-01", "category": "materials",
                    "amount": "80.50", "grant_id": grant, "note": "Flyer"}),
        )
        .await;
    let e = expect_json(
        app.patch_json(
            &format!("/api/v1/expenses/{expense}"),
            &json!({"note": "Flyer, Türkisch"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(e["note"], "Flyer, Türkisch");
    assert_eq!(e["amount_minor"], 8050);
    assert_eq!(e["grant_id"], grant);

    let topic = app
        .create(
            &format!("/api/v1/programmes/{p}/topics"),
            &json!({"label": "Sport"}),
        )
        .await;
    let t = expect_json(
        app.patch_json(
            &format!("/api/v1/topics/{topic}"),
            &json!({"label": "Sport und Bewegung"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["label"], "Sport und Bewegung");

    let trainer = app
        .create_user("trainer@example.org", Role::Trainer, &[p])
        .await;
    let course = app
        .create(
            "/api/v1/courses",
            &json!({"programme_id": p, "trainer_id": trainer, "name": "Frühjahr 2024", "starts_on": "2024-03-01",
                    "ends_on": "2024-06-30", "location": "Nachbarschaftsheim"}),
        )
        .await;
    let co = expect_json(
        app.patch_json(
            &format!("/api/v1/courses/{course}"),
            &json!({"location": "Gemeinschaftshaus"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(co["location"], "Gemeinschaftshaus");
    assert_eq!(co["name"], "Frühjahr 2024");
    // A module of 105 minutes keeps them when only its title changes.
    let module = app
        .create(
            &format!("/api/v1/courses/{course}/modules"),
            &json!({"title": "Kita", "topic_id": 1, "held_on": "2024-03-05", "hours": "1.75"}),
        )
        .await;
    let mo = expect_json(
        app.patch_json(
            &format!("/api/v1/modules/{module}"),
            &json!({"title": "Kita und Schule"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(mo["title"], "Kita und Schule");
    assert_eq!(mo["minutes"], 105);

    // A bad value: 422 naming it, and nothing changed.
    let bad = expect_json(
        c.patch_json(
            &format!("/api/v1/mothers/{mother}"),
            &json!({"gender": "robot", "phone": "1"}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["gender"].is_string(), "{bad}");
    let now = expect_json(c.get(&format!("/api/v1/mothers/{mother}")).await, 200).await;
    assert_eq!(now["phone"], "+49 30 7654321");
    // Not an object: 400. Another programme's record: 404.
    expect_json(
        c.patch_json(&format!("/api/v1/mothers/{mother}"), &json!(["phone"]))
            .await,
        400,
    )
    .await;
    let q = app.programme("Bydelsmødre Aarhus").await;
    let other = app.with_user(Role::Coordinator, &[q]).await;
    expect_json(
        other
            .patch_json(&format!("/api/v1/mothers/{mother}"), &json!({"phone": "0"}))
            .await,
        404,
    )
    .await;
    // Every change is in the audit log.
    assert!(
        app.count(&format!(
            "SELECT count(*)::bigint FROM audit_events WHERE action = 'update' AND entity = 'mother' AND entity_id = {mother}"
        ))
        .await
            >= 1
    );
}

/// Two clients change different fields of one programme at the same
/// moment: both changes are kept (the row is locked, not read stale).
#[tokio::test]
async fn concurrent_patches_of_different_fields_both_stay() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            app.create("/api/v1/programmes", &programme_json(&format!("P{i}")))
                .await,
        );
    }
    for round in 0..5 {
        let mut tasks = Vec::new();
        for &p in &ids {
            let app = &app;
            tasks.push(async move {
                let path = format!("/api/v1/programmes/{p}");
                let (city, name) = (
                    json!({"city": format!("City {round}")}),
                    json!({"name": format!("Programme {p} round {round}")}),
                );
                let (ra, rb) =
                    tokio::join!(app.patch_json(&path, &city), app.patch_json(&path, &name));
                assert_eq!(ra.status(), 200);
                assert_eq!(rb.status(), 200);
            });
        }
        futures_util::future::join_all(tasks).await;
        for &p in &ids {
            let now: Value =
                expect_json(app.get(&format!("/api/v1/programmes/{p}")).await, 200).await;
            assert_eq!(now["city"], format!("City {round}"), "{now}");
            assert_eq!(now["name"], format!("Programme {p} round {round}"), "{now}");
        }
    }
}
