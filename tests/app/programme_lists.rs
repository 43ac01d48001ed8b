//! A programme's own referral services and kinds of event, like its own
//! visit topics: added, used, renamed, retired; shown by label in forms,
//! lists and reports; the defaults kept.

use serde_json::json;

use crate::harness::{TestApp, expect_json};
use neighbourhood_mothers::authz::Role;

async fn mother_of(app: &TestApp, p: i64) -> i64 {
    let m = app
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p, "full_name": format!("Mother {p}"), "gender": "female",
                    "engagement": "volunteer", "joined_on": "2010-01-01", "phone": "+49 30 1"}),
        )
        .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": "active", "changed_on": "2010-02-01", "reason": "trained"}),
        )
        .await,
        200,
    )
    .await;
    m
}

#[tokio::test]
async fn a_programme_refers_to_its_own_service_by_label() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let q = app.programme("Bydelsmødre Aarhus").await;
    let manager = app.with_user(Role::Manager, &[p]).await;
    let res = manager
        .post_json(
            &format!("/api/v1/programmes/{p}/services"),
            &json!({"label": "Familienbüro"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let service = res.json::<serde_json::Value>().await.expect("json");
    let id = service["id"].as_i64().expect("id");
    assert_eq!(location, format!("/api/v1/services/{id}"));
    assert_eq!(service["key"], serde_json::Value::Null);
    let code = id.to_string();
    // The same label again is refused; another programme's list is apart.
    let taken = expect_json(
        manager
            .post_json(
                &format!("/api/v1/programmes/{p}/services"),
                &json!({"label": "familienbüro"}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        taken["error"]["fields"]["label"],
        "The programme already has this service."
    );
    // A default's name, in any language, is taken too.
    for label in ["School", "schule", "Skole"] {
        let res = manager
            .post_json(
                &format!("/api/v1/programmes/{p}/services"),
                &json!({"label": label}),
            )
            .await;
        assert_eq!(res.status(), 422, "{label}");
    }
    // The list: the nine defaults first, then its own.
    let list = expect_json(
        app.get(&format!("/api/v1/programmes/{p}/services")).await,
        200,
    )
    .await;
    assert_eq!(list["total"], 10);
    assert_eq!(list["items"][0]["key"], "youth_welfare");
    assert_eq!(list["items"][9]["label"], "Familienbüro");
    let other = expect_json(
        app.get(&format!("/api/v1/programmes/{q}/services")).await,
        200,
    )
    .await;
    assert_eq!(other["total"], 9);

    // Used at a visit, with a default.
    let m = mother_of(&app, p).await;
    let visit = expect_json(
        app.post_json(
            "/api/v1/visits",
            &json!({"mother_id": m, "visited_on": "2024-03-05", "duration_minutes": 60,
                    "kind": "home_visit", "topic_ids": [1], "referrals": [code, "health"]}),
        )
        .await,
        201,
    )
    .await;
    let services: Vec<&str> = visit["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .filter_map(|r| r["service"].as_str())
        .collect();
    assert!(services.contains(&code.as_str()) && services.contains(&"health"));
    // Another programme's mother cannot use it.
    let mq = mother_of(&app, q).await;
    let refused = expect_json(
        app.post_json(
            "/api/v1/visits",
            &json!({"mother_id": mq, "visited_on": "2024-03-05", "duration_minutes": 60,
                    "kind": "home_visit", "topic_ids": [1], "referrals": [code]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        refused["error"]["fields"]["referrals"],
        "Choose services from the list."
    );
    // The worklist filters by it; the pages name it.
    let worklist = expect_json(
        app.get(&format!("/api/v1/referrals?service={code}")).await,
        200,
    )
    .await;
    assert_eq!(worklist["total"], 1);
    let html = app.get("/referrals").await.text().await.expect("html");
    assert!(html.contains("Familienbüro"), "worklist");
    let form = app.get("/visits/new").await.text().await.expect("html");
    assert!(form.contains(&format!("value=\"{code}\"")) && form.contains("Familienbüro"));
    // The yearly report counts it by label.
    let report = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2024&programme={p}"))
            .await,
        200,
    )
    .await;
    let own = report["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .find(|r| r["service"] == code.as_str())
        .expect("own service in the report")
        .clone();
    assert_eq!(own["label"], "Familienbüro");
    assert_eq!(own["count"], 1);
    let page = app
        .get(&format!("/reports?year=2024&programme={p}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("Familienbüro"), "report page");

    // Renamed: the visit shows the new name.
    let renamed = expect_json(
        manager
            .patch_json(
                &format!("/api/v1/services/{id}"),
                &json!({"label": "Familienbüro Nord"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(renamed["label"], "Familienbüro Nord");
    let vid = visit["id"].as_i64().expect("visit");
    let shown = app
        .get(&format!("/visits/{vid}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(shown.contains("Familienbüro Nord"));
    // A default cannot be renamed; a service is not a topic.
    let default_id = list["items"][0]["id"].as_i64().expect("id");
    expect_json(
        manager
            .patch_json(
                &format!("/api/v1/services/{default_id}"),
                &json!({"label": "x"}),
            )
            .await,
        409,
    )
    .await;
    expect_json(
        manager
            .patch_json(&format!("/api/v1/topics/{id}"), &json!({"label": "x"}))
            .await,
        404,
    )
    .await;

    // Retired: not offered for new referrals, kept on the visit.
    expect_json(
        manager
            .post_json(&format!("/api/v1/services/{id}/retire"), &json!({}))
            .await,
        200,
    )
    .await;
    let again = expect_json(
        app.post_json(
            "/api/v1/visits",
            &json!({"mother_id": m, "visited_on": "2024-03-06", "duration_minutes": 60,
                    "kind": "home_visit", "topic_ids": [1], "referrals": [code]}),
        )
        .await,
        422,
    )
    .await;
    assert!(again["error"]["fields"]["referrals"].is_string());
    let form = app.get("/visits/new").await.text().await.expect("html");
    assert!(!form.contains("Familienbüro"));
    let shown = app
        .get(&format!("/visits/{vid}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(shown.contains("Familienbüro Nord"));
    // Its correction form still offers the retired service it has, ticked.
    let edit = app
        .get(&format!("/visits/{vid}/edit"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        edit.contains(&format!("value=\"{code}\" checked")),
        "kept on the form"
    );
    // A correction keeps the retired service the visit has.
    expect_json(
        app.patch_json(
            &format!("/api/v1/visits/{vid}"),
            &json!({"duration_minutes": 45}),
        )
        .await,
        200,
    )
    .await;
    // Every change is in the audit log as a service.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*)::bigint FROM audit_events WHERE entity = 'service' AND entity_id = {id}"
        ))
        .await,
        3
    );
    // The page lists it as retired, for a manager to offer it again.
    let page = manager
        .get(&format!("/programmes/{p}/services"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Familienbüro Nord") && page.contains(&format!("/services/{id}/restore"))
    );
    let res = manager
        .post_form(&format!("/services/{id}/restore"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let form = app.get("/visits/new").await.text().await.expect("html");
    assert!(form.contains("Familienbüro Nord"));
}

#[tokio::test]
async fn a_programme_names_its_own_kinds_of_event() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let kind = app
        .create(
            &format!("/api/v1/programmes/{p}/event-kinds"),
            &json!({"label": "Frauenfrühstück"}),
        )
        .await;
    let code = kind.to_string();
    let event = expect_json(
        app.post_json(
            "/api/v1/events",
            &json!({"programme_id": p, "kind": code, "title": "Frühstück im März",
                    "held_on": "2024-03-08", "migrant_participants": 14}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(event["kind"], code.as_str());
    // Defaults still work; an unknown kind is a field error.
    app.create(
        "/api/v1/events",
        &json!({"programme_id": p, "kind": "workshop", "title": "Workshop",
                "held_on": "2024-03-09"}),
    )
    .await;
    let bad = expect_json(
        app.post_json(
            "/api/v1/events",
            &json!({"programme_id": p, "kind": "astrology", "title": "x", "held_on": "2024-03-09"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        bad["error"]["fields"]["kind"],
        "Choose a kind of event of the programme."
    );
    let list = app.get("/events").await.text().await.expect("html");
    assert!(list.contains("Frauenfrühstück") && list.contains("Workshop"));
    let form = app.get("/events/new").await.text().await.expect("html");
    assert!(form.contains(&format!("value=\"{code}\"")));
    // Retired: refused for a new event, kept on the old one's correction.
    expect_json(
        app.post_json(&format!("/api/v1/event-kinds/{kind}/retire"), &json!({}))
            .await,
        200,
    )
    .await;
    let refused = expect_json(
        app.post_json(
            "/api/v1/events",
            &json!({"programme_id": p, "kind": code, "title": "x", "held_on": "2024-04-01"}),
        )
        .await,
        422,
    )
    .await;
    assert!(refused["error"]["fields"]["kind"].is_string());
    let eid = event["id"].as_i64().expect("id");
    let fixed = expect_json(
        app.patch_json(
            &format!("/api/v1/events/{eid}"),
            &json!({"migrant_participants": 15}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fixed["kind"], code.as_str());
    assert_eq!(fixed["migrant_participants"], 15);
    // Changed to a default, the event's history names both by label.
    expect_json(
        app.patch_json(
            &format!("/api/v1/events/{eid}"),
            &json!({"kind": "workshop"}),
        )
        .await,
        200,
    )
    .await;
    let edit = app
        .get(&format!("/events/{eid}/edit"))
        .await
        .text()
        .await
        .expect("html");
    let history = &edit[edit.find("Frauenfrühstück").expect("the old kind by label")..];
    assert!(history.contains("→ workshop"), "the new kind by label");
}
