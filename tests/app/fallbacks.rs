//! No silent fallbacks, no mislabelled failures: a value the code does not
//! know is an internal error, a database that fails is a 503 (never "unknown
//! programme"), a date that cannot be read is refused (never "today"), and a
//! refused rename shows the form again with what was typed.

use std::future::Future;
use std::time::Duration;

use diesel_async::RunQueryDsl;
use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{Agent, TestApp, expect_json};

async fn mother(agent: &Agent, programme: i64) -> i64 {
    expect_json(
        agent
            .post_json(
                "/api/v1/mothers",
                &json!({"programme_id": programme.to_string(), "full_name": "Amina Yusuf",
                        "phone": "030 1234", "gender": "female", "engagement": "volunteer",
                        "joined_on": "2020-01-01"}),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("id")
}

#[tokio::test]
async fn an_unknown_role_in_the_database_is_an_internal_error() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    assert_eq!(coordinator.get("/mothers").await.status(), 200);
    app.sql("ALTER TABLE users DROP CONSTRAINT users_role_check")
        .await;
    app.sql(&format!(
        "UPDATE users SET role = 'superhero' WHERE email = '{}'",
        coordinator.email
    ))
    .await;
    // Not a page as a trainer (nor as anything else): a logged 500.
    let res = coordinator.get("/api/v1/mothers").await;
    let body = expect_json(res, 500).await;
    assert_eq!(body["error"]["code"], "internal");
    let res = coordinator.get("/mothers").await;
    assert_eq!(res.status(), 500);
    let html = res.text().await.expect("text");
    assert!(html.contains("Something went wrong on our side"), "{html}");
}

#[tokio::test]
async fn an_unknown_mother_status_in_the_database_is_an_internal_error() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = mother(&app, p).await;
    app.sql("ALTER TABLE mothers DROP CONSTRAINT mothers_status_check")
        .await;
    app.sql(&format!(
        "UPDATE mothers SET status = 'retired' WHERE id = {m}"
    ))
    .await;
    // Not shown (nor changed) as an applicant.
    let body = expect_json(app.get(&format!("/api/v1/mothers/{m}")).await, 500).await;
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(app.get(&format!("/mothers/{m}")).await.status(), 500);
    assert_eq!(app.get("/api/v1/mothers").await.status(), 500);
}

/// The enums stored as text (`text_enum!`): a value the code does not know
/// fails the read, whichever query reads it (diesel's DSL, `sql_query`, a
/// join), never shown as some default.
#[tokio::test]
async fn unknown_statuses_and_kinds_in_the_database_are_internal_errors() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = mother(&app, p).await;
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": "active", "changed_on": "2020-06-01"}),
        )
        .await,
        200,
    )
    .await;
    let f = expect_json(
        app.post_json(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "contact_origin": "authority",
                    "first_contact_on": "2024-01-10"}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("id");
    expect_json(
        app.post_json(
            "/api/v1/visits",
            &json!({"mother_id": m.to_string(), "family_id": f.to_string(),
                    "visited_on": "2024-03-01", "duration_minutes": "45", "kind": "phone",
                    "topic_ids": ["1"], "referrals": ["health"]}),
        )
        .await,
        201,
    )
    .await;
    for path in ["/api/v1/visits", "/api/v1/referrals", "/api/v1/families"] {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }

    app.sql("ALTER TABLE visits DROP CONSTRAINT visits_kind_check")
        .await;
    app.sql("UPDATE visits SET kind = 'coffee'").await;
    let body = expect_json(app.get("/api/v1/visits").await, 500).await;
    assert_eq!(body["error"]["code"], "internal");

    for check in ["families_status_check", "families_closed_check"] {
        app.sql(&format!("ALTER TABLE families DROP CONSTRAINT {check}"))
            .await;
    }
    app.sql(&format!(
        "UPDATE families SET status = 'archived' WHERE id = {f}"
    ))
    .await;
    // Neither active nor closed: not offered a new visit, not listed as either.
    let body = expect_json(app.get(&format!("/api/v1/families/{f}")).await, 500).await;
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(app.get("/api/v1/families").await.status(), 500);
    assert_eq!(app.get(&format!("/families/{f}")).await.status(), 500);
}

/// Each enum stored as text knows exactly the values its column's CHECK
/// allows, in the same order: none the database could hold is unknown to
/// the code, none the code could write is refused.
#[tokio::test]
async fn every_text_enum_lists_the_values_of_its_check() {
    use neighbourhood_mothers::auth::model::AttemptOutcome;
    use neighbourhood_mothers::families::model::{ContactOrigin, FamilyStatus};
    use neighbourhood_mothers::funding::model::{
        ExpenseCategory, ExpenseStatus, FunderKind, GrantStatus,
    };
    use neighbourhood_mothers::mothers::model::{Engagement, Gender, MotherStatus};
    use neighbourhood_mothers::reports::rollup::Dimension;
    use neighbourhood_mothers::training::model::{AttendanceStatus, EnrolmentStatus};
    use neighbourhood_mothers::visits::model::{ListKind, ReferralStatus, VisitKind};

    fn strings<T: AsRef<str>>(all: &[T]) -> Vec<String> {
        all.iter().map(|x| x.as_ref().to_owned()).collect()
    }

    #[derive(diesel::QueryableByName)]
    struct Def {
        #[diesel(sql_type = diesel::sql_types::Text)]
        def: String,
    }

    let app = TestApp::spawn().await;
    let mut conn = app.conn().await;
    let checks: Vec<(&str, Vec<String>)> = vec![
        (
            "families_contact_origin_check",
            strings(&ContactOrigin::ALL),
        ),
        ("families_status_check", strings(&FamilyStatus::ALL)),
        ("visits_kind_check", strings(&VisitKind::ALL)),
        ("referrals_status_check", strings(&ReferralStatus::ALL)),
        ("topics_list_check", strings(&ListKind::ALL)),
        ("funders_kind_check", strings(&FunderKind::ALL)),
        ("grants_status_check", strings(&GrantStatus::ALL)),
        ("expenses_category_check", strings(&ExpenseCategory::ALL)),
        ("expenses_status_check", strings(&ExpenseStatus::ALL)),
        ("mothers_gender_check", strings(&Gender::ALL)),
        ("mothers_engagement_check", strings(&Engagement::ALL)),
        ("mothers_status_check", strings(&MotherStatus::ALL)),
        (
            "mother_status_changes_to_status_check",
            strings(&MotherStatus::ALL),
        ),
        ("enrolments_status_check", strings(&EnrolmentStatus::ALL)),
        ("attendance_status_check", strings(&AttendanceStatus::ALL)),
        (
            "login_attempts_outcome_check",
            strings(&AttemptOutcome::ALL),
        ),
        (
            "report_month_counts_dimension_check",
            strings(&Dimension::ALL),
        ),
        (
            "users_role_check",
            Role::ALL.map(|r| r.as_str().to_owned()).to_vec(),
        ),
    ];
    for (name, values) in checks {
        let found: Vec<Def> = diesel::sql_query(
            "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1",
        )
        .bind::<diesel::sql_types::Text, _>(name)
        .load(&mut conn)
        .await
        .expect("constraint");
        let [Def { def }] = &found[..] else {
            panic!("{name}: {} constraints", found.len());
        };
        // `CHECK ((x = ANY (ARRAY['a'::text, 'b'::text])))`: the quoted values.
        let listed: Vec<String> = def
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        assert_eq!(listed, values, "{name}: {def}");
    }
}

/// Runs `request` while the `programmes` table is locked, and ends the
/// server's database connection that waits for it: the programme lookup
/// fails as in a database outage, after the request got its connection.
async fn cut_during_lookup<F: Future<Output = reqwest::Response>>(
    app: &TestApp,
    request: F,
) -> reqwest::Response {
    let mut conn = app.conn().await;
    for sql in ["BEGIN", "LOCK TABLE programmes IN ACCESS EXCLUSIVE MODE"] {
        diesel::sql_query(sql).execute(&mut conn).await.expect(sql);
    }
    let waiting = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' \
         AND wait_event_type = 'Lock' AND query ILIKE '%programmes%'",
        app.db_name
    );
    let cut = async {
        for _ in 0..500 {
            if app.count(&waiting).await >= 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        app.admin_sql(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' \
             AND wait_event_type = 'Lock' AND query ILIKE '%programmes%'",
            app.db_name
        ))
        .await;
        diesel::sql_query("ROLLBACK")
            .execute(&mut conn)
            .await
            .expect("rollback");
    };
    let (res, ()) = tokio::join!(request, cut);
    res
}

#[tokio::test]
async fn a_database_failure_is_503_never_an_unknown_programme() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let manager = app.with_user(Role::Manager, &[p]).await;
    let pid = p.to_string();

    let body = json!({"programme_id": pid, "full_name": "Amina Yusuf", "phone": "030 1234",
                      "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"});
    let res = cut_during_lookup(&app, coordinator.post_json("/api/v1/mothers", &body)).await;
    let body = expect_json(res, 503).await;
    assert_eq!(body["error"]["code"], "database_unavailable");

    let form = [
        ("programme_id", pid.as_str()),
        ("full_name", "Amina Yusuf"),
        ("phone", "030 1234"),
        ("gender", "female"),
        ("engagement", "volunteer"),
        ("joined_on", "2020-01-01"),
    ];
    let res = cut_during_lookup(&app, coordinator.post_form("/mothers", &form)).await;
    assert_eq!(res.status(), 503);

    let form = [
        ("programme_id", pid.as_str()),
        ("spent_on", "2024-01-10"),
        ("category", "materials"),
        ("amount", "12.50"),
        ("currency", "EUR"),
    ];
    let res = cut_during_lookup(&app, manager.post_form("/expenses", &form)).await;
    assert_eq!(res.status(), 503);

    let form = [
        ("programme_id", pid.as_str()),
        ("amount", "1000"),
        ("starts_on", "2024-01-01"),
        ("ends_on", "2024-12-31"),
        ("status", "granted"),
    ];
    let res = cut_during_lookup(&app, manager.post_form("/grants", &form)).await;
    assert_eq!(res.status(), 503);

    // Nothing was saved, and the server answers again.
    assert_eq!(app.count("SELECT count(*) FROM mothers").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM expenses").await, 0);
    expect_json(coordinator.get("/api/v1/mothers").await, 200).await;
    // An unknown programme is still said so.
    let body = json!({"programme_id": "999999", "full_name": "Amina Yusuf", "phone": "030 1234",
                      "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"});
    let body = expect_json(coordinator.post_json("/api/v1/mothers", &body).await, 422).await;
    assert!(
        body["error"]["fields"]["programme_id"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn an_unreadable_referral_date_is_refused_not_taken_as_today() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let m = mother(&coordinator, p).await;
    expect_json(
        coordinator
            .post_json(
                &format!("/api/v1/mothers/{m}/status"),
                &json!({"status": "active", "changed_on": "2020-06-01"}),
            )
            .await,
        200,
    )
    .await;
    expect_json(
        coordinator
            .post_json(
                "/api/v1/visits",
                &json!({"mother_id": m.to_string(), "visited_on": "2024-03-01",
                        "duration_minutes": "45", "kind": "phone", "topic_ids": ["1"],
                        "referrals": ["health"]}),
            )
            .await,
        201,
    )
    .await;
    let r = app.count("SELECT max(id) FROM referrals").await;
    let open = format!("SELECT count(*) FROM referrals WHERE id = {r} AND status = 'open'");

    let res = coordinator
        .post_form(
            &format!("/referrals/{r}/done"),
            &[("done_on", "10.06.2024")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Enter a date as YYYY-MM-DD."), "{html}");
    assert_eq!(app.count(&open).await, 1, "still open");

    let res = coordinator
        .post_json(
            &format!("/api/v1/referrals/{r}/done"),
            &json!({"done_on": "tomorrow"}),
        )
        .await;
    let body = expect_json(res, 422).await;
    assert_eq!(
        body["error"]["fields"]["done_on"],
        "Enter a date as YYYY-MM-DD."
    );
    assert_eq!(app.count(&open).await, 1, "still open");

    // Before the visit: the page again with the message beside it.
    let res = coordinator
        .post_form(
            &format!("/referrals/{r}/done"),
            &[("done_on", "2024-02-01")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(
        html.contains("A referral cannot be done before its visit."),
        "{html}"
    );
    assert_eq!(app.count(&open).await, 1, "still open");
}

#[tokio::test]
async fn a_refused_topic_rename_shows_the_form_again_with_the_input() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let manager = app.with_user(Role::Manager, &[p]).await;
    let mut ids = Vec::new();
    for label in ["Digital services", "Cycling"] {
        let t = expect_json(
            manager
                .post_json(
                    &format!("/api/v1/programmes/{p}/topics"),
                    &json!({"label": label}),
                )
                .await,
            201,
        )
        .await;
        ids.push(t["id"].as_i64().expect("id"));
    }
    // A label the programme already has.
    let res = manager
        .post_form(
            &format!("/topics/{}", ids[1]),
            &[("label", "digital SERVICES")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(
        html.contains("The programme already has this topic."),
        "{html}"
    );
    assert!(html.contains("value=\"digital SERVICES\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    // An empty label.
    let res = manager
        .post_form(&format!("/topics/{}", ids[1]), &[("label", "  ")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Please fill in this field."), "{html}");
    let housing = format!(
        "SELECT count(*) FROM topics WHERE id = {} AND label = 'Cycling'",
        ids[1]
    );
    assert_eq!(app.count(&housing).await, 1, "unchanged");
}
