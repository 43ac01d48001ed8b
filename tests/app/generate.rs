//! `generate`: realistic synthetic data, the same for the same seed.

use chrono::NaiveDate;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::cli::generate::{Spec, generate};
use serde_json::Value;

use crate::harness::TestApp;

#[derive(diesel::QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    d: String,
}

/// A digest of the generated rows (not of the random passwords).
async fn digest(app: &TestApp) -> String {
    let mut conn = app.conn().await;
    let r: Digest = diesel::sql_query(
        "SELECT md5(
           (SELECT string_agg(concat_ws(',', id, programme_id, mother_id, family_id, visited_on, kind,
                   duration_minutes), ';' ORDER BY id) FROM visits)
           || (SELECT string_agg(visit_id || ':' || topic_id, ';' ORDER BY visit_id, topic_id) FROM visit_topics)
           || (SELECT string_agg(concat_ws(',', id, full_name, status, joined_on, district_id), ';' ORDER BY id) FROM mothers)
           || (SELECT string_agg(concat_ws(',', id, reference_code, district_id, first_contact_on, status), ';' ORDER BY id) FROM families)
           || (SELECT string_agg(concat_ws(',', id, service, status), ';' ORDER BY id) FROM referrals)
           || (SELECT string_agg(concat_ws(',', id, held_on, migrant_participants), ';' ORDER BY id) FROM events)
           || (SELECT string_agg(concat_ws(',', id, amount_minor, starts_on), ';' ORDER BY id) FROM grants)) AS d",
    )
    .get_result(&mut conn)
    .await
    .expect("digest");
    r.d
}

fn spec(seed: u64) -> Spec {
    Spec {
        programmes: 3,
        districts: 7,
        mothers: 60,
        visits: 3_000,
        years: 3,
        seed,
        demo_users: false,
    }
}

const TODAY: Option<NaiveDate> = NaiveDate::from_ymd_opt(2026, 6, 30);

#[tokio::test]
async fn generated_data_is_realistic_and_the_same_for_a_seed() {
    let today = TODAY.expect("date");
    let a = TestApp::spawn().await;
    let b = TestApp::spawn().await;
    let c = TestApp::spawn().await;
    let summary = generate(&mut a.conn().await, &spec(7), today)
        .await
        .expect("generate");
    generate(&mut b.conn().await, &spec(7), today)
        .await
        .expect("generate");
    generate(&mut c.conn().await, &spec(8), today)
        .await
        .expect("generate");
    assert_eq!(digest(&a).await, digest(&b).await, "same seed, same data");
    assert_ne!(
        digest(&a).await,
        digest(&c).await,
        "another seed, other data"
    );

    assert_eq!(summary.programmes.len(), 3);
    assert_eq!(a.count("SELECT count(*) FROM districts").await, 7);
    assert_eq!(a.count("SELECT count(*) FROM mothers").await, 60);
    assert_eq!(a.count("SELECT count(*) FROM visits").await, 3_000);
    // Half the visits with three topics, half with one.
    let three = a
        .count("SELECT count(*) FROM (SELECT visit_id FROM visit_topics GROUP BY 1 HAVING count(*) = 3) t")
        .await;
    assert!(
        (1_300..=1_700).contains(&three),
        "{three} visits with three topics"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM visits v WHERE NOT EXISTS (SELECT 1 FROM visit_topics t WHERE t.visit_id = v.id)")
            .await,
        0
    );
    // Children and health lead the topics, as in the Danish figures.
    let top = a
        .count("SELECT count(*) FROM (SELECT t.key FROM visit_topics vt JOIN topics t ON t.id = vt.topic_id
                GROUP BY t.key ORDER BY count(*) DESC LIMIT 2) x WHERE key IN ('children_upbringing', 'health')")
        .await;
    assert_eq!(top, 2);
    // A mix of statuses, a history for each mother, consistent rows.
    assert!(
        a.count("SELECT count(DISTINCT status) FROM mothers").await >= 4,
        "several statuses"
    );
    assert_eq!(
        a.count(
            "SELECT count(*) FROM mothers m WHERE NOT EXISTS
                 (SELECT 1 FROM mother_status_changes c WHERE c.mother_id = m.id)"
        )
        .await,
        0
    );
    assert_eq!(
        a.count("SELECT count(*) FROM mothers m WHERE status <> (SELECT to_status FROM mother_status_changes c
                 WHERE c.mother_id = m.id ORDER BY changed_on DESC, id DESC LIMIT 1)")
            .await,
        0,
        "the last change is the status"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM visits WHERE visited_on > '2026-06-30'")
            .await,
        0
    );
    assert!(
        a.count("SELECT count(*) FROM enrolments WHERE status = 'completed'")
            .await
            > 0
    );
    assert!(a.count("SELECT count(*) FROM attendance").await > 0);
    assert!(
        a.count("SELECT count(*) FROM referrals WHERE status = 'done'")
            .await
            > 0
    );
    assert!(
        a.count("SELECT count(*) FROM families WHERE status = 'closed'")
            .await
            > 0
    );
    assert!(a.count("SELECT count(*) FROM events").await > 0);
    assert!(
        a.count("SELECT count(*) FROM expenses WHERE grant_id IS NOT NULL")
            .await
            > 0
    );
    assert!(
        a.count("SELECT count(DISTINCT split_part(full_name, ' ', 1)) FROM mothers")
            .await
            > 15,
        "names from several languages"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM audit_events WHERE action = 'generate'")
            .await,
        3
    );
    // The reports read it.
    let r: Value = a.get_json("/api/v1/reports/yearly?year=2025").await;
    assert!(r["visits"]["total"].as_i64().expect("total") > 500);
    assert!(r["cost_per_visit_minor"].is_null(), "several currencies");
    // A second run over the same names is refused, and changes nothing.
    let again = generate(&mut a.conn().await, &spec(7), today).await;
    assert!(again.is_err());
    assert_eq!(a.count("SELECT count(*) FROM visits").await, 3_000);
}

#[tokio::test]
async fn the_demo_preset_has_two_programmes_and_a_user_per_role() {
    let app = TestApp::spawn().await;
    let summary = generate(&mut app.conn().await, &Spec::demo(), TODAY.expect("date"))
        .await
        .expect("demo");
    let names: Vec<&str> = summary.programmes.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["Stadtteilmütter Neukölln", "Bydelsmødre København"]);
    let roles: Vec<Role> = summary.accounts.iter().map(|(_, r, _)| *r).collect();
    assert_eq!(
        roles,
        [Role::Admin, Role::Manager, Role::Coordinator, Role::Trainer]
    );
    // A demo user signs in with the printed one-time password, and must change it.
    let (email, _, pw) = &summary.accounts[1];
    let mut client = app.anonymous();
    let res = client.sign_in(email, pw).await;
    assert_eq!(res.status(), 303);
    let account = client.get("/mothers").await;
    assert_eq!(account.status(), 303, "a password change first");
    assert_eq!(account.headers()["location"], "/account");
}

/// Lists count up to 10,000 matches and then say "more than".
#[tokio::test]
async fn the_visit_list_counts_up_to_ten_thousand() {
    let app = TestApp::spawn().await;
    let spec = Spec {
        programmes: 1,
        districts: 2,
        mothers: 30,
        visits: 10_050,
        years: 2,
        seed: 3,
        demo_users: false,
    };
    generate(&mut app.conn().await, &spec, TODAY.expect("date"))
        .await
        .expect("generate");
    let all: Value = app.get_json("/api/v1/visits").await;
    assert_eq!(all["total"], 10_000);
    assert_eq!(all["total_capped"], true);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(50));
    let mother = all["items"][0]["mother_id"].as_i64().expect("mother");
    let exact = app
        .count(&format!(
            "SELECT count(*) FROM visits WHERE mother_id = {mother}"
        ))
        .await;
    let one: Value = app
        .get_json(&format!("/api/v1/visits?mother={mother}"))
        .await;
    assert_eq!(one["total"], exact);
    assert_eq!(one["total_capped"], false);
    let html = app.get("/visits").await.text().await.expect("page");
    assert!(
        html.contains("More than 10000 visits") || html.contains("More than 10,000 visits"),
        "{}",
        &html[..html.len().min(3000)]
    );
    assert!(html.contains("1 / 200"), "200 pages of 50");
}
