//! The home page per role (issue 14, point 2): what each needs first, each
//! figure a link to the list behind it.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn each_role_lands_on_what_it_needs_first() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let mother = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Amina Yusuf", "phone": "1",
                    "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"}),
        )
        .await;
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
    let family = |first: &str| json!({"programme_id": p.to_string(), "contact_origin": "event", "first_contact_on": first});
    let old = coordinator
        .create("/api/v1/families", &family("2020-01-01"))
        .await;
    let fresh = coordinator
        .create("/api/v1/families", &family("2020-01-01"))
        .await;
    let today = chrono::Local::now().date_naive();
    let visit = |f: i64, on: String| {
        json!({"mother_id": mother.to_string(), "family_id": f.to_string(), "visited_on": on,
               "duration_minutes": "30", "kind": "home_visit", "topic_ids": ["1"],
               "referrals": ["health"]})
    };
    coordinator
        .create("/api/v1/visits", &visit(old, "2021-01-01".into()))
        .await;
    coordinator
        .create("/api/v1/visits", &visit(fresh, today.to_string()))
        .await;

    // The coordinator: log a visit, who waits, this month per mother.
    let html = coordinator.get("/").await.text().await.expect("text");
    assert!(html.contains("href=\"/visits/new\""));
    let figure = |n: i64, href: &str| format!("<a href=\"{href}\"><strong>{n}</strong>");
    assert!(
        html.contains(&figure(1, "/families?no_visit_days=30")),
        "{html}"
    );
    assert!(html.contains(&figure(2, "/referrals")));
    assert!(html.contains("Amina Yusuf") && html.contains(&format!("/visits?mother={mother}")));

    // The trainer: the next module, one held without attendance, a mother
    // below the share.
    let trainer_id = app
        .create_user("trainer@home.example", Role::Trainer, &[p])
        .await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let course = app
        .create(
            "/api/v1/courses",
            &json!({"programme_id": p.to_string(), "name": "Herbst", "trainer_id": trainer_id.to_string(),
                    "starts_on": "2020-01-01", "ends_on": (today + chrono::Duration::days(60)).to_string()}),
        )
        .await;
    let module = |title: &str, on: chrono::NaiveDate| json!({"title": title, "topic_id": "1", "held_on": on.to_string(), "hours": "2"});
    let modules = format!("/api/v1/courses/{course}/modules");
    let held = app
        .create(
            &modules,
            &module("Gesundheit", today - chrono::Duration::days(7)),
        )
        .await;
    app.create(
        &modules,
        &module("Schule", today + chrono::Duration::days(7)),
    )
    .await;
    let applicant = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Leyla Demir", "phone": "2",
                    "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"}),
        )
        .await;
    app.create(
        &format!("/api/v1/courses/{course}/enrolments"),
        &json!({"mother_id": applicant.to_string(), "enrolled_on": "2020-01-02"}),
    )
    .await;
    let html = trainer.get("/").await.text().await.expect("text");
    assert!(
        html.contains("Schule") && html.contains("Gesundheit"),
        "{html}"
    );
    assert!(html.contains(&format!("/modules/{held}/attendance")));
    // Attendance taken: the module leaves the list; absent, she is below.
    let enrolment = app
        .count(&format!(
            "SELECT id FROM enrolments WHERE mother_id = {applicant}"
        ))
        .await;
    let res = app
        .put_json(
            &format!("/api/v1/modules/{held}/attendance"),
            &json!({"entries": [{"enrolment_id": enrolment, "status": "absent"}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = trainer.get("/").await.text().await.expect("text");
    assert!(
        !html.contains(&format!("/modules/{held}/attendance")),
        "{html}"
    );
    assert!(
        html.contains("Leyla Demir") && html.contains("0 / 1"),
        "{html}"
    );

    // The manager: this year against last, each running grant.
    let manager = app.with_user(Role::Manager, &[p]).await;
    let funder = manager
        .create(
            "/api/v1/funders",
            &json!({"name": "Bezirksamt", "kind": "municipality", "programme_id": p.to_string()}),
        )
        .await;
    manager
        .create(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": funder.to_string(),
                    "amount": "1000", "starts_on": "2020-01-01",
                    "ends_on": (today + chrono::Duration::days(300)).to_string(), "status": "granted"}),
        )
        .await;
    let html = manager.get("/").await.text().await.expect("text");
    let year = chrono::Datelike::year(&today);
    assert!(html.contains(&format!("/reports?year={year}")));
    assert!(
        html.contains("Bezirksamt") && html.contains("1,000.00 EUR"),
        "{html}"
    );

    // The administrator: accounts, tokens, the latest changes, the database.
    let html = app.get("/").await.text().await.expect("text");
    assert!(html.contains("href=\"/admin/users\"") && html.contains("PostgreSQL"));
    assert!(html.contains("The latest changes") && html.contains("/admin/audit"));
}

/// The coordinator's counts stop at their cap: what is past it is not
/// counted (the page shows "10,000+"), and what is under it is exact.
#[tokio::test]
async fn home_counts_stop_at_their_cap() {
    use neighbourhood_mothers::authz::ProgrammeScope;
    use neighbourhood_mothers::cli::generate::{Spec, generate};
    use neighbourhood_mothers::families::model::{Family, FamilyFilter};
    use neighbourhood_mothers::visits::model::{Referral, ReferralFilter};
    let app = TestApp::spawn().await;
    let mut conn = app.conn().await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let spec = Spec {
        programmes: 1,
        districts: 2,
        mothers: 20,
        visits: 1_500,
        years: 2,
        seed: 5,
        demo_users: false,
    };
    generate(&mut conn, &spec, today).await.expect("generate");
    let scope = ProgrammeScope::All;
    let families = FamilyFilter {
        no_visit_days: Some(30),
        page: 1,
        ..FamilyFilter::default()
    };
    let all = Family::count(&mut conn, &scope, &families, today)
        .await
        .expect("count");
    assert!(all > 20, "{all}");
    // The same as looking into each family's visits.
    let plain = app
        .count(
            "SELECT count(*) FROM families f WHERE f.status = 'active' AND NOT EXISTS \
             (SELECT 1 FROM visits v WHERE v.family_id = f.id AND v.voided_at IS NULL \
              AND v.visited_on >= DATE '2026-05-31')",
        )
        .await;
    assert_eq!(all, plain);
    for cap in [5, all, all + 3] {
        let n = Family::count_up_to(&mut conn, &scope, &families, today, Some(cap))
            .await
            .expect("capped");
        assert_eq!(n, all.min(cap + 1), "cap {cap}");
    }
    // The open referrals, less those of voided visits: void two visits
    // with an open referral.
    app.sql(
        "UPDATE visits SET voided_at = now(), void_reason = 'test' \
         WHERE id IN (SELECT visit_id FROM referrals WHERE status = 'open' \
                      ORDER BY visit_id LIMIT 2)",
    )
    .await;
    let open = ReferralFilter {
        status: Some(neighbourhood_mothers::visits::model::ReferralStatus::Open),
        ..ReferralFilter::default()
    };
    let all = Referral::count(&mut conn, &scope, &open)
        .await
        .expect("count");
    let of_voided = app
        .count(
            "SELECT count(*) FROM referrals r JOIN visits v ON v.id = r.visit_id \
             WHERE r.status = 'open' AND v.voided_at IS NOT NULL",
        )
        .await;
    assert!(all > 5 && of_voided >= 2, "{all} {of_voided}");
    let programme = ProgrammeScope::Only(vec![neighbourhood_mothers::ids::ProgrammeId(1)]);
    for scope in [&scope, &programme] {
        for cap in [0, 5, all - 1, all, all + 3] {
            let n = Referral::count_open_up_to(&mut conn, scope, cap)
                .await
                .expect("capped");
            assert_eq!(n, all.min(cap + 1), "cap {cap}");
        }
    }
    let other = ProgrammeScope::Only(vec![neighbourhood_mothers::ids::ProgrammeId(99)]);
    let none = Referral::count_open_up_to(&mut conn, &other, 10)
        .await
        .expect("none");
    assert_eq!(none, 0);
}

/// A family's last visit date (kept on the family by triggers, read by the
/// follow-up counts and the family list) follows every change of its
/// visits: a new one, an earlier one entered late, several at once, a
/// corrected date or family, a void and its restoring, a deletion.
#[tokio::test]
async fn last_visit_dates_follow_every_change_of_visits() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = app.active_mother(p, "2025-01-01").await;
    let family =
        json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2025-02-01"});
    let a = app.create("/api/v1/families", &family).await;
    let b = app.create("/api/v1/families", &family).await;
    let visit = |f: i64, on: &str| {
        json!({"mother_id": m, "family_id": f, "visited_on": on, "duration_minutes": 60,
               "kind": "home_visit", "topic_ids": [1]})
    };
    // The date as a number (20250310), 0 for none; and how many families'
    // dates differ from their visits'.
    let last = |f: i64| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT coalesce(to_char(last_visit_on, 'YYYYMMDD')::bigint, 0) FROM families WHERE id = {f}"
            ))
            .await
        }
    };
    let off = || {
        app.count(
            "SELECT count(*) FROM families f WHERE last_visit_on IS DISTINCT FROM \
             (SELECT max(v.visited_on) FROM visits v WHERE v.family_id = f.id AND v.voided_at IS NULL)",
        )
    };
    let id_of = |f: i64, on: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT id FROM visits WHERE family_id = {f} AND visited_on = '{on}'"
            ))
            .await
        }
    };
    assert_eq!((last(a).await, last(b).await), (0, 0));

    app.create("/api/v1/visits", &visit(a, "2025-03-10")).await;
    assert_eq!(last(a).await, 20250310);
    app.create("/api/v1/visits", &visit(a, "2025-03-01")).await;
    assert_eq!(last(a).await, 20250310, "an earlier visit entered late");

    let several = [
        visit(a, "2025-04-01"),
        visit(b, "2025-04-02"),
        visit(b, "2025-03-05"),
    ];
    expect_json(app.post_json("/api/v1/visits", &several).await, 201).await;
    assert_eq!((last(a).await, last(b).await), (20250401, 20250402));

    let moved = id_of(a, "2025-04-01").await;
    expect_json(
        app.patch_json(
            &format!("/api/v1/visits/{moved}"),
            &json!({"visited_on": "2025-03-20"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(last(a).await, 20250320, "a date corrected");

    let other = id_of(b, "2025-04-02").await;
    expect_json(
        app.patch_json(&format!("/api/v1/visits/{other}"), &json!({"family_id": a}))
            .await,
        200,
    )
    .await;
    assert_eq!(
        (last(a).await, last(b).await),
        (20250402, 20250305),
        "a visit moved to the other family"
    );

    let path = format!("/api/v1/visits/{other}");
    expect_json(
        app.post_json(&format!("{path}/void"), &json!({"reason": "wrong family"}))
            .await,
        200,
    )
    .await;
    assert_eq!(last(a).await, 20250320, "voided");
    expect_json(
        app.post_json(&format!("{path}/restore"), &json!({})).await,
        200,
    )
    .await;
    assert_eq!(last(a).await, 20250402, "restored");

    app.sql(&format!("DELETE FROM visits WHERE family_id = {b}"))
        .await;
    assert_eq!(last(b).await, 0, "its only visit deleted");
    assert_eq!(off().await, 0);

    // Visits of one family logged at once each move its date (their lock
    // on the family lets one wait for the other, where two share locks
    // would each wait for the other's update: a deadlock).
    let at_once = (10..18).map(|d| {
        let body = visit(b, &format!("2025-06-{d}"));
        let app = &app;
        async move { app.post_json("/api/v1/visits", &body).await.status() }
    });
    let statuses = futures_util::future::join_all(at_once).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(last(b).await, 20250617);
    assert_eq!(off().await, 0);

    // A visit's other changes leave the family's `updated_at` alone.
    let updated =
        "SELECT (extract(epoch FROM updated_at) * 1000000)::bigint FROM families WHERE id = ";
    let before = app.count(&format!("{updated}{a}")).await;
    app.create("/api/v1/visits", &visit(a, "2025-05-01")).await;
    assert_eq!(last(a).await, 20250501);
    assert_eq!(app.count(&format!("{updated}{a}")).await, before);
}
