//! `Idempotency-Key` on `POST /api/v1/visits`: a repeat answers the first
//! answer and saves nothing, however often and however concurrently it
//! comes; the same key with another body is a conflict.

use neighbourhood_mothers::app::Settings;
use neighbourhood_mothers::auth::Role;
use reqwest::Response;
use serde_json::{Value, json};

use crate::harness::{Agent, PASSWORD, TestApp, expect_json};

/// A programme with an active mother and a family; the coordinator.
async fn world(app: &TestApp) -> (Agent, Value) {
    let programme = app.programme("Bydelsmødre Odense").await;
    let coordinator = app.with_user(Role::Coordinator, &[programme]).await;
    let mother = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": programme.to_string(), "full_name": "Hodan Ali",
                    "phone": "1", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01"}),
        )
        .await;
    expect_json(
        coordinator
            .post_json(
                &format!("/api/v1/mothers/{mother}/status"),
                &json!({"status": "active", "changed_on": "2020-06-01"}),
            )
            .await,
        200,
    )
    .await;
    let visit = json!({"mother_id": mother.to_string(), "anonymous": "true",
                       "visited_on": "2024-03-04", "duration_minutes": "45",
                       "kind": "home_visit", "topic_ids": ["1"]});
    (coordinator, visit)
}

async fn post(agent: &Agent, key: &str, body: &Value) -> Response {
    agent
        .client
        .post(agent.url("/api/v1/visits"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("POST")
}

async fn visits(app: &TestApp) -> i64 {
    app.count("SELECT count(*) FROM visits").await
}

#[tokio::test]
async fn a_repeat_answers_the_first_answer_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let (coordinator, visit) = world(&app).await;

    let first = post(&coordinator, "phone-7f3a-0001", &visit).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.expect("json");
    let again = post(&coordinator, "phone-7f3a-0001", &visit).await;
    assert_eq!(again.status(), 201, "the same answer");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.expect("json");
    assert_eq!(again, first);
    assert_eq!(visits(&app).await, 1);

    // The same key with another body: 409, nothing saved.
    let mut other = visit.clone();
    other["duration_minutes"] = json!("50");
    let e = expect_json(post(&coordinator, "phone-7f3a-0001", &other).await, 409).await;
    assert_eq!(e["error"]["code"], "conflict");
    assert_eq!(visits(&app).await, 1);

    // Without a key, the same body is a second visit (a duplicate warning
    // asks for confirmation first, as always).
    let mut confirmed = visit.clone();
    confirmed["confirm_duplicate"] = json!("true");
    expect_json(
        coordinator.post_json("/api/v1/visits", &confirmed).await,
        201,
    )
    .await;
    assert_eq!(visits(&app).await, 2);

    // A refused request keeps nothing: corrected, the same key saves.
    let mut bad = visit.clone();
    bad["duration_minutes"] = json!("-5");
    expect_json(post(&coordinator, "phone-7f3a-0002", &bad).await, 422).await;
    let mut fixed = confirmed.clone();
    fixed["duration_minutes"] = json!("30");
    expect_json(post(&coordinator, "phone-7f3a-0002", &fixed).await, 201).await;
    assert_eq!(visits(&app).await, 3);

    // Keys are per user: another user's same key is their own.
    let colleague = {
        let programme = app.count("SELECT min(id) FROM programmes").await;
        app.with_user(Role::Coordinator, &[programme]).await
    };
    let mut theirs = visit.clone();
    theirs["confirm_duplicate"] = json!("true");
    theirs["duration_minutes"] = json!("20");
    expect_json(post(&colleague, "phone-7f3a-0001", &theirs).await, 201).await;
    assert_eq!(visits(&app).await, 4);

    // A bulk array: the same ids again.
    let bulk = json!([
        {"mother_id": visit["mother_id"], "anonymous": "true", "visited_on": "2024-05-01",
         "duration_minutes": "30", "kind": "phone", "topic_ids": ["2"]},
        {"mother_id": visit["mother_id"], "anonymous": "true", "visited_on": "2024-05-02",
         "duration_minutes": "30", "kind": "phone", "topic_ids": ["2"]},
    ]);
    let ids = expect_json(post(&coordinator, "paper-forms-may", &bulk).await, 201).await;
    let again = expect_json(post(&coordinator, "paper-forms-may", &bulk).await, 201).await;
    assert_eq!(ids, again);
    assert_eq!(visits(&app).await, 6);

    // A malformed key is refused before anything happens.
    for key in ["", "with space", &"k".repeat(256)] {
        expect_json(post(&coordinator, key, &visit).await, 400).await;
    }
    assert_eq!(visits(&app).await, 6);
}

/// Twenty repeats at once, through a pool of three connections: one visit,
/// twenty times the same answer.
#[tokio::test]
async fn concurrent_repeats_make_one_visit() {
    let mut app = TestApp::spawn_with_pool(Settings::default(), 3).await;
    app.create_user("admin@test.example", Role::Admin, &[])
        .await;
    let res = app.sign_in("admin@test.example", PASSWORD).await;
    assert_eq!(res.status(), 303);
    let (coordinator, visit) = world(&app).await;
    let answers = futures_util::future::join_all(
        (0..20).map(|_| post(&coordinator, "offline-queue-42", &visit)),
    )
    .await;
    let mut ids = Vec::new();
    for res in answers {
        assert_eq!(res.status(), 201);
        let v: Value = res.json().await.expect("json");
        ids.push(v["id"].as_i64().expect("id"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one visit answered twenty times");
    assert_eq!(visits(&app).await, 1);
    assert_eq!(app.count("SELECT count(*) FROM idempotency_keys").await, 1);
}

/// Keys are kept at least seven days; older ones go as new ones come.
#[tokio::test]
async fn old_keys_are_removed_as_new_ones_come() {
    let app = TestApp::spawn().await;
    let (coordinator, visit) = world(&app).await;
    let user = coordinator.user_id.expect("user");
    app.sql(&format!(
        "INSERT INTO idempotency_keys (user_id, key, request_sha256, status, response, created_at) \
         VALUES ({user}, 'old', '\\x00', 201, '{{}}', now() - interval '9 days'), \
                ({user}, 'recent', '\\x00', 201, '{{}}', now() - interval '6 days')"
    ))
    .await;
    expect_json(post(&coordinator, "new", &visit).await, 201).await;
    let kept = app
        .count("SELECT count(*) FROM idempotency_keys WHERE key IN ('recent', 'new')")
        .await;
    assert_eq!(kept, 2);
    assert_eq!(
        app.count("SELECT count(*) FROM idempotency_keys WHERE key = 'old'")
            .await,
        0
    );
}
