use serde_json::{Value, json};

use crate::harness::TestApp;

#[tokio::test]
async fn healthz_reports_ok_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    let body: Value = res.json().await.expect("json");
    assert_eq!(body, json!({"status": "ok", "database": "ok"}));
}

/// The database goes away (no connections admitted, the open ones cut) and
/// comes back: the server answers 503 meanwhile and recovers by itself.
#[tokio::test]
async fn the_server_rides_out_a_database_outage() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let db = &app.db_name;

    app.admin_sql(&format!(
        "ALTER DATABASE \"{db}\" WITH ALLOW_CONNECTIONS false"
    ))
    .await;
    app.admin_sql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ))
    .await;

    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["database"], "unavailable");

    let res = app.get("/api/v1/programmes").await;
    let status = res.status();
    let body: Value = res.json().await.expect("json");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");

    let res = app.get("/programmes").await;
    assert_eq!(res.status(), 503);
    let html = res.text().await.expect("text");
    assert!(html.contains("The database is not answering"), "{html}");

    app.admin_sql(&format!(
        "ALTER DATABASE \"{db}\" WITH ALLOW_CONNECTIONS true"
    ))
    .await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get("/api/v1/programmes").await.status(), 200);
}
