//! A report never writes (issue 20, point 1): it reads the roll-ups of the
//! months that are current and counts the stale ones on the fly, so it
//! runs in a read-only transaction (as on a standby) and gives the same
//! figures before and after the background worker recounts.

use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};
use neighbourhood_mothers::reports::headline::{headline, visits_by_mother};
use neighbourhood_mothers::reports::{model::yearly, rollup};

async fn stale(app: &TestApp) -> i64 {
    app.count("SELECT count(*)::bigint FROM report_stale_months")
        .await
}

#[tokio::test]
async fn a_report_reads_only_and_the_worker_recounts_without_changing_a_figure() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = app.active_mother(p, "2011-01-01").await;
    let f = app
        .create(
            "/api/v1/families",
            &json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2012-02-01"}),
        )
        .await;
    let visits: Vec<Value> = ["2012-02-10", "2012-03-11", "2012-03-12"]
        .iter()
        .map(|on| {
            json!({"mother_id": m, "family_id": f, "visited_on": on, "duration_minutes": 60,
                   "kind": "home_visit", "topic_ids": [1], "referrals": ["health"]})
        })
        .collect();
    expect_json(app.post_json("/api/v1/visits", &visits).await, 201).await;
    let report = || async {
        expect_json(
            app.get(&format!("/api/v1/reports/yearly?year=2012&programme={p}"))
                .await,
            200,
        )
        .await
    };

    // The report leaves the marks where they are: it wrote nothing.
    let marked = stale(&app).await;
    assert!(marked >= 2, "February and March are stale");
    let before = report().await;
    assert_eq!(before["visits"]["total"], 3);
    assert_eq!(before["families"]["reached"], 1);
    assert_eq!(before["families"]["new"], 1);
    assert_eq!(stale(&app).await, marked, "a report writes nothing");

    // In a read-only session (as on a standby) the same figures.
    let mut ro = app.conn().await;
    diesel::sql_query("SET default_transaction_read_only = on")
        .execute(&mut ro)
        .await
        .expect("read-only session");
    let read_only = yearly(&mut ro, &[p], 2012)
        .await
        .expect("a report on a read-only session");
    assert_eq!(serde_json::to_value(&read_only).expect("json"), before);
    // The manager's home reads the same three figures without the rest.
    let head = |r: &Value| {
        (
            r["visits"]["total"].as_i64().expect("total"),
            r["families"]["reached"].as_i64().expect("reached"),
            r["mothers_trained"].as_i64().expect("trained"),
        )
    };
    let h = headline(&mut ro, &[p], 2012).await.expect("headline");
    assert_eq!(
        (h.visits, h.families_reached, h.mothers_trained),
        head(&before)
    );
    // The coordinator's home: a month's visits per mother, while the month
    // is still to be recounted and after.
    let month = |m: u32| chrono::NaiveDate::from_ymd_opt(2012, m, 1).expect("month");
    let per_mother = async |ro: &mut diesel_async::AsyncPgConnection, m: u32| {
        visits_by_mother(ro, &[p], month(m))
            .await
            .expect("per mother")
            .into_iter()
            .map(|(id, _, n)| (id.0, n))
            .collect::<Vec<_>>()
    };
    assert_eq!(per_mother(&mut ro, 3).await, vec![(m, 2)]);
    assert_eq!(per_mother(&mut ro, 2).await, vec![(m, 1)]);

    // The worker recounts once (one leader), and no figure moves.
    let mut conn = app.conn().await;
    let n = rollup::refresh_pending(&mut conn).await.expect("recount");
    assert!(n.is_some_and(|n| n >= 2), "{n:?}");
    assert_eq!(stale(&app).await, 0);
    assert_eq!(report().await, before);
    assert_eq!(
        per_mother(&mut ro, 3).await,
        vec![(m, 2)],
        "from the roll-ups"
    );
    assert_eq!(
        rollup::refresh_pending(&mut conn).await.expect("again"),
        Some(0)
    );

    // A change is in the very next report, before any recount.
    let first = app
        .count("SELECT min(id) FROM visits WHERE visited_on = '2012-02-10'")
        .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/visits/{first}/void"),
            &json!({"reason": "entered twice"}),
        )
        .await,
        200,
    )
    .await;
    assert!(stale(&app).await >= 1);
    let after = report().await;
    assert_eq!(after["visits"]["total"], 2);
    assert_eq!(
        after["visits"]["by_month"][1], 0,
        "February's only visit voided"
    );
    let read_only = yearly(&mut ro, &[p], 2012).await.expect("read-only again");
    assert_eq!(serde_json::to_value(&read_only).expect("json"), after);
    let h = headline(&mut ro, &[p], 2012).await.expect("headline");
    assert_eq!(
        (h.visits, h.families_reached, h.mothers_trained),
        head(&after)
    );
    assert_eq!(
        per_mother(&mut ro, 2).await,
        vec![],
        "February's only visit voided"
    );
    assert_eq!(per_mother(&mut ro, 3).await, vec![(m, 2)]);
    rollup::refresh_pending(&mut conn).await.expect("recount");
    assert_eq!(report().await, after);
}

/// Every month recounted in one pass equals every month recounted one by
/// one, in every dimension and for families reached per year.
#[tokio::test]
async fn many_months_in_one_pass_count_as_month_by_month() {
    use neighbourhood_mothers::cli::generate::{Spec, generate};
    let app = TestApp::spawn().await;
    let mut conn = app.conn().await;
    let spec = Spec {
        programmes: 2,
        districts: 5,
        mothers: 40,
        visits: 4_000,
        years: 3,
        seed: 11,
        demo_users: false,
    };
    generate(
        &mut conn,
        &spec,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
    )
    .await
    .expect("generate");
    let programmes: Vec<i64> = vec![1, 2];
    let mut counted = Vec::new();
    for many_above in [0, usize::MAX] {
        diesel::sql_query(
            "INSERT INTO report_stale_months
             SELECT DISTINCT programme_id, date_trunc('month', visited_on)::date FROM visits
             UNION SELECT DISTINCT programme_id, date_trunc('month', first_contact_on)::date FROM families
             ON CONFLICT DO NOTHING",
        )
        .execute(&mut conn)
        .await
        .expect("mark");
        let n = rollup::refresh_batch(&mut conn, &programmes, None, None, many_above)
            .await
            .expect("refresh");
        assert!(n > 36, "{n} months");
        #[derive(diesel::QueryableByName, PartialEq, Debug)]
        struct Rows {
            #[diesel(sql_type = diesel::sql_types::Text)]
            rows: String,
        }
        let rows: Rows = diesel::sql_query(
            "SELECT (SELECT string_agg(concat_ws(' ', programme_id, month, dimension, key, count), ';'
                                       ORDER BY programme_id, month, dimension, key)
                     FROM report_month_counts)
                 || '|' ||
                    (SELECT string_agg(concat_ws(' ', programme_id, year, reached), ';'
                                       ORDER BY programme_id, year)
                     FROM report_year_families) AS rows",
        )
        .get_result(&mut conn)
        .await
        .expect("rows");
        for dimension in [
            "kind",
            "district",
            "topic",
            "referral",
            "referral_done",
            "new_family",
        ] {
            assert!(rows.rows.contains(&format!(" {dimension} ")), "{dimension}");
        }
        counted.push(rows);
    }
    assert_eq!(counted[0], counted[1]);
}

/// A visit saved while the worker recounts its month neither waits for
/// the recount nor is lost from the counts: the recount removes only the
/// marks it read, and the visit's own mark stays for the next round.
#[tokio::test]
async fn a_visit_saved_during_a_recount_neither_waits_nor_is_lost() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = app.active_mother(p, "2011-01-01").await;
    let visit = |on: &str| {
        json!({"mother_id": m, "visited_on": on, "duration_minutes": 60,
               "kind": "home_visit", "topic_ids": [1]})
    };
    app.create("/api/v1/visits", &visit("2012-03-10")).await;
    let mut conn = app.conn().await;
    let (recounted, status) = conn
        .build_transaction()
        .repeatable_read()
        .run(async |c| {
            let n = rollup::refresh_batch(c, &[p], None, None, 36).await?;
            // Recounted, its marks removed, not yet committed: a visit of
            // the same month is saved now.
            let saved = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                app.post_json("/api/v1/visits", &visit("2012-03-11")),
            )
            .await
            .map(|r| r.status().as_u16())
            .ok();
            Ok::<_, diesel::result::Error>((n, saved))
        })
        .await
        .expect("recount");
    assert!(recounted >= 1, "{recounted}");
    assert_eq!(status, Some(201), "the visit did not wait for the recount");
    assert!(stale(&app).await >= 1, "its mark stayed");
    let total = || async {
        expect_json(
            app.get(&format!("/api/v1/reports/yearly?year=2012&programme={p}"))
                .await,
            200,
        )
        .await["visits"]["total"]
            .clone()
    };
    assert_eq!(total().await, 2);
    rollup::refresh_pending(&mut conn)
        .await
        .expect("next round");
    assert_eq!(stale(&app).await, 0);
    assert_eq!(total().await, 2, "counted in the roll-ups");
}
