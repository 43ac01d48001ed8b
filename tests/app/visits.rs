//! Families and visits through the real server: each rule, the visit form
//! with "log another", bulk creation, lists, topics, events, and privacy.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

const NAME: &str = "Familie Abdi-Warsame";
const PHONE: &str = "+49 176 5550199";

struct World {
    app: TestApp,
    programme: i64,
    other: i64,
    coordinator: Agent,
    mother: i64,
    family: i64,
}

/// A programme with a district, an active mother, a coordinator and a
/// family with personal details; and a second programme.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for name in ["Stadtteilmütter Neukölln", "Stadtteilmütter Kreuzberg"] {
        ids.push(app.programme(name).await);
    }
    let (programme, other) = (ids[0], ids[1]);
    let coordinator = app.with_user(Role::Coordinator, &[programme, other]).await;
    let m = expect_json(
        coordinator
            .post_json(
                "/api/v1/mothers",
                &json!({"programme_id": programme.to_string(), "full_name": "Amina Yusuf",
                        "phone": "030 1234", "gender": "female", "engagement": "volunteer",
                        "joined_on": "2020-01-01"}),
            )
            .await,
        201,
    )
    .await;
    let mother = m["id"].as_i64().expect("id");
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
    let f = expect_json(
        coordinator
            .post_json(
                "/api/v1/families",
                &json!({"programme_id": programme.to_string(), "children_count": "3",
                        "children_birth_years": "2016, 2019, 2022", "languages": ["so", "de"],
                        "contact_origin": "school_daycare", "first_contact_on": "2024-01-10",
                        "consent_on": "2024-01-10", "consent_scope": "visits and referrals",
                        "primary_mother_id": mother.to_string(), "name": NAME, "phone": PHONE,
                        "address": "Rollbergstraße 1"}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(f["reference_code"], "SN-0001");
    assert_eq!(f["personal"]["name"], NAME);
    World {
        family: f["id"].as_i64().expect("id"),
        app,
        programme,
        other,
        coordinator,
        mother,
    }
}

fn visit(mother: i64, family: Option<i64>, on: &str) -> Value {
    json!({"mother_id": mother.to_string(), "family_id": family.map(|f| f.to_string()),
           "visited_on": on, "duration_minutes": "45", "kind": "home_visit",
           "topic_ids": ["1", "2"], "referrals": ["health"], "next_step": "Call the GP",
           "note": "Mother worried about the eldest's school"})
}

#[tokio::test]
async fn each_rule_has_a_clear_message() {
    let w = world().await;
    let c = &w.coordinator;
    // Not in the future.
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let body = expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, Some(w.family), &tomorrow),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["visited_on"],
        "A visit cannot be in the future."
    );
    // The mother and the family in the same programme.
    let f2 = expect_json(
        c.post_json(
            "/api/v1/families",
            &json!({"programme_id": w.other.to_string(), "contact_origin": "other",
                    "first_contact_on": "2024-02-01"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(f2["reference_code"], "SK-0001", "numbered per programme");
    let body = expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, f2["id"].as_i64(), "2024-03-01"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["family_id"],
        "This family belongs to another programme than the mother."
    );
    // The mother certified or active; in training only where the programme allows.
    let trainee = expect_json(
        c.post_json(
            "/api/v1/mothers",
            &json!({"programme_id": w.programme.to_string(), "full_name": "Dilan Aksoy",
                    "phone": "030 99", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2024-01-01"}),
        )
        .await,
        201,
    )
    .await;
    let trainee = trainee["id"].as_i64().expect("id");
    let body = expect_json(
        c.post_json("/api/v1/visits", &visit(trainee, None, "2024-03-01"))
            .await,
        422,
    )
    .await;
    assert!(
        body["error"]["fields"]["mother_id"]
            .as_str()
            .is_some_and(|m| m.contains("applicant")),
        "{body}"
    );
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{trainee}/status"),
            &json!({"status": "in_training", "changed_on": "2024-02-01"}),
        )
        .await,
        200,
    )
    .await;
    expect_json(
        c.post_json("/api/v1/visits", &visit(trainee, None, "2024-03-01"))
            .await,
        422,
    )
    .await;
    w.app
        .sql(&format!(
            "UPDATE programmes SET practice_visits_allowed = true WHERE id = {}",
            w.programme
        ))
        .await;
    expect_json(
        c.post_json("/api/v1/visits", &visit(trainee, None, "2024-03-01"))
            .await,
        201,
    )
    .await;
    // At least one topic, known ones only.
    let mut no_topic = visit(w.mother, Some(w.family), "2024-03-02");
    no_topic["topic_ids"] = json!([]);
    let body = expect_json(c.post_json("/api/v1/visits", &no_topic).await, 422).await;
    assert_eq!(
        body["error"]["fields"]["topic_ids"],
        "Choose at least one topic."
    );
    // The same mother, family, date and kind: confirmation, then saved.
    expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, Some(w.family), "2024-03-05"),
        )
        .await,
        201,
    )
    .await;
    let body = expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, Some(w.family), "2024-03-05"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["confirm_duplicate"],
        "The same visit was already recorded."
    );
    let mut confirmed = visit(w.mother, Some(w.family), "2024-03-05");
    confirmed["confirm_duplicate"] = json!("true");
    expect_json(c.post_json("/api/v1/visits", &confirmed).await, 201).await;
    // No new visit for a closed family.
    expect_json(
        c.post_json(
            &format!("/api/v1/families/{}/close", w.family),
            &json!({"closed_on": "2024-04-01", "reason": "moved to Hamburg"}),
        )
        .await,
        200,
    )
    .await;
    let body = expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, Some(w.family), "2024-04-02"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["family_id"],
        "This family is closed: no new visits."
    );
    // The database holds the rules too, whatever the application does.
    let mut conn = w.app.conn().await;
    let res = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO visits (programme_id, mother_id, family_id, visited_on, duration_minutes, kind) \
             VALUES ({}, {}, {}, current_date + 1, 30, 'phone')",
            w.programme, w.mother, w.family
        )),
        &mut conn,
    )
    .await;
    assert!(res.is_err(), "the trigger refuses a future visit");
    assert_eq!(
        w.app.count("SELECT count(*) FROM visits").await,
        3,
        "only the three valid visits were saved"
    );
}

#[tokio::test]
async fn bulk_visits_are_all_or_nothing_and_name_each_failing_item() {
    let w = world().await;
    let c = &w.coordinator;
    let items = json!([
        visit(w.mother, Some(w.family), "2024-05-01"),
        {"mother_id": w.mother.to_string(), "visited_on": "2024-05-02", "duration_minutes": "0",
         "kind": "home_visit", "topic_ids": []},
        visit(w.mother, None, "2024-05-03"),
        {"mother_id": "999999", "visited_on": "2024-05-04", "duration_minutes": "30",
         "kind": "phone", "topic_ids": ["3"]},
    ]);
    let body = expect_json(c.post_json("/api/v1/visits", &items).await, 422).await;
    let failing: Vec<i64> = body["error"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["index"].as_i64())
        .collect();
    assert_eq!(failing, vec![1, 3], "{body}");
    assert!(
        body["error"]["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty()),
        "every error carries its request id: {body}"
    );
    assert_eq!(
        body["error"]["items"][0]["fields"]["topic_ids"],
        "Choose at least one topic."
    );
    assert_eq!(
        w.app.count("SELECT count(*) FROM visits").await,
        0,
        "nothing saved"
    );
    // Rules checked against the data fail the whole batch too.
    let items = json!([
        visit(w.mother, Some(w.family), "2024-05-01"),
        visit(w.mother, Some(w.family), "2030-01-01"),
    ]);
    let body = expect_json(c.post_json("/api/v1/visits", &items).await, 422).await;
    assert_eq!(body["error"]["items"][0]["index"], 1);
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 0);
    // A valid batch saves every visit with its topics and referrals.
    let items = json!([
        visit(w.mother, Some(w.family), "2024-05-01"),
        visit(w.mother, None, "2024-05-03"),
    ]);
    let body = expect_json(c.post_json("/api/v1/visits", &items).await, 201).await;
    assert_eq!(body["ids"].as_array().map(Vec::len), Some(2));
    assert_eq!(w.app.count("SELECT count(*) FROM visit_topics").await, 4);
    assert_eq!(w.app.count("SELECT count(*) FROM referrals").await, 2);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE entity = 'visit' AND action = 'create'")
            .await,
        2
    );
}

#[tokio::test]
async fn the_visit_form_with_log_another() {
    let w = world().await;
    let c = &w.coordinator;
    let res = c.get("/visits/new").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("text");
    assert!(html.contains("type=\"checkbox\" name=\"topic_ids\""));
    assert!(html.contains(&format!("value=\"{}\"", chrono::Local::now().date_naive())));
    // Save and log another: back to the form, the same mother chosen.
    let m = w.mother.to_string();
    let f = w.family.to_string();
    let res = c
        .post_form(
            "/visits",
            &[
                ("mother_id", &m),
                ("family_id", &f),
                ("visited_on", "2024-06-01"),
                ("duration_minutes", "40"),
                ("kind", "home_visit"),
                ("topic_ids", "1"),
                ("topic_ids", "11"),
                ("interpreter_used", "on"),
                ("referrals", "school"),
                ("next_step", "School meeting"),
                ("then", "another"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let next = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(next, format!("/visits/new?mother={m}"));
    let html = c.get(&next).await.text().await.expect("text");
    assert!(html.contains("Visit saved. Log the next one."));
    assert!(html.contains(&format!("<option value=\"{m}\" selected>")));
    // The last mother is remembered for a fresh form too.
    let html = c.get("/visits/new").await.text().await.expect("text");
    assert!(html.contains(&format!("<option value=\"{m}\" selected>")));
    // Errors beside the fields, input kept; then the duplicate question.
    let res = c
        .post_form(
            "/visits",
            &[
                ("mother_id", &m),
                ("visited_on", "2024-06-02"),
                ("duration_minutes", "40"),
                ("kind", "phone"),
                ("next_step", "keep me"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Choose at least one topic.") && html.contains("value=\"keep me\""));
    let same = [
        ("mother_id", m.as_str()),
        ("family_id", f.as_str()),
        ("visited_on", "2024-06-01"),
        ("duration_minutes", "40"),
        ("kind", "home_visit"),
        ("topic_ids", "1"),
    ];
    let res = c.post_form("/visits", &same).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("Save anyway"));
    let mut confirmed = same.to_vec();
    confirmed.push(("confirm_duplicate", "true"));
    let res = c.post_form("/visits", &confirmed).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/visits");

    // Lists: by date range, mother, family, district and topic.
    let all = expect_json(c.get("/api/v1/visits").await, 200).await;
    assert_eq!(all["total"], 2);
    let by_topic = expect_json(c.get("/api/v1/visits?topic=11").await, 200).await;
    assert_eq!(by_topic["total"], 1);
    assert_eq!(by_topic["items"][0]["interpreter_used"], true);
    let none = expect_json(c.get("/api/v1/visits?from=2024-07-01").await, 200).await;
    assert_eq!(none["total"], 0);
    let by_family = expect_json(
        c.get(&format!(
            "/api/v1/visits?family={f}&mother={m}&to=2024-06-30"
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(by_family["total"], 2);
    let page = c.get("/visits?topic=11").await.text().await.expect("text");
    assert!(page.contains("School meeting") && page.contains("1 visits"));
    // The family's timeline and the mother's profile (visits and families).
    let timeline = c
        .get(&format!("/families/{f}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(timeline.contains("School meeting") && timeline.contains(NAME));
    let profile = expect_json(c.get(&format!("/api/v1/mothers/{m}")).await, 200).await;
    assert_eq!(profile["visit_count"], 2);
    assert_eq!(profile["families"][0]["reference_code"], "SN-0001");
    let html = c
        .get(&format!("/mothers/{m}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("SN-0001") && html.contains(&format!("/visits?mother={m}")));

    // The referral worklist: mark done.
    let open = expect_json(c.get("/api/v1/referrals").await, 200).await;
    assert_eq!(open["total"], 1);
    let open = &open["items"];
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    let rid = open[0]["id"].as_i64().expect("id");
    assert!(
        c.get("/referrals")
            .await
            .text()
            .await
            .expect("text")
            .contains("school")
    );
    let res = c
        .post_form(
            &format!("/referrals/{rid}/done"),
            &[("done_on", "2024-06-10")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        expect_json(c.get("/api/v1/referrals").await, 200).await["items"],
        json!([])
    );

    // Follow-up: active families without a visit in N days.
    let follow = expect_json(c.get("/api/v1/families?no_visit_days=30").await, 200).await;
    assert_eq!(
        follow["items"].as_array().map(Vec::len),
        Some(1),
        "last visit was 2024"
    );
    let html = c
        .get("/families?no_visit_days=30")
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("SN-0001"));

    // Family pages: new, edit, close.
    assert_eq!(c.get("/families/new").await.status(), 200);
    let res = c
        .post_form(
            "/families",
            &[
                ("programme_id", &w.programme.to_string()),
                ("contact_origin", "event"),
                ("first_contact_on", "2024-08-01"),
                ("children_count", "40"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = c
        .post_form(
            "/families",
            &[
                ("programme_id", &w.programme.to_string()),
                ("contact_origin", "event"),
                ("first_contact_on", "2024-08-01"),
                ("children_count", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(c.get(&format!("/families/{f}/edit")).await.status(), 200);
    let res = c
        .post_form(
            &format!("/families/{f}/close"),
            &[("closed_on", "2024-09-01"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = c
        .post_form(
            &format!("/families/{f}/close"),
            &[("closed_on", "2024-09-01"), ("reason", "no longer needed")],
        )
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn managers_and_trainers_never_see_personal_fields() {
    let w = world().await;
    let c = &w.coordinator;
    expect_json(
        c.post_json(
            "/api/v1/visits",
            &visit(w.mother, Some(w.family), "2024-05-01"),
        )
        .await,
        201,
    )
    .await;
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    let trainer = w.app.with_user(Role::Trainer, &[w.programme]).await;
    let f = w.family;
    let m = w.mother;
    let pages = [
        "/families".to_owned(),
        format!("/families/{f}"),
        "/visits".to_owned(),
        format!("/mothers/{m}"),
        "/referrals".to_owned(),
        "/api/v1/families".to_owned(),
        format!("/api/v1/families/{f}"),
        "/api/v1/visits".to_owned(),
        "/api/v1/referrals".to_owned(),
        format!("/api/v1/mothers/{m}"),
    ];
    for (agent, is_trainer) in [(&manager, false), (&trainer, true)] {
        for path in &pages {
            let res = agent.get(path).await;
            // Need to know: a trainer reads mothers, never families,
            // visits or referrals (403), and a mother's profile without
            // her families.
            let family_data = !path.contains("/mothers/");
            // ...and a manager reads families as codes and counts, never
            // visit lists or referrals.
            let timelines = path.contains("/visits") || path.contains("/referrals");
            if (is_trainer && family_data) || timelines {
                assert_eq!(res.status(), 403, "{path}");
                continue;
            }
            assert_eq!(res.status(), 200, "{path}");
            let body = res.text().await.expect("body");
            for secret in [NAME, PHONE, "Rollbergstraße", "eldest's school"] {
                assert!(!body.contains(secret), "{path} shows {secret}");
            }
            assert!(!body.contains("\"personal\""), "{path} has the field");
            if path.contains("/visits") {
                assert!(!body.contains("\"note\""), "{path} has the note field");
            }
            if is_trainer {
                assert!(
                    !body.contains(&format!("/families/{f}")),
                    "{path} links the family"
                );
                if path.starts_with("/api/") {
                    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
                    assert_eq!(v["families"], json!([]), "{path}");
                }
            }
        }
        // They cannot write personal data either.
        let res = agent
            .put_json(&format!("/api/v1/families/{f}"), &json!({"name": "x"}))
            .await;
        assert_eq!(res.status(), 403);
    }
    // Coordinators do see them.
    let body = c
        .get(&format!("/api/v1/families/{f}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(body.contains(NAME) && body.contains(PHONE));
    let body = c.get("/api/v1/visits").await.text().await.expect("body");
    assert!(body.contains("eldest's school"));
    // Personal data never goes into the audit log.
    assert_eq!(
        w.app
            .count(
                "SELECT count(*) FROM audit_events WHERE changes::text LIKE '%Abdi%' \
                 OR changes::text LIKE '%5550199%' OR changes::text LIKE '%eldest%'"
            )
            .await,
        0
    );
}

#[tokio::test]
async fn topics_retire_but_stay_in_history_and_events_are_recorded() {
    let w = world().await;
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    let c = &w.coordinator;
    let p = w.programme;
    // Managers add, rename and retire programme topics.
    let t = expect_json(
        manager
            .post_json(
                &format!("/api/v1/programmes/{p}/topics"),
                &json!({"label": "Digital services"}),
            )
            .await,
        201,
    )
    .await;
    let tid = t["id"].as_i64().expect("id");
    let body = expect_json(
        manager
            .post_json(
                &format!("/api/v1/programmes/{p}/topics"),
                &json!({"label": "digital SERVICES"}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["label"],
        "The programme already has this topic."
    );
    expect_json(
        manager
            .put_json(
                &format!("/api/v1/topics/{tid}"),
                &json!({"label": "Digital authorities"}),
            )
            .await,
        200,
    )
    .await;
    // Defaults are fixed.
    assert_eq!(
        manager
            .put_json("/api/v1/topics/1", &json!({"label": "x"}))
            .await
            .status(),
        409
    );
    let mut v = visit(w.mother, Some(w.family), "2024-05-01");
    v["topic_ids"] = json!([tid.to_string()]);
    expect_json(c.post_json("/api/v1/visits", &v).await, 201).await;
    expect_json(
        manager
            .post_json(&format!("/api/v1/topics/{tid}/retire"), &json!({}))
            .await,
        200,
    )
    .await;
    // Retired: not offered, refused for new visits, kept on the old one.
    let html = c.get("/visits/new").await.text().await.expect("text");
    assert!(!html.contains("Digital authorities"));
    let mut v2 = visit(w.mother, Some(w.family), "2024-05-02");
    v2["topic_ids"] = json!([tid.to_string()]);
    expect_json(c.post_json("/api/v1/visits", &v2).await, 422).await;
    let old = expect_json(c.get(&format!("/api/v1/visits?topic={tid}")).await, 200).await;
    assert_eq!(old["total"], 1);
    assert!(
        c.get("/visits")
            .await
            .text()
            .await
            .expect("text")
            .contains("Digital authorities")
    );
    let page = manager
        .get(&format!("/programmes/{p}/topics"))
        .await
        .text()
        .await
        .expect("text");
    assert!(page.contains("Digital authorities") && page.contains("retired"));
    assert_eq!(
        c.post_form(&format!("/programmes/{p}/topics"), &[("label", "x")])
            .await
            .status(),
        403
    );

    // Events with participants and the mothers involved.
    let body = expect_json(c.post_json("/api/v1/events", &json!({"programme_id": p.to_string(), "kind": "workshop", "title": "", "held_on": "2024-05-10"})).await, 422).await;
    assert_eq!(
        body["error"]["fields"]["title"],
        "Please fill in this field."
    );
    expect_json(
        c.post_json(
            "/api/v1/events",
            &json!({"programme_id": p.to_string(), "kind": "information_session",
                    "title": "Kita registration", "held_on": "2024-05-10",
                    "migrant_participants": "23", "local_participants": "4",
                    "interpreter_languages": ["ar", "tr"], "mother_ids": [w.mother.to_string()]}),
        )
        .await,
        201,
    )
    .await;
    let res = c
        .post_form(
            "/events",
            &[
                ("programme_id", &p.to_string()),
                ("kind", "excursion"),
                ("title", "Museum"),
                ("held_on", "2024-06-01"),
                ("migrant_participants", "12"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let events = expect_json(c.get(&format!("/api/v1/events?programme={p}")).await, 200).await;
    let events = &events["items"];
    assert_eq!(events.as_array().map(Vec::len), Some(2));
    assert_eq!(events[1]["migrant_participants"], 23);
    assert_eq!(events[1]["mother_ids"], json!([w.mother]));
    assert!(
        c.get("/events")
            .await
            .text()
            .await
            .expect("text")
            .contains("Kita registration")
    );
}
