//! The yearly report JSON: known data sets built through the API, every
//! figure asserted exactly.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

async fn id(agent: &Agent, path: &str, body: Value) -> i64 {
    expect_json(agent.post_json(path, &body).await, 201).await["id"]
        .as_i64()
        .expect("id")
}

async fn programme(app: &TestApp, name: &str, currency: &str) -> i64 {
    id(
        app,
        "/api/v1/programmes",
        json!({"name": name, "city": "X", "country": "DK", "currency": currency,
               "default_language": "da", "start_date": "2007-01-01"}),
    )
    .await
}

/// The Danish table: mothers trained per year 2008-2012 (9, 19, 15, 66, 138).
#[tokio::test]
async fn mothers_trained_per_year_the_danish_table() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Bydelsmødre Danmark", "DKK").await;
    let trainer = app
        .create_user("trainer@test.example", Role::Trainer, &[p])
        .await;
    for (year, count) in [(2008, 9), (2009, 19), (2010, 15), (2011, 66), (2012, 138)] {
        let course = id(
            &app,
            "/api/v1/courses",
            json!({"programme_id": p.to_string(), "name": format!("Course {year}"), "trainer_id": trainer.to_string(),
                   "starts_on": format!("{year}-02-01"), "ends_on": format!("{year}-11-30")}),
        )
        .await;
        let module = id(
            &app,
            &format!("/api/v1/courses/{course}/modules"),
            json!({"title": "Module", "topic_id": "1", "held_on": format!("{year}-03-01"), "hours": "3"}),
        )
        .await;
        let mut enrolments = Vec::new();
        for i in 0..count {
            let m = id(
                &app,
                "/api/v1/mothers",
                json!({"programme_id": p.to_string(), "full_name": format!("M {year} {i}"), "phone": "1",
                       "gender": "female", "engagement": "volunteer", "joined_on": format!("{year}-01-15")}),
            )
            .await;
            enrolments.push(
                id(
                    &app,
                    &format!("/api/v1/courses/{course}/enrolments"),
                    json!({"mother_id": m.to_string(), "enrolled_on": format!("{year}-02-01")}),
                )
                .await,
            );
        }
        let entries: Vec<Value> = enrolments
            .iter()
            .map(|e| json!({"enrolment_id": e, "status": "present"}))
            .collect();
        expect_json(
            app.put_json(
                &format!("/api/v1/modules/{module}/attendance"),
                &json!({"entries": entries}),
            )
            .await,
            200,
        )
        .await;
        for e in &enrolments {
            expect_json(
                app.post_json(
                    &format!("/api/v1/enrolments/{e}/completion"),
                    &json!({"completed_on": format!("{year}-11-30")}),
                )
                .await,
                200,
            )
            .await;
        }
    }
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2012&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        r["mothers_trained_by_year"],
        json!([{"year": 2008, "count": 9}, {"year": 2009, "count": 19}, {"year": 2010, "count": 15},
               {"year": 2011, "count": 66}, {"year": 2012, "count": 138}])
    );
    assert_eq!(r["mothers_trained"], 138);
    let r2010 = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2010&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r2010["mothers_trained"], 15);
    assert_eq!(
        r2010["mothers_trained_by_year"].as_array().map(Vec::len),
        Some(3)
    );
    // The chart of mothers trained per year: a bar and a label for each year.
    let html = app
        .get(&format!("/reports?year=2012&programme={p}"))
        .await
        .text()
        .await
        .expect("page");
    let start = html
        .find("aria-label=\"Mothers trained per year\"")
        .expect("the chart");
    let chart = &html[start..start + html[start..].find("</svg>").expect("end")];
    for y in 2008..=2012 {
        assert!(chart.contains(&format!(">\n{y}\n</text>")), "{y} labelled");
    }
    // The 138 of 2012 sets the axis: its bar is the tallest.
    assert!(
        chart.contains(">\n140\n</text>"),
        "an axis up to 138 and beyond"
    );
}

#[tokio::test]
async fn every_figure_of_a_known_year() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Stadtteilmütter Neukölln", "EUR").await;
    let q = programme(&app, "Bydelsmødre Aarhus", "DKK").await;
    let nord = id(
        &app,
        &format!("/api/v1/programmes/{p}/districts"),
        json!({"name": "Nord"}),
    )
    .await;
    let sued = id(
        &app,
        &format!("/api/v1/programmes/{p}/districts"),
        json!({"name": "Süd"}),
    )
    .await;
    let mother = |name: &str, district: i64, engagement: &str, allowance: Option<&str>| {
        json!({"programme_id": p.to_string(), "full_name": name, "phone": "1", "gender": "female",
               "engagement": engagement, "monthly_allowance": allowance,
               "district_id": district.to_string(), "joined_on": "2011-01-01"})
    };
    let m1 = id(
        &app,
        "/api/v1/mothers",
        mother("M1", nord, "allowance", Some("100")),
    )
    .await;
    let m2 = id(
        &app,
        "/api/v1/mothers",
        mother("M2", sued, "volunteer", None),
    )
    .await;
    for (m, status, on) in [
        (m1, "active", "2012-03-01"),
        (m2, "certified", "2012-02-01"),
        (m2, "active", "2013-01-05"),
    ] {
        expect_json(
            app.post_json(
                &format!("/api/v1/mothers/{m}/status"),
                &json!({"status": status, "changed_on": on}),
            )
            .await,
            200,
        )
        .await;
    }
    let family = |district: Option<i64>, first: &str| {
        json!({"programme_id": p.to_string(), "district_id": district.map(|d| d.to_string()),
               "contact_origin": "event", "first_contact_on": first})
    };
    let f1 = id(&app, "/api/v1/families", family(Some(nord), "2012-01-10")).await;
    let f2 = id(&app, "/api/v1/families", family(Some(sued), "2011-05-01")).await;
    let f3 = id(&app, "/api/v1/families", family(None, "2012-06-01")).await;
    let own_topic = id(
        &app,
        &format!("/api/v1/programmes/{p}/topics"),
        json!({"label": "Digital"}),
    )
    .await;
    let visit = |m: i64,
                 f: Option<i64>,
                 on: &str,
                 kind: &str,
                 topics: Vec<String>,
                 referrals: Vec<&str>| {
        json!({"mother_id": m.to_string(), "family_id": f.map(|x| x.to_string()), "visited_on": on,
               "duration_minutes": "60", "kind": kind, "topic_ids": topics, "referrals": referrals})
    };
    let t = |ids: &[i64]| ids.iter().map(ToString::to_string).collect::<Vec<_>>();
    let v1 = expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(
                m1,
                Some(f1),
                "2012-01-01",
                "home_visit",
                t(&[1, 2]),
                vec!["health"],
            ),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(m1, Some(f2), "2012-12-31", "phone", t(&[1]), vec!["school"]),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(
                m2,
                None,
                "2012-06-15",
                "group_meeting",
                t(&[own_topic]),
                vec![],
            ),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(m2, Some(f3), "2012-06-20", "home_visit", t(&[2]), vec![]),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(m1, Some(f1), "2013-01-01", "home_visit", t(&[1]), vec![]),
        )
        .await,
        201,
    )
    .await;
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(m1, Some(f2), "2011-12-31", "home_visit", t(&[1]), vec![]),
        )
        .await,
        201,
    )
    .await;
    // Afterwards: the referral done, the topic retired, the district archived, a family closed.
    let referral = v1["referrals"][0]["id"].as_i64().expect("referral");
    expect_json(
        app.post_json(
            &format!("/api/v1/referrals/{referral}/done"),
            &json!({"done_on": "2013-02-01"}),
        )
        .await,
        200,
    )
    .await;
    expect_json(
        app.post_json(&format!("/api/v1/topics/{own_topic}/retire"), &json!({}))
            .await,
        200,
    )
    .await;
    expect_json(
        app.post_json(&format!("/api/v1/districts/{sued}/archive"), &json!({}))
            .await,
        200,
    )
    .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/families/{f3}/close"),
            &json!({"closed_on": "2012-12-01", "reason": "moved"}),
        )
        .await,
        200,
    )
    .await;
    // Events: two in 2012, one in 2013.
    for (on, migrant, local) in [
        ("2012-05-01", "10", "3"),
        ("2012-09-01", "5", "0"),
        ("2013-02-01", "7", "7"),
    ] {
        id(
            &app,
            "/api/v1/events",
            json!({"programme_id": p.to_string(), "kind": "event", "title": "Café",
            "held_on": on, "migrant_participants": migrant, "local_participants": local}),
        )
        .await;
    }
    // Funding: a 2012 grant, an own-capital grant half in 2012, an applied one.
    let gov = id(
        &app,
        "/api/v1/funders",
        json!({"name": "Senat", "kind": "government"}),
    )
    .await;
    let own = id(
        &app,
        "/api/v1/funders",
        json!({"name": "Own", "kind": "own_capital"}),
    )
    .await;
    let fdn = id(
        &app,
        "/api/v1/funders",
        json!({"name": "Stiftung", "kind": "foundation"}),
    )
    .await;
    for (funder, amount, from, to, status) in [
        (gov, "100000", "2012-01-01", "2012-12-31", "granted"),
        (own, "36500", "2012-07-01", "2013-06-30", "granted"),
        (fdn, "50000", "2012-01-01", "2012-12-31", "applied"),
    ] {
        expect_json(
            app.post_json(
                "/api/v1/grants",
                &json!({"programme_id": p.to_string(), "funder_id": funder.to_string(),
            "amount": amount, "starts_on": from, "ends_on": to, "status": status}),
            )
            .await,
            201,
        )
        .await;
    }
    for (on, category, amount) in [
        ("2012-03-01", "training", "800"),
        ("2012-12-31", "coordination", "1200"),
        ("2013-01-02", "materials", "50"),
    ] {
        id(&app, "/api/v1/expenses", json!({"programme_id": p.to_string(), "spent_on": on, "category": category, "amount": amount})).await;
    }
    // A draft allowance payment does not count until confirmed.
    expect_json(
        app.post_json(
            "/api/v1/allowance-runs",
            &json!({"programme_id": p.to_string(), "month": "2012-12"}),
        )
        .await,
        201,
    )
    .await;

    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2012&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r["year"], 2012);
    assert_eq!(r["programmes"], json!([p]));
    assert_eq!(r["mothers_trained"], 0);
    assert_eq!(r["mothers_trained_by_year"], json!([]));
    assert_eq!(
        r["active_mothers_at_year_end"], 1,
        "M2 became active only in 2013"
    );
    assert_eq!(r["visits"]["total"], 4);
    assert_eq!(
        r["visits"]["by_month"],
        json!([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1])
    );
    assert_eq!(
        r["visits"]["by_kind"],
        json!({"accompaniment": 0, "group_meeting": 1, "home_visit": 2, "phone": 1})
    );
    assert_eq!(
        r["visits"]["by_district"],
        json!([{"district_id": nord, "name": "Nord", "count": 1}, {"district_id": sued, "name": "Süd", "count": 3}])
    );
    assert_eq!(r["families"], json!({"reached": 3, "new": 2}));
    assert_eq!(
        r["topics"],
        json!([
            {"key": "children_upbringing", "label": "Children and upbringing", "count": 2, "share": 0.5},
            {"key": "health", "label": "Health", "count": 2, "share": 0.5},
            {"key": format!("topic-{own_topic}"), "label": "Digital", "count": 1, "share": 0.25},
        ])
    );
    let referrals: Vec<&Value> = r["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .filter(|x| x["count"] != 0)
        .collect();
    assert_eq!(
        referrals,
        vec![
            &json!({"service": "school", "label": "School", "count": 1, "done": 0}),
            &json!({"service": "health", "label": "Health service", "count": 1, "done": 1})
        ]
    );
    assert_eq!(
        r["referrals"].as_array().map(Vec::len),
        Some(9),
        "every service listed"
    );
    assert_eq!(r["events"]["count"], 2);
    assert_eq!(r["events"]["participants_migrant"], 15);
    assert_eq!(r["events"]["participants_local"], 3);
    assert_eq!(r["funding"][0]["currency"], "EUR");
    assert_eq!(
        r["funding"][0]["received_minor"], 11_840_000,
        "10,000,000 + 184/365 of 3,650,000"
    );
    assert_eq!(r["funding"][0]["by_kind"]["government"], 10_000_000);
    assert_eq!(r["funding"][0]["by_kind"]["own_capital"], 1_840_000);
    assert_eq!(
        r["funding"][0]["by_kind"]["foundation"], 0,
        "applied, not granted"
    );
    assert_eq!(
        r["funding"][0]["by_funder"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(r["expenses"][0]["total_minor"], 200_000);
    assert_eq!(r["expenses"][0]["by_category"]["training"], 80_000);
    assert_eq!(
        r["expenses"][0]["by_category"]["allowances"], 0,
        "drafts do not count"
    );
    assert_eq!(r["cost_per_visit_minor"], 50_000);
    assert_eq!(
        r["cost_per_mother_trained_minor"],
        Value::Null,
        "nobody trained: nothing to divide by"
    );
    let share = r["own_capital_share"].as_f64().expect("share");
    assert!((share - 1_840_000.0 / 11_840_000.0).abs() < 1e-9);

    // The page shows the same figures with their definitions; CSV too.
    let html = app
        .get(&format!("/reports?year=2012&programme={p}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("Yearly report 2012"));
    assert!(
        html.contains("118,400.00 EUR"),
        "funding received, formatted"
    );
    assert!(html.contains("500.00 EUR"), "cost per visit");
    assert!(html.contains("Mothers trained in a year: mothers whose course completion"));
    assert!(html.contains("Nord") && html.contains("Digital") && html.contains("25.0 %"));
    let res = app
        .get(&format!("/reports/yearly.csv?year=2012&programme={p}"))
        .await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    // The file names the programme, the period and the day it was made.
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''yearly-report_")
            && disposition.contains("_2012_made-20"),
        "{disposition}"
    );
    let csv = res.text().await.expect("csv");
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    for line in [
        "Report,Yearly report 2012",
        "Period,2012",
        "Visits,4",
        "2012-06,2",
        "Families reached,3",
        "EUR,Senat,government or ministry,100000.00",
        "EUR,training,800.00",
        "Cost per visit,500.00",
        "Cost per mother trained,",
        "Migrant participants,15",
    ] {
        assert!(
            csv.trim_start_matches('\u{feff}')
                .lines()
                .any(|l| l == line),
            "{line} missing in\n{csv}"
        );
    }
    // Labels in the reader's language, never internal keys.
    for key in [
        "youth_welfare",
        "home_visit",
        "visits_by_month",
        "funding_EUR",
    ] {
        assert!(!csv.contains(key), "{key} in\n{csv}");
    }
    let css = app.get("/static/app.css").await.text().await.expect("css");
    assert!(css.contains("@page { size: A4"), "a print stylesheet");

    // Charts: SVG in the page, each with its title, wide and narrow (for
    // phones); nobody trained, no chart for that.
    for size in ["wide", "narrow"] {
        assert!(html.contains(&format!(
            "<svg class=\"chart {size}\" role=\"img\" aria-label=\"Visits per month, 2012 (bars) and the year before (line)\""
        )));
    }
    assert!(html.contains("aria-label=\"Topics discussed in 2012\""));
    assert!(!html.contains("aria-label=\"Mothers trained per year\""));
    assert!(html.contains("<polyline"), "the year before as a line");
    assert!(html.contains(">\nDigital\n</text>"), "a topic bar's label");

    // XLSX: one sheet per table, numbers as numbers, months as dates.
    let res = app
        .get(&format!("/reports/yearly.xlsx?year=2012&programme={p}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    use calamine::{Data, Reader};
    assert_eq!(
        book.sheet_names(),
        [
            "About this file",
            "Summary",
            "Mothers trained",
            "Visits by month",
            "Visits by kind",
            "Visits by district",
            "Topics discussed",
            "Referrals",
            "Events",
            "Funding by funder",
            "Expenses"
        ]
    );
    let summary = book.worksheet_range("Summary").expect("summary");
    let figure = |name: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(name.into()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(figure("Visits"), Data::Float(4.0));
    assert_eq!(figure("Families reached"), Data::Float(3.0));
    assert_eq!(figure("Cost per visit"), Data::Float(500.0));
    assert_eq!(figure("Cost per mother trained"), Data::Empty);
    let months = book.worksheet_range("Visits by month").expect("months");
    let june = months.get((6, 0)).expect("June");
    match june {
        // Excel counts days from 1899-12-30: 2012-06-01 is day 41061.
        Data::DateTime(d) => assert_eq!(d.as_f64(), 41061.0),
        other => panic!("a month is a date, not {other:?}"),
    }
    assert_eq!(months.get((6, 1)), Some(&Data::Float(2.0)));
    let topics = book.worksheet_range("Topics discussed").expect("topics");
    let digital = topics
        .rows()
        .find(|r| r[0] == Data::String("Digital".into()))
        .expect("own topic");
    assert_eq!(digital[1], Data::Float(1.0));
    assert_eq!(digital[2], Data::Float(0.25));
    let funding = book.worksheet_range("Funding by funder").expect("funding");
    let received: f64 = funding
        .rows()
        .skip(1)
        .map(|r| match r[3] {
            Data::Float(x) => x,
            ref other => panic!("an amount is a number, not {other:?}"),
        })
        .sum();
    assert!((received - 118_400.0).abs() < 0.001);

    // An empty year.
    let e = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2005&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(e["visits"]["total"], 0);
    assert_eq!(e["visits"]["by_month"], json!(vec![0; 12]));
    assert_eq!(e["topics"], json!([]));
    assert_eq!(e["families"], json!({"reached": 0, "new": 0}));
    assert_eq!(e["cost_per_visit_minor"], Value::Null);
    assert_eq!(e["own_capital_share"], Value::Null);
    assert_eq!(e["active_mothers_at_year_end"], 0);

    // A manager sees only their programme's figures.
    let manager = app.with_user(Role::Manager, &[p]).await;
    let mine = expect_json(manager.get("/api/v1/reports/yearly?year=2012").await, 200).await;
    assert_eq!(mine["programmes"], json!([p]));
    assert_eq!(mine["visits"]["total"], 4);
    assert_eq!(
        manager
            .get(&format!("/api/v1/reports/yearly?year=2012&programme={q}"))
            .await
            .status(),
        404
    );
    // Coordinators do not read reports.
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    assert_eq!(
        coordinator
            .get("/api/v1/reports/yearly?year=2012")
            .await
            .status(),
        403
    );
    // Several currencies: side by side, never summed; ratios null.
    let all = expect_json(app.get("/api/v1/reports/yearly?year=2012").await, 200).await;
    let ids: Vec<i64> = all["programmes"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert!(
        ids.contains(&p) && ids.contains(&q) && ids.len() == 2,
        "{ids:?}"
    );
    let currencies: Vec<&str> = all["funding"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["currency"].as_str())
        .collect();
    assert_eq!(currencies, vec!["DKK", "EUR"]);
    assert_eq!(all["cost_per_visit_minor"], Value::Null);
    assert_eq!(all["own_capital_share"], Value::Null);
    // A bad year is a clear error.
    let body = expect_json(app.get("/api/v1/reports/yearly?year=soon").await, 422).await;
    assert_eq!(body["error"]["fields"]["year"], "Give the year, e.g. 2012.");
}

/// Comparison and funder report over one small known data set.
#[tokio::test]
async fn comparison_and_the_funder_report() {
    let app = TestApp::spawn().await;
    let a = programme(&app, "Stadtteilmütter Neukölln", "EUR").await;
    let b = programme(&app, "Bydelsmødre Aarhus", "DKK").await;
    let districts = format!("/api/v1/programmes/{a}/districts");
    let nord = id(&app, &districts, json!({"name": "Nord"})).await;
    let sued = id(&app, &districts, json!({"name": "Süd"})).await;
    let mother = |p: i64, name: &str, district: Option<i64>| {
        json!({"programme_id": p.to_string(), "full_name": name, "phone": "1", "gender": "female",
               "engagement": "volunteer", "district_id": district.map(|d| d.to_string()),
               "joined_on": "2011-01-01"})
    };
    let ma1 = id(&app, "/api/v1/mothers", mother(a, "A1", Some(nord))).await;
    let ma2 = id(&app, "/api/v1/mothers", mother(a, "A2", Some(sued))).await;
    let mb1 = id(&app, "/api/v1/mothers", mother(b, "B1", None)).await;
    for m in [ma1, ma2, mb1] {
        expect_json(
            app.post_json(
                &format!("/api/v1/mothers/{m}/status"),
                &json!({"status": "active", "changed_on": "2011-01-01"}),
            )
            .await,
            200,
        )
        .await;
    }
    let family = |district: i64, first: &str| {
        json!({"programme_id": a.to_string(), "district_id": district.to_string(),
               "contact_origin": "event", "first_contact_on": first})
    };
    let fnord = id(&app, "/api/v1/families", family(nord, "2012-03-01")).await;
    id(&app, "/api/v1/families", family(sued, "2012-04-01")).await;
    for (m, f, on, topics) in [
        (ma1, None, "2011-05-10", vec!["1"]),
        (ma1, None, "2012-02-28", vec!["1"]),
        (ma1, Some(fnord), "2012-03-01", vec!["1"]),
        // Her family lives in Nord: the visit counts there, not in Süd.
        (ma2, Some(fnord), "2012-08-31", vec!["1", "2"]),
        (ma2, None, "2012-05-05", vec!["2"]),
        (ma1, None, "2012-09-01", vec!["1"]),
        (mb1, None, "2012-04-04", vec!["3"]),
        (mb1, None, "2012-04-05", vec!["3"]),
    ] {
        id(
            &app,
            "/api/v1/visits",
            json!({"mother_id": m.to_string(), "family_id": f.map(|x: i64| x.to_string()),
                   "visited_on": on, "duration_minutes": "60", "kind": "home_visit",
                   "topic_ids": topics, "referrals": []}),
        )
        .await;
    }
    for (d, on, migrant, local) in [
        (nord, "2012-06-01", "4", "2"),
        (sued, "2012-06-02", "9", "9"),
    ] {
        id(
            &app,
            "/api/v1/events",
            json!({"programme_id": a.to_string(), "district_id": d.to_string(), "kind": "event",
                   "title": "Café", "held_on": on, "migrant_participants": migrant,
                   "local_participants": local}),
        )
        .await;
    }
    let senat = id(
        &app,
        "/api/v1/funders",
        json!({"name": "Senat", "kind": "government"}),
    )
    .await;
    let grant = expect_json(
        app.post_json(
            "/api/v1/grants",
            &json!({"programme_id": a.to_string(), "funder_id": senat.to_string(), "amount": "10000",
                    "starts_on": "2012-03-01", "ends_on": "2012-08-31", "status": "granted",
                    "reference": "SEN-12", "district_ids": [nord.to_string()]}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("grant");
    for (on, category, amount, charged) in [
        ("2012-04-01", "training", "300", true),
        ("2012-09-15", "materials", "100", true),
        ("2012-04-01", "coordination", "500", false),
    ] {
        id(
            &app,
            "/api/v1/expenses",
            json!({"programme_id": a.to_string(), "spent_on": on, "category": category, "amount": amount,
                   "grant_id": charged.then(|| grant.to_string())}),
        )
        .await;
    }

    // The funder report: within 2012-03-01..2012-08-31 and in Nord only.
    let r = expect_json(
        app.get(&format!("/api/v1/grants/{grant}/report")).await,
        200,
    )
    .await;
    assert_eq!(r["programme"], "Stadtteilmütter Neukölln");
    assert_eq!(r["districts"], json!(["Nord"]));
    let act = &r["activity"];
    assert_eq!(
        act["visits"], 2,
        "28 Feb and 1 Sep are outside, 5 May is in Süd"
    );
    assert_eq!(act["visits_by_kind"]["home_visit"], 2);
    assert_eq!(act["families_reached"], 1);
    assert_eq!(act["families_new"], 1, "the Süd family is not the grant's");
    assert_eq!(act["mothers_visiting"], 2);
    assert_eq!(act["mothers_trained"], 0);
    assert_eq!(
        act["topics"],
        json!([
            {"key": "children_upbringing", "label": "Children and upbringing", "count": 2, "share": 1.0},
            {"key": "health", "label": "Health", "count": 1, "share": 0.5},
        ])
    );
    assert_eq!(act["events"]["count"], 1);
    assert_eq!(act["events"]["participants_migrant"], 4);
    assert_eq!(act["events"]["participants_local"], 2);
    assert_eq!(r["grant"]["spent_minor"], 40_000);
    assert_eq!(r["grant"]["remaining_minor"], 960_000);
    assert_eq!(r["grant"]["spent_outside_period_minor"], 10_000);
    assert_eq!(r["spent_by_category"]["training"], 30_000);
    assert_eq!(r["spent_by_category"]["materials"], 10_000);
    assert_eq!(r["spent_by_category"]["coordination"], 0, "not charged");
    assert_eq!(r["cost_per_visit_minor"], 20_000);
    let html = app
        .get(&format!("/grants/{grant}/report"))
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("Funder report: Senat"));
    assert!(html.contains("SEN-12") && html.contains("1 Mar 2012 – 31 Aug 2012"));
    assert!(
        html.contains("9,600.00 EUR") || html.contains("9.600,00 EUR"),
        "remaining"
    );
    assert!(html.contains("200.00 EUR"), "cost per visit");
    assert!(html.contains("What the grant paid for"));
    let grant_page = app
        .get(&format!("/grants/{grant}"))
        .await
        .text()
        .await
        .expect("grant");
    assert!(grant_page.contains(&format!("href=\"/grants/{grant}/report\"")));
    // The grant's history, with its expenses', in words.
    assert!(grant_page.contains("Change history") && grant_page.contains("Expense"));

    // A grant restricted to districts claims their activity, and says so.
    assert_eq!(r["attribution"]["rule"], "districts");
    assert!(html.contains("restricted to its districts"));
    // An unrestricted grant: the programme's activity in its period, and
    // its share of the programme's funding then (30,000 of 30,000 + the
    // Senat's 10,000, all within 2012): 75 %.
    let stiftung = id(
        &app,
        "/api/v1/funders",
        json!({"name": "Stiftung", "kind": "foundation"}),
    )
    .await;
    let open_grant = id(
        &app,
        "/api/v1/grants",
        json!({"programme_id": a.to_string(), "funder_id": stiftung.to_string(), "amount": "30000",
               "starts_on": "2012-01-01", "ends_on": "2012-12-31", "status": "granted"}),
    )
    .await;
    let u = expect_json(
        app.get(&format!("/api/v1/grants/{open_grant}/report"))
            .await,
        200,
    )
    .await;
    assert_eq!(u["attribution"]["rule"], "share");
    assert_eq!(u["attribution"]["funding_in_period_minor"], 4_000_000);
    assert_eq!(u["attribution"]["share"], 0.75);
    let visits = u["activity"]["visits"].as_i64().expect("visits");
    assert_eq!(
        u["attribution"]["visits"],
        (visits as f64 * 0.75).round() as i64
    );
    let html = app
        .get(&format!("/grants/{open_grant}/report"))
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("which other funding paid for too") && html.contains("75.0 %"));

    // The funder report as files that stand alone.
    let res = app.get(&format!("/grants/{grant}/report.csv")).await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains("funder-report_stadtteilm")
            && disposition.contains("_2012-03-01-2012-08-31_made-"),
        "{disposition}"
    );
    let text = res.text().await.expect("csv");
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    for line in [
        "Report,Funder report: Senat",
        "Programmes,Stadtteilmütter Neukölln",
        "Period,2012-03-01 – 2012-08-31",
        "Visits,2",
        "Spent,400.00",
        "home visit,2",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
    }
    assert!(text.contains("restricted to its districts"));
    let res = app.get(&format!("/grants/{grant}/report.xlsx")).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    use calamine::Reader as _;
    assert_eq!(book.sheet_names()[0], "About this file");
    let summary = book.worksheet_range("Summary").expect("summary");
    let visits_row = summary
        .rows()
        .find(|r| r[0] == calamine::Data::String("Visits".into()))
        .expect("visits");
    assert_eq!(visits_row[1], calamine::Data::Float(2.0));

    // Programmes side by side in 2012.
    let c = expect_json(app.get("/api/v1/reports/compare?year=2012").await, 200).await;
    assert_eq!(c["by"], "programmes");
    let cols = c["columns"].as_array().expect("columns");
    let col = |p: i64| {
        cols.iter()
            .find(|c| c["programme_id"] == p)
            .unwrap_or_else(|| panic!("column {p}"))
    };
    assert_eq!(col(a)["report"]["visits"]["total"], 5);
    assert_eq!(col(b)["report"]["visits"]["total"], 2);
    assert_eq!(col(a)["report"]["funding"][0]["currency"], "EUR");
    assert_eq!(col(b)["report"]["funding"][0]["currency"], "DKK");
    let only_a = expect_json(
        app.get(&format!("/api/v1/reports/compare?year=2012&programme={a}"))
            .await,
        200,
    )
    .await;
    assert_eq!(only_a["columns"].as_array().map(Vec::len), Some(1));
    // The comparison as files, with the page's query.
    let html = app
        .get("/reports/compare?year=2012")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("href=\"/reports/compare.csv?"));
    let text = app
        .get("/reports/compare.csv?year=2012")
        .await
        .text()
        .await
        .expect("csv");
    let text = text.trim_start_matches('\u{feff}');
    assert!(text.lines().any(|l| l == "Period,2012"), "{text}");
    assert!(
        text.lines().any(
            |l| l == "Programmes,Stadtteilmütter Neukölln; Bydelsmødre Aarhus"
                || l == "Programmes,Bydelsmødre Aarhus; Stadtteilmütter Neukölln"
        ),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l == "Visits,5,2" || l == "Visits,2,5"),
        "{text}"
    );
    let res = app.get("/reports/compare.xlsx?year=2012").await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("xlsx");
    let book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    assert_eq!(book.sheet_names(), ["About this file", "Comparison"]);

    // Years of one programme, with the districts.
    let y = expect_json(
        app.get(&format!(
            "/api/v1/reports/compare?by=years&programme={a}&from=2011&to=2012"
        ))
        .await,
        200,
    )
    .await;
    let years: Vec<i64> = y["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["year"].as_i64().expect("year"))
        .collect();
    assert_eq!(years, [2011, 2012]);
    assert_eq!(y["columns"][0]["report"]["visits"]["total"], 1);
    assert_eq!(
        y["columns"][1]["report"]["visits"]["by_district"],
        json!([{"district_id": nord, "name": "Nord", "count": 4}, {"district_id": sued, "name": "Süd", "count": 1}])
    );
    let html = app
        .get(&format!(
            "/reports/compare?by=years&programme={a}&from=2011&to=2012"
        ))
        .await
        .text()
        .await
        .expect("page");
    let row = |label: &str| {
        let start = html
            .find(&format!("<th scope=\"row\">{label}</th>"))
            .unwrap_or_else(|| panic!("row {label}"));
        let end = start + html[start..].find("</tr>").expect("row end");
        html[start..end]
            .split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(html.contains("<th scope=\"col\" class=\"num\">2011</th>"));
    assert_eq!(row("Visits"), ["1", "5"]);
    assert_eq!(row("Nord"), ["1", "4"]);
    assert_eq!(row("Süd"), ["–", "1"]);
    let html = app
        .get("/reports/compare?year=2012")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("Programmes in 2012"));
    assert!(html.contains("<th scope=\"col\" class=\"num\">Bydelsmødre Aarhus</th>"));

    // Bad input: 422 with the field; other programmes: 404.
    for (query, field) in [
        ("by=years&from=2013&to=2012", "from"),
        ("by=years&from=2000&to=2012", "from"),
        ("by=months", "by"),
        ("year=12345", "year"),
    ] {
        let res = app.get(&format!("/api/v1/reports/compare?{query}")).await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.expect("json");
        assert!(
            body["error"]["fields"][field].is_string(),
            "{query}: {body}"
        );
    }
    let manager = app.with_user(Role::Manager, &[a]).await;
    let mine = expect_json(manager.get("/api/v1/reports/compare?year=2012").await, 200).await;
    assert_eq!(mine["columns"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["columns"][0]["programme_id"], a);
    assert_eq!(
        manager
            .get(&format!("/api/v1/reports/compare?programme={b}"))
            .await
            .status(),
        404
    );
    let other = app.with_user(Role::Manager, &[b]).await;
    assert_eq!(
        other
            .get(&format!("/api/v1/grants/{grant}/report"))
            .await
            .status(),
        404
    );
    assert_eq!(
        other.get(&format!("/grants/{grant}/report")).await.status(),
        404
    );
}

/// The reports read monthly roll-ups; every kind of change must reach them.
#[tokio::test]
async fn the_roll_ups_follow_every_change() {
    let app = TestApp::spawn().await;
    let p = programme(&app, "Stadtteilmütter Neukölln", "EUR").await;
    let districts = format!("/api/v1/programmes/{p}/districts");
    let nord = id(&app, &districts, json!({"name": "Nord"})).await;
    let sued = id(&app, &districts, json!({"name": "Süd"})).await;
    let mother = |district: i64| {
        json!({"programme_id": p.to_string(), "full_name": "M", "phone": "1", "gender": "female",
               "engagement": "volunteer", "district_id": district.to_string(), "joined_on": "2011-01-01"})
    };
    let m = id(&app, "/api/v1/mothers", mother(nord)).await;
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": "active", "changed_on": "2011-01-01"}),
        )
        .await,
        200,
    )
    .await;
    let family = |district: i64| {
        json!({"programme_id": p.to_string(), "district_id": district.to_string(),
               "contact_origin": "event", "first_contact_on": "2011-05-01"})
    };
    let f = id(&app, "/api/v1/families", family(sued)).await;
    let visit = |f: Option<i64>, on: &str, topic: &str, referrals: Vec<&str>| {
        json!({"mother_id": m.to_string(), "family_id": f.map(|x| x.to_string()), "visited_on": on,
               "duration_minutes": "60", "kind": "home_visit", "topic_ids": [topic], "referrals": referrals})
    };
    let v1 = id(
        &app,
        "/api/v1/visits",
        visit(Some(f), "2012-03-10", "1", vec![]),
    )
    .await;
    let v2 = expect_json(
        app.post_json(
            "/api/v1/visits",
            &visit(None, "2012-03-11", "2", vec!["health"]),
        )
        .await,
        201,
    )
    .await;
    let report = |year: i32| {
        let app = &app;
        async move {
            expect_json(
                app.get(&format!("/api/v1/reports/yearly?year={year}&programme={p}"))
                    .await,
                200,
            )
            .await
        }
    };
    let district_counts = |r: &Value| -> Vec<(String, i64)> {
        r["visits"]["by_district"]
            .as_array()
            .expect("districts")
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap_or_default().to_owned(),
                    d["count"].as_i64().unwrap_or_default(),
                )
            })
            .collect()
    };
    let r = report(2012).await;
    assert_eq!(r["visits"]["total"], 2);
    assert_eq!(
        district_counts(&r),
        [("Nord".to_owned(), 1), ("Süd".to_owned(), 1)]
    );
    assert_eq!(r["families"]["reached"], 1);
    assert_eq!(r["families"]["new"], 0, "first contact in 2011");
    // New families: a new one in 2012, and the first one's first contact corrected.
    let g = id(
        &app,
        "/api/v1/families",
        json!({"programme_id": p.to_string(), "contact_origin": "event", "first_contact_on": "2012-02-01"}),
    )
    .await;
    assert_eq!(report(2012).await["families"]["new"], 1);
    app.sql(&format!(
        "UPDATE families SET first_contact_on = '2012-07-01' WHERE id = {f}"
    ))
    .await;
    assert_eq!(report(2012).await["families"]["new"], 2);
    assert_eq!(report(2011).await["families"]["new"], 0);
    app.sql(&format!("DELETE FROM families WHERE id = {g}"))
        .await;
    assert_eq!(report(2012).await["families"]["new"], 1);
    assert_eq!(
        r["referrals"][3],
        json!({"service": "health", "label": "Health service", "count": 1, "done": 0})
    );

    // A new visit in another month.
    id(
        &app,
        "/api/v1/visits",
        visit(Some(f), "2012-04-01", "1", vec![]),
    )
    .await;
    let r = report(2012).await;
    assert_eq!(r["visits"]["total"], 3);
    assert_eq!(r["visits"]["by_month"][2], 2);
    assert_eq!(r["visits"]["by_month"][3], 1);
    assert_eq!(r["topics"][0]["count"], 2);

    // The family moves to Nord: its visits go with it.
    expect_json(
        app.put_json(&format!("/api/v1/families/{f}"), &family(nord))
            .await,
        200,
    )
    .await;
    assert_eq!(
        district_counts(&report(2012).await),
        [("Nord".to_owned(), 3)]
    );
    // The mother moves to Süd: her visit without a family goes with her.
    expect_json(
        app.put_json(&format!("/api/v1/mothers/{m}"), &mother(sued))
            .await,
        200,
    )
    .await;
    assert_eq!(
        district_counts(&report(2012).await),
        [("Nord".to_owned(), 2), ("Süd".to_owned(), 1)]
    );
    // A referral done.
    let referral = v2["referrals"][0]["id"].as_i64().expect("referral");
    expect_json(
        app.post_json(
            &format!("/api/v1/referrals/{referral}/done"),
            &json!({"done_on": "2012-05-01"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(report(2012).await["referrals"][3]["done"], 1);

    // Changes made outside the application (a correction in psql) count too.
    app.sql(&format!(
        "UPDATE visits SET visited_on = '2011-12-31' WHERE id = {v1}"
    ))
    .await;
    let r = report(2012).await;
    assert_eq!(r["visits"]["total"], 2);
    assert_eq!(r["visits"]["by_month"][2], 1);
    let r2011 = report(2011).await;
    assert_eq!(r2011["visits"]["total"], 1);
    assert_eq!(r2011["visits"]["by_month"][11], 1);
    assert_eq!(r2011["families"]["reached"], 1);
    app.sql(&format!(
        "DELETE FROM visit_topics WHERE visit_id = {}",
        v2["id"]
    ))
    .await;
    app.sql(&format!("DELETE FROM visits WHERE id = {v1}"))
        .await;
    let r2011 = report(2011).await;
    assert_eq!(r2011["visits"]["total"], 0);
    assert_eq!(r2011["families"]["reached"], 0);
    assert_eq!(r2011["topics"], json!([]));
    let r = report(2012).await;
    assert_eq!(r["topics"].as_array().map(Vec::len), Some(1), "{r}");
    // Whatever happened, the roll-ups agree with the visits themselves.
    for year in [2011, 2012] {
        let direct = app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE programme_id = {p} AND EXTRACT(YEAR FROM visited_on) = {year}"
            ))
            .await;
        assert_eq!(report(year).await["visits"]["total"], direct);
    }
}
