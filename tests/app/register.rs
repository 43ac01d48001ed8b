//! The participant register (issue 19): Darmstadt 2019 with known
//! figures (52 people, 23 local and 29 migrant, from 11 countries; 9
//! integration partnerships), attendance that sets an event's counts, the
//! pairs and codes refused, and another programme's staff kept out.

use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};
use neighbourhood_mothers::authz::Role;

const MIGRANT_COUNTRIES: [&str; 10] = ["SY", "AF", "TR", "IQ", "ER", "IR", "MA", "PL", "RU", "SO"];
const BANDS: [&str; 4] = ["18_29", "30_44", "45_64", "65_plus"];

async fn participant(
    app: &TestApp,
    p: i64,
    code: &str,
    origin: &str,
    country: &str,
    band: &str,
) -> i64 {
    app.create(
        &format!("/api/v1/programmes/{p}/participants"),
        &json!({"code": code, "origin": origin, "country": country, "age_band": band}),
    )
    .await
}

async fn event(app: &TestApp, p: i64, on: &str) -> i64 {
    app.create(
        "/api/v1/events",
        &json!({"programme_id": p, "kind": "workshop", "title": format!("Treff {on}"),
                "held_on": on, "migrant_participants": 0, "local_participants": 0}),
    )
    .await
}

async fn attend(app: &TestApp, event: i64, ids: &[i64]) -> Value {
    expect_json(
        app.put_json(
            &format!("/api/v1/events/{event}/participants"),
            &json!({"participant_ids": ids}),
        )
        .await,
        200,
    )
    .await
}

#[tokio::test]
async fn darmstadt_counts_distinct_people_their_mix_countries_and_partnerships() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Darmstadt").await;
    let mut locals = Vec::new();
    for i in 0..23 {
        locals.push(participant(&app, p, &format!("L{i:02}"), "local", "DE", BANDS[i % 4]).await);
    }
    let mut migrants = Vec::new();
    for i in 0..29 {
        let c = MIGRANT_COUNTRIES[i % 10];
        migrants.push(participant(&app, p, &format!("M{i:02}"), "migrant", c, BANDS[i % 3]).await);
    }
    // Someone who came only in 2018 counts in neither figure of 2019.
    let earlier = participant(&app, p, "X01", "migrant", "UA", "30_44").await;
    let e2018 = event(&app, p, "2018-11-02").await;
    attend(&app, e2018, &[earlier, locals[0]]).await;

    // 24 events in 2019; everyone attends several, so the per-event sums
    // are far above the distinct people.
    let everyone: Vec<i64> = locals.iter().chain(&migrants).copied().collect();
    for k in 0..24 {
        let e = event(&app, p, &format!("2019-{:02}-10", k % 12 + 1)).await;
        let ids: Vec<i64> = everyone
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + k) % 3 != 0)
            .map(|(_, id)| *id)
            .collect();
        let back = attend(&app, e, &ids).await;
        assert_eq!(back.as_array().map(Vec::len), Some(ids.len()));
        // The event's counts follow its list.
        let ev = expect_json(app.get(&format!("/api/v1/events/{e}")).await, 200).await;
        let local = ids.iter().filter(|id| locals.contains(id)).count() as i64;
        assert_eq!(ev["local_participants"], local);
        assert_eq!(ev["migrant_participants"], ids.len() as i64 - local);
    }

    // 9 partnerships ran in 2019 (one ended in it, one began in 2018);
    // one ended in 2018 and one starts in 2020.
    let pair = |l: i64, m: i64, from: &str, to: Option<&str>| json!({"local_id": l, "migrant_id": m, "started_on": from, "ended_on": to});
    for i in 0..7 {
        app.create(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &pair(locals[i], migrants[i], "2019-03-01", None),
        )
        .await;
    }
    let ended = app
        .create(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &pair(locals[7], migrants[7], "2019-02-01", None),
        )
        .await;
    let ended = expect_json(
        app.patch_json(
            &format!("/api/v1/partnerships/{ended}"),
            &json!({"ended_on": "2019-09-30"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ended["ended_on"], "2019-09-30");
    for (from, to) in [
        ("2018-10-01", None),
        ("2018-01-01", Some("2018-12-31")),
        ("2020-01-15", None),
    ] {
        app.create(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &pair(locals[8], migrants[8], from, to),
        )
        .await;
    }

    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    let reg = &r["events"]["register"];
    assert_eq!(reg["people"], 52, "{reg}");
    assert_eq!(reg["local"], 23);
    assert_eq!(reg["migrant"], 29);
    assert_eq!(reg["countries"], 11);
    assert_eq!(reg["partnerships"], 9);
    assert_eq!(reg["partnerships_started"], 8);
    assert_eq!(r["events"]["count"], 24);
    let sum: i64 = reg["by_country"]
        .as_array()
        .expect("countries")
        .iter()
        .map(|c| c["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(sum, 52);
    assert_eq!(reg["by_country"][0], json!({"country": "DE", "count": 23}));
    let bands: Vec<&str> = reg["by_age_band"]
        .as_array()
        .expect("bands")
        .iter()
        .filter_map(|b| b["age_band"].as_str())
        .collect();
    assert_eq!(bands, BANDS, "youngest first");
    // The per-event sums stay as they were (far more than 52).
    assert!(r["events"]["participants_migrant"].as_i64().unwrap_or(0) > 29 * 10);

    // The report page shows the register.
    let page = app
        .get(&format!("/reports?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Distinct people") && page.contains("Syria"),
        "register on the page"
    );

    // The CSV file has the register's table.
    let csv = app
        .get(&format!("/reports/yearly.csv?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        csv.contains("Distinct people,52") && csv.contains("Country of origin: Syria,"),
        "{csv}"
    );

    // A programme without a register has none in its report.
    let other = app.programme("Stadtteilmütter Neukölln").await;
    let r = expect_json(
        app.get(&format!(
            "/api/v1/reports/yearly?year=2019&programme={other}"
        ))
        .await,
        200,
    )
    .await;
    assert!(r["events"]["register"].is_null());
}

#[tokio::test]
async fn the_register_refuses_bad_pairs_and_codes_and_keeps_programmes_apart() {
    let app = TestApp::spawn().await;
    let p = app.programme("Darmstadt").await;
    let q = app.programme("Dorsten").await;
    let a = participant(&app, p, "A1", "local", "DE", "30_44").await;
    let b = participant(&app, p, "A2", "local", "DE", "30_44").await;
    let elsewhere = participant(&app, q, "B1", "migrant", "SY", "30_44").await;

    // The same code twice in a programme, an unknown origin, country or band.
    let res = app
        .post_json(
            &format!("/api/v1/programmes/{p}/participants"),
            &json!({"code": "A1", "origin": "local"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/participants"),
            &json!({"code": "A3", "origin": "tourist", "country": "XX", "age_band": "old"}),
        )
        .await,
        422,
    )
    .await;
    for f in ["origin", "country", "age_band"] {
        assert!(body["error"]["fields"][f].is_string(), "{f}: {body}");
    }
    // The same code in another programme is another person.
    participant(&app, q, "A1", "local", "DE", "30_44").await;

    // Two locals, or a partner of another programme, are no partnership.
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &json!({"local_id": a, "migrant_id": b, "started_on": "2019-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["migrant_id"].is_string(), "{body}");
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &json!({"local_id": a, "migrant_id": elsewhere, "started_on": "2019-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["migrant_id"].is_string(), "{body}");
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &json!({"local_id": a, "migrant_id": elsewhere, "started_on": "2019-01-01",
                    "ended_on": "2018-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["ended_on"].is_string(), "{body}");
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM partnerships").await,
        0
    );

    // A date out of any range is a field error, not a failure.
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/partnerships"),
            &json!({"local_id": a, "migrant_id": elsewhere, "started_on": "-5000-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["started_on"].is_string(), "{body}");
    // A partner's origin stays as it is.
    let m = participant(&app, p, "A9", "migrant", "SY", "30_44").await;
    app.create(
        &format!("/api/v1/programmes/{p}/partnerships"),
        &json!({"local_id": a, "migrant_id": m, "started_on": "2019-01-01"}),
    )
    .await;
    let body = expect_json(
        app.patch_json(
            &format!("/api/v1/participants/{m}"),
            &json!({"origin": "local"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["origin"].is_string(), "{body}");

    // Attendance only from the event's programme; nothing changes.
    let e = event(&app, p, "2019-05-05").await;
    expect_json(
        app.put_json(
            &format!("/api/v1/events/{e}/participants"),
            &json!({"participant_ids": [a, elsewhere]}),
        )
        .await,
        422,
    )
    .await;
    let list = expect_json(
        app.get(&format!("/api/v1/events/{e}/participants")).await,
        200,
    )
    .await;
    assert_eq!(list, json!([]));
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM event_participants")
            .await,
        0
    );

    // Another programme's coordinator sees none of it; a trainer reads no
    // register (need to know).
    let other = app.with_user(Role::Coordinator, &[q]).await;
    for path in [
        format!("/api/v1/participants/{a}"),
        format!("/api/v1/programmes/{p}/participants"),
        format!("/api/v1/events/{e}/participants"),
    ] {
        assert_eq!(other.get(&path).await.status(), 404, "{path}");
    }
    let res = other
        .patch_json(&format!("/api/v1/participants/{a}"), &json!({"code": "Z"}))
        .await;
    assert_eq!(res.status(), 404);
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let res = trainer
        .get(&format!("/api/v1/programmes/{p}/participants"))
        .await;
    assert_eq!(res.status(), 403);

    // Every change is in the audit log; removing a person removes their
    // attendance.
    attend(&app, e, &[a]).await;
    let res = app.delete(&format!("/api/v1/participants/{a}")).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM event_participants")
            .await,
        0
    );
    assert!(
        app.count("SELECT count(*)::bigint FROM audit_events WHERE entity = 'participant'")
            .await
            >= 4
    );
}

#[tokio::test]
async fn the_register_pages_add_people_pairs_and_attendance() {
    let app = TestApp::spawn().await;
    let p = app.programme("Darmstadt").await;
    let page = app
        .get(&format!("/programmes/{p}/participants"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Participant register"));
    // A refused participant keeps what was typed and names the field.
    let res = app
        .post_form(
            &format!("/programmes/{p}/participants"),
            &[("code", "D-01"), ("origin", ""), ("country", "SY")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("value=\"D-01\"") && html.contains("origin-error"));
    for (code, origin) in [("D-01", "migrant"), ("D-02", "local")] {
        let res = app
            .post_form(
                &format!("/programmes/{p}/participants"),
                &[
                    ("code", code),
                    ("origin", origin),
                    ("country", "SY"),
                    ("age_band", "30_44"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let ids: Vec<i64> = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/participants"))
            .await,
        200,
    )
    .await["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .collect();
    let res = app
        .post_form(
            &format!("/programmes/{p}/partnerships"),
            &[
                ("local_id", &ids[1].to_string()),
                ("migrant_id", &ids[0].to_string()),
                ("started_on", "2019-04-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let e = event(&app, p, "2019-05-05").await;
    let res = app
        .post_form(
            &format!("/events/{e}/participants"),
            &[
                ("participant_ids", &ids[0].to_string()),
                ("participant_ids", &ids[1].to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let ev = expect_json(app.get(&format!("/api/v1/events/{e}")).await, 200).await;
    assert_eq!(
        (
            ev["local_participants"].clone(),
            ev["migrant_participants"].clone()
        ),
        (json!(1), json!(1))
    );
    // A correction of the event keeps the list's counts.
    let ev = expect_json(
        app.patch_json(
            &format!("/api/v1/events/{e}"),
            &json!({"local_participants": 9, "title": "Treff im Mai"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (ev["local_participants"].clone(), ev["title"].clone()),
        (json!(1), json!("Treff im Mai"))
    );
    let page = app
        .get(&format!("/events/{e}/participants"))
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(page.matches(" checked").count(), 2);
}
