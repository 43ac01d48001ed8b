//! Users through the API: an administrator creates one (the one-time
//! password answered once), lists, changes role and programmes, and
//! deactivates; nobody else may.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn administrators_manage_users_through_the_api() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let q = app.programme("Stadtteilmütter Neukölln").await;
    let res = app
        .post_json(
            "/api/v1/users",
            &json!({"email": "amina@example.org", "display_name": "Amina Hassan",
                    "role": "coordinator", "programme_ids": [p]}),
        )
        .await;
    assert_eq!(
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let created = expect_json(res, 201).await;
    let id = created["user"]["id"].as_i64().expect("id");
    assert_eq!(location, format!("/api/v1/users/{id}"));
    let password = created["one_time_password"].as_str().expect("password");
    assert!(password.len() >= 12);
    assert_eq!(created["user"]["must_change_password"], true);
    // The new user signs in with it.
    let mut amina = app.anonymous();
    assert_eq!(
        amina.sign_in("amina@example.org", password).await.status(),
        303
    );

    let list = expect_json(app.get("/api/v1/users").await, 200).await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|u| u["id"] == id)
    );
    assert!(list["total"].as_i64().expect("total") >= 2);

    let changed = expect_json(
        app.patch_json(
            &format!("/api/v1/users/{id}"),
            &json!({"role": "manager", "programme_ids": [p, q]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["role"], "manager");
    assert_eq!(changed["programme_ids"], json!([p, q]));
    assert_eq!(
        changed["display_name"], "Amina Hassan",
        "what is not sent stays"
    );
    let bad = expect_json(
        app.patch_json(&format!("/api/v1/users/{id}"), &json!({"role": "king"}))
            .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["role"].is_string());
    let dup = expect_json(
        app.post_json(
            "/api/v1/users",
            &json!({"email": "AMINA@example.org", "display_name": "x", "role": "trainer",
                    "programme_ids": [p]}),
        )
        .await,
        422,
    )
    .await;
    assert!(dup["error"]["fields"]["email"].is_string());

    let off = expect_json(
        app.post_json(&format!("/api/v1/users/{id}/deactivate"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(off["active"], false);
    expect_json(amina.get("/api/v1/session").await, 401).await;
    let on = expect_json(
        app.post_json(&format!("/api/v1/users/{id}/activate"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(on["active"], true);

    // Only administrators.
    let manager = app.with_user(Role::Manager, &[p]).await;
    expect_json(manager.get("/api/v1/users").await, 403).await;
    expect_json(
        manager
            .post_json("/api/v1/users", &json!({"email": "x@example.org"}))
            .await,
        403,
    )
    .await;
}
