//! Mothers and their training, through the real server: the realistic
//! flow of the issue, each validation rule, and each page.

use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::training::model::{mothers_trained_by_year, training_minutes};
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

async fn programme(app: &TestApp, name: &str, currency: &str) -> i64 {
    let p = expect_json(
        app.post_json(
            "/api/v1/programmes",
            &json!({"name": name, "city": "Copenhagen", "country": "DK", "currency": currency,
                    "default_language": "da", "start_date": "2007-01-01"}),
        )
        .await,
        201,
    )
    .await;
    p["id"].as_i64().expect("id")
}

async fn mother(agent: &Agent, programme: i64, name: &str) -> i64 {
    let m = expect_json(
        agent
            .post_json(
                "/api/v1/mothers",
                &json!({"programme_id": programme.to_string(), "full_name": name,
                        "phone": "+45 12 34 56 78", "languages": ["ar", "da"],
                        "country_of_origin": "SO", "gender": "female",
                        "engagement": "volunteer", "joined_on": "2012-01-15"}),
            )
            .await,
        201,
    )
    .await;
    m["id"].as_i64().expect("id")
}

/// The flow: a course of 15 modules with 12 mothers, attendance
/// taken, 10 complete and 2 drop out, and every count comes out right.
#[tokio::test]
async fn a_course_of_15_modules_with_12_mothers() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Bydelsmødre København", "DKK").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let trainer_id = trainer.user_id.expect("trainer id");

    // The Danish 15-module curriculum as the programme's template.
    for i in 1..=15 {
        expect_json(
            trainer
                .post_json(
                    &format!("/api/v1/programmes/{p}/curriculum/modules"),
                    &json!({"title": format!("Module {i}"), "topic_id": ((i - 1) % 8 + 1).to_string(),
                            "hours": "2.5"}),
                )
                .await,
            201,
        )
        .await;
    }
    // 12 mothers, recorded by the coordinator.
    let mut mothers = Vec::new();
    for i in 1..=12 {
        mothers.push(mother(&coordinator, p, &format!("Mother {i:02}")).await);
    }
    // A course from the template, its modules then scheduled weekly.
    let course = expect_json(
        trainer
            .post_json(
                "/api/v1/courses",
                &json!({"programme_id": p.to_string(), "name": "Spring 2012",
                        "trainer_id": trainer_id.to_string(), "location": "Nørrebro library",
                        "starts_on": "2012-02-01", "ends_on": "2012-06-30", "from_template": "true"}),
            )
            .await,
        201,
    )
    .await;
    let c = course["id"].as_i64().expect("course id");
    let modules = expect_json(
        trainer.get(&format!("/api/v1/courses/{c}/modules")).await,
        200,
    )
    .await;
    let modules = modules["items"].as_array().expect("modules").clone();
    assert_eq!(modules.len(), 15);
    assert!(
        modules.iter().all(|m| m["held_on"].is_null()),
        "unscheduled copies"
    );
    let start = chrono::NaiveDate::from_ymd_opt(2012, 2, 6).expect("date");
    let mut module_ids = Vec::new();
    for (i, m) in modules.iter().enumerate() {
        let id = m["id"].as_i64().expect("module id");
        let date = start + chrono::Duration::weeks(i as i64);
        expect_json(
            trainer
                .put_json(
                    &format!("/api/v1/modules/{id}"),
                    &json!({"title": m["title"], "topic_id": m["topic_id"].to_string(),
                            "held_on": date.to_string(), "hours": "2.5"}),
                )
                .await,
            200,
        )
        .await;
        module_ids.push(id);
    }
    // Enrol all 12: applicants become "in training".
    let mut enrolments = Vec::new();
    for m in &mothers {
        let e = expect_json(
            trainer
                .post_json(
                    &format!("/api/v1/courses/{c}/enrolments"),
                    &json!({"mother_id": m.to_string(), "enrolled_on": "2012-02-01"}),
                )
                .await,
            201,
        )
        .await;
        enrolments.push(e["id"].as_i64().expect("enrolment id"));
    }
    // Attendance: mothers 1-10 miss at most 3 modules; 11 and 12 attend 5.
    for (k, module) in module_ids.iter().enumerate() {
        let entries: Vec<Value> = enrolments
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let status = match i {
                    0..=9 if (k + i) % 7 == 0 && k < 10 => "excused",
                    0..=9 => "present",
                    _ if k < 5 => "present",
                    _ => "absent",
                };
                json!({"enrolment_id": e, "status": status})
            })
            .collect();
        expect_json(
            trainer
                .put_json(
                    &format!("/api/v1/modules/{module}/attendance"),
                    &json!({"entries": entries}),
                )
                .await,
            200,
        )
        .await;
    }
    // Mother 11 is below 80 %: refused, with her attendance in the message.
    let res = trainer
        .post_json(
            &format!("/api/v1/enrolments/{}/completion", enrolments[10]),
            &json!({"completed_on": "2012-06-30"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["completed_on"],
        "She attended 5 of 15 modules (33 %); 80 % are needed to complete the course."
    );
    // Not before the last module she attended (2012-05-14).
    let res = trainer
        .post_json(
            &format!("/api/v1/enrolments/{}/completion", enrolments[0]),
            &json!({"completed_on": "2012-05-01"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert!(
        body["error"]["fields"]["completed_on"]
            .as_str()
            .is_some_and(|m| m.contains("2012-05-14")),
        "{body}"
    );
    // 10 complete, 2 drop out.
    for e in &enrolments[..10] {
        expect_json(
            trainer
                .post_json(
                    &format!("/api/v1/enrolments/{e}/completion"),
                    &json!({"completed_on": "2012-06-30", "certified_on": "2012-07-02"}),
                )
                .await,
            200,
        )
        .await;
    }
    for (e, reason) in enrolments[10..].iter().zip(["moved away", "found work"]) {
        expect_json(
            trainer
                .post_json(
                    &format!("/api/v1/enrolments/{e}/drop-out"),
                    &json!({"dropped_out_on": "2012-04-01", "reason": reason}),
                )
                .await,
            200,
        )
        .await;
    }
    // Closed enrolments stay closed.
    let res = trainer
        .post_json(
            &format!("/api/v1/enrolments/{}/drop-out", enrolments[0]),
            &json!({"dropped_out_on": "2012-07-01", "reason": "x"}),
        )
        .await;
    assert_eq!(res.status(), 409);

    // The counts.
    let courses = expect_json(
        app.get(&format!("/api/v1/courses?programme={p}")).await,
        200,
    )
    .await;
    let courses = &courses["items"];
    assert_eq!(courses[0]["modules"], 15);
    assert_eq!(courses[0]["enrolled"], 12);
    assert_eq!(courses[0]["completed"], 10);
    let detail = expect_json(app.get(&format!("/api/v1/courses/{c}")).await, 200).await;
    let statuses: Vec<&str> = detail["enrolments"]
        .as_array()
        .expect("enrolments")
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "completed").count(), 10);
    assert_eq!(statuses.iter().filter(|s| **s == "dropped_out").count(), 2);
    let certified = expect_json(
        app.get(&format!("/api/v1/mothers?programme={p}&status=certified"))
            .await,
        200,
    )
    .await;
    assert_eq!(certified["total"], 10);
    let in_training = expect_json(
        app.get(&format!("/api/v1/mothers?programme={p}&status=in_training"))
            .await,
        200,
    )
    .await;
    assert_eq!(in_training["total"], 2);

    // Mothers trained per year (the reports' figure) and training hours.
    let mut conn = app.conn().await;
    let by_year = mothers_trained_by_year(&mut conn, &[p], 2012)
        .await
        .expect("figure");
    assert_eq!(by_year, vec![(p, 2012, 10)]);
    assert_eq!(
        mothers_trained_by_year(&mut conn, &[p], 2011)
            .await
            .expect("figure"),
        vec![]
    );
    // Mother 1 (i = 0): excused at modules 0 and 7, present at 13 -> 13 * 150 minutes.
    assert_eq!(
        training_minutes(&mut conn, mothers[0])
            .await
            .expect("minutes"),
        13 * 150
    );
    assert_eq!(
        training_minutes(&mut conn, mothers[11])
            .await
            .expect("minutes"),
        5 * 150
    );

    // Mother 1's profile: her course, hours and history (applicant ->
    // in training -> certified, each with its date and who did it).
    let profile = expect_json(
        app.get(&format!("/api/v1/mothers/{}", mothers[0])).await,
        200,
    )
    .await;
    assert_eq!(profile["status"], "certified");
    assert_eq!(profile["training_minutes"], 13 * 150);
    assert_eq!(profile["courses"][0]["course_name"], "Spring 2012");
    assert_eq!(profile["courses"][0]["attended"], 13);
    let history: Vec<(String, String)> = profile["status_history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            (
                h["to_status"].as_str().unwrap_or("").to_owned(),
                h["changed_on"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("applicant".to_owned(), "2012-01-15".to_owned()),
            ("in_training".to_owned(), "2012-02-01".to_owned()),
            ("certified".to_owned(), "2012-07-02".to_owned()),
        ]
    );
    assert!(profile["status_history"][2]["changed_by_name"].is_string());

    // Every change is in the audit log.
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'record_attendance'")
            .await,
        15
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'complete'")
            .await,
        10
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'drop_out'")
            .await,
        2
    );

    // A completion recorded by mistake is undone, with a reason: the
    // enrolment is open again, the mother in training again, the figure
    // follows. A reason is required; an open enrolment has nothing to undo.
    let reopen = |e: i64, reason: &'static str| {
        let trainer = &trainer;
        async move {
            trainer
                .post_json(
                    &format!("/api/v1/enrolments/{e}/reopen"),
                    &json!({ "reason": reason }),
                )
                .await
        }
    };
    assert_eq!(reopen(enrolments[9], " ").await.status(), 422);
    let e = expect_json(reopen(enrolments[9], "wrong mother ticked").await, 200).await;
    assert_eq!(e["status"], "enrolled");
    assert_eq!(e["completed_on"], serde_json::Value::Null);
    assert_eq!(reopen(enrolments[9], "again").await.status(), 409);
    let m = expect_json(
        app.get(&format!("/api/v1/mothers/{}", mothers[9])).await,
        200,
    )
    .await;
    assert_eq!(m["status"], "in_training");
    let last = &m["status_history"][3];
    assert_eq!(last["reason"], "wrong mother ticked", "{m}");
    assert_eq!(
        mothers_trained_by_year(&mut conn, &[p], 2012)
            .await
            .expect("figure"),
        vec![(p, 2012, 9)]
    );
    // A drop-out undone: enrolled again, date and reason gone.
    let e = expect_json(reopen(enrolments[11], "she came back").await, 200).await;
    assert_eq!(e["status"], "enrolled");
    assert_eq!(e["drop_out_reason"], serde_json::Value::Null);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'undo_close'")
            .await,
        2
    );
    let html = trainer
        .get(&format!("/courses/{c}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("Change history") && html.contains("completion or drop-out undone"));
}

#[tokio::test]
async fn each_rule_has_a_clear_message_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Stadtteilmütter Neukölln", "EUR").await;
    let q = programme(&app, "Stadtteilmütter Kreuzberg", "EUR").await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let t = trainer.user_id.expect("id").to_string();
    let coordinator = app.with_user(Role::Coordinator, &[p, q]).await;

    // Dates in order.
    let res = trainer
        .post_json(
            "/api/v1/courses",
            &json!({"programme_id": p.to_string(), "name": "Autumn", "trainer_id": t,
                    "starts_on": "2025-10-01", "ends_on": "2025-09-01"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["ends_on"],
        "The end date is before the start date."
    );
    // The trainer must be a trainer of that programme.
    let other_trainer = app
        .create_user("t2@test.example", Role::Trainer, &[q])
        .await;
    let res = trainer
        .post_json(
            "/api/v1/courses",
            &json!({"programme_id": p.to_string(), "name": "Autumn", "trainer_id": other_trainer.to_string(),
                    "starts_on": "2025-09-01", "ends_on": "2025-12-01"}),
        )
        .await;
    expect_json(res, 422).await;
    let course = expect_json(
        trainer
            .post_json(
                "/api/v1/courses",
                &json!({"programme_id": p.to_string(), "name": "Autumn", "trainer_id": t,
                        "starts_on": "2025-09-01", "ends_on": "2025-12-01"}),
            )
            .await,
        201,
    )
    .await;
    let c = course["id"].as_i64().expect("id");

    // A module dated within its course.
    let res = trainer
        .post_json(
            &format!("/api/v1/courses/{c}/modules"),
            &json!({"title": "Health", "topic_id": "4", "held_on": "2025-12-24", "hours": "2"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["held_on"],
        "The date must fall within the course, 2025-09-01 to 2025-12-01."
    );
    let m1 = expect_json(
        trainer
            .post_json(
                &format!("/api/v1/courses/{c}/modules"),
                &json!({"title": "Health", "topic_id": "4", "held_on": "2025-09-10", "hours": "2",
                        "interpreter_languages": ["ar", "tr"]}),
            )
            .await,
        201,
    )
    .await;
    let m1 = m1["id"].as_i64().expect("id");
    // Moving the course so that a module falls outside is refused.
    let res = trainer
        .put_json(
            &format!("/api/v1/courses/{c}"),
            &json!({"name": "Autumn", "trainer_id": t, "starts_on": "2025-10-01", "ends_on": "2025-12-01"}),
        )
        .await;
    expect_json(res, 422).await;

    // The mother and the course in the same programme.
    let own = mother(&coordinator, p, "Leyla").await;
    let foreign = mother(&coordinator, q, "Fatma").await;
    let res = trainer
        .post_json(
            &format!("/api/v1/courses/{c}/enrolments"),
            &json!({"mother_id": foreign.to_string()}),
        )
        .await;
    // The trainer cannot even see Kreuzberg's mother.
    let body = expect_json(res, 422).await;
    assert_eq!(body["error"]["fields"]["mother_id"], "Choose a mother.");
    let res = app
        .post_json(
            &format!("/api/v1/courses/{c}/enrolments"),
            &json!({"mother_id": foreign.to_string()}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["mother_id"],
        "This mother belongs to another programme than the course."
    );
    // No duplicate enrolment.
    let e = expect_json(
        trainer
            .post_json(
                &format!("/api/v1/courses/{c}/enrolments"),
                &json!({"mother_id": own.to_string(), "enrolled_on": "2025-09-01"}),
            )
            .await,
        201,
    )
    .await;
    let e = e["id"].as_i64().expect("id");
    let res = trainer
        .post_json(
            &format!("/api/v1/courses/{c}/enrolments"),
            &json!({"mother_id": own.to_string(), "enrolled_on": "2025-09-02"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["mother_id"],
        "This mother is already enrolled in the course."
    );

    // Attendance only for enrolled mothers: all or nothing.
    let res = trainer
        .put_json(
            &format!("/api/v1/modules/{m1}/attendance"),
            &json!({"entries": [{"enrolment_id": e, "status": "present"},
                                {"enrolment_id": 999_999, "status": "present"}]}),
        )
        .await;
    expect_json(res, 422).await;
    assert_eq!(app.count("SELECT count(*) FROM attendance").await, 0);
    let res = trainer
        .put_json(
            &format!("/api/v1/modules/{m1}/attendance"),
            &json!({"entries": [{"enrolment_id": e, "status": "late"}]}),
        )
        .await;
    expect_json(res, 422).await;
    // An unscheduled module takes no attendance.
    let m2 = expect_json(
        trainer
            .post_json(
                &format!("/api/v1/courses/{c}/modules"),
                &json!({"title": "Schools", "topic_id": "8", "hours": "1.5"}),
            )
            .await,
        201,
    )
    .await;
    let res = trainer
        .put_json(
            &format!("/api/v1/modules/{}/attendance", m2["id"]),
            &json!({"entries": [{"enrolment_id": e, "status": "present"}]}),
        )
        .await;
    expect_json(res, 422).await;

    // A module with attendance cannot be deleted.
    expect_json(
        trainer
            .put_json(
                &format!("/api/v1/modules/{m1}/attendance"),
                &json!({"entries": [{"enrolment_id": e, "status": "present"}]}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(
        trainer
            .delete(&format!("/api/v1/modules/{m1}"))
            .await
            .status(),
        409
    );
    assert_eq!(
        trainer
            .delete(&format!("/api/v1/modules/{}", m2["id"]))
            .await
            .status(),
        204
    );
    // 1 of 1 module: completion is allowed, and not before enrolment.
    let res = trainer
        .post_json(
            &format!("/api/v1/enrolments/{e}/completion"),
            &json!({"completed_on": "2025-09-20", "certified_on": "2025-09-19"}),
        )
        .await;
    expect_json(res, 422).await;
    expect_json(
        trainer
            .post_json(
                &format!("/api/v1/enrolments/{e}/completion"),
                &json!({"completed_on": "2025-09-20"}),
            )
            .await,
        200,
    )
    .await;

    // Mothers: allowance rules, a district of another programme, codes.
    let kreuzberg_district = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{q}/districts"),
            &json!({"name": "Wrangelkiez"}),
        )
        .await,
        201,
    )
    .await;
    let res = coordinator
        .post_json(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Zeynep", "phone": "0301234",
                    "district_id": kreuzberg_district["id"].to_string(), "gender": "female",
                    "engagement": "allowance", "joined_on": "2025-01-01", "languages": "tr, xx"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["monthly_allowance"],
        "An allowance needs its monthly amount."
    );
    assert!(body["error"]["fields"]["languages"].is_string());
    let res = coordinator
        .post_json(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Zeynep", "phone": "0301234",
                    "district_id": kreuzberg_district["id"].to_string(), "gender": "female",
                    "engagement": "allowance", "monthly_allowance": "250,00", "joined_on": "2025-01-01"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["district_id"],
        "Choose a district of the programme."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM mothers WHERE full_name = 'Zeynep'")
            .await,
        0
    );

    // Status changes keep their date, reason and author.
    let changed = expect_json(
        coordinator
            .post_json(
                &format!("/api/v1/mothers/{own}/status"),
                &json!({"status": "active", "changed_on": "2025-10-01", "reason": "first visits"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(changed["status"], "active");
    let profile = expect_json(app.get(&format!("/api/v1/mothers/{own}")).await, 200).await;
    let last = profile["status_history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .expect("history");
    assert_eq!(last["to_status"], "active");
    assert_eq!(last["reason"], "first visits");
    assert_eq!(last["changed_by"], coordinator.user_id.expect("id"));
    // Search, filters and paging of the list.
    let list = expect_json(
        coordinator.get("/api/v1/mothers?q=EYL&language=ar").await,
        200,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["full_name"], "Leyla");
    let list = expect_json(
        coordinator
            .get(&format!("/api/v1/mothers?programme={q}"))
            .await,
        200,
    )
    .await;
    assert_eq!(list["total"], 1);
    let res = coordinator.get("/api/v1/mothers?status=sleeping").await;
    assert_eq!(res.status(), 422);
}

/// Every page renders, forms show errors beside fields, and the trainer's
/// attendance grid saves with one submit.
#[tokio::test]
async fn the_pages_work_through_forms() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Bydelsmødre Aarhus", "DKK").await;
    let d = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/districts"),
            &json!({"name": "Gellerup"}),
        )
        .await,
        201,
    )
    .await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;

    // A mother through the form: errors first, then saved.
    assert_eq!(coordinator.get("/mothers/new").await.status(), 200);
    let res = coordinator
        .post_form(
            "/mothers",
            &[
                ("programme_id", &p.to_string()),
                ("full_name", "Hodan Ali"),
                ("phone", "abc"),
                ("gender", "female"),
                ("engagement", "allowance"),
                ("joined_on", "2024-05-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Enter a phone number"));
    assert!(html.contains("An allowance needs its monthly amount."));
    assert!(html.contains("value=\"Hodan Ali\""));
    let res = coordinator
        .post_form(
            "/mothers",
            &[
                ("programme_id", &p.to_string()),
                ("full_name", "Hodan Ali"),
                ("phone", "+45 20 30 40 50"),
                ("district_id", &d["id"].to_string()),
                ("languages", "so, da"),
                ("gender", "female"),
                ("engagement", "allowance"),
                ("monthly_allowance", "1200"),
                ("joined_on", "2024-05-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let html = coordinator.get(&location).await.text().await.expect("text");
    assert!(html.contains("“Hodan Ali” recorded."));
    assert!(html.contains("1200.00 DKK"));
    assert!(html.contains("Gellerup"));
    let id = location.trim_start_matches("/mothers/");
    assert_eq!(
        coordinator
            .get(&format!("/mothers/{id}/edit"))
            .await
            .status(),
        200
    );
    let res = coordinator
        .post_form(
            &format!("/mothers/{id}/status"),
            &[
                ("status", "paused"),
                ("changed_on", "2024-09-01"),
                ("reason", "new baby"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let list = coordinator
        .get("/mothers?q=hodan&status=paused")
        .await
        .text()
        .await
        .expect("text");
    assert!(list.contains("Hodan Ali") && list.contains("1 found"));
    // The trainer reads mothers but has no edit button.
    let html = trainer
        .get(&format!("/mothers/{id}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("new baby"));
    assert!(!html.contains(&format!("/mothers/{id}/edit")));

    // Curriculum, course, module, enrolment, attendance through pages.
    assert_eq!(
        trainer
            .get(&format!("/programmes/{p}/curriculum"))
            .await
            .status(),
        200
    );
    let res = trainer
        .post_form(
            &format!("/programmes/{p}/curriculum/topics"),
            &[("label", "Digital services")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = trainer
        .post_form(
            &format!("/programmes/{p}/curriculum/modules"),
            &[("title", "MitID"), ("topic_id", "2"), ("hours", "x")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = trainer
        .post_form(
            &format!("/programmes/{p}/curriculum/modules"),
            &[("title", "MitID"), ("topic_id", "2"), ("hours", "3")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = trainer
        .get(&format!("/programmes/{p}/curriculum"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("Digital services") && html.contains("MitID"));

    assert_eq!(trainer.get("/courses/new").await.status(), 200);
    let tid = trainer.user_id.expect("id").to_string();
    let res = trainer
        .post_form(
            "/courses",
            &[
                ("programme_id", &p.to_string()),
                ("name", "Efterår"),
                ("trainer_id", &tid),
                ("starts_on", "2024-09-01"),
                ("ends_on", "2024-12-15"),
                ("from_template", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let course = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let c = course.trim_start_matches("/courses/").to_owned();
    assert_eq!(
        trainer.get(&format!("/courses/{c}/edit")).await.status(),
        200
    );
    let res = trainer
        .post_form(
            &format!("/courses/{c}/modules"),
            &[
                ("title", "Sundhed"),
                ("topic_id", "4"),
                ("held_on", "2025-01-10"),
                ("hours", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("The date must fall within the course")
    );
    let res = trainer
        .post_form(
            &format!("/courses/{c}/modules"),
            &[
                ("title", "Sundhed"),
                ("topic_id", "4"),
                ("held_on", "2024-09-10"),
                ("hours", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = trainer
        .post_form(
            &format!("/courses/{c}/enrolments"),
            &[("mother_id", id), ("enrolled_on", "2024-09-01")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = trainer.get(&course).await.text().await.expect("text");
    assert!(html.contains("Hodan Ali") && html.contains("MitID") && html.contains("Sundhed"));
    let module = app
        .count(&format!(
            "SELECT id FROM course_modules WHERE course_id = {c} AND title = 'Sundhed'"
        ))
        .await;
    assert_eq!(
        trainer
            .get(&format!("/modules/{module}/edit"))
            .await
            .status(),
        200
    );
    let grid = trainer
        .get(&format!("/modules/{module}/attendance"))
        .await
        .text()
        .await
        .expect("text");
    assert!(grid.contains("Hodan Ali") && grid.contains("type=\"radio\""));
    let enrolment = app
        .count(&format!("SELECT id FROM enrolments WHERE course_id = {c}"))
        .await;
    let res = trainer
        .post_form(
            &format!("/modules/{module}/attendance"),
            &[(&format!("a{enrolment}"), "present")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT count(*) FROM attendance WHERE status = 'present'")
            .await,
        1
    );
    // Completion below the threshold (1 of 2 modules, the template's one
    // unscheduled): the error is shown on the course page.
    let res = trainer
        .post_form(
            &format!("/enrolments/{enrolment}/complete"),
            &[("completed_on", "2024-12-15")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    let reason = "She attended 1 of 2 modules (50 %); 80 % are needed";
    assert!(html.contains(reason));
    // The reason is at the top of the page too, not only in the
    // enrolment's section further down.
    assert!(
        html.find(reason) < html.find("id=\"enrolments-title\""),
        "the reason comes first"
    );
    let res = trainer
        .post_form(
            &format!("/enrolments/{enrolment}/drop-out"),
            &[("dropped_out_on", "2024-10-01"), ("reason", "moved")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let list = trainer.get("/courses").await.text().await.expect("text");
    assert!(list.contains("Efterår"));
}
