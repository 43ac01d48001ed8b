//! The rights of the families and mothers through the real server:
//! erasure that leaves every published report byte-identical, the access
//! log, the exports, consent and its withdrawal, retention (the page, the
//! API and the command), and managers who see families as codes and counts.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use diesel_async::RunQueryDsl;
use neighbourhood_mothers::privacy::retention::{LEADER_LOCK, run_as_leader};

use crate::harness::{Agent, TestApp, expect_json};

struct World {
    app: TestApp,
    programme: i64,
    coordinator: Agent,
    mother: i64,
    family: i64,
    grant: i64,
}

const NAME: &str = "Hodan Qoraxley";
const PHONE: &str = "+45 5550 1234";
const FAMILY: &str = "Familien Abdirahman";
const FAMILY_PHONE: &str = "+45 5550 4321";
const NOTE: &str = "talked about the Abdirahman children and their school";

async fn world() -> World {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let district = app
        .create(
            &format!("/api/v1/programmes/{p}/districts"),
            &json!({"name": "Gellerup"}),
        )
        .await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = c
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "district_id": district.to_string(),
                    "full_name": NAME, "phone": PHONE, "email": "hodan@example.dk",
                    "gender": "female", "engagement": "allowance", "monthly_allowance": "250",
                    "country_of_origin": "SO", "languages": "so, da",
                    "joined_on": "2020-01-01", "note": "speaks Somali and Danish",
                    "consent_phone_contact": true}),
        )
        .await;
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{mother}/status"),
            &json!({"status": "active", "changed_on": "2020-02-01", "reason": "Hodan finished"}),
        )
        .await,
        200,
    )
    .await;
    let family = c
        .create(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "district_id": district.to_string(),
                    "contact_origin": "event", "first_contact_on": "2024-02-01",
                    "consent_on": "2024-02-01", "name": FAMILY, "address": "Gellerupvej 12",
                    "phone": FAMILY_PHONE, "primary_mother_id": mother.to_string()}),
        )
        .await;
    for (on, kind) in [("2024-03-05", "home_visit"), ("2024-04-09", "phone")] {
        expect_json(
            c.post_json(
                "/api/v1/visits",
                &json!({"mother_id": mother.to_string(), "family_id": family.to_string(),
                        "visited_on": on, "duration_minutes": "60", "kind": kind,
                        "topic_ids": ["1"], "note": NOTE, "next_step": "call Mrs Abdirahman",
                        "referrals": ["school"]}),
            )
            .await,
            201,
        )
        .await;
    }
    app.sql("UPDATE referrals SET outcome_note = 'Abdirahman school'")
        .await;
    c.create(
        "/api/v1/events",
        &json!({"programme_id": p.to_string(), "kind": "workshop", "title": "Café",
                "held_on": "2024-05-01", "migrant_participants": "9", "local_participants": "4",
                "mother_ids": [mother.to_string()]}),
    )
    .await;
    let funder = app
        .create(
            "/api/v1/funders",
            &json!({"name": "Aarhus Kommune", "kind": "municipality"}),
        )
        .await;
    let grant = app
        .create(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": funder.to_string(),
                    "amount": "10000", "starts_on": "2024-01-01", "ends_on": "2024-12-31",
                    "status": "granted"}),
        )
        .await;
    expect_json(
        app.post_json(
            "/api/v1/allowance-runs",
            &json!({"programme_id": p.to_string(), "month": "2024-05", "grant_id": grant.to_string()}),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/allowance-runs/2024-05/confirm"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    World {
        app,
        programme: p,
        coordinator: c,
        mother,
        family,
        grant,
    }
}

/// Every published form of the reports, for the programme and for all.
async fn reports(w: &World) -> Vec<(String, Vec<u8>)> {
    let p = w.programme;
    let g = w.grant;
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/reports/yearly?year=2024&programme={p}"),
        "/api/v1/reports/yearly?year=2024".to_owned(),
        format!("/api/v1/reports/compare?year=2024&programme={p}"),
        "/api/v1/reports/compare?year=2024".to_owned(),
        format!("/api/v1/grants/{g}/report"),
        format!("/reports/yearly.csv?year=2024&programme={p}"),
        "/reports/yearly.csv?year=2024".to_owned(),
        "/reports/compare.csv?year=2024".to_owned(),
        format!("/grants/{g}/report.csv"),
    ] {
        let res = w.app.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
        out.push((path, res.bytes().await.expect("body").to_vec()));
    }
    out
}

#[tokio::test]
async fn erasure_keeps_every_published_report_byte_identical_and_no_name_anywhere() {
    let w = world().await;
    let c = &w.coordinator;
    let (family, mother) = (w.family, w.mother);
    // Changed before they are erased: the log keeps neither value.
    expect_json(
        c.put_json(
            &format!("/api/v1/mothers/{mother}"),
            &json!({"programme_id": w.programme.to_string(), "full_name": "Hodan Warsame",
                    "phone": "+45 5550 9999", "gender": "female", "engagement": "allowance",
                    "monthly_allowance": "250", "joined_on": "2020-01-01"}),
        )
        .await,
        200,
    )
    .await;
    expect_json(
        c.put_json(
            &format!("/api/v1/families/{family}"),
            &json!({"programme_id": w.programme.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
                    "primary_mother_id": mother.to_string(),
                    "name": "Familien Abdirahman-Yusuf", "phone": "+45 5550 7777"}),
        )
        .await,
        200,
    )
    .await;
    let before = reports(&w).await;

    // A reason is required; a coordinator may not erase a mother.
    let bad = expect_json(
        c.post_json(&format!("/api/v1/families/{family}/erase"), &json!({}))
            .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["reason"].is_string(), "{bad}");
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{mother}/erase"),
            &json!({"reason": "request"}),
        )
        .await,
        403,
    )
    .await;

    let f = expect_json(
        c.post_json(
            &format!("/api/v1/families/{family}/erase"),
            &json!({"reason": "request"}),
        )
        .await,
        200,
    )
    .await;
    assert!(f["erased_at"].is_string(), "{f}");
    assert_eq!(
        f["personal"],
        json!({"name": "", "address": "", "phone": ""})
    );
    expect_json(
        c.post_json(
            &format!("/api/v1/families/{family}/erase"),
            &json!({"reason": "request"}),
        )
        .await,
        409,
    )
    .await;
    let m = expect_json(
        w.app
            .post_json(
                &format!("/api/v1/mothers/{mother}/erase"),
                &json!({"reason": "no_longer_needed"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(m["full_name"], format!("#{mother}"));
    assert_eq!(m["phone"], "");
    assert_eq!(m["email"], Value::Null);

    let after = reports(&w).await;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{path} changed with the erasure");
    }

    // Nothing of them is left in any table, the logs included.
    for needle in ["Hodan", "5550", "Abdirahman", "Gellerupvej", "hodan@"] {
        for table in [
            "mothers",
            "families",
            "family_personal",
            "visits",
            "referrals",
            "mother_status_changes",
            "expenses",
            "users",
            "audit_events",
            "access_log",
            "login_attempts",
        ] {
            assert_eq!(
                w.app
                    .count(&format!(
                        "SELECT count(*) FROM {table} t WHERE t::text LIKE '%{needle}%'"
                    ))
                    .await,
                0,
                "{needle} in {table}"
            );
        }
    }
    // The counts stay, and the erasure is audited without the values.
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE family_id = {family}"
            ))
            .await,
        2
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE action = 'erase'")
            .await,
        2
    );
    // The pages say so.
    let html = c
        .get(&format!("/families/{family}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("have been erased"), "{html}");
}

#[tokio::test]
async fn every_read_of_personal_details_is_logged_and_admins_read_the_log() {
    let w = world().await;
    let c = &w.coordinator;
    let (family, mother) = (w.family, w.mother);
    let coordinator_id = w
        .app
        .count("SELECT id FROM users WHERE role = 'coordinator'")
        .await;
    assert_eq!(c.get(&format!("/families/{family}")).await.status(), 200);
    expect_json(c.get(&format!("/api/v1/families/{family}")).await, 200).await;
    assert_eq!(c.get(&format!("/mothers/{mother}")).await.status(), 200);
    assert_eq!(c.get("/families").await.status(), 200);
    // A visit's notes are the family's details too.
    let visits = expect_json(c.get(&format!("/api/v1/visits?family={family}")).await, 200).await;
    assert_eq!(visits["items"].as_array().expect("items").len(), 2);
    // A manager sees no personal details: nothing to log.
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    expect_json(
        manager.get(&format!("/api/v1/families/{family}")).await,
        200,
    )
    .await;

    // Only administrators read the log.
    expect_json(
        c.get(&format!("/api/v1/families/{family}/access-log"))
            .await,
        403,
    )
    .await;
    let log = expect_json(
        w.app
            .get(&format!("/api/v1/families/{family}/access-log"))
            .await,
        200,
    )
    .await;
    let items = log["items"].as_array().expect("items");
    assert_eq!(
        log["total"], 6,
        "its page, the API, her page's list of her families, the list, two visits' notes: {log}"
    );
    let channels: Vec<&str> = items
        .iter()
        .map(|i| i["channel"].as_str().expect("value"))
        .collect();
    assert_eq!(
        channels,
        ["api", "api", "page", "page", "api", "page"],
        "newest first: {log}"
    );
    assert!(items.iter().all(|i| i["user_id"] == coordinator_id));
    assert_eq!(
        items[5]["fields"],
        json!(["name", "address", "phone", "visit_notes"])
    );
    assert_eq!(items[4]["fields"], json!(["name", "address", "phone"]));
    assert_eq!(items[2]["fields"], json!(["name"]));
    assert_eq!(items[0]["fields"], json!(["visit_notes"]));

    let mlog = expect_json(
        w.app
            .get(&format!("/api/v1/mothers/{mother}/access-log"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        mlog["items"][0]["fields"],
        json!(["full_name", "phone", "email", "note"])
    );
    // The filtered list: by user, by record kind.
    let all = expect_json(
        w.app
            .get(&format!(
                "/api/v1/access-log?user={coordinator_id}&subject=family"
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(all["total"], 6, "{all}");
    let bad = expect_json(w.app.get("/api/v1/access-log?subject=x").await, 422).await;
    assert!(bad["error"]["fields"]["subject"].is_string());
    // The pages.
    let html = w
        .app
        .get(&format!("/families/{family}/access-log"))
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains("visit notes"), "{html}");
    let html = w
        .app
        .get("/access-log?subject=mother")
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains(&format!("/mothers/{mother}")), "{html}");
    // Another programme's staff see nothing of it.
    let other = w.app.programme("Stadtteilmütter Neukölln").await;
    let stranger = w.app.with_user(Role::Coordinator, &[other]).await;
    expect_json(
        stranger
            .get(&format!("/api/v1/families/{family}/export"))
            .await,
        404,
    )
    .await;
}

#[tokio::test]
async fn the_exports_hold_everything_about_the_person() {
    let w = world().await;
    let c = &w.coordinator;
    let f = expect_json(
        c.get(&format!("/api/v1/families/{}/export", w.family))
            .await,
        200,
    )
    .await;
    assert_eq!(f["family"]["personal"]["name"], FAMILY);
    assert_eq!(f["visits"].as_array().expect("value").len(), 2);
    assert_eq!(f["visits"][0]["note"], NOTE);
    assert_eq!(
        f["visits"][0]["referrals"][0]["outcome_note"],
        "Abdirahman school"
    );
    let m = expect_json(
        c.get(&format!("/api/v1/mothers/{}/export", w.mother)).await,
        200,
    )
    .await;
    assert_eq!(m["mother"]["full_name"], NAME);
    assert_eq!(m["mother"]["consent_phone_contact"], true);
    assert_eq!(
        m["status_history"].as_array().expect("value").len(),
        2,
        "{m}"
    );
    assert_eq!(m["payments"][0]["amount_minor"], 25_000, "{m}");
    assert_eq!(m["events"][0]["title"], "Café");
    assert_eq!(m["visits"].as_array().expect("value").len(), 2);
    assert!(
        m["visits"][0].get("note").is_none(),
        "no family's notes in hers"
    );
    // The export read is logged, and the next export shows it.
    let again = expect_json(
        c.get(&format!("/api/v1/mothers/{}/export", w.mother)).await,
        200,
    )
    .await;
    assert_eq!(again["access_log"][0]["channel"], "export", "{again}");
    // The printable pages, in the reader's language.
    let html = c
        .get(&format!("/families/{}/export", w.family))
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains(FAMILY) && html.contains(NOTE), "{html}");
    let html = c
        .get(&format!("/mothers/{}/export", w.mother))
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains(NAME) && html.contains("Café"), "{html}");
    // Trainers and managers may not export.
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    expect_json(
        manager
            .get(&format!("/api/v1/families/{}/export", w.family))
            .await,
        403,
    )
    .await;
}

#[tokio::test]
async fn withdrawing_consent_erases_what_it_covered() {
    let w = world().await;
    let c = &w.coordinator;
    let family = w.family;
    let f = expect_json(c.get(&format!("/api/v1/families/{family}")).await, 200).await;
    assert_eq!(
        (
            &f["consent_contact"],
            &f["consent_visits"],
            &f["consent_referrals"]
        ),
        (&json!(true), &json!(true), &json!(true))
    );
    let bad = expect_json(
        c.post_json(
            &format!("/api/v1/families/{family}/consent/withdraw"),
            &json!({"scopes": ["everything"], "withdrawn_on": "2024-06-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["scopes"].is_string());
    let f = expect_json(
        c.post_json(
            &format!("/api/v1/families/{family}/consent/withdraw"),
            &json!({"scopes": ["contact", "visits"], "withdrawn_on": "2024-06-01"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(f["consent_contact"], false);
    assert_eq!(f["consent_visits"], false);
    assert_eq!(f["consent_referrals"], true);
    assert_eq!(f["consent_withdrawn_on"], "2024-06-01");
    assert_eq!(f["personal"]["name"], "");
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE family_id = {family} AND (note <> '' OR next_step <> '')"
            ))
            .await,
        0
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM referrals WHERE outcome_note <> ''")
            .await,
        2,
        "referral notes stay: that consent was not withdrawn"
    );
    // Without consent, no contact details are stored again.
    let bad = expect_json(
        c.put_json(
            &format!("/api/v1/families/{family}"),
            &json!({"programme_id": w.programme.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01",
                    "consent_contact": false, "name": FAMILY}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["name"].is_string(), "{bad}");
    // A client that does not send the consents does not grant them again.
    let f = expect_json(
        c.put_json(
            &format!("/api/v1/families/{family}"),
            &json!({"programme_id": w.programme.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-02-01", "consent_on": "2024-02-01"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (&f["consent_contact"], &f["consent_referrals"]),
        (&json!(false), &json!(true))
    );
    // The page's form does the same, and keeps what was ticked.
    let res = c
        .post_form(
            &format!("/families/{family}/consent/withdraw"),
            &[("scopes", "referrals"), ("withdrawn_on", "not a date")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("value");
    assert!(html.contains("value=\"referrals\" checked"), "{html}");
}

#[tokio::test]
async fn a_mothers_consents_come_from_her_form_and_stay_when_not_sent() {
    let w = world().await;
    let c = &w.coordinator;
    let body = json!({"programme_id": w.programme.to_string(), "full_name": NAME,
                      "phone": PHONE, "gender": "female", "engagement": "volunteer",
                      "joined_on": "2020-01-01"});
    let m = expect_json(
        c.put_json(&format!("/api/v1/mothers/{}", w.mother), &body)
            .await,
        200,
    )
    .await;
    assert_eq!(m["consent_phone_contact"], true, "kept when not sent");
    let res = c
        .post_form(
            &format!("/mothers/{}", w.mother),
            &[
                ("full_name", NAME),
                ("phone", PHONE),
                ("gender", "female"),
                ("engagement", "volunteer"),
                ("joined_on", "2020-01-01"),
                ("consent_shown", "true"),
                ("consent_photos", "true"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let m = expect_json(c.get(&format!("/api/v1/mothers/{}", w.mother)).await, 200).await;
    assert_eq!(
        (&m["consent_phone_contact"], &m["consent_photos"]),
        (&json!(false), &json!(true)),
        "an unticked box on the form withdraws"
    );
}

#[tokio::test]
async fn retention_lists_then_erases_what_is_due() {
    let w = world().await;
    let c = &w.coordinator;
    let p = w.programme;
    // Nothing is due without a retention period.
    assert_eq!(
        expect_json(w.app.get("/api/v1/retention").await, 200).await["items"],
        json!([])
    );
    let mut programme = crate::harness::programme_json("Bydelsmødre Aarhus");
    programme["retention_months"] = json!("0");
    let bad = expect_json(
        w.app
            .put_json(&format!("/api/v1/programmes/{p}"), &programme)
            .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"]["retention_months"].is_string());
    programme["retention_months"] = json!("24");
    expect_json(
        w.app
            .put_json(&format!("/api/v1/programmes/{p}"), &programme)
            .await,
        200,
    )
    .await;
    expect_json(
        c.post_json(
            &format!("/api/v1/families/{}/close", w.family),
            &json!({"closed_on": "2024-06-01", "reason": "moved to Odense"}),
        )
        .await,
        200,
    )
    .await;
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{}/status", w.mother),
            &json!({"status": "left", "changed_on": "2024-07-01"}),
        )
        .await,
        200,
    )
    .await;
    // Closed in 2024, kept 24 months: due in 2026, before the wall
    // clock's today of every run of this test.
    let due = expect_json(w.app.get("/api/v1/retention").await, 200).await;
    let due = due["items"].as_array().expect("list");
    assert_eq!(due.len(), 2, "{due:?}");
    assert_eq!(due[0]["subject"], "family");
    assert_eq!(due[0]["due_on"], "2026-06-01");
    assert_eq!(due[1]["subject"], "mother");
    assert_eq!(due[1]["due_on"], "2026-07-01");
    let html = w.app.get("/retention").await.text().await.expect("value");
    assert!(
        html.contains("due now") && html.contains("kept 24 months"),
        "{html}"
    );

    // The command: the dry run lists and erases nothing; --apply erases.
    let dry = tokio::process::Command::new(env!("CARGO_BIN_EXE_neighbourhood-mothers"))
        .args(["retention", "--dry-run"])
        .env("DATABASE_URL", &w.app.db_url)
        .env("DATA_KEY_FILE", crate::harness::key_file())
        .env("LANG", "C.UTF-8")
        .output()
        .await
        .expect("run");
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        out.contains("closed on 2024-06-01") && out.contains("2 people are due"),
        "{out}"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM family_personal").await, 1);
    let apply = tokio::process::Command::new(env!("CARGO_BIN_EXE_neighbourhood-mothers"))
        .args(["retention", "--apply"])
        .env("DATABASE_URL", &w.app.db_url)
        .env("DATA_KEY_FILE", crate::harness::key_file())
        .env("LANG", "C.UTF-8")
        .output()
        .await
        .expect("run");
    let out = String::from_utf8_lossy(&apply.stdout);
    assert!(
        out.contains("Erased the personal details of 2 people"),
        "{out}"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM family_personal").await, 0);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE action = 'erase' AND actor_id IS NULL AND changes->>'grounds' = 'retention'")
            .await,
        2
    );
    assert_eq!(
        expect_json(w.app.get("/api/v1/retention").await, 200).await["items"],
        json!([])
    );

    // With several instances, one runs the job: while another holds the
    // leader's lock, this one does nothing.
    let mut holder = w.app.conn().await;
    diesel::sql_query(format!("SELECT pg_advisory_lock({LEADER_LOCK})"))
        .execute(&mut holder)
        .await
        .expect("lock");
    let mut conn = w.app.conn().await;
    let today = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("date");
    assert_eq!(
        run_as_leader(&mut conn, today).await.expect("run"),
        None,
        "another instance leads"
    );
    diesel::sql_query(format!("SELECT pg_advisory_unlock({LEADER_LOCK})"))
        .execute(&mut holder)
        .await
        .expect("unlock");
    assert_eq!(run_as_leader(&mut conn, today).await.expect("run"), Some(0));
}

#[tokio::test]
async fn managers_see_families_as_codes_and_counts() {
    let w = world().await;
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    let html = manager
        .get(&format!("/families/{}", w.family))
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains("2 visits"), "{html}");
    assert!(!html.contains("call Mrs") && !html.contains(NOTE) && !html.contains(FAMILY));
    expect_json(manager.get("/api/v1/visits").await, 403).await;
    expect_json(manager.get("/api/v1/referrals").await, 403).await;
    let list = expect_json(manager.get("/api/v1/families").await, 200).await;
    assert!(list["items"][0]["personal"].is_null());
}

#[tokio::test]
async fn the_record_of_processing_follows_the_policy_and_the_retention() {
    let w = world().await;
    let p = w.programme;
    let html = w
        .coordinator
        .get(&format!("/programmes/{p}/record-of-processing"))
        .await
        .text()
        .await
        .expect("value");
    assert!(html.contains("Until erased by hand"), "{html}");
    // Contact details: administrators and coordinators, not managers.
    let row = html
        .split("<tr>")
        .find(|r| r.contains("Name, address, phone"))
        .expect("the families' contact row");
    assert!(
        row.contains("Coordinator") && !row.contains("Manager"),
        "{row}"
    );
}
