//! A programme's own word for its workers (Integrationslotsinnen instead of
//! Stadtteilmütter): set on a page or through the API, in each language,
//! and used on the programme's pages and reports.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{Agent, TestApp, expect_json};

/// A page in a language, as its text.
async fn page_in(agent: &Agent, lang: &str, path: &str) -> String {
    let res = agent
        .client
        .get(agent.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 200, "{lang} {path}");
    res.text().await.expect("text")
}

#[tokio::test]
async fn a_programme_names_its_workers_in_each_language() {
    let app = TestApp::spawn().await;
    let lotsen = app.programme("Integrationslotsinnen Wedding").await;
    let other = app.programme("Stadtteilmütter Neukölln").await;
    let words = json!({
        "de": {"one": "Integrationslotsin", "other": "Integrationslotsinnen"},
        "en": {"one": " integration  guide ", "other": "integration guides"},
    });
    let path = format!("/api/v1/programmes/{lotsen}/worker-words");
    let saved = expect_json(app.put_json(&path, &words).await, 200).await;
    let mut tidy = words.clone();
    tidy["en"]["one"] = json!("integration guide");
    assert_eq!(saved, tidy, "spaces tidied");
    assert_eq!(app.get_json(&path).await, tidy);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'programme' AND entity_id = {lotsen} \
             AND action = 'update' AND changes ? 'worker_words'"
        ))
        .await,
        1,
        "the change is audited"
    );
    // Saving the same words again changes nothing and logs nothing.
    expect_json(app.put_json(&path, &tidy).await, 200).await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity_id = {lotsen} AND changes ? 'worker_words'"
        ))
        .await,
        1
    );

    // Staff of the programme read its words everywhere: the navigation,
    // the visit form, the yearly report.
    let coordinator = app.with_user(Role::Coordinator, &[lotsen]).await;
    let home = page_in(&coordinator, "de", "/").await;
    assert!(home.contains(">Integrationslotsinnen<"), "navigation");
    let form = page_in(&coordinator, "de", "/visits/new").await;
    assert!(
        form.contains(">Integrationslotsin<"),
        "the visit form's field"
    );
    let manager = app.with_user(Role::Manager, &[lotsen]).await;
    let report = page_in(&manager, "de", "/reports?year=2025").await;
    assert!(
        report.contains("Qualifizierte Integrationslotsinnen"),
        "report"
    );
    assert!(!report.contains("Qualifizierte Stadtteilmütter"));
    let english = page_in(&manager, "en", "/reports?year=2025").await;
    assert!(
        english.contains("Integration guides trained"),
        "begins a label"
    );
    assert!(
        english.contains("Cost per integration guide trained"),
        "mid-sentence"
    );
    // A language the programme set nothing for keeps its usual word.
    let danish = page_in(&coordinator, "da", "/").await;
    assert!(danish.contains(">Bydelsmødre<"), "Danish: the usual word");

    // Staff of another programme keep the usual word.
    let neighbour = app.with_user(Role::Coordinator, &[other]).await;
    let home = page_in(&neighbour, "de", "/").await;
    assert!(home.contains(">Stadtteilmütter<"));
    assert!(!home.contains("Integrationslotsin"));

    // An administrator reads a programme's report, its download and its
    // page in the programme's words, the comparison of all in the usual.
    let report = page_in(
        &app,
        "de",
        &format!("/reports?year=2025&programme={lotsen}"),
    )
    .await;
    assert!(report.contains("Qualifizierte Integrationslotsinnen"));
    let csv = page_in(
        &app,
        "de",
        &format!("/reports/yearly.csv?year=2025&programme={lotsen}"),
    )
    .await;
    assert!(
        csv.contains("Qualifizierte Integrationslotsinnen"),
        "export"
    );
    let show = page_in(&app, "de", &format!("/programmes/{lotsen}")).await;
    assert!(show.contains("Integrationslotsin / Integrationslotsinnen"));
    let all = page_in(&app, "de", "/reports?year=2025").await;
    assert!(all.contains("Qualifizierte Stadtteilmütter"));

    // The other programme's coordinator cannot read or change these words.
    let res = neighbour.get(&path).await;
    assert_eq!(res.status(), 404);
    let manager = app.with_user(Role::Manager, &[other]).await;
    expect_json(manager.put_json(&path, &json!({})).await, 404).await;
}

#[tokio::test]
async fn bad_words_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let path = format!("/api/v1/programmes/{p}/worker-words");
    let first = json!({"da": {"one": "bydelsmor", "other": "bydelsmødre"}});
    expect_json(app.put_json(&path, &first).await, 200).await;

    let missing_plural = json!({"de": {"one": "Lotsin", "other": " "}});
    let e = expect_json(app.put_json(&path, &missing_plural).await, 422).await;
    assert!(e["error"]["fields"]["worker_other_de"].is_string(), "{e}");
    let too_long = json!({"en": {"one": "x".repeat(61), "other": "xs"}});
    let e = expect_json(app.put_json(&path, &too_long).await, 422).await;
    assert!(e["error"]["fields"]["worker_one_en"].is_string(), "{e}");
    let unknown = json!({"fr": {"one": "mère", "other": "mères"}});
    let e = expect_json(app.put_json(&path, &unknown).await, 422).await;
    assert!(e["error"]["fields"]["language"].is_string(), "{e}");
    let res = app
        .client
        .put(app.url(&path))
        .header("content-type", "application/json")
        .body("[{\"language\": \"da\"}]")
        .send()
        .await
        .expect("PUT");
    assert_eq!(res.status(), 400, "not a list");
    assert_eq!(app.get_json(&path).await, first, "nothing changed");

    // The form shows the error at the top and beside the field, and keeps
    // what was typed.
    let res = app
        .post_form(
            &format!("/programmes/{p}/worker-words"),
            &[
                ("worker_one_de", "Integrationslotsin"),
                ("worker_other_de", ""),
                ("worker_one_da", "bydelsmor"),
                ("worker_other_da", "bydelsmødre"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("error-summary"));
    assert!(
        html.contains("href=\"#worker_other_de\""),
        "summary links the field"
    );
    assert!(
        html.contains("id=\"worker_other_de-error\""),
        "error beside the field"
    );
    assert!(
        html.contains("value=\"Integrationslotsin\""),
        "keeps what was typed"
    );
    assert_eq!(app.get_json(&path).await, first, "nothing changed");

    // Emptying a language's row removes its words; the page saves.
    let res = app
        .post_form(
            &format!("/programmes/{p}/worker-words"),
            &[
                ("worker_one_da", ""),
                ("worker_other_da", ""),
                ("worker_one_en", "neighbourhood mother"),
                ("worker_other_en", "neighbourhood mothers"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get_json(&path).await,
        json!({"en": {"one": "neighbourhood mother", "other": "neighbourhood mothers"}})
    );
    let form = app.get(&format!("/programmes/{p}/worker-words")).await;
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("text");
    assert!(
        html.contains("placeholder=\"bydelsmødre\""),
        "the usual word shows"
    );
}
