//! Correcting what was recorded (issue 14, point 1): a visit edited in
//! every field, voided with a reason and restored, with the reports
//! following; referral outcomes and the worklist's filters; the record's
//! history in words; the visit form's explicit family choice and search.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

struct World {
    app: TestApp,
    programme: i64,
    coordinator: Agent,
    mother: i64,
    family: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let programme = app.programme("Bydelsmødre Aarhus").await;
    let coordinator = app.with_user(Role::Coordinator, &[programme]).await;
    let mother = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": programme.to_string(), "full_name": "Hodan Ali",
                    "phone": "1", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01"}),
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
    let family = coordinator
        .create(
            "/api/v1/families",
            &json!({"programme_id": programme.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-01-10", "consent_on": "2024-01-10", "name": "Familie Warsame",
                    "primary_mother_id": mother.to_string()}),
        )
        .await;
    World {
        app,
        programme,
        coordinator,
        mother,
        family,
    }
}

impl World {
    async fn visit(&self, on: &str, referrals: &[&str]) -> Value {
        expect_json(
            self.coordinator
                .post_json(
                    "/api/v1/visits",
                    &json!({"mother_id": self.mother.to_string(),
                            "family_id": self.family.to_string(), "visited_on": on,
                            "duration_minutes": "60", "kind": "home_visit",
                            "topic_ids": ["1"], "referrals": referrals}),
                )
                .await,
            201,
        )
        .await
    }

    async fn total(&self, year: i32) -> Value {
        let r = expect_json(
            self.app
                .get(&format!(
                    "/api/v1/reports/yearly?year={year}&programme={}",
                    self.programme
                ))
                .await,
            200,
        )
        .await;
        r["visits"]["total"].clone()
    }
}

#[tokio::test]
async fn a_visit_is_corrected_voided_and_restored_and_the_reports_follow() {
    let w = world().await;
    let c = &w.coordinator;
    let v = w.visit("2024-03-05", &["health"]).await;
    let id = v["id"].as_i64().expect("id");
    w.visit("2024-03-06", &[]).await;
    assert_eq!(w.total(2024).await, 2);

    // Every field can be corrected; fields not sent stay as they were.
    let fixed = expect_json(
        c.patch_json(
            &format!("/api/v1/visits/{id}"),
            &json!({"duration_minutes": "45", "topic_ids": ["2", "3"],
                    "referrals": ["health", "school"], "next_step": "Call the school"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fixed["duration_minutes"], 45);
    assert_eq!(fixed["topic_ids"], json!([2, 3]));
    assert_eq!(fixed["visited_on"], "2024-03-05", "kept");
    assert_eq!(fixed["referrals"].as_array().map(Vec::len), Some(2));
    let audit = w
        .app
        .count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'visit' AND entity_id = {id} \
             AND action = 'update' AND changes ? 'duration_minutes' AND changes ? 'topic_ids'"
        ))
        .await;
    assert_eq!(audit, 1, "one audit row names the fields");
    // Moved to another year: the yearly reports follow.
    expect_json(
        c.patch_json(
            &format!("/api/v1/visits/{id}"),
            &json!({"visited_on": "2023-12-30"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(w.total(2024).await, 1);
    assert_eq!(w.total(2023).await, 1);
    // A bad correction changes nothing and says why, every field at once.
    let bad = expect_json(
        c.patch_json(
            &format!("/api/v1/visits/{id}"),
            &json!({"duration_minutes": "0", "visited_on": "2999-01-01", "topic_ids": []}),
        )
        .await,
        422,
    )
    .await;
    let fields = &bad["error"]["fields"];
    assert!(
        fields.get("duration_minutes").is_some() && fields.get("topic_ids").is_some(),
        "{bad}"
    );
    assert_eq!(w.total(2023).await, 1);

    // Void: a reason is required; then it leaves the reports.
    let path = format!("/api/v1/visits/{id}/void");
    expect_json(c.post_json(&path, &json!({"reason": " "})).await, 422).await;
    assert_eq!(w.total(2023).await, 1, "nothing changed");
    let voided = expect_json(
        c.post_json(&path, &json!({"reason": "entered twice"}))
            .await,
        200,
    )
    .await;
    assert_eq!(voided["void_reason"], "entered twice");
    assert_eq!(w.total(2023).await, 0);
    // Its referrals leave the worklist, and a voided visit is not corrected.
    let open = expect_json(c.get("/api/v1/referrals").await, 200).await;
    assert_eq!(open["total"], 0, "{open}");
    expect_json(
        c.patch_json(&format!("/api/v1/visits/{id}"), &json!({"note": "x"}))
            .await,
        409,
    )
    .await;
    // Coordinators still see it, struck through with its reason; the
    // manager's list leaves it out. It is never deleted.
    let list = expect_json(c.get("/api/v1/visits?from=2023-01-01").await, 200).await;
    assert_eq!(list["total"], 2);
    let html = c.get("/visits").await.text().await.expect("text");
    assert!(html.contains("class=\"voided\"") && html.contains("Voided: entered twice"));
    // Managers read no visit lists (need to know), voided or not.
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    expect_json(manager.get("/api/v1/visits").await, 403).await;
    assert_eq!(
        w.app
            .count(&format!("SELECT count(*) FROM visits WHERE id = {id}"))
            .await,
        1
    );
    // Restored, it counts again.
    let restored = expect_json(
        c.post_json(&format!("/api/v1/visits/{id}/restore"), &json!({}))
            .await,
        200,
    )
    .await;
    assert!(restored.get("void_reason").is_none());
    assert_eq!(w.total(2023).await, 1);
    // Whatever happened, the roll-ups agree with the visits themselves.
    for year in [2023, 2024] {
        let direct = w
            .app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE programme_id = {} AND voided_at IS NULL \
                 AND EXTRACT(YEAR FROM visited_on) = {year}",
                w.programme
            ))
            .await;
        assert_eq!(w.total(year).await, direct);
    }
}

#[tokio::test]
async fn a_visit_page_corrects_voids_and_shows_its_history_in_words() {
    let w = world().await;
    let c = &w.coordinator;
    let id = w.visit("2024-03-05", &["health"]).await["id"]
        .as_i64()
        .expect("id");
    // The correction form, filled with what was recorded.
    let form = c
        .get(&format!("/visits/{id}/edit"))
        .await
        .text()
        .await
        .expect("text");
    assert!(form.contains(&format!("action=\"/visits/{id}\"")));
    assert!(form.contains("value=\"60\""));
    let fam = w.family.to_string();
    let m = w.mother.to_string();
    let fields = [
        ("mother_id", m.as_str()),
        ("family_id", fam.as_str()),
        ("visited_on", "2024-03-04"),
        ("duration_minutes", "30"),
        ("kind", "phone"),
        ("topic_ids", "1"),
        ("referrals", "health"),
        ("then", "done"),
    ];
    let res = c.post_form(&format!("/visits/{id}"), &fields).await;
    assert_eq!(res.status(), 303);
    // Voiding without a reason: the summary at the top links to the field.
    let res = c
        .post_form(&format!("/visits/{id}/void"), &[("reason", "")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("error-summary") && html.contains("href=\"#reason\""));
    let res = c
        .post_form(&format!("/visits/{id}/void"), &[("reason", "wrong family")])
        .await;
    assert_eq!(res.status(), 303);
    let page = c
        .get(&format!("/visits/{id}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(page.contains("Voided: wrong family"), "{page}");
    assert!(page.contains("Restore the visit"));
    // The history: who, which field, old and new, in words.
    assert!(page.contains("Change history"));
    assert!(page.contains("Duration (minutes)"), "{page}");
    assert!(page.contains("<del>60</del> → 30"), "{page}");
    assert!(page.contains("<del>home visit</del> → phone"), "{page}");
    assert!(page.contains("voided") && page.contains("Reason for voiding"));
    // A manager reads the visit but not its history nor the forms.
    let manager = w.app.with_user(Role::Manager, &[w.programme]).await;
    let page = manager
        .get(&format!("/visits/{id}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(!page.contains("Change history") && !page.contains("/restore"));
}

#[tokio::test]
async fn referral_outcomes_and_the_worklist_filters() {
    let w = world().await;
    let c = &w.coordinator;
    let v = w
        .visit("2024-03-05", &["health", "school", "housing"])
        .await;
    let ids: Vec<i64> = v["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect();
    let (health, school) = (ids[0], ids[1]);
    // Not taken up, with a date and a note.
    let r = expect_json(
        c.patch_json(
            &format!("/api/v1/referrals/{health}"),
            &json!({"status": "not_taken_up", "done_on": "2024-04-01",
                    "note": "The family moved away"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["status"], "not_taken_up");
    assert_eq!(r["done_on"], "2024-04-01");
    assert_eq!(r["outcome_note"], "The family moved away");
    // Not before the visit, not an unknown status; nothing changes.
    for bad in [
        json!({"status": "done", "done_on": "2024-01-01"}),
        json!({"status": "maybe"}),
    ] {
        expect_json(
            c.patch_json(&format!("/api/v1/referrals/{school}"), &bad)
                .await,
            422,
        )
        .await;
    }
    expect_json(
        c.patch_json(
            &format!("/api/v1/referrals/{school}"),
            &json!({"status": "done"}),
        )
        .await,
        200,
    )
    .await;
    // The worklist: open by default, by status, by service.
    let list = |q: &'static str| async move {
        expect_json(c.get(&format!("/api/v1/referrals{q}")).await, 200).await
    };
    assert_eq!(list("").await["total"], 1);
    assert_eq!(list("?status=all").await["total"], 3);
    assert_eq!(list("?status=not_taken_up").await["items"][0]["id"], health);
    assert_eq!(list("?status=all&service=school").await["total"], 1);
    let by_mother = format!("?status=all&mother={}", w.mother);
    let r = expect_json(c.get(&format!("/api/v1/referrals{by_mother}")).await, 200).await;
    assert_eq!(r["total"], 3);
    assert_eq!(r["per_page"], 50);
    expect_json(c.get("/api/v1/referrals?status=later").await, 422).await;
    // A referral with an outcome is not taken back by correcting the visit.
    let id = v["id"].as_i64().expect("id");
    let bad = expect_json(
        c.patch_json(
            &format!("/api/v1/visits/{id}"),
            &json!({"referrals": ["housing"]}),
        )
        .await,
        422,
    )
    .await;
    assert!(bad["error"]["fields"].get("referrals").is_some(), "{bad}");
    // Reopened, it is open again, without a date.
    let r = expect_json(
        c.patch_json(
            &format!("/api/v1/referrals/{health}"),
            &json!({"status": "open"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["status"], "open");
    assert_eq!(r["done_on"], Value::Null);
    assert_eq!(list("").await["total"], 2);
    // The page: filtered, with the outcome form; a refused outcome keeps
    // what was typed and says why.
    let html = c
        .get("/referrals?status=all&service=health")
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains(&format!("action=\"/referrals/{health}\"")));
    assert!(!html.contains(&format!("action=\"/referrals/{school}\"")));
    let res = c
        .post_form(
            &format!("/referrals/{health}"),
            &[
                ("status", "done"),
                ("done_on", "2020-01-01"),
                ("note", "typed"),
                ("back", "/referrals?status=all"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("value=\"typed\"") && html.contains("value=\"2020-01-01\""));
    let res = c
        .post_form(
            &format!("/referrals/{health}"),
            &[
                ("status", "done"),
                ("done_on", "2024-05-01"),
                ("back", "/referrals?status=all"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"].to_str().expect("location"),
        "/referrals?status=all"
    );
}

#[tokio::test]
async fn the_visit_form_asks_for_a_family_or_an_anonymous_contact_and_finds_families() {
    let w = world().await;
    let c = &w.coordinator;
    let m = w.mother.to_string();
    let base = [
        ("mother_id", m.as_str()),
        ("visited_on", "2024-03-05"),
        ("duration_minutes", "30"),
        ("kind", "phone"),
        ("topic_ids", "1"),
        ("then", "done"),
        ("ask_family", "true"),
    ];
    // No family chosen and no tick: an error, not a silent anonymous visit.
    let mut fields = base.to_vec();
    fields.push(("family_id", ""));
    let res = c.post_form("/visits", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Choose the family visited, or tick"));
    assert!(html.contains("href=\"#family_id\""));
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 0);
    // Ticked: saved without a family.
    fields.push(("anonymous", "true"));
    assert_eq!(c.post_form("/visits", &fields).await.status(), 303);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM visits WHERE family_id IS NULL")
            .await,
        1
    );
    // Both a family and the tick: which one is meant?
    let fam = w.family.to_string();
    let mut both = base.to_vec();
    both.extend([("family_id", fam.as_str()), ("anonymous", "true")]);
    assert_eq!(c.post_form("/visits", &both).await.status(), 422);
    // Search by name (coordinators): the family is offered, nothing saved,
    // what was typed kept; the label names code and name.
    let mut search = base.to_vec();
    search.extend([
        ("family_id", ""),
        ("family_search", "warsa"),
        ("next_step", "kept"),
    ]);
    search.retain(|(k, _)| *k != "then");
    search.push(("then", "search"));
    let res = c.post_form("/visits", &search).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("text");
    assert!(html.contains("Families found"));
    assert!(html.contains("Familie Warsame") && html.contains("value=\"kept\""));
    // The one match is chosen; the box is emptied (text in it is a new search).
    assert!(
        html.contains("One family matches “warsa”; it is chosen."),
        "{html}"
    );
    assert!(html.contains(&format!("<option value=\"{}\" selected>", w.family)));
    assert!(html.contains(
        "id=\"family_search\" name=\"family_search\" type=\"search\" maxlength=\"100\" value=\"\""
    ));
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 1);
    // Enter in the search box submits with the default button: a search,
    // never a save.
    let mut enter = search.clone();
    enter.retain(|(k, _)| *k != "then");
    enter.push(("then", "another"));
    let res = c.post_form("/visits", &enter).await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 1);
    let mut none = enter.clone();
    none.retain(|(k, _)| *k != "family_search");
    none.push(("family_search", "zzzz"));
    let html = c
        .post_form("/visits", &none)
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("No open family matches “zzzz”."), "{html}");
    // The mother's label tells her apart.
    assert!(html.contains("Hodan Ali"));
}

#[tokio::test]
async fn an_event_is_corrected_and_deleted_with_its_history() {
    let w = world().await;
    let c = &w.coordinator;
    let id = c
        .create(
            "/api/v1/events",
            &json!({"programme_id": w.programme.to_string(), "kind": "workshop",
                    "title": "Sundhed", "held_on": "2024-05-01",
                    "migrant_participants": "12", "mother_ids": [w.mother.to_string()]}),
        )
        .await;
    let e = expect_json(
        c.patch_json(
            &format!("/api/v1/events/{id}"),
            &json!({"migrant_participants": "14", "title": "Sundhed og trivsel",
                    "mother_ids": []}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(e["migrant_participants"], 14);
    assert_eq!(e["kind"], "workshop", "kept");
    assert_eq!(e["mother_ids"], json!([]));
    // Bad input changes nothing; it stays in its programme.
    let other = w.app.programme("Other").await;
    for bad in [
        json!({"title": " "}),
        json!({"programme_id": other.to_string()}),
    ] {
        expect_json(
            c.patch_json(&format!("/api/v1/events/{id}"), &bad).await,
            422,
        )
        .await;
    }
    let e = expect_json(c.get(&format!("/api/v1/events/{id}")).await, 200).await;
    assert_eq!(e["title"], "Sundhed og trivsel");
    // The page: the form filled in, its history in words, then deleted.
    let html = c
        .get(&format!("/events/{id}/edit"))
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("value=\"Sundhed og trivsel\""));
    assert!(html.contains("Change history") && html.contains("Migrant participants"));
    assert!(html.contains("<del>12</del> → 14"), "{html}");
    let res = c.post_form(&format!("/events/{id}/delete"), &[]).await;
    assert_eq!(res.status(), 303);
    expect_json(c.get(&format!("/api/v1/events/{id}")).await, 404).await;
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM audit_events WHERE entity = 'event' AND entity_id = {id} \
                 AND action = 'delete'"
            ))
            .await,
        1
    );
    // Through the API too (204), and a second time it is gone (404).
    let id = c
        .create(
            "/api/v1/events",
            &json!({"programme_id": w.programme.to_string(), "kind": "event",
                    "title": "Café", "held_on": "2024-05-02"}),
        )
        .await;
    assert_eq!(
        c.delete(&format!("/api/v1/events/{id}")).await.status(),
        204
    );
    assert_eq!(
        c.delete(&format!("/api/v1/events/{id}")).await.status(),
        404
    );
}

/// Languages, countries and currencies by name, chosen from lists (issue
/// 14, point 5).
#[tokio::test]
async fn languages_and_countries_are_words_chosen_from_lists() {
    let w = world().await;
    let c = &w.coordinator;
    let form = c.get("/families/new").await.text().await.expect("text");
    assert!(form.contains("type=\"checkbox\" name=\"languages\" value=\"so\"> Somali"));
    assert!(!form.contains("name=\"languages\" type=\"text\""));
    let p = w.programme.to_string();
    let res = c
        .post_form(
            "/families",
            &[
                ("programme_id", p.as_str()),
                ("contact_origin", "event"),
                ("first_contact_on", "2024-02-01"),
                ("languages", "so"),
                ("languages", "de"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let id = w.app.count("SELECT max(id) FROM families").await;
    let f = expect_json(c.get(&format!("/api/v1/families/{id}")).await, 200).await;
    assert_eq!(f["languages"], json!(["so", "de"]));
    let page = c
        .get(&format!("/families/{id}"))
        .await
        .text()
        .await
        .expect("text");
    assert!(page.contains("Somali, German"), "{page}");
    // A mother's country of origin: chosen by name, shown by name.
    let form = c.get("/mothers/new").await.text().await.expect("text");
    assert!(form.contains("<option value=\"sy\">Syria</option>"));
    let m = expect_json(
        c.put_json(
            &format!("/api/v1/mothers/{}", w.mother),
            &json!({"programme_id": p, "full_name": "Hodan Ali", "phone": "1",
                    "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01",
                    "country_of_origin": "so", "languages": ["so", "ar"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(m["country_of_origin"], "SO");
    let profile = c
        .get(&format!("/mothers/{}", w.mother))
        .await
        .text()
        .await
        .expect("text");
    assert!(profile.contains("Somalia") && profile.contains("Somali, Arabic"));
    // The programme: country, currency and language by name.
    let page = w
        .app
        .get(&format!("/programmes/{}", w.programme))
        .await
        .text()
        .await
        .expect("text");
    assert!(
        page.contains("Euro (EUR)") || page.contains("Danish krone (DKK)"),
        "{page}"
    );
}
