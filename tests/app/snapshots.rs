//! The JSON shapes of the reports, a visit and a mother, as snapshots
//! (`snapshots/app__snapshots__*.snap`): one small known data set built
//! through the API, every id and time redacted so a snapshot depends on
//! neither the database's sequences nor the clock.
//!
//! A changed shape fails the test with a diff; when the change is meant,
//! accept it with `cargo insta review` (or `INSTA_UPDATE=always`) and
//! commit the `.snap` file with the code.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};

/// The known data set, and the ids the tests ask for.
struct World {
    app: TestApp,
    programme: i64,
    grant: i64,
    visit: i64,
    mother: i64,
}

/// A programme with two districts, two active mothers, two families, an
/// own topic, three visits (one with a referral), an event, a grant of a
/// funder for one district, and expenses charged to it or not.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let districts = format!("/api/v1/programmes/{p}/districts");
    let nord = app.create(&districts, &json!({"name": "Nord"})).await;
    let sued = app.create(&districts, &json!({"name": "Süd"})).await;

    let amina = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Amina Yusuf",
                    "phone": "030 1234", "languages": ["so", "de"], "country_of_origin": "SO",
                    "gender": "female", "engagement": "allowance", "monthly_allowance": "100",
                    "district_id": nord.to_string(), "joined_on": "2011-01-01"}),
        )
        .await;
    let leyla = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p.to_string(), "full_name": "Leyla Demir",
                    "phone": "030 5678", "gender": "female", "engagement": "volunteer",
                    "district_id": sued.to_string(), "joined_on": "2011-01-01"}),
        )
        .await;
    for (m, status, on) in [
        (amina, "certified", "2011-06-01"),
        (amina, "active", "2011-07-01"),
        (leyla, "active", "2011-07-01"),
    ] {
        expect_json(
            coordinator
                .post_json(
                    &format!("/api/v1/mothers/{m}/status"),
                    &json!({"status": status, "changed_on": on}),
                )
                .await,
            200,
        )
        .await;
    }

    let family = |district: i64, first: &str| {
        json!({"programme_id": p.to_string(), "district_id": district.to_string(),
               "children_count": "2", "children_birth_years": "2008, 2010",
               "languages": ["so", "de"], "contact_origin": "event",
               "first_contact_on": first, "consent_on": first, "consent_scope": "visits",
               "primary_mother_id": amina.to_string()})
    };
    let abdi = coordinator
        .create("/api/v1/families", &family(nord, "2012-02-01"))
        .await;
    let kaya = coordinator
        .create("/api/v1/families", &family(sued, "2012-04-01"))
        .await;
    let digital = app
        .create(
            &format!("/api/v1/programmes/{p}/topics"),
            &json!({"label": "Digital"}),
        )
        .await;

    let visit = |m: i64, f: i64, on: &str, topics: Vec<String>, referrals: Vec<&str>| {
        json!({"mother_id": m.to_string(), "family_id": f.to_string(), "visited_on": on,
               "duration_minutes": "60", "kind": "home_visit", "topic_ids": topics,
               "referrals": referrals, "next_step": "Call the GP",
               "note": "Worried about the eldest's school"})
    };
    let v = coordinator
        .create(
            "/api/v1/visits",
            &visit(
                amina,
                abdi,
                "2012-03-05",
                vec!["1".into(), "2".into()],
                vec!["health"],
            ),
        )
        .await;
    coordinator
        .create(
            "/api/v1/visits",
            &visit(amina, abdi, "2012-05-10", vec![digital.to_string()], vec![]),
        )
        .await;
    coordinator
        .create(
            "/api/v1/visits",
            &visit(leyla, kaya, "2012-06-20", vec!["2".into()], vec![]),
        )
        .await;
    app.create(
        "/api/v1/events",
        &json!({"programme_id": p.to_string(), "district_id": nord.to_string(),
                "kind": "event", "title": "Café", "held_on": "2012-06-01",
                "migrant_participants": "4", "local_participants": "2"}),
    )
    .await;

    let senat = app
        .create(
            "/api/v1/funders",
            &json!({"name": "Senat", "kind": "government"}),
        )
        .await;
    let grant = app
        .create(
            "/api/v1/grants",
            &json!({"programme_id": p.to_string(), "funder_id": senat.to_string(),
                    "amount": "10000", "starts_on": "2012-01-01", "ends_on": "2012-12-31",
                    "status": "granted", "reference": "SEN-12", "purpose": "Home visits",
                    "district_ids": [nord.to_string()]}),
        )
        .await;
    for (on, category, amount, charged) in [
        ("2012-04-01", "training", "300", true),
        ("2012-07-01", "materials", "100", true),
        ("2012-04-01", "coordination", "500", false),
    ] {
        app.create(
            "/api/v1/expenses",
            &json!({"programme_id": p.to_string(), "spent_on": on, "category": category,
                    "amount": amount, "grant_id": charged.then(|| grant.to_string())}),
        )
        .await;
    }
    World {
        app,
        programme: p,
        grant,
        visit: v,
        mother: amina,
    }
}

/// Every id, time and user name replaced by a placeholder: the ids of
/// records and users, the user names numbered by the harness, the keys of a
/// programme's own topics (`topic-<id>`).
fn redactions() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_sort_maps(true);
    for selector in [
        ".**.id",
        ".**.programme_id",
        ".**.district_id",
        ".**.mother_id",
        ".**.primary_mother_id",
        ".**.family_id",
        ".**.visit_id",
        ".**.funder_id",
        ".**.district_ids[]",
        ".**.topic_ids[]",
        ".programmes[]",
        ".**.changed_by",
        ".**.consent_recorded_by",
    ] {
        settings.add_redaction(selector, "[id]");
    }
    for selector in [".**.created_at", ".**.updated_at"] {
        settings.add_redaction(selector, "[datetime]");
    }
    settings.add_redaction(".**.changed_by_name", "[user]");
    settings.add_dynamic_redaction(".**.topics[].key", |key, _| match key.as_str() {
        Some(k) if k.starts_with("topic-") => "topic-[id]".into(),
        _ => key,
    });
    settings
}

#[tokio::test]
async fn the_yearly_report() {
    let w = world().await;
    let r = expect_json(
        w.app
            .get(&format!(
                "/api/v1/reports/yearly?year=2012&programme={}",
                w.programme
            ))
            .await,
        200,
    )
    .await;
    redactions().bind(|| insta::assert_json_snapshot!("yearly_report", r));
}

#[tokio::test]
async fn the_funder_report_of_a_grant() {
    let w = world().await;
    let r = expect_json(
        w.app
            .get(&format!("/api/v1/grants/{}/report", w.grant))
            .await,
        200,
    )
    .await;
    redactions().bind(|| insta::assert_json_snapshot!("funder_report", r));
}

#[tokio::test]
async fn a_visit() {
    let w = world().await;
    let v: Value = w.app.get_json(&format!("/api/v1/visits/{}", w.visit)).await;
    redactions().bind(|| insta::assert_json_snapshot!("visit", v));
}

#[tokio::test]
async fn a_mother() {
    let w = world().await;
    let m: Value = w
        .app
        .get_json(&format!("/api/v1/mothers/{}", w.mother))
        .await;
    redactions().bind(|| insta::assert_json_snapshot!("mother", m));
}
