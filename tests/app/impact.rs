//! Reports that prove impact (issue 19), with known figures: events by
//! kind (Darmstadt) and a funder report with referrals by service and the
//! training delivered with interpreters (Dorsten).

use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};
use neighbourhood_mothers::authz::Role;

async fn active_mother(app: &TestApp, p: i64, name: &str) -> i64 {
    let m = app
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p, "full_name": name, "phone": "+49 1", "gender": "female",
                    "engagement": "volunteer", "joined_on": "2015-01-01"}),
        )
        .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": "active", "changed_on": "2015-02-01", "reason": "trained"}),
        )
        .await,
        200,
    )
    .await;
    m
}

fn count_of(list: &Value, key: &str, code: &str) -> i64 {
    list.as_array()
        .expect("list")
        .iter()
        .find(|x| x[key] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))["count"]
        .as_i64()
        .expect("count")
}

/// Darmstadt 2019: 24 events, 5 of them workshops, a field trip and 4
/// information sessions; and 2 of the programme's own kind.
#[tokio::test]
async fn events_are_reported_by_kind() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Darmstadt").await;
    let own = app
        .create(
            &format!("/api/v1/programmes/{p}/event-kinds"),
            &json!({"label": "Frauenfrühstück"}),
        )
        .await;
    let mut events = Vec::new();
    for (kind, n) in [
        ("event".to_owned(), 14),
        ("workshop".to_owned(), 5),
        ("excursion".to_owned(), 1),
        ("information_session".to_owned(), 4),
        (own.to_string(), 2),
    ] {
        for i in 0..n {
            events.push(
                json!({"programme_id": p, "kind": kind, "title": format!("{kind} {i}"),
                               "held_on": "2019-05-04", "migrant_participants": 3,
                               "local_participants": 1}),
            );
        }
    }
    // One of another year counts in neither.
    events.push(
        json!({"programme_id": p, "kind": "workshop", "title": "2020",
                       "held_on": "2020-01-10"}),
    );
    expect_json(app.post_json("/api/v1/events", &events).await, 201).await;
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    let e = &r["events"];
    assert_eq!(e["count"], 26);
    assert_eq!(e["participants_migrant"], 78);
    let by_kind = &e["by_kind"];
    assert_eq!(count_of(by_kind, "kind", "event"), 14);
    assert_eq!(count_of(by_kind, "kind", "workshop"), 5);
    assert_eq!(count_of(by_kind, "kind", "excursion"), 1);
    assert_eq!(count_of(by_kind, "kind", "information_session"), 4);
    assert_eq!(count_of(by_kind, "kind", &own.to_string()), 2);
    let sum: i64 = by_kind
        .as_array()
        .expect("by_kind")
        .iter()
        .filter_map(|k| k["count"].as_i64())
        .sum();
    assert_eq!(sum, 26, "every event under one kind");
    // The page names them, the programme's own by its label.
    let page = app
        .get(&format!("/reports?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Frauenfrühstück") && page.contains("information session"));
}

/// Dorsten: a funder report of 2019 with referrals by service, events by
/// kind and the training delivered, with interpreters.
#[tokio::test]
async fn a_funder_report_gives_referrals_by_service_and_training_delivered() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Dorsten").await;
    let m = active_mother(&app, p, "Fatma").await;
    let own = app
        .create(
            &format!("/api/v1/programmes/{p}/services"),
            &json!({"label": "Familienbüro"}),
        )
        .await
        .to_string();
    let visit = |on: &str, referrals: Value| {
        json!({"mother_id": m, "visited_on": on, "duration_minutes": 60, "kind": "home_visit",
               "topic_ids": [1], "referrals": referrals})
    };
    let mut referral_ids = Vec::new();
    for (on, referrals) in [
        ("2019-03-01", json!(["health", "school"])),
        ("2019-06-01", json!(["health", own])),
        ("2018-12-01", json!(["health"])),
    ] {
        let v = expect_json(
            app.post_json("/api/v1/visits", &visit(on, referrals)).await,
            201,
        )
        .await;
        referral_ids.push(v["referrals"][0]["id"].as_i64().expect("referral"));
    }
    // The first health referral reached the service.
    expect_json(
        app.patch_json(
            &format!("/api/v1/referrals/{}", referral_ids[0]),
            &json!({"status": "done", "done_on": "2019-04-01"}),
        )
        .await,
        200,
    )
    .await;
    app.create(
        "/api/v1/events",
        &json!({"programme_id": p, "kind": "workshop", "title": "Schule", "held_on": "2019-09-01"}),
    )
    .await;
    // A course with three modules in 2019 (two interpreted) and one in 2020.
    let trainer = app
        .create_user("trainer@dorsten.example", Role::Trainer, &[p])
        .await;
    let course = app
        .create(
            "/api/v1/courses",
            &json!({"programme_id": p, "trainer_id": trainer, "name": "Kurs 2019",
                    "location": "Dorsten", "starts_on": "2019-01-01", "ends_on": "2020-06-30"}),
        )
        .await;
    for (held_on, languages) in [
        ("2019-02-01", json!(["ar"])),
        ("2019-02-08", json!(["ar", "tr"])),
        ("2019-02-15", json!([])),
        ("2020-02-01", json!(["ar"])),
    ] {
        app.create(
            &format!("/api/v1/courses/{course}/modules"),
            &json!({"title": format!("Modul {held_on}"), "topic_id": 1, "held_on": held_on,
                    "hours": "2", "interpreter_languages": languages}),
        )
        .await;
    }
    let funder = app
        .create(
            "/api/v1/funders",
            &json!({"programme_id": p, "name": "Stadt Dorsten", "kind": "municipality"}),
        )
        .await;
    let grant = app
        .create(
            "/api/v1/grants",
            &json!({"programme_id": p, "funder_id": funder, "amount": "50000",
                    "starts_on": "2019-01-01", "ends_on": "2019-12-31", "status": "granted"}),
        )
        .await;
    let r = expect_json(
        app.get(&format!("/api/v1/grants/{grant}/report")).await,
        200,
    )
    .await;
    let a = &r["activity"];
    assert_eq!(a["referrals"], 4, "2018's is outside the period");
    let by_service = &a["referrals_by_service"];
    assert_eq!(count_of(by_service, "service", "health"), 2);
    assert_eq!(count_of(by_service, "service", "school"), 1);
    assert_eq!(count_of(by_service, "service", &own), 1);
    let health = by_service
        .as_array()
        .expect("list")
        .iter()
        .find(|x| x["service"] == "health")
        .expect("health");
    assert_eq!(health["done"], 1);
    assert_eq!(count_of(&a["events"]["by_kind"], "kind", "workshop"), 1);
    let t = &a["training"];
    assert_eq!(t["modules"], 3);
    assert_eq!(t["minutes"], 360);
    assert_eq!(t["interpreted_modules"], 2);
    assert_eq!(t["interpreted_minutes"], 240);
    assert_eq!(t["interpreter_languages"], json!({"ar": 2, "tr": 1}));
    let page = app
        .get(&format!("/grants/{grant}/report"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Familienbüro"),
        "referrals by service by label"
    );
    assert!(page.contains("Training delivered") && page.contains("Arabic (2)"));
}

/// Berlin's plan of ten visits: two families complete it (in 90 and 120
/// days), one is closed after four visits, one stands at visit six.
#[tokio::test]
async fn a_visit_plan_shows_progress_and_is_reported() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = active_mother(&app, p, "Ayşe").await;
    let plan: Vec<Value> = (1..=10)
        .map(|i| json!({"topic_ids": [if i % 2 == 0 { 1 } else { 2 }], "note": format!("Schritt {i}")}))
        .collect();
    let saved = expect_json(
        app.put_json(
            &format!("/api/v1/programmes/{p}/visit-plan"),
            &json!({"visits": plan}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(saved["visits"].as_array().map(Vec::len), Some(10));
    assert_eq!(saved["visits"][9]["number"], 10);
    // A topic the programme does not have is refused, and nothing changes.
    let bad = expect_json(
        app.put_json(
            &format!("/api/v1/programmes/{p}/visit-plan"),
            &json!({"visits": [{"topic_ids": [999999]}]}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["visits"].is_string());
    let read = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/visit-plan")).await,
        200,
    )
    .await;
    assert_eq!(read, saved);

    let family = |code: &str| {
        json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2019-01-01",
               "consent_on": "2019-01-01", "name": code, "primary_mother_id": m})
    };
    let mut ids = Vec::new();
    for name in ["A", "B", "C", "D"] {
        ids.push(app.create("/api/v1/families", &family(name)).await);
    }
    let start = chrono::NaiveDate::from_ymd_opt(2019, 2, 1).expect("date");
    let mut visits = Vec::new();
    for (f, n, span) in [
        (ids[0], 10, 90),
        (ids[1], 10, 120),
        (ids[2], 4, 30),
        (ids[3], 6, 50),
    ] {
        for i in 0..n {
            let on = start + chrono::Days::new(i * span / (n - 1));
            visits.push(
                json!({"mother_id": m, "family_id": f, "visited_on": on.to_string(),
                               "duration_minutes": 60, "kind": "home_visit", "topic_ids": [1]}),
            );
        }
    }
    expect_json(app.post_json("/api/v1/visits", &visits).await, 201).await;
    expect_json(
        app.post_json(
            &format!("/api/v1/families/{}/close", ids[2]),
            &json!({"closed_on": "2019-06-01", "reason": "moved away"}),
        )
        .await,
        200,
    )
    .await;

    // The family's page and the mother's home show where each stands.
    let page = app
        .get(&format!("/families/{}", ids[3]))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Visit plan: visit 6 of 10"), "progress");
    assert!(page.contains("Schritt 7"), "the next planned visit");
    let her = app.mother_agent(m).await;
    let home = her.get("/my").await.text().await.expect("html");
    assert!(
        home.contains("Visit plan: visit 6 of 10 · next:"),
        "her home"
    );
    let done = app
        .get(&format!("/families/{}", ids[0]))
        .await
        .text()
        .await
        .expect("html");
    assert!(done.contains("Visit plan: visit 10 of 10") && done.contains("plan completed"));

    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    let plan = &r["visit_plan"];
    assert_eq!(plan["visits_in_plan"], 10);
    assert_eq!(plan["families_completed"], 2);
    assert_eq!(plan["median_days_to_complete"], 105.0);
    assert_eq!(plan["stopped"], json!([{"after_visit": 4, "families": 1}]));
    let html = app
        .get(&format!("/reports?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("A plan of 10 visits") && html.contains("105 days"));
    // Without a plan, or over several programmes, no plan figures.
    let all = expect_json(app.get("/api/v1/reports/yearly?year=2019").await, 200).await;
    assert!(all["visit_plan"].is_null() || all["programmes"].as_array().map(Vec::len) == Some(1));
    // Saving it again unchanged writes no audit row; the change wrote one.
    let again = json!({"visits": saved["visits"]});
    expect_json(
        app.put_json(&format!("/api/v1/programmes/{p}/visit-plan"), &again)
            .await,
        200,
    )
    .await;
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM audit_events WHERE entity = 'visit_plan'")
            .await,
        1
    );
}

/// The plan's page: a manager adds visits, ticks their topics and saves;
/// a visit without a topic is refused with the form kept as typed.
#[tokio::test]
async fn the_plan_page_builds_a_plan_without_javascript() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let manager = app.with_user(Role::Manager, &[p]).await;
    let path = format!("/programmes/{p}/visit-plan");
    let page = manager.get(&path).await.text().await.expect("html");
    assert!(page.contains("no visit plan yet"));
    // "Add a visit" twice: the form grows, nothing is saved yet.
    let res = manager
        .post_form(&path, &[("visits", "0"), ("add", "1")])
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("Visit 1") && html.contains("name=\"topics_1\""));
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM visit_plan_steps")
            .await,
        0
    );
    // Saved with a visit that has no topic: refused, the note kept.
    let res = manager
        .post_form(
            &path,
            &[
                ("visits", "2"),
                ("topics_1", "1"),
                ("note_1", "Kennenlernen"),
                ("note_2", "Kita"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("Give visit 2 of the plan at least one"),
        "{html}"
    );
    assert!(html.contains("value=\"Kennenlernen\"") && html.contains("value=\"Kita\""));
    // Corrected: saved, and shown again.
    let res = manager
        .post_form(
            &path,
            &[
                ("visits", "2"),
                ("topics_1", "1"),
                ("note_1", "Kennenlernen"),
                ("topics_2", "4"),
                ("topics_2", "2"),
                ("note_2", "Kita"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let plan = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/visit-plan")).await,
        200,
    )
    .await;
    assert_eq!(plan["visits"][1]["topic_ids"], json!([4, 2]));
    assert_eq!(plan["visits"][1]["note"], "Kita");
    // A coordinator reads it, without the form.
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let html = coordinator.get(&path).await.text().await.expect("html");
    assert!(html.contains("Kennenlernen") && !html.contains("name=\"topics_1\""));
}
