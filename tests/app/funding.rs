//! Funding through the real server: each rule, the allowance run (twice),
//! and a grant's spent and remaining figures with expenses inside and
//! outside its period.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};

async fn setup(app: &TestApp) -> (i64, i64) {
    let p = expect_json(
        app.post_json(
            "/api/v1/programmes",
            &json!({"name": "Integrationspartnerschaften Kranichstein", "city": "Darmstadt",
                    "country": "DE", "currency": "EUR", "default_language": "de",
                    "start_date": "2015-01-01"}),
        )
        .await,
        201,
    )
    .await;
    let f = expect_json(
        app.post_json(
            "/api/v1/funders",
            &json!({"name": "Bundesamt für Migration und Flüchtlinge", "kind": "government", "country": "de"}),
        )
        .await,
        201,
    )
    .await;
    (p["id"].as_i64().expect("id"), f["id"].as_i64().expect("id"))
}

#[tokio::test]
async fn a_grants_spent_and_remaining_inside_and_outside_its_period() {
    let app = TestApp::spawn().await;
    let (p, f) = setup(&app).await;
    let manager = app.with_user(Role::Manager, &[p]).await;
    let g = expect_json(
        manager
            .post_json(
                "/api/v1/grants",
                &json!({"programme_id": p.to_string(), "funder_id": f.to_string(), "reference": "BAMF-2015-07",
                        "amount": "126000", "starts_on": "2015-01-01", "ends_on": "2015-12-31",
                        "status": "granted", "purpose": "Integration partnerships"}),
            )
            .await,
        201,
    )
    .await;
    let gid = g["id"].as_i64().expect("id");
    assert_eq!(g["amount_minor"], 12_600_000);
    assert_eq!(g["spent_minor"], 0);
    assert_eq!(g["remaining_minor"], 12_600_000);
    assert_eq!(g["warnings"], json!([]));
    // Inside the period: March and June; outside: January 2016.
    for (on, amount) in [
        ("2015-03-10", "40000"),
        ("2015-06-15", "25000.50"),
        ("2016-01-20", "1000"),
    ] {
        expect_json(
            manager
                .post_json(
                    "/api/v1/expenses",
                    &json!({"programme_id": p.to_string(), "spent_on": on, "category": "events",
                            "amount": amount, "grant_id": gid.to_string()}),
                )
                .await,
            201,
        )
        .await;
    }
    // Not charged to the grant: not counted.
    expect_json(
        manager
            .post_json(
                "/api/v1/expenses",
                &json!({"programme_id": p.to_string(), "spent_on": "2015-04-01", "category": "materials",
                        "amount": "999"}),
            )
            .await,
        201,
    )
    .await;
    let g = expect_json(manager.get(&format!("/api/v1/grants/{gid}")).await, 200).await;
    assert_eq!(g["spent_minor"], 6_600_050);
    assert_eq!(g["remaining_minor"], 12_600_000 - 6_600_050);
    assert_eq!(g["spent_outside_period_minor"], 100_000);
    assert_eq!(g["expenses_outside_period"], 1);
    assert_eq!(g["warnings"], json!(["outside_period"]));
    assert_eq!(
        g["spent_by_month"],
        json!([{"month": "2015-03", "spent_minor": 4_000_000}, {"month": "2015-06", "spent_minor": 2_500_050},
               {"month": "2016-01", "spent_minor": 100_000}])
    );
    // Overspent: a warning too.
    expect_json(
        manager
            .post_json(
                "/api/v1/expenses",
                &json!({"programme_id": p.to_string(), "spent_on": "2015-11-30", "category": "coordination",
                        "amount": "70000", "grant_id": gid.to_string()}),
            )
            .await,
        201,
    )
    .await;
    let g = expect_json(manager.get(&format!("/api/v1/grants/{gid}")).await, 200).await;
    assert_eq!(g["remaining_minor"], 12_600_000 - 13_600_050);
    assert_eq!(g["warnings"], json!(["overspent", "outside_period"]));
    // The grant page says it, with amounts in the reader's format.
    let html = manager
        .get(&format!("/grants/{gid}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(
        html.contains("Spending exceeds the grant by 10,000.50 EUR."),
        "{html}"
    );
    assert!(html.contains("126,000.00 EUR"));
    assert!(html.contains("1 expense(s) charged to this grant fall outside its period"));
    assert!(
        manager
            .get("/funding")
            .await
            .text()
            .await
            .expect("text")
            .contains("overspent")
    );
}

#[tokio::test]
async fn currency_and_validation_rules() {
    let app = TestApp::spawn().await;
    let (p, f) = setup(&app).await;
    // Another currency: refused, nothing converted, nothing saved.
    let body = expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": f.to_string(), "amount": "100",
                    "currency": "DKK", "starts_on": "2015-01-01", "ends_on": "2015-12-31", "status": "granted"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["currency"],
        "Amounts of this programme are in EUR; nothing is converted."
    );
    let body = expect_json(
        app.post_json(
            "/api/v1/expenses",
            &json!({"programme_id": p.to_string(), "spent_on": "2015-01-01", "category": "other",
                    "amount": "5", "currency": "USD"}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["currency"].is_string());
    assert_eq!(app.count("SELECT count(*) FROM grants").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM expenses").await, 0);
    // The database refuses it too.
    let mut conn = app.conn().await;
    let res = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO expenses (programme_id, spent_on, category, amount_minor, currency) \
             VALUES ({p}, '2015-01-01', 'other', 5, 'USD')"
        )),
        &mut conn,
    )
    .await;
    assert!(res.is_err());
    // Other rules: dates, amounts, kinds, duplicate funders.
    let body = expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": f.to_string(), "amount": "1.234",
                    "starts_on": "2016-01-01", "ends_on": "2015-01-01", "status": "maybe"}),
        )
        .await,
        422,
    )
    .await;
    let fields = &body["error"]["fields"];
    assert_eq!(fields["amount"], "Enter an amount like 250 or 250.50.");
    assert_eq!(fields["ends_on"], "The end date is before the start date.");
    assert_eq!(fields["status"], "Choose one of the options.");
    let body = expect_json(
        app.post_json(
            "/api/v1/funders",
            &json!({"name": "bundesamt für migration und flüchtlinge", "kind": "x"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["kind"],
        "Choose one of the options."
    );
    let body = expect_json(
        app.post_json(
            "/api/v1/funders",
            &json!({"name": "BUNDESAMT FÜR MIGRATION UND FLÜCHTLINGE", "kind": "government"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["name"],
        "A funder with this name exists."
    );
    // A programme with amounts keeps its currency.
    expect_json(
        app.post_json(
            "/api/v1/expenses",
            &json!({"programme_id": p.to_string(), "spent_on": "2015-02-01", "category": "other", "amount": "5"}),
        )
        .await,
        201,
    )
    .await;
    let mut programme = expect_json(app.get(&format!("/api/v1/programmes/{p}")).await, 200).await;
    programme["currency"] = json!("DKK");
    programme["completion_threshold_percent"] = json!("80");
    programme["practice_visits_allowed"] = Value::Null;
    let body = expect_json(
        app.put_json(&format!("/api/v1/programmes/{p}"), &programme)
            .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["currency"],
        "The programme has grants or expenses in its currency; it cannot change."
    );
    // Coordinators and trainers do not see funding.
    for role in [Role::Coordinator, Role::Trainer] {
        let agent = app.with_user(role, &[p]).await;
        assert_eq!(agent.get("/api/v1/grants").await.status(), 403);
        assert_eq!(agent.get("/funding").await.status(), 403);
        let html = agent.get("/programmes").await.text().await.expect("text");
        assert!(
            !html.contains("href=\"/funding\""),
            "no funding link for {role}"
        );
    }
    // Every change is audited.
    assert!(
        app.count("SELECT count(*) FROM audit_events WHERE entity IN ('funder', 'expense')")
            .await
            >= 2
    );
}

#[tokio::test]
async fn the_allowance_run_once_a_month_editable_until_confirmed() {
    let app = TestApp::spawn().await;
    let (p, f) = setup(&app).await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    // Three paid mothers (one paused) and a volunteer.
    let mut ids = Vec::new();
    for (name, engagement, amount, status) in [
        ("Amal", "allowance", Some("250"), "active"),
        ("Berfin", "allowance", Some("200"), "certified"),
        ("Chiara", "employed", Some("1100"), "paused"),
        ("Dunya", "volunteer", None, "active"),
    ] {
        let m = expect_json(
            coordinator
                .post_json(
                    "/api/v1/mothers",
                    &json!({"programme_id": p.to_string(), "full_name": name, "phone": "0615 1",
                            "gender": "female", "engagement": engagement, "monthly_allowance": amount,
                            "joined_on": "2015-01-01"}),
                )
                .await,
            201,
        )
        .await;
        let id = m["id"].as_i64().expect("id");
        expect_json(
            coordinator
                .post_json(
                    &format!("/api/v1/mothers/{id}/status"),
                    &json!({"status": status, "changed_on": "2015-02-01"}),
                )
                .await,
            200,
        )
        .await;
        ids.push(id);
    }
    let g = expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": f.to_string(), "amount": "10000",
                    "starts_on": "2015-01-01", "ends_on": "2015-12-31", "status": "granted"}),
        )
        .await,
        201,
    )
    .await;
    let gid = g["id"].as_i64().expect("id");
    let run = expect_json(
        app.post_json(
            "/api/v1/allowance-runs",
            &json!({"programme_id": p.to_string(), "month": "2015-05", "grant_id": gid.to_string()}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(run["confirmed"], false);
    assert_eq!(
        run["total_minor"], 45_000,
        "Amal 250 + Berfin 200; not paused, not volunteers"
    );
    let payments = run["payments"].as_array().expect("payments").clone();
    assert_eq!(payments.len(), 2);
    assert!(
        payments
            .iter()
            .all(|p| p["status"] == "draft" && p["spent_on"] == "2015-05-31")
    );
    // Drafts do not count as spent yet.
    let g = expect_json(app.get(&format!("/api/v1/grants/{gid}")).await, 200).await;
    assert_eq!(g["spent_minor"], 0);
    // A second run for the same month is refused, and nothing changes.
    let body = expect_json(
        app.post_json(
            "/api/v1/allowance-runs",
            &json!({"programme_id": p.to_string(), "month": "2015-05"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"]["month"],
        "The allowance payments for 2015-05 were already created."
    );
    assert_eq!(app.count("SELECT count(*) FROM expenses").await, 2);
    // Edited before confirmation, on the review page.
    let html = app
        .get(&format!("/allowances/{p}/2015-05"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("Amal") && html.contains("Berfin") && !html.contains("Dunya"));
    let first = payments[0]["id"].as_i64().expect("id");
    let res = app
        .post_form(
            &format!("/allowances/{p}/2015-05"),
            &[(&format!("amount{first}"), "275,00"), ("then", "confirm")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let run = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/allowance-runs/2015-05"))
            .await,
        200,
    )
    .await;
    assert_eq!(run["confirmed"], true);
    assert_eq!(run["total_minor"], 47_500);
    let g = expect_json(app.get(&format!("/api/v1/grants/{gid}")).await, 200).await;
    assert_eq!(
        g["spent_minor"], 47_500,
        "confirmed payments count against the grant"
    );
    // Confirmed: no more confirming, no more draft editing.
    assert_eq!(
        app.post_json(
            &format!("/api/v1/programmes/{p}/allowance-runs/2015-05/confirm"),
            &json!({})
        )
        .await
        .status(),
        409
    );
    // The next month is a new run; the page flow works through forms.
    assert_eq!(app.get("/allowances").await.status(), 200);
    let res = app
        .post_form(
            "/allowances",
            &[("programme_id", &p.to_string()), ("month", "2015-06")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(
            "/allowances",
            &[("programme_id", &p.to_string()), ("month", "2015-06")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("already created"));
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE entity = 'allowance_run'")
            .await,
        3
    );
}

#[tokio::test]
async fn funding_pages_through_forms() {
    let app = TestApp::spawn().await;
    let (p, f) = setup(&app).await;
    let pid = p.to_string();
    let fid = f.to_string();
    assert_eq!(app.get("/funding").await.status(), 200);
    let res = app
        .post_form("/funders", &[("name", ""), ("kind", "foundation")])
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post_form(
            "/funders",
            &[("name", "Stiftung Mercator"), ("kind", "foundation")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get("/grants/new").await.status(), 200);
    let res = app
        .post_form(
            "/grants",
            &[
                ("programme_id", &pid),
                ("funder_id", &fid),
                ("amount", "27500"),
                ("starts_on", "2015-01-01"),
                ("ends_on", "2015-12-31"),
                ("status", "granted"),
                ("currency", "GBP"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("Amounts of this programme are in EUR")
    );
    let res = app
        .post_form(
            "/grants",
            &[
                ("programme_id", &pid),
                ("funder_id", &fid),
                ("amount", "27500"),
                ("starts_on", "2015-01-01"),
                ("ends_on", "2015-12-31"),
                ("status", "granted"),
                ("reference", "own 2015"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let grant = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let html = app.get(&grant).await.text().await.expect("text");
    assert!(html.contains("27,500.00 EUR"));
    assert_eq!(app.get(&format!("{grant}/edit")).await.status(), 200);
    assert_eq!(app.get("/expenses").await.status(), 200);
    let res = app
        .post_form(
            "/expenses",
            &[
                ("programme_id", &pid),
                ("spent_on", "2015-03-01"),
                ("category", "materials"),
                ("amount", "12.5"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let list = app.get("/expenses").await.text().await.expect("text");
    assert!(list.contains("12.50 EUR"));
    let e = app.count("SELECT max(id) FROM expenses").await;
    assert_eq!(app.get(&format!("/expenses/{e}/edit")).await.status(), 200);
    let res = app
        .post_form(
            &format!("/expenses/{e}"),
            &[
                ("spent_on", "2015-03-01"),
                ("category", "materials"),
                ("amount", "13"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn amounts_above_a_billion_are_refused_and_reports_keep_working() {
    let app = TestApp::spawn().await;
    let (p, f) = setup(&app).await;
    let pid = p.to_string();
    let fid = f.to_string();
    // i64::MAX minor units: once accepted, it broke every report.
    let huge = "92233720368547758.07";
    let too_large = "Enter an amount of at most 1,000,000,000.";
    let body = expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": pid, "funder_id": fid, "amount": huge,
                    "starts_on": "2015-01-01", "ends_on": "2015-12-31", "status": "granted"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["error"]["fields"]["amount"], too_large);
    let body = expect_json(
        app.post_json(
            "/api/v1/expenses",
            &json!({"programme_id": pid, "spent_on": "2015-03-01", "category": "other",
                    "amount": "1000000000.01"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["error"]["fields"]["amount"], too_large);
    let body = expect_json(
        app.post_json(
            "/api/v1/mothers",
            &json!({"programme_id": pid, "full_name": "Amal", "phone": "0615 1", "gender": "female",
                    "engagement": "allowance", "monthly_allowance": huge, "joined_on": "2015-01-01"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["error"]["fields"]["monthly_allowance"], too_large);
    // The form is shown again with the message beside the field, the input kept.
    let res = app
        .post_form(
            "/grants",
            &[
                ("programme_id", &pid),
                ("funder_id", &fid),
                ("amount", huge),
                ("starts_on", "2015-01-01"),
                ("ends_on", "2015-12-31"),
                ("status", "granted"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(
        html.contains(&format!(
            "<p class=\"error\" id=\"amount-error\">{too_large}</p>"
        )),
        "{html}"
    );
    assert!(html.contains(&format!("value=\"{huge}\"")), "input kept");
    let res = app
        .post_form(
            "/expenses",
            &[
                ("programme_id", &pid),
                ("spent_on", "2015-03-01"),
                ("category", "materials"),
                ("amount", huge),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains(too_large));
    // Nothing stored.
    assert_eq!(app.count("SELECT count(*) FROM grants").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM expenses").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM mothers").await, 0);
    // The database refuses more than 10^13 minor units too.
    let mut conn = app.conn().await;
    for sql in [
        format!(
            "INSERT INTO expenses (programme_id, spent_on, category, amount_minor, currency) \
             VALUES ({p}, '2015-01-01', 'other', 9223372036854775807, 'EUR')"
        ),
        format!(
            "INSERT INTO grants (programme_id, funder_id, amount_minor, currency, starts_on, ends_on) \
             VALUES ({p}, {f}, 10000000000001, 'EUR', '2015-01-01', '2015-12-31')"
        ),
    ] {
        let res = diesel_async::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn).await;
        assert!(res.is_err(), "the CHECK refuses it");
    }
    // The bound itself is accepted, and the reports still add up.
    expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": pid, "funder_id": fid, "amount": "1 000 000 000",
                    "starts_on": "2015-01-01", "ends_on": "2015-12-31", "status": "granted"}),
        )
        .await,
        201,
    )
    .await;
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2015&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r["funding"][0]["received_minor"], 100_000_000_000i64);
    for path in ["/reports", "/reports/yearly.csv", "/reports/yearly.xlsx"] {
        let res = app.get(&format!("{path}?year=2015&programme={p}")).await;
        assert_eq!(res.status(), 200, "{path}");
    }
}
