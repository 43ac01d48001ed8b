//! Two requests at once on the same record: every check-then-change holds
//! the record's row lock, so the outcome is the one of the two requests
//! one after the other.
//!
//! The window is made deterministic: the test holds the row lock itself
//! (`SELECT ... FOR UPDATE` in an open transaction), fires both requests,
//! waits until both wait for a lock, then lets go. Without the lock in the
//! use case both requests would have read the old state by then.

use std::future::Future;
use std::time::Duration;

use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}

async fn run(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).await.expect(sql);
}

/// How many of this database's backends wait for a lock.
async fn lock_waiters(app: &TestApp) -> i64 {
    app.count(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .await
}

/// Waits (up to 10 s) until `n` backends wait for a lock.
async fn until_waiting(app: &TestApp, n: i64) {
    for _ in 0..500 {
        if lock_waiters(app).await >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{n} requests never waited for the lock");
}

/// Runs `requests` while a test connection holds the rows of `lock` (a
/// `SELECT ... FOR UPDATE`); lets go once `waiters` of them wait for it.
async fn while_locked<F: Future>(
    app: &TestApp,
    lock: &str,
    waiters: i64,
    requests: F,
) -> F::Output {
    let mut conn = app.conn().await;
    run(&mut conn, "BEGIN").await;
    run(&mut conn, lock).await;
    let release = async {
        until_waiting(app, waiters).await;
        run(&mut conn, "COMMIT").await;
    };
    let (out, ()) = tokio::join!(requests, release);
    out
}

/// The status of both responses, smallest first.
fn statuses(a: &reqwest::Response, b: &reqwest::Response) -> [u16; 2] {
    let mut s = [a.status().as_u16(), b.status().as_u16()];
    s.sort_unstable();
    s
}

struct World {
    app: TestApp,
    programme: i64,
    coordinator: Agent,
    mother: i64,
}

/// A programme with a coordinator and an active mother.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let programme = id(&expect_json(
        app.post_json(
            "/api/v1/programmes",
            &json!({"name": "Stadtteilmütter Neukölln", "city": "Berlin", "country": "DE",
                    "currency": "EUR", "default_language": "de", "start_date": "2004-01-01"}),
        )
        .await,
        201,
    )
    .await);
    let coordinator = app.with_user(Role::Coordinator, &[programme]).await;
    let mother = id(&expect_json(
        coordinator
            .post_json(
                "/api/v1/mothers",
                &json!({"programme_id": programme.to_string(), "full_name": "Amina Yusuf",
                        "phone": "030 1234", "gender": "female", "engagement": "allowance",
                        "monthly_allowance": "250", "joined_on": "2020-01-01"}),
            )
            .await,
        201,
    )
    .await);
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
    World {
        app,
        programme,
        coordinator,
        mother,
    }
}

async fn family(w: &World) -> i64 {
    id(&expect_json(
        w.coordinator
            .post_json(
                "/api/v1/families",
                &json!({"programme_id": w.programme.to_string(), "contact_origin": "other",
                        "first_contact_on": "2024-01-10"}),
            )
            .await,
        201,
    )
    .await)
}

#[tokio::test]
async fn a_family_closed_twice_at_once_is_closed_once() {
    let w = world().await;
    let f = family(&w).await;
    let c = &w.coordinator;
    let close = |reason: &'static str| async move {
        c.post_json(
            &format!("/api/v1/families/{f}/close"),
            &json!({"closed_on": "2024-06-01", "reason": reason}),
        )
        .await
    };
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM families WHERE id = {f} FOR UPDATE"),
        2,
        async { tokio::join!(close("moved away"), close("no longer wanted")) },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 409]);
    let audit = format!(
        "SELECT count(*) FROM audit_events \
         WHERE entity = 'family' AND entity_id = {f} AND action = 'close'"
    );
    assert_eq!(w.app.count(&audit).await, 1);
}

#[tokio::test]
async fn a_referral_marked_done_twice_at_once_is_recorded_once() {
    let w = world().await;
    let f = family(&w).await;
    expect_json(
        w.coordinator
            .post_json(
                "/api/v1/visits",
                &json!({"mother_id": w.mother.to_string(), "family_id": f.to_string(),
                        "visited_on": "2024-03-01", "duration_minutes": "45",
                        "kind": "home_visit", "topic_ids": ["1"], "referrals": ["health"]}),
            )
            .await,
        201,
    )
    .await;
    let r = w.app.count("SELECT max(id) FROM referrals").await;
    let c = &w.coordinator;
    let done = |on: &'static str| async move {
        c.post_json(
            &format!("/api/v1/referrals/{r}/done"),
            &json!({"done_on": on}),
        )
        .await
    };
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM referrals WHERE id = {r} FOR UPDATE"),
        2,
        async { tokio::join!(done("2024-03-05"), done("2024-03-06")) },
    )
    .await;
    // Marking done is idempotent: both answer 200, one is recorded.
    assert_eq!(statuses(&a, &b), [200, 200]);
    let (a, b) = (expect_json(a, 200).await, expect_json(b, 200).await);
    assert_eq!(a["done_on"], b["done_on"], "both answer the one date kept");
    let audit = format!(
        "SELECT count(*) FROM audit_events \
         WHERE entity = 'referral' AND entity_id = {r} AND action = 'done'"
    );
    assert_eq!(w.app.count(&audit).await, 1);
}

#[tokio::test]
async fn two_status_changes_at_once_keep_the_true_previous_status() {
    let w = world().await;
    let m = w.mother;
    let c = &w.coordinator;
    let change = |to: &'static str| async move {
        c.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": to, "changed_on": "2021-01-01"}),
        )
        .await
    };
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM mothers WHERE id = {m} FOR UPDATE"),
        2,
        async { tokio::join!(change("paused"), change("left")) },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 200]);
    #[derive(QueryableByName, Debug)]
    struct Change {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        from_status: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        to_status: String,
    }
    let history: Vec<Change> = diesel::sql_query(format!(
        "SELECT from_status, to_status FROM mother_status_changes \
         WHERE mother_id = {m} ORDER BY id"
    ))
    .load(&mut w.app.conn().await)
    .await
    .expect("history");
    // applicant, -> active, then the two changes one after the other.
    assert_eq!(history.len(), 4, "{history:?}");
    for pair in history.windows(2) {
        assert_eq!(
            pair[1].from_status.as_deref(),
            Some(pair[0].to_status.as_str()),
            "each change starts where the one before ended: {history:?}"
        );
    }
    assert_eq!(history[2].from_status.as_deref(), Some("active"));
    let now = expect_json(
        w.coordinator.get(&format!("/api/v1/mothers/{m}")).await,
        200,
    )
    .await;
    assert_eq!(now["status"].as_str(), Some(history[3].to_status.as_str()));
}

#[tokio::test]
async fn an_enrolment_dropped_out_twice_at_once_is_ended_once() {
    let w = world().await;
    let trainer = w.app.with_user(Role::Trainer, &[w.programme]).await;
    let course = id(&expect_json(
        trainer
            .post_json(
                "/api/v1/courses",
                &json!({"programme_id": w.programme.to_string(), "name": "Spring 2024",
                        "trainer_id": trainer.user_id.expect("trainer id").to_string(),
                        "location": "Library", "starts_on": "2024-02-01",
                        "ends_on": "2024-06-30"}),
            )
            .await,
        201,
    )
    .await);
    let e = id(&expect_json(
        trainer
            .post_json(
                &format!("/api/v1/courses/{course}/enrolments"),
                &json!({"mother_id": w.mother.to_string(), "enrolled_on": "2024-02-01"}),
            )
            .await,
        201,
    )
    .await);
    let t = &trainer;
    let drop_out = |reason: &'static str| async move {
        t.post_json(
            &format!("/api/v1/enrolments/{e}/drop-out"),
            &json!({"dropped_out_on": "2024-04-01", "reason": reason}),
        )
        .await
    };
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM enrolments WHERE id = {e} FOR UPDATE"),
        2,
        async { tokio::join!(drop_out("moved away"), drop_out("found work")) },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 409]);
    let audit = format!(
        "SELECT count(*) FROM audit_events \
         WHERE entity = 'enrolment' AND entity_id = {e} AND action = 'drop_out'"
    );
    assert_eq!(w.app.count(&audit).await, 1);
}

/// A month's run with one draft payment (250.00) for the mother.
async fn allowance_run(w: &World) -> (String, i64) {
    let run = expect_json(
        w.app
            .post_json(
                "/api/v1/allowance-runs",
                &json!({"programme_id": w.programme.to_string(), "month": "2024-05"}),
            )
            .await,
        201,
    )
    .await;
    let payment = run["payments"][0]["id"].as_i64().expect("a payment");
    (
        format!("/api/v1/programmes/{}/allowance-runs/2024-05", w.programme),
        payment,
    )
}

#[tokio::test]
async fn an_allowance_run_confirmed_twice_at_once_is_confirmed_once() {
    let w = world().await;
    let (path, _) = allowance_run(&w).await;
    let (app, path) = (&w.app, &path);
    let confirm = || async move { app.post_json(&format!("{path}/confirm"), &json!({})).await };
    let (a, b) = while_locked(
        &w.app,
        &format!(
            "SELECT * FROM allowance_runs WHERE programme_id = {} FOR UPDATE",
            w.programme
        ),
        2,
        async { tokio::join!(confirm(), confirm()) },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 409]);
    let audit = format!(
        "SELECT count(*) FROM audit_events \
         WHERE entity = 'allowance_run' AND programme_id = {} AND action = 'confirm'",
        w.programme
    );
    assert_eq!(w.app.count(&audit).await, 1);
}

#[tokio::test]
async fn a_payment_changed_while_its_run_is_confirmed_stays_as_confirmed() {
    let w = world().await;
    let (path, payment) = allowance_run(&w).await;
    let p = w.programme;
    let mut conn = w.app.conn().await;
    run(&mut conn, "BEGIN").await;
    run(
        &mut conn,
        &format!("SELECT id FROM expenses WHERE id = {payment} FOR UPDATE"),
    )
    .await;
    // The confirmation first, then the change of the amount (the review
    // form), each waiting for the payment's row.
    let confirm_path = format!("{path}/confirm");
    let body = json!({});
    let confirm = w.app.post_json(&confirm_path, &body);
    let set_amount = async {
        until_waiting(&w.app, 1).await;
        let field = format!("amount{payment}");
        w.app
            .post_form(&format!("/allowances/{p}/2024-05"), &[(&field, "300")])
            .await
    };
    let release = async {
        until_waiting(&w.app, 2).await;
        run(&mut conn, "COMMIT").await;
    };
    let (confirmed, changed, ()) = tokio::join!(confirm, set_amount, release);
    expect_json(confirmed, 200).await;
    assert_eq!(changed.status(), 409, "a confirmed payment is not changed");
    let run = expect_json(w.app.get(&path).await, 200).await;
    assert_eq!(run["confirmed"], true);
    assert_eq!(run["payments"][0]["amount_minor"], 25000);
    assert_eq!(run["payments"][0]["status"], "confirmed");
    // The confirmation's audit row has the total that was confirmed.
    let total = w
        .app
        .count(&format!(
            "SELECT (changes->'total_minor'->>'new')::bigint FROM audit_events \
             WHERE entity = 'allowance_run' AND programme_id = {p} AND action = 'confirm'"
        ))
        .await;
    assert_eq!(total, 25000);
    // Nor through the expense's own form.
    let res = w
        .app
        .put_json(
            &format!("/api/v1/expenses/{payment}"),
            &json!({"spent_on": "2024-05-31", "category": "allowances", "amount": "300",
                    "currency": "EUR"}),
        )
        .await;
    expect_json(res, 409).await;
    let run = expect_json(w.app.get(&path).await, 200).await;
    assert_eq!(run["payments"][0]["amount_minor"], 25000);
}

#[tokio::test]
async fn a_visit_recorded_while_its_family_is_closed_is_refused() {
    let w = world().await;
    let f = family(&w).await;
    let mut conn = w.app.conn().await;
    run(&mut conn, "BEGIN").await;
    run(
        &mut conn,
        &format!("SELECT id FROM families WHERE id = {f} FOR UPDATE"),
    )
    .await;
    // The closing first, then the visit, each waiting for the family's row.
    let (close_path, close_body) = (
        format!("/api/v1/families/{f}/close"),
        json!({"closed_on": "2024-06-01", "reason": "moved away"}),
    );
    let close = w.coordinator.post_json(&close_path, &close_body);
    let visit_body = json!({"mother_id": w.mother.to_string(), "family_id": f.to_string(),
                            "visited_on": "2024-06-02", "duration_minutes": "45",
                            "kind": "home_visit", "topic_ids": ["1"]});
    let visit = async {
        until_waiting(&w.app, 1).await;
        w.coordinator.post_json("/api/v1/visits", &visit_body).await
    };
    let release = async {
        until_waiting(&w.app, 2).await;
        run(&mut conn, "COMMIT").await;
    };
    let (closed, visited, ()) = tokio::join!(close, visit, release);
    expect_json(closed, 200).await;
    let body = expect_json(visited, 422).await;
    assert_eq!(
        body["error"]["fields"]["family_id"],
        "This family is closed: no new visits."
    );
    let visits = format!("SELECT count(*) FROM visits WHERE family_id = {f}");
    assert_eq!(w.app.count(&visits).await, 0);
}

/// Two first answers for the same mother at the same point, at once: one
/// response (the second replaces the first), never two or a 500.
#[tokio::test]
async fn a_mothers_intake_answered_twice_at_once_is_one_response() {
    let w = world().await;
    let q = w
        .app
        .create(
            &format!("/api/v1/programmes/{}/questionnaires", w.programme),
            &json!({"template": "dk-goals"}),
        )
        .await;
    let trainer = w.app.with_user(Role::Trainer, &[w.programme]).await;
    let answer = |n: i64| {
        json!({"point": "intake", "mother_id": w.mother, "answered_on": "2024-02-01",
               "answers": {"children": n}})
    };
    let path = format!("/api/v1/questionnaires/{q}/responses");
    let (two, four) = (answer(2), answer(4));
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM questionnaires WHERE id = {q} FOR UPDATE"),
        2,
        async {
            tokio::join!(
                trainer.post_json(&path, &two),
                trainer.post_json(&path, &four)
            )
        },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 201]);
    assert_eq!(
        w.app
            .count("SELECT count(*)::bigint FROM questionnaire_responses")
            .await,
        1
    );
}

/// Two attendance lists saved at once for one event: the event's counts
/// are those of the list that won, never a mix.
#[tokio::test]
async fn an_events_attendance_saved_twice_at_once_keeps_one_list_and_its_counts() {
    let w = world().await;
    let p = w.programme;
    let mut people = Vec::new();
    for (code, origin) in [("A", "local"), ("B", "migrant"), ("C", "migrant")] {
        people.push(
            w.coordinator
                .create(
                    &format!("/api/v1/programmes/{p}/participants"),
                    &json!({"code": code, "origin": origin}),
                )
                .await,
        );
    }
    let event = w
        .coordinator
        .create(
            "/api/v1/events",
            &json!({"programme_id": p, "kind": "workshop", "title": "Treff", "held_on": "2024-05-05"}),
        )
        .await;
    let path = format!("/api/v1/events/{event}/participants");
    let one = json!({"participant_ids": [people[0]]});
    let two = json!({"participant_ids": [people[1], people[2]]});
    let (a, b) = while_locked(
        &w.app,
        &format!("SELECT id FROM events WHERE id = {event} FOR UPDATE"),
        2,
        async {
            tokio::join!(
                w.coordinator.put_json(&path, &one),
                w.coordinator.put_json(&path, &two)
            )
        },
    )
    .await;
    assert_eq!(statuses(&a, &b), [200, 200]);
    let list = expect_json(w.coordinator.get(&path).await, 200).await;
    let ev = expect_json(
        w.coordinator.get(&format!("/api/v1/events/{event}")).await,
        200,
    )
    .await;
    let n = list.as_array().map_or(0, Vec::len) as i64;
    let local = ev["local_participants"].as_i64().unwrap_or(-1);
    let migrant = ev["migrant_participants"].as_i64().unwrap_or(-1);
    assert_eq!(local + migrant, n, "the counts are the list's: {ev} {list}");
    assert!((local, migrant) == (1, 0) || (local, migrant) == (0, 2));
}
