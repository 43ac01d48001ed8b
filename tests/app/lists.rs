//! Paged lists: the family list a page at a time with its figures, the
//! visit form's bounded family choice and the family found by reference
//! code, page numbers beyond the data, and malformed filters.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};

struct World {
    app: TestApp,
    programme: i64,
    coordinator: Agent,
    /// Primary mother of families 1..=`many`.
    amina: i64,
    /// Primary mother of the families after them.
    leyla: i64,
}

async fn active_mother(c: &Agent, programme: i64, name: &str) -> i64 {
    let m = expect_json(
        c.post_json(
            "/api/v1/mothers",
            &json!({"programme_id": programme.to_string(), "full_name": name,
                    "phone": "030 1234", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01"}),
        )
        .await,
        201,
    )
    .await;
    let id = m["id"].as_i64().expect("id");
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{id}/status"),
            &json!({"status": "active", "changed_on": "2020-06-01"}),
        )
        .await,
        200,
    )
    .await;
    id
}

/// A programme (`SN-...`) with `many` families of Amina and `more` of
/// Leyla, made in SQL; and a second programme with one family the
/// coordinator may not see.
async fn world(many: i64, more: i64) -> World {
    let app = TestApp::spawn().await;
    let programme = app.programme("Stadtteilmütter Neukölln").await;
    let other = programme_other(&app).await;
    let coordinator = app.with_user(Role::Coordinator, &[programme]).await;
    let amina = active_mother(&coordinator, programme, "Amina Yusuf").await;
    let leyla = active_mother(&coordinator, programme, "Leyla Demir").await;
    app.sql(&format!(
        "INSERT INTO families (programme_id, reference_number, reference_code, contact_origin, \
         first_contact_on, primary_mother_id) \
         SELECT {programme}, n, 'SN-' || lpad(n::text, 4, '0'), 'other', '2024-01-01', \
                CASE WHEN n <= {many} THEN {amina} ELSE {leyla} END \
         FROM generate_series(1, {}) n",
        many + more
    ))
    .await;
    app.sql(&format!(
        "INSERT INTO families (programme_id, reference_number, reference_code, contact_origin, \
         first_contact_on) VALUES ({other}, 1, 'SK-0001', 'other', '2024-01-01')"
    ))
    .await;
    World {
        app,
        programme,
        coordinator,
        amina,
        leyla,
    }
}

async fn programme_other(app: &TestApp) -> i64 {
    app.programme("Stadtteilmütter Kreuzberg").await
}

async fn family_id(app: &TestApp, code: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM families WHERE reference_code = '{code}'"
    ))
    .await
}

fn visit(mother: i64, family: i64, on: &str) -> Value {
    json!({"mother_id": mother.to_string(), "family_id": family.to_string(),
           "visited_on": on, "duration_minutes": "45", "kind": "home_visit",
           "topic_ids": ["1"]})
}

async fn post(c: &Agent, fields: Vec<(&str, String)>) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form("/visits", &pairs).await
}

#[tokio::test]
async fn the_family_list_comes_a_page_at_a_time_with_its_figures() {
    let w = world(60, 60).await;
    let c = &w.coordinator;
    let f1 = family_id(&w.app, "SN-0001").await;
    // Leyla visited one of Amina's families; one family is closed.
    expect_json(
        c.post_json("/api/v1/visits", &visit(w.leyla, f1, "2024-05-01"))
            .await,
        201,
    )
    .await;
    expect_json(
        c.post_json("/api/v1/visits", &visit(w.amina, f1, "2024-03-01"))
            .await,
        201,
    )
    .await;
    w.app
        .sql("UPDATE families SET status = 'closed', closed_on = '2024-06-01' WHERE reference_code = 'SN-0120'")
        .await;

    // The API: 50 a page, the other programme's family not counted.
    let p1 = expect_json(c.get("/api/v1/families").await, 200).await;
    assert_eq!(p1["total"], 120);
    assert_eq!(p1["per_page"], 50);
    assert_eq!(p1["page"], 1);
    assert_eq!(p1["items"].as_array().map(Vec::len), Some(50));
    assert_eq!(p1["items"][0]["reference_code"], "SN-0001");
    assert_eq!(p1["items"][0]["last_visit_on"], "2024-05-01");
    let p2 = expect_json(c.get("/api/v1/families?page=2").await, 200).await;
    assert_eq!(p2["items"][0]["reference_code"], "SN-0051");
    assert_eq!(p2["items"].as_array().map(Vec::len), Some(50));
    let p3 = expect_json(c.get("/api/v1/families?page=3").await, 200).await;
    assert_eq!(p3["items"].as_array().map(Vec::len), Some(20));
    assert_eq!(p3["items"][19]["reference_code"], "SN-0120");
    let p4 = expect_json(c.get("/api/v1/families?page=4").await, 200).await;
    assert_eq!(p4["items"], json!([]));
    assert_eq!(p4["total"], 120);

    // Filters, counted in SQL.
    let total = async |q: &str| {
        expect_json(c.get(&format!("/api/v1/families?{q}")).await, 200).await["total"].clone()
    };
    assert_eq!(total("status=closed").await, 1);
    assert_eq!(total("status=active").await, 119);
    assert_eq!(total(&format!("mother={}", w.amina)).await, 60);
    // Leyla's own 60 and the one she visited.
    assert_eq!(total(&format!("mother={}", w.leyla)).await, 61);
    assert_eq!(total(&format!("programme={}", w.programme)).await, 120);
    // Active and no visit in 30 days: all active ones (the visits were in 2024).
    assert_eq!(total("no_visit_days=30").await, 119);
    // No visit in 100 years: only those never visited.
    assert_eq!(total("no_visit_days=36500").await, 118);
    // An admin sees the other programme's family too.
    let all = expect_json(w.app.get("/api/v1/families").await, 200).await;
    assert_eq!(all["total"], 121);

    // The page: its count, the page's families, links to the next page.
    let html = c.get("/families").await.text().await.expect("text");
    assert!(html.contains("120 families"), "{html}");
    assert!(html.contains(">SN-0001<") && html.contains(">SN-0050<"));
    assert!(!html.contains(">SN-0051<"));
    assert!(html.contains("1 May 2024"), "the last visit, in words");
    assert!(html.contains("page=2") && html.contains("1 / 3"));
    let html = c.get("/families?page=2").await.text().await.expect("text");
    assert!(html.contains(">SN-0051<") && !html.contains(">SN-0001<"));
    assert!(html.contains("page=1") && html.contains("page=3") && html.contains("2 / 3"));
    let html = c
        .get("/families?status=closed")
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("1 families") && html.contains(">SN-0120<"));
}

#[tokio::test]
async fn the_visit_form_offers_her_families_and_finds_others_by_code() {
    // Amina has more families than the form offers; Leyla has 20.
    let w = world(230, 20).await;
    let c = &w.coordinator;
    let f225 = family_id(&w.app, "SN-0225").await;
    expect_json(
        c.post_json("/api/v1/visits", &visit(w.amina, f225, "2024-05-01"))
            .await,
        201,
    )
    .await;
    // Her profile leads to the form with her chosen.
    let profile = c
        .get(&format!("/mothers/{}", w.amina))
        .await
        .text()
        .await
        .expect("text");
    assert!(profile.contains(&format!("href=\"/visits/new?mother={}\"", w.amina)));
    let html = c
        .get(&format!("/visits/new?mother={}", w.amina))
        .await
        .text()
        .await
        .expect("text");
    let offered: Vec<&str> = html.split("\">SN-").skip(1).map(|s| &s[..4]).collect();
    assert_eq!(offered.len(), 200, "capped");
    assert_eq!(offered[0], "0225", "the most recently visited first");
    assert!(
        offered
            .iter()
            .all(|n| n.parse::<i64>().is_ok_and(|n| n <= 230)),
        "only hers"
    );
    assert!(html.contains("name=\"family_code\""));
    // Leyla's form offers her 20 only.
    let html = c
        .get(&format!("/visits/new?mother={}", w.leyla))
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(html.matches("\">SN-").count(), 20);
    assert!(html.contains(">SN-0231<") && !html.contains(">SN-0001<"));

    // A family outside her list, by reference code (any case).
    let m = w.amina.to_string();
    let form = |code: &'static str| {
        vec![
            ("mother_id", m.clone()),
            ("family_id", String::new()),
            ("family_code", code.to_owned()),
            ("visited_on", "2024-06-01".to_owned()),
            ("duration_minutes", "30".to_owned()),
            ("kind", "phone".to_owned()),
            ("topic_ids", "1".to_owned()),
        ]
    };
    let res = post(c, form(" sn-0245 ")).await;
    assert_eq!(res.status(), 303);
    let f245 = family_id(&w.app, "SN-0245").await;
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE family_id = {f245} AND mother_id = {}",
                w.amina
            ))
            .await,
        1
    );
    // Unknown codes, and a family of a programme the mother is not in.
    for code in ["SN-9999", "SK-0001"] {
        let res = post(c, form(code)).await;
        assert_eq!(res.status(), 422, "{code}");
        let html = res.text().await.expect("text");
        assert!(
            html.contains("No family of this mother&#39;s programme has this reference code.")
                || html.contains("No family of this mother's programme has this reference code."),
            "{code}"
        );
        assert!(html.contains(&format!("value=\"{code}\"")), "input kept");
    }
    // The same through the API.
    let mut v = visit(w.amina, 0, "2024-06-02");
    v["family_id"] = Value::Null;
    v["family_code"] = json!("SN-0246");
    let body = expect_json(c.post_json("/api/v1/visits", &v).await, 201).await;
    assert_eq!(body["family_code"], "SN-0246");
}

#[tokio::test]
async fn page_numbers_beyond_the_data_answer_no_server_error() {
    let app = TestApp::spawn().await;
    let lists = [
        "/visits",
        "/families",
        "/mothers",
        "/admin/audit",
        "/api/v1/visits",
        "/api/v1/families",
        "/api/v1/mothers",
        "/api/v1/audit",
    ];
    for list in lists {
        for page in ["9223372036854775807", "-1", "0", "-9223372036854775808"] {
            let res = app.get(&format!("{list}?page={page}")).await;
            assert_eq!(res.status(), 200, "{list}?page={page}");
        }
        let res = app.get(&format!("{list}?page=99999999999999999999")).await;
        assert_eq!(res.status(), 422, "{list}: not a page number");
    }
    let body = expect_json(app.get("/api/v1/families?page=-1").await, 200).await;
    assert_eq!(body["page"], 1);
}

#[tokio::test]
async fn a_malformed_filter_is_named_in_a_translated_message() {
    let app = TestApp::spawn().await;
    for (path, name) in [
        ("/visits?district=abc", "district"),
        ("/visits?from=yesterday", "from"),
        ("/mothers?status=nonsense", "status"),
        ("/families?page=x", "page"),
        ("/families?mother=x", "mother"),
        ("/families?status=gone", "status"),
        ("/admin/audit?from=x", "from"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 422, "{path}");
        let html = res.text().await.expect("text");
        assert!(
            html.contains(&format!("The filter “{name}” was not applied")),
            "{path}: {html}"
        );
        assert!(!html.to_lowercase().contains("deserialize"), "{path}");
        assert!(html.contains("role=\"alert\"") || html.contains("class=\"error\""));
    }
    // The JSON API names the parameter.
    for (path, name) in [
        ("/api/v1/families?page=x", "page"),
        ("/api/v1/families?no_visit_days=soon", "no_visit_days"),
        ("/api/v1/visits?district=abc", "district"),
        ("/api/v1/mothers?status=nonsense", "status"),
    ] {
        let body = expect_json(app.get(path).await, 422).await;
        assert_eq!(body["error"]["code"], "validation_failed", "{path}");
        assert!(body["error"]["fields"][name].is_string(), "{path}: {body}");
    }
    // A query that does not fit a typed parameter: translated, no parser text.
    let res = app.get("/courses?programme=x").await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("text");
    assert!(html.contains("could not be read") && !html.to_lowercase().contains("deserialize"));
    let res = app.get("/api/v1/events?programme=x").await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(!body.to_string().to_lowercase().contains("deserialize"));
}

#[tokio::test]
async fn the_event_form_is_a_page_of_its_own_and_the_report_names_its_programmes() {
    let app = TestApp::spawn().await;
    let a = app.programme("Stadtteilmütter Neukölln").await;
    app.programme("Bydelsmødre København").await;
    // The form is a page of its own (below a long list of events it was out
    // of sight), linked from the list; an invalid event shows that page again
    // with the message at the top, what was typed kept.
    let list = app.get("/events").await.text().await.expect("page");
    assert!(
        list.contains("href=\"/events/new\""),
        "the list links to the form"
    );
    assert!(!list.contains("<form method=\"post\" action=\"/events\""));
    let form = app.get("/events/new").await;
    assert_eq!(form.status(), 200);
    assert!(
        form.text()
            .await
            .expect("page")
            .contains("action=\"/events\"")
    );
    let res = app
        .post_form(
            "/events",
            &[
                ("programme_id", &a.to_string()),
                ("kind", "workshop"),
                ("title", ""),
                ("held_on", "2024-05-10"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("page");
    let top = html.find("role=\"alert\"").expect("a message at the top");
    let form = html
        .find("<form method=\"post\" action=\"/events\"")
        .expect("the form");
    assert!(top < form, "the message comes before the form");
    assert!(
        !html.contains("<table class=\"list\""),
        "the form's page, not the list"
    );
    assert!(
        html.contains("value=\"2024-05-10\""),
        "what was typed is kept"
    );
    // The yearly report lists the programmes it covers, separated, with no
    // separator after the last.
    let html = app
        .get("/reports?year=2024")
        .await
        .text()
        .await
        .expect("page");
    assert!(
        html.contains("Bydelsmødre København; Stadtteilmütter Neukölln</p>"),
        "{}",
        html.find("<h1")
            .map_or("", |i| &html[i..(i + 400).min(html.len())])
    );
}

#[tokio::test]
async fn log_a_visit_starts_from_the_family_with_its_mother_and_not_for_a_mother_who_left() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let amina = active_mother(&app, p, "Amina").await;
    let family = expect_json(
        app.post_json(
            "/api/v1/families",
            &json!({"programme_id": p.to_string(), "children_count": "1",
                    "contact_origin": "own_network", "first_contact_on": "2024-01-10",
                    "primary_mother_id": amina.to_string()}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .expect("id");
    // From a family's page, its primary mother is chosen already.
    let page = app
        .get(&format!("/families/{family}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains(&format!("/visits/new?family={family}&amp;mother={amina}")),
        "the family's mother preselected"
    );
    let form = app
        .get(&format!("/visits/new?family={family}&mother={amina}"))
        .await
        .text()
        .await
        .expect("form");
    assert!(form.contains(&format!("<option value=\"{amina}\" selected")));
    // A mother who may visit is offered "Log a visit" on her profile; one
    // who left is not.
    let profile = app
        .get(&format!("/mothers/{amina}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(profile.contains(&format!("/visits/new?mother={amina}")));
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{amina}/status"),
            &json!({"status": "left", "changed_on": "2024-06-01", "reason": "moved"}),
        )
        .await,
        200,
    )
    .await;
    let profile = app
        .get(&format!("/mothers/{amina}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        !profile.contains("/visits/new?mother="),
        "no visits after leaving"
    );
    // Nor is she chosen already from the family's page.
    let page = app
        .get(&format!("/families/{family}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains(&format!("/visits/new?family={family}\"")));
}

/// The short forms (a district, a topic, a renamed topic, an API token)
/// say at the top too that a field needs correcting, not only beside it.
#[tokio::test]
async fn short_forms_say_so_at_the_top() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let district = app
        .create(
            &format!("/api/v1/programmes/{p}/districts"),
            &json!({"name": "Reuterkiez"}),
        )
        .await;
    let topic = app
        .create(
            &format!("/api/v1/programmes/{p}/topics"),
            &json!({"label": "Sport"}),
        )
        .await;
    for (path, fields) in [
        (format!("/programmes/{p}/districts"), vec![("name", "")]),
        (format!("/districts/{district}"), vec![("name", "")]),
        (format!("/programmes/{p}/topics"), vec![("label", "")]),
        (format!("/topics/{topic}"), vec![("label", "")]),
        (
            "/admin/tokens".to_owned(),
            vec![("user_id", "1"), ("label", "")],
        ),
    ] {
        let res = app.post_form(&path, &fields).await;
        assert_eq!(res.status(), 422, "{path}");
        let html = res.text().await.expect("page");
        let top = html.find("role=\"alert\"").expect("a message at the top");
        let field = html
            .find("class=\"error\"")
            .expect("the message by the field");
        assert!(top < field, "{path}: the summary comes first");
    }
}
