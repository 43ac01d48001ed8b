//! Two instances on one database (issue 20, point 3, in part): a session
//! made on one is valid on the other, failed sign-ins on both count
//! together towards the lockout, an idempotency key saves one visit
//! whichever instance each try reaches, and the report roll-ups are
//! recounted by one leader at a time.

use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::harness::{PASSWORD, TestApp, expect_json};
use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::reports::rollup;

#[tokio::test]
async fn sessions_lockouts_and_idempotency_keys_span_instances() {
    let app = TestApp::spawn().await;
    let b = app.second_instance().await;

    // The administrator, signed in on the first, is signed in on the second.
    let on_b = app.at(b.addr);
    let session = expect_json(on_b.get("/api/v1/session").await, 200).await;
    assert!(
        session.to_string().contains("admin@test.example"),
        "{session}"
    );
    let p = on_b
        .create(
            "/api/v1/programmes",
            &crate::harness::programme_json("Neukölln"),
        )
        .await;

    // Failures on either instance count together: the fifth locks, on both.
    app.create_user("maja@test.example", Role::Trainer, &[])
        .await;
    for i in 0..4 {
        let mut a = if i % 2 == 0 {
            app.anonymous()
        } else {
            app.anonymous().at(b.addr)
        };
        let res = a.sign_in("maja@test.example", "wrong password!").await;
        assert_eq!(res.status(), 401);
    }
    let mut a = app.anonymous().at(b.addr);
    assert_eq!(
        a.sign_in("maja@test.example", "wrong password!")
            .await
            .status(),
        429
    );
    let mut a = app.anonymous();
    assert_eq!(a.sign_in("maja@test.example", PASSWORD).await.status(), 429);

    // One key, two instances: one visit.
    let m = app.active_mother(p, "2020-01-01").await;
    let visit = json!({"mother_id": m, "anonymous": "true", "visited_on": "2024-03-04",
                       "duration_minutes": 45, "kind": "home_visit", "topic_ids": [1]});
    let mut ids = Vec::new();
    for agent in [&*app, &on_b] {
        let res = agent
            .client
            .post(agent.url("/api/v1/visits"))
            .header("idempotency-key", "phone-0001")
            .json(&visit)
            .send()
            .await
            .expect("POST");
        assert!(res.status().is_success(), "{}", res.status());
        ids.push(res.json::<serde_json::Value>().await.expect("json")["id"].clone());
    }
    assert_eq!(ids[0], ids[1], "the same visit");
    assert_eq!(app.count("SELECT count(*) FROM visits").await, 1);
    // What one instance wrote, the other lists.
    let list = expect_json(on_b.get("/api/v1/visits").await, 200).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn one_instance_at_a_time_recounts_the_roll_ups() {
    let app = TestApp::spawn().await;
    app.programme("Neukölln").await;
    // An instance's worker in the middle of a recount holds the lock...
    let mut leader = app.conn().await;
    diesel::sql_query("BEGIN")
        .execute(&mut leader)
        .await
        .expect("begin");
    diesel::sql_query("SELECT pg_advisory_xact_lock(x'726f6c6c7570'::bigint)")
        .execute(&mut leader)
        .await
        .expect("lock");
    // ...so another instance's worker steps aside instead of waiting.
    let mut other = app.conn().await;
    assert_eq!(
        rollup::refresh_pending(&mut other).await.expect("try"),
        None
    );
    diesel::sql_query("COMMIT")
        .execute(&mut leader)
        .await
        .expect("commit");
    assert!(
        rollup::refresh_pending(&mut other)
            .await
            .expect("lead")
            .is_some()
    );
}
