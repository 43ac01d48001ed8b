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
    for cap in [5, all, all + 3] {
        let n = Family::count_up_to(&mut conn, &scope, &families, today, cap)
            .await
            .expect("capped");
        assert_eq!(n, all.min(cap + 1), "cap {cap}");
    }
    let open = ReferralFilter {
        status: Some(neighbourhood_mothers::visits::model::ReferralStatus::Open),
        ..ReferralFilter::default()
    };
    let all = Referral::count(&mut conn, &scope, &open)
        .await
        .expect("count");
    assert!(all > 5, "{all}");
    for cap in [5, all + 3] {
        let n = Referral::count_up_to(&mut conn, &scope, &open, cap)
            .await
            .expect("capped");
        assert_eq!(n, all.min(cap + 1), "cap {cap}");
    }
}
