//! Numbers are numbers: every id, count and amount is accepted as a JSON
//! number (and, as before, as text), in single records and bulk arrays.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn ids_counts_and_amounts_are_accepted_as_json_numbers() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let d = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/districts"),
            &json!({"name": "Gellerup"}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let m = expect_json(
        c.post_json(
            "/api/v1/mothers",
            &json!({"programme_id": p, "district_id": d, "full_name": "Hodan Ali",
                    "phone": "+45 5550 1234", "gender": "female", "engagement": "allowance",
                    "monthly_allowance": 250, "joined_on": "2020-01-01",
                    "consent_phone_contact": true}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(m["monthly_allowance_minor"], 25_000);
    let mother = m["id"].as_i64().expect("id");
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{mother}/status"),
            &json!({"status": "active", "changed_on": "2020-02-01"}),
        )
        .await,
        200,
    )
    .await;
    let f = expect_json(
        c.post_json(
            "/api/v1/families",
            &json!({"programme_id": p, "district_id": d, "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "children_count": 3,
                    "primary_mother_id": mother}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(f["children_count"], 3);
    let family = f["id"].as_i64().expect("id");
    let v = expect_json(
        c.post_json(
            "/api/v1/visits",
            &json!({"mother_id": mother, "family_id": family, "visited_on": "2024-03-05",
                    "duration_minutes": 60, "kind": "home_visit", "topic_ids": [1, 2],
                    "interpreter_used": true}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        (v["mother_id"].as_i64(), v["duration_minutes"].as_i64()),
        (Some(mother), Some(60))
    );
    assert_eq!(v["interpreter_used"], true);
    // Bulk, mixing numbers and text.
    let bulk = expect_json(
        c.post_json(
            "/api/v1/visits",
            &json!([
                {"mother_id": mother, "visited_on": "2024-03-06", "duration_minutes": 30,
                 "kind": "phone", "anonymous": true, "topic_ids": [1]},
                {"mother_id": mother.to_string(), "visited_on": "2024-03-07",
                 "duration_minutes": "45", "kind": "phone", "anonymous": "true", "topic_ids": ["1"]}
            ]),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(bulk["ids"].as_array().expect("ids").len(), 2, "{bulk}");
    let e = expect_json(
        c.post_json(
            "/api/v1/events",
            &json!({"programme_id": p, "kind": "workshop", "title": "Café", "held_on": "2024-05-01",
                    "migrant_participants": 9, "local_participants": 4, "mother_ids": [mother]}),
        )
        .await,
        201,
    )
    .await;
    assert!(e["id"].is_i64(), "{e}");
    let x = expect_json(
        app.post_json(
            "/api/v1/expenses",
            &json!({"programme_id": p, "spent_on": "2024-05-01", "category": "materials",
                    "amount": 12.5}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(x["amount_minor"], 1250);
    // A number where a choice or a date is due is still refused, by field.
    let bad = expect_json(
        c.post_json(
            "/api/v1/visits",
            &json!({"mother_id": mother, "visited_on": 20240305, "duration_minutes": 60,
                    "kind": 3, "topic_ids": [1], "anonymous": true}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["visited_on"].is_string(), "{bad}");
    assert!(bad["error"]["fields"]["kind"].is_string(), "{bad}");
    // Something that is no value at all stays a 400.
    expect_json(
        c.post_json("/api/v1/visits", &json!({"mother_id": {"id": 1}}))
            .await,
        400,
    )
    .await;
}

#[tokio::test]
async fn mothers_families_and_events_come_in_bulk_all_or_none() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = |name: &str| {
        json!({"programme_id": p, "full_name": name, "phone": "1", "gender": "female",
               "engagement": "volunteer", "joined_on": "2020-01-01"})
    };
    // One bad item: nothing saved, each failing index named, with the request id.
    let mut bad = mother("");
    bad["gender"] = json!("x");
    let res = expect_json(
        c.post_json(
            "/api/v1/mothers",
            &json!([mother("Amal"), bad, mother("Berfin")]),
        )
        .await,
        422,
    )
    .await;
    let items = res["error"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{res}");
    assert_eq!(items[0]["index"], 1);
    assert!(
        items[0]["fields"]["full_name"].is_string() && items[0]["fields"]["gender"].is_string()
    );
    assert!(
        res["error"]["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(app.count("SELECT count(*) FROM mothers").await, 0);
    let ok = expect_json(
        c.post_json(
            "/api/v1/mothers",
            &json!([mother("Amal"), mother("Berfin")]),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(ok["items"].as_array().expect("items").len(), 2);
    assert_eq!(ok["items"][1]["full_name"], "Berfin");
    // One record: 201, the record, its Location.
    let res = c.post_json("/api/v1/mothers", &mother("Cemile")).await;
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let one = expect_json(res, 201).await;
    assert_eq!(location, Some(format!("/api/v1/mothers/{}", one["id"])));

    let family = |origin: &str| json!({"programme_id": p, "contact_origin": origin, "first_contact_on": "2021-01-01"});
    let res = expect_json(
        c.post_json(
            "/api/v1/families",
            &json!([family("event"), family("nowhere")]),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(res["error"]["items"][0]["index"], 1, "{res}");
    assert_eq!(app.count("SELECT count(*) FROM families").await, 0);
    let ok = expect_json(
        c.post_json(
            "/api/v1/families",
            &json!([family("event"), family("authority")]),
        )
        .await,
        201,
    )
    .await;
    let codes: Vec<&str> = ok["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|f| f["reference_code"].as_str())
        .collect();
    assert_eq!(codes, ["BA-0001", "BA-0002"]);

    let event = |title: &str| {
        json!({"programme_id": p, "kind": "workshop", "title": title, "held_on": "2024-05-01",
               "migrant_participants": 3, "local_participants": 2})
    };
    let ok = expect_json(
        c.post_json("/api/v1/events", &json!([event("Café"), event("Walk")]))
            .await,
        201,
    )
    .await;
    assert_eq!(ok["items"][1]["title"], "Walk");
    let res = c.post_json("/api/v1/events", &event("Library")).await;
    assert!(res.headers().get("location").is_some());
    let one = expect_json(res, 201).await;
    assert_eq!(one["title"], "Library", "the whole record, not only its id");
}

#[tokio::test]
async fn enrolments_and_completions_come_in_bulk() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let t = app
        .create_user("trainer@test.example", Role::Trainer, &[p])
        .await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mut mothers = Vec::new();
    for name in ["Amal", "Berfin", "Cemile"] {
        mothers.push(
            c.create(
                "/api/v1/mothers",
                &json!({"programme_id": p, "full_name": name, "phone": "1", "gender": "female",
                        "engagement": "volunteer", "joined_on": "2020-01-01"}),
            )
            .await,
        );
    }
    let course = |name: &str| {
        json!({"programme_id": p, "name": name, "trainer_id": t,
               "starts_on": "2024-02-01", "ends_on": "2024-06-30"})
    };
    let spring = app.create("/api/v1/courses", &course("Spring")).await;
    let autumn = app.create("/api/v1/courses", &course("Autumn")).await;
    let enrol = |m: i64| json!({"mother_id": m, "enrolled_on": "2024-02-01"});
    let res = expect_json(
        app.post_json(
            &format!("/api/v1/courses/{spring}/enrolments"),
            &json!([enrol(mothers[0]), enrol(999_999), enrol(mothers[1])]),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(res["error"]["items"][0]["index"], 1, "{res}");
    assert_eq!(app.count("SELECT count(*) FROM enrolments").await, 0);
    let ok = expect_json(
        app.post_json(
            &format!("/api/v1/courses/{spring}/enrolments"),
            &json!([enrol(mothers[0]), enrol(mothers[1])]),
        )
        .await,
        201,
    )
    .await;
    let ids: Vec<i64> = ok["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2, "{ok}");
    let other = app
        .create(
            &format!("/api/v1/courses/{autumn}/enrolments"),
            &enrol(mothers[2]),
        )
        .await;
    // One module, both present: they may complete.
    let module = app
        .create(
            &format!("/api/v1/courses/{spring}/modules"),
            &json!({"title": "Health", "topic_id": 4, "held_on": "2024-03-01", "hours": 2}),
        )
        .await;
    expect_json(
        app.put_json(
            &format!("/api/v1/modules/{module}/attendance"),
            &json!({"entries": [{"enrolment_id": ids[0], "status": "present"},
                                {"enrolment_id": ids[1], "status": "present"}]}),
        )
        .await,
        200,
    )
    .await;

    // Completions: an enrolment of another course is named by its index,
    // and nothing is completed.
    let done = |e: i64| json!({"enrolment_id": e, "completed_on": "2024-06-30"});
    let res = expect_json(
        app.post_json(
            &format!("/api/v1/courses/{spring}/completions"),
            &json!([done(ids[0]), done(other)]),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(res["error"]["items"][0]["index"], 1, "{res}");
    assert!(res["error"]["items"][0]["fields"]["enrolment_id"].is_string());
    assert_eq!(
        app.count("SELECT count(*) FROM enrolments WHERE status = 'completed'")
            .await,
        0
    );
    let ok = expect_json(
        app.post_json(
            &format!("/api/v1/courses/{spring}/completions"),
            &json!([done(ids[0]), done(ids[1])]),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(ok["items"][1]["status"], "completed", "{ok}");
}
