//! The good-practice profile (issue 19): the programme's texts and the
//! year's figures, with every count of people or of a district between 1
//! and 4 withheld, as JSON, as a page and as Markdown and HTML files.

use serde_json::json;

use crate::harness::{TestApp, expect_json};
use neighbourhood_mothers::authz::Role;

#[tokio::test]
async fn the_profile_fills_the_template_and_withholds_small_figures() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let texts = json!({
        "goal": "Isolated families find their way to schools, health care and advice.",
        "approach": "Women of the neighbourhood are trained for six months.\n\nThen they visit families ten times.",
        "beneficiaries": "Families who have recently arrived.",
        "evaluation": "Evaluated by the university every three years."
    });
    let saved = expect_json(
        app.put_json(&format!("/api/v1/programmes/{p}/profile"), &texts)
            .await,
        200,
    )
    .await;
    assert_eq!(saved, texts);
    let mut districts = Vec::new();
    for name in ["Rollberg", "Schillerkiez", "Weiße Siedlung"] {
        districts.push(
            app.create(
                &format!("/api/v1/programmes/{p}/districts"),
                &json!({"name": name}),
            )
            .await,
        );
    }
    let mut mothers = Vec::new();
    for (i, d) in [districts[0], districts[1], districts[2]]
        .iter()
        .enumerate()
    {
        let m = app
            .create(
                "/api/v1/mothers",
                &json!({"programme_id": p, "district_id": d, "full_name": format!("M{i}"),
                        "phone": "+49 1", "gender": "female", "engagement": "volunteer",
                        "joined_on": "2018-01-01"}),
            )
            .await;
        expect_json(
            app.post_json(
                &format!("/api/v1/mothers/{m}/status"),
                &json!({"status": "active", "changed_on": "2018-02-01"}),
            )
            .await,
            200,
        )
        .await;
        mothers.push(m);
    }
    // Seven visits in Rollberg, three in Schillerkiez, two in the Weiße
    // Siedlung: two districts withheld, neither to be told from the total.
    let visit = |m: i64, day: u32| {
        json!({"mother_id": m, "visited_on": format!("2019-03-{day:02}"), "duration_minutes": 60,
               "kind": "home_visit", "topic_ids": [1]})
    };
    let mut all = Vec::new();
    for day in 1..=7 {
        all.push(visit(mothers[0], day));
    }
    for day in 1..=3 {
        all.push(visit(mothers[1], day));
    }
    for day in 1..=2 {
        all.push(visit(mothers[2], day));
    }
    expect_json(app.post_json("/api/v1/visits", &all).await, 201).await;
    // Three mothers answered a questionnaire before and after: too few.
    let q = app
        .create(
            &format!("/api/v1/programmes/{p}/questionnaires"),
            &json!({"title": {"en": "Goals"}, "subject": "mother",
                    "items": [{"key": "k", "kind": "scale", "goal": {"en": "Knowledge"},
                               "text": {"en": "I know."}},
                              {"key": "l", "kind": "scale", "goal": {"en": "Knowledge"},
                               "text": {"en": "I learnt."}}]}),
        )
        .await;
    for m in &mothers {
        for (point, on, v) in [("intake", "2019-01-10", 2), ("evaluation", "2019-06-10", 4)] {
            expect_json(
                app.post_json(
                    &format!("/api/v1/questionnaires/{q}/responses"),
                    &json!({"point": point, "mother_id": m, "answered_on": on,
                            "answers": {"k": v, "l": v}}),
                )
                .await,
                201,
            )
            .await;
        }
    }

    let profile = expect_json(
        app.get(&format!("/api/v1/reports/profile?programme={p}&year=2019"))
            .await,
        200,
    )
    .await;
    assert_eq!(profile["suppressed_below"], 5);
    assert_eq!(profile["texts"], texts);
    assert_eq!(profile["programme"]["name"], "Stadtteilmütter Neukölln");
    let r = &profile["results"];
    assert_eq!(r["visits"], 12);
    assert_eq!(r["families_reached"], 0, "zero identifies no one");
    assert!(r["active_mothers"].is_null(), "three mothers: fewer than 5");
    let d = r["districts"].as_array().expect("districts");
    let of = |name: &str| d.iter().find(|x| x["label"] == name).expect("district")["count"].clone();
    assert_eq!(of("Rollberg"), 7);
    assert!(of("Schillerkiez").is_null(), "3 visits: fewer than 5");
    assert!(of("Weiße Siedlung").is_null(), "2 visits: fewer than 5");
    assert_eq!(r["top_topics"][0]["count"], 12);
    // Six paired answers, but of three people: nothing of them is shown.
    let o = &profile["outcomes"][0];
    assert!(
        o["respondents"].is_null() && o["goals"][0]["n"].is_null(),
        "{o}"
    );
    assert!(o["goals"][0]["people"].is_null());
    assert!(
        o["goals"][0]["share_improved"].is_null(),
        "no share of three people"
    );
    assert!(profile["resources"]["staff"].is_object());

    // The page, printable, in the reader's language.
    let page = app
        .get(&format!("/reports/profile?programme={p}&year=2019"))
        .await
        .text()
        .await
        .expect("html");
    for needle in [
        "Good-practice profile",
        "Isolated families find their way",
        "<p>Then they visit families ten times.</p>",
        "fewer than 5",
        "Rollberg",
        "/reports/profile.md?programme=",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    // Markdown and HTML files.
    let res = app
        .get(&format!("/reports/profile.md?programme={p}&year=2019"))
        .await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.contains(&format!("profile-{p}-2019.md")));
    let md = res.text().await.expect("md");
    assert!(md.starts_with("# Stadtteilmütter Neukölln"), "{md}");
    assert!(
        md.contains("| Schillerkiez | fewer than 5 |") && md.contains("| Rollberg | 7 |"),
        "{md}"
    );
    assert!(md.contains("## Evaluation") && md.contains("Evaluated by the university"));
    let res = app
        .get(&format!("/reports/profile.html?programme={p}&year=2019"))
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("fewer than 5"));
    assert!(!html.contains("/static/app.css"), "a standalone file");

    // The texts' form keeps what was typed when it is too long.
    let long = "x".repeat(4001);
    let res = app
        .post_form(
            &format!("/programmes/{p}/profile"),
            &[("goal", long.as_str())],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("goal-error"));
    let res = app
        .post_form(
            &format!("/programmes/{p}/profile"),
            &[("goal", "A new goal."), ("evaluation", "Self-evaluation.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let t = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/profile")).await,
        200,
    )
    .await;
    assert_eq!(t["goal"], "A new goal.");
    assert_eq!(t["approach"], "");

    // A profile is of one programme; managers of others and trainers do
    // not read it.
    let res = app.get("/api/v1/reports/profile?year=2019").await;
    let body = expect_json(res, 422).await;
    assert!(body["error"]["fields"]["programme"].is_string());
    let other = app.programme("Dorsten").await;
    let manager = app.with_user(Role::Manager, &[other]).await;
    let res = manager
        .get(&format!("/api/v1/reports/profile?programme={p}&year=2019"))
        .await;
    assert_eq!(res.status(), 404);
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let res = trainer
        .get(&format!("/api/v1/reports/profile?programme={p}&year=2019"))
        .await;
    assert_eq!(res.status(), 403);
}
