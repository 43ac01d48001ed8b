//! Reads from a read-only copy (issue 20, point 2, in part): with a read
//! pool configured, reports, comparisons, exports and the profile read
//! through it, and work there, since none of them writes; everything else
//! uses the primary. The copy here is the same database reached read-only
//! under its own application name, so that its use can be seen.

use serde_json::json;

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn reports_read_through_the_read_only_copy() {
    let app = TestApp::spawn_with_read_copy("nm_read_copy").await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = app.active_mother(p, "2011-01-01").await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &json!({"mother_id": m, "visited_on": "2012-03-10", "duration_minutes": 60,
                    "kind": "home_visit", "topic_ids": [1]}),
        )
        .await,
        201,
    )
    .await;
    // Every report, on a copy that refuses any write.
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2012&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r["visits"]["total"], 1);
    for path in [
        format!("/reports?year=2012&programme={p}"),
        format!("/reports/yearly.csv?year=2012&programme={p}"),
        format!("/reports/yearly.xlsx?year=2012&programme={p}"),
        format!("/reports/compare?year=2012&programme={p}"),
        format!("/api/v1/reports/compare?year=2012&programme={p}"),
        format!("/reports/profile?year=2012&programme={p}"),
        format!("/reports/profile.md?year=2012&programme={p}"),
        format!("/api/v1/reports/profile?year=2012&programme={p}"),
    ] {
        assert_eq!(app.get(&path).await.status(), 200, "{path}");
    }
    // They went through the copy.
    let copies = app
        .count(
            "SELECT count(*)::bigint FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'nm_read_copy'",
        )
        .await;
    assert!(copies >= 1, "the read pool was used");
    // Writes still go to the primary.
    app.create(
        &format!("/api/v1/programmes/{p}/districts"),
        &json!({"name": "Nord"}),
    )
    .await;
}
