//! Programmes and districts through the real server: HTML pages and JSON.

use serde_json::{Value, json};

use crate::harness::TestApp;

fn neukoelln() -> Value {
    json!({
        "name": "Stadtteilmütter Neukölln",
        "city": "Berlin",
        "country": "de",
        "currency": "eur",
        "default_language": "de",
        "start_date": "2004-09-01",
        "description": "Ten structured visits per family."
    })
}

async fn create(app: &TestApp, body: &Value) -> Value {
    let res = app.post_json("/api/v1/programmes", body).await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
    res.json().await.expect("json")
}

#[tokio::test]
async fn api_create_read_update_list() {
    let app = TestApp::spawn().await;
    let p = create(&app, &neukoelln()).await;
    let id = p["id"].as_i64().expect("id");
    assert_eq!(p["country"], "DE");
    assert_eq!(p["currency"], "EUR");
    assert_eq!(p["end_date"], Value::Null);
    assert_eq!(p["archived_at"], Value::Null);

    let got: Value = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(got["name"], "Stadtteilmütter Neukölln");

    let mut changed = neukoelln();
    changed["city"] = json!("Berlin-Neukölln");
    changed["end_date"] = json!("2030-12-31");
    let res = app
        .put_json(&format!("/api/v1/programmes/{id}"), &changed)
        .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.expect("json");
    assert_eq!(updated["city"], "Berlin-Neukölln");
    assert_eq!(updated["end_date"], "2030-12-31");

    let list: Value = app.get_json("/api/v1/programmes").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    // Every change wrote its audit row, with the changed fields.
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE entity = 'programme'")
            .await,
        2
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE action = 'update' \
             AND changes ? 'city' AND changes ? 'end_date' AND NOT changes ? 'name'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn api_validation_names_each_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let res = app
        .post_json(
            "/api/v1/programmes",
            &json!({
                "name": "  ",
                "city": "Copenhagen",
                "country": "XX",
                "currency": "EUX",
                "default_language": "zz",
                "start_date": "2011-01-01",
                "end_date": "2010-12-31"
            }),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let fields = &body["error"]["fields"];
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(fields["name"], "Please fill in this field.");
    assert!(
        fields["country"]
            .as_str()
            .is_some_and(|m| m.contains("country"))
    );
    assert!(
        fields["currency"]
            .as_str()
            .is_some_and(|m| m.contains("currency"))
    );
    assert!(fields["default_language"].is_string());
    assert_eq!(fields["end_date"], "The end date is before the start date.");
    assert!(fields.get("city").is_none());
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, 0);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE entity = 'programme'")
            .await,
        0
    );

    // A body that is not JSON is a 400 with a JSON error, not a crash.
    let res = app
        .client
        .post(app.url("/api/v1/programmes"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");

    // A duplicate name (any case) is a field error too.
    create(&app, &neukoelln()).await;
    let mut dup = neukoelln();
    dup["name"] = json!("STADTTEILMÜTTER NEUKÖLLN");
    let res = app.post_json("/api/v1/programmes", &dup).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        body["error"]["fields"]["name"],
        "Another programme already has this name."
    );
}

#[tokio::test]
async fn unknown_ids_are_404_in_json_and_html() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/programmes/999",
        "/api/v1/programmes/abc",
        "/api/v1/districts/5",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let res = app.get("/programmes/999").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/html"))
    );
    assert_eq!(app.get("/no/such/page").await.status(), 404);
    let res = app.delete("/api/v1/programmes/999").await;
    assert_eq!(res.status(), 404);
    // A known path with a method it does not take.
    let res = app.put_json("/api/v1/programmes", &json!({})).await;
    assert_eq!(res.status(), 405);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn archive_restore_and_the_delete_rule() {
    let app = TestApp::spawn().await;
    let p = create(&app, &neukoelln()).await;
    let id = p["id"].as_i64().expect("id");

    // Archived: out of the default list, kept with include_archived.
    let res = app
        .post_json(&format!("/api/v1/programmes/{id}/archive"), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let archived: Value = res.json().await.expect("json");
    assert!(archived["archived_at"].is_string());
    let list: Value = app.get_json("/api/v1/programmes").await;
    assert_eq!(list["items"], json!([]));
    let list: Value = app
        .get_json("/api/v1/programmes?include_archived=true")
        .await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    let res = app
        .post_json(&format!("/api/v1/programmes/{id}/restore"), &json!({}))
        .await;
    let restored: Value = res.json().await.expect("json");
    assert_eq!(restored["archived_at"], Value::Null);

    // With data (a district) it cannot be deleted: 409, and it stays.
    let res = app
        .post_json(
            &format!("/api/v1/programmes/{id}/districts"),
            &json!({"name": "Neukölln-Nord"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app.delete(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, 1);

    // Without data it can.
    let mut other = neukoelln();
    other["name"] = json!("Empty programme");
    let empty = create(&app, &other).await;
    let res = app
        .delete(&format!("/api/v1/programmes/{}", empty["id"]))
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, 1);
    // The log keeps what was deleted.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE action = 'delete' \
             AND changes -> 'name' ->> 'old' = 'Empty programme'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE entity = 'programme' \
             AND action IN ('archive', 'restore', 'delete')"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn districts_are_unique_per_programme() {
    let app = TestApp::spawn().await;
    let a = create(&app, &neukoelln()).await["id"].as_i64().expect("id");
    let mut kreuzberg = neukoelln();
    kreuzberg["name"] = json!("Stadtteilmütter Kreuzberg");
    let b = create(&app, &kreuzberg).await["id"].as_i64().expect("id");

    let path_a = format!("/api/v1/programmes/{a}/districts");
    let d: Value = app
        .post_json(&path_a, &json!({"name": "Rollberg"}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(d["programme_id"], a);

    // Same name, other case, same programme: refused.
    let res = app.post_json(&path_a, &json!({"name": "ROLLBERG"})).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        body["error"]["fields"]["name"],
        "This programme already has a district with this name."
    );
    // Same name in another programme: fine.
    let res = app
        .post_json(
            &format!("/api/v1/programmes/{b}/districts"),
            &json!({"name": "Rollberg"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // Empty name.
    let res = app.post_json(&path_a, &json!({"name": ""})).await;
    assert_eq!(res.status(), 422);

    // Rename, archive, restore.
    let did = d["id"].as_i64().expect("id");
    let res = app
        .put_json(
            &format!("/api/v1/districts/{did}"),
            &json!({"name": "Rollbergsiedlung"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(&format!("/api/v1/districts/{did}/archive"), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let list: Value = app.get_json(&path_a).await;
    assert_eq!(list["items"], json!([]));
    let list: Value = app
        .get_json(&format!("{path_a}?include_archived=true"))
        .await;
    assert_eq!(list["items"][0]["name"], "Rollbergsiedlung");
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE entity = 'district'")
            .await,
        4
    );
}

/// The whole HTML round: form errors beside the fields with the input kept,
/// Post/Redirect/Get with a flash message, edit, archive, districts.
#[tokio::test]
async fn html_pages_create_edit_archive() {
    let app = TestApp::spawn().await;
    let res = app.get("/programmes").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("No programmes yet")
    );
    assert_eq!(app.get("/programmes/new").await.status(), 200);

    // Invalid: shown again with messages and the typed values.
    let bad = [
        ("name", "Bydelsmødre København"),
        ("city", ""),
        ("country", "DN"),
        ("currency", "DKK"),
        ("default_language", "da"),
        ("start_date", "2007-01-01"),
        ("end_date", "2006-01-01"),
        ("description", "<script>alert(1)</script>"),
    ];
    let res = app.post_form("/programmes", &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Please fill in this field."), "{html}");
    assert!(html.contains("Unknown country code"));
    assert!(html.contains("The end date is before the start date."));
    assert!(html.contains("value=\"Bydelsmødre København\""));
    // Country and currency are chosen by name; the code sent stays chosen.
    assert!(html.contains("<option value=\"dn\" selected>"), "{html}");
    assert!(html.contains(">Denmark</option>") && html.contains(">Danish krone (DKK)</option>"));
    // User text is escaped, never interpreted.
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, 0);

    // Valid: redirect to the new programme with a flash message.
    let mut good = bad;
    good[1] = ("city", "København");
    good[2] = ("country", "DK");
    good[6] = ("end_date", "");
    let res = app.post_form("/programmes", &good).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.starts_with("/programmes/"));
    let html = app.get(&location).await.text().await.expect("text");
    assert!(
        html.contains("Programme “Bydelsmødre København” created."),
        "{html}"
    );
    // The flash is shown once.
    let html = app.get(&location).await.text().await.expect("text");
    assert!(!html.contains("created."));

    // Edit.
    let id = location.trim_start_matches("/programmes/");
    let res = app.get(&format!("/programmes/{id}/edit")).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("value=\"København\"")
    );
    let mut edited = good;
    edited[1] = ("city", "Copenhagen");
    let res = app.post_form(&format!("/programmes/{id}"), &edited).await;
    assert_eq!(res.status(), 303);
    let html = app.get(&location).await.text().await.expect("text");
    assert!(html.contains("Copenhagen"));

    // Districts: add, duplicate (error beside the field, value kept), rename.
    let res = app
        .post_form(
            &format!("/programmes/{id}/districts"),
            &[("name", "Nørrebro")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(
            &format!("/programmes/{id}/districts"),
            &[("name", "nørrebro")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("This programme already has a district with this name."));
    assert!(html.contains("value=\"nørrebro\""));
    let did = app.count("SELECT max(id) FROM districts").await;
    let res = app.get(&format!("/districts/{did}/edit")).await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_form(&format!("/districts/{did}"), &[("name", "Indre Nørrebro")])
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(&format!("/districts/{did}"), &[("name", " ")])
        .await;
    assert_eq!(res.status(), 422);

    // Delete is refused while it has a district; archive works.
    let res = app
        .post_form(&format!("/programmes/{id}/delete"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let html = app.get(&location).await.text().await.expect("text");
    assert!(html.contains("cannot be deleted; archive it instead"));
    let res = app
        .post_form(&format!("/programmes/{id}/archive"), &[])
        .await;
    assert_eq!(res.status(), 303);
    // Follow the redirect, as a browser would: the flash is shown there.
    let html = app.get(&location).await.text().await.expect("text");
    assert!(html.contains("archived. Its records are kept."));
    let list = app.get("/programmes").await.text().await.expect("text");
    assert!(!list.contains("Bydelsmødre København"));
    let list = app
        .get("/programmes?archived=true")
        .await
        .text()
        .await
        .expect("text");
    assert!(list.contains("Bydelsmødre København"));
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, 1);
}
