//! Funders belong to a programme, or are shared (administrators only): one
//! programme's manager can neither see nor change another programme's
//! funders, and a grant uses only its programme's funders or shared ones.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};

fn grant(programme: i64, funder: i64) -> Value {
    json!({"programme_id": programme.to_string(), "funder_id": funder.to_string(), "amount": "1000",
           "starts_on": "2015-01-01", "ends_on": "2015-12-31", "status": "granted"})
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn a_managers_funders_stay_in_their_programme() {
    let app = TestApp::spawn().await;
    let a = app.programme("Kranichstein").await;
    let b = app.programme("Neukölln").await;
    let manager_a = app.with_user(Role::Manager, &[a]).await;
    let manager_b = app.with_user(Role::Manager, &[b]).await;

    // B's manager adds a funder: it belongs to B, B's only programme.
    let fb = expect_json(
        manager_b
            .post_json(
                "/api/v1/funders",
                &json!({"name": "Bezirksamt Neukölln", "kind": "municipality", "contact": "amt@example.org"}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(fb["programme_id"], b);
    let fb = fb["id"].as_i64().expect("id");
    expect_json(
        manager_b.post_json("/api/v1/grants", &grant(b, fb)).await,
        201,
    )
    .await;
    // An administrator's funder without a programme is shared.
    let shared = expect_json(
        app.post_json(
            "/api/v1/funders",
            &json!({"name": "Bundesamt für Migration", "kind": "government"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(shared["programme_id"], Value::Null);
    let shared = shared["id"].as_i64().expect("id");

    // A's manager cannot rename B's funder: not found, and nothing changes.
    let rename = json!({"name": "Renamed by A", "kind": "municipality"});
    expect_json(
        manager_a
            .put_json(&format!("/api/v1/funders/{fb}"), &rename)
            .await,
        404,
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM funders WHERE id = {fb} AND name = 'Bezirksamt Neukölln'"
        ))
        .await,
        1
    );
    expect_json(manager_a.get(&format!("/api/v1/funders/{fb}")).await, 404).await;
    // Nor a shared one: forbidden, and nothing changes.
    let res = manager_a
        .put_json(&format!("/api/v1/funders/{shared}"), &rename)
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.count("SELECT count(*) FROM funders WHERE name = 'Renamed by A'")
            .await,
        0
    );
    // Nor add one to B, nor a shared one.
    for owner in [b.to_string(), String::new()] {
        let body = expect_json(
            manager_a
                .post_json(
                    "/api/v1/funders",
                    &json!({"name": "Sneaky", "kind": "foundation", "programme_id": owner}),
                )
                .await,
            422,
        )
        .await;
        assert!(
            body["error"]["fields"]["programme_id"].is_string(),
            "{body}"
        );
    }
    // A's own funder: created with `programme_id`, changed by A's manager.
    let fa = expect_json(
        manager_a
            .post_json(
                "/api/v1/funders",
                &json!({"name": "Stadt Darmstadt", "kind": "municipality", "programme_id": a.to_string()}),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let renamed = expect_json(
        manager_a
            .put_json(
                &format!("/api/v1/funders/{fa}"),
                &json!({"name": "Wissenschaftsstadt Darmstadt", "kind": "municipality"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(renamed["programme_id"], a, "the owner stays when left out");

    // A's list: the shared funder and A's own; not B's (nor its contact).
    let list = expect_json(manager_a.get("/api/v1/funders").await, 200).await;
    assert_eq!(
        names(&list),
        ["Bundesamt für Migration", "Wissenschaftsstadt Darmstadt"]
    );
    let html = manager_a.get("/funding").await.text().await.expect("text");
    assert!(html.contains("Wissenschaftsstadt Darmstadt"));
    assert!(!html.contains("Bezirksamt") && !html.contains("amt@example.org"));

    // A grant of A refuses B's funder (API and form), and stores nothing.
    let body = expect_json(
        manager_a.post_json("/api/v1/grants", &grant(a, fb)).await,
        422,
    )
    .await;
    assert_eq!(body["error"]["fields"]["funder_id"], "Choose a funder.");
    let (pa, fbs) = (a.to_string(), fb.to_string());
    let form = [
        ("programme_id", pa.as_str()),
        ("funder_id", fbs.as_str()),
        ("amount", "1000"),
        ("starts_on", "2015-01-01"),
        ("ends_on", "2015-12-31"),
        ("status", "granted"),
    ];
    let res = manager_a.post_form("/grants", &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Choose a funder."), "{html}");
    assert!(!html.contains("Bezirksamt"), "B's funder is not offered");
    // Even an administrator cannot charge A's grant to B's funder.
    expect_json(app.post_json("/api/v1/grants", &grant(a, fb)).await, 422).await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM grants WHERE programme_id = {a}"
        ))
        .await,
        0
    );
    // The database refuses it too.
    let mut conn = app.conn().await;
    let res = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO grants (programme_id, funder_id, amount_minor, currency, starts_on, ends_on) \
             VALUES ({a}, {fb}, 1, 'EUR', '2015-01-01', '2015-12-31')"
        )),
        &mut conn,
    )
    .await;
    assert!(
        res.is_err(),
        "the trigger refuses another programme's funder"
    );
    // Shared and own funders are fine.
    expect_json(
        manager_a
            .post_json("/api/v1/grants", &grant(a, shared))
            .await,
        201,
    )
    .await;
    expect_json(
        manager_a.post_json("/api/v1/grants", &grant(a, fa)).await,
        201,
    )
    .await;

    // An administrator sees and changes every funder.
    let list = expect_json(app.get("/api/v1/funders").await, 200).await;
    assert_eq!(names(&list).len(), 3);
    expect_json(
        app.put_json(
            &format!("/api/v1/funders/{fb}"),
            &json!({"name": "Bezirksamt Berlin-Neukölln", "kind": "municipality"}),
        )
        .await,
        200,
    )
    .await;
    let moved = expect_json(
        app.put_json(
            &format!("/api/v1/funders/{fa}"),
            &json!({"name": "Wissenschaftsstadt Darmstadt", "kind": "municipality", "programme_id": ""}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["programme_id"], Value::Null, "now shared");
    // B's grant uses B's funder: it cannot move to A.
    let body = expect_json(
        app.put_json(
            &format!("/api/v1/funders/{fb}"),
            &json!({"name": "Bezirksamt Berlin-Neukölln", "kind": "municipality", "programme_id": a.to_string()}),
        )
        .await,
        422,
    )
    .await;
    assert!(
        body["error"]["fields"]["programme_id"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn a_manager_of_two_programmes_chooses_the_funders_programme() {
    let app = TestApp::spawn().await;
    let a = app.programme("Kranichstein").await;
    let b = app.programme("Eberstadt").await;
    let manager = app.with_user(Role::Manager, &[a, b]).await;
    let res = manager
        .post_form(
            "/funders",
            &[("name", "Sparkasse Darmstadt"), ("kind", "foundation")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Choose the programme this funder belongs to."));
    assert!(html.contains("value=\"Sparkasse Darmstadt\""), "input kept");
    let res = manager
        .post_form(
            "/funders",
            &[
                ("name", "Sparkasse Darmstadt"),
                ("kind", "foundation"),
                ("programme_id", &b.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM funders WHERE programme_id = {b} AND name = 'Sparkasse Darmstadt'"
        ))
        .await,
        1
    );
    // Another programme may name its own funder alike.
    let other = app.programme("Neukölln").await;
    let elsewhere = app.with_user(Role::Manager, &[other]).await;
    expect_json(
        elsewhere
            .post_json(
                "/api/v1/funders",
                &json!({"name": "Sparkasse Darmstadt", "kind": "foundation"}),
            )
            .await,
        201,
    )
    .await;
}
