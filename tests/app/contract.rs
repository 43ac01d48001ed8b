//! The API's contract, checked on every answer the tests see: each status
//! an operation answers is one its OpenAPI document lists, and a 201 of
//! one record says where it is (`Location`). Every request a test sends
//! through the harness to `/api/v1/` is observed here; a status the
//! document does not list fails the test that saw it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

/// Per operation (method, path template), statuses (documented or seen).
type Documented = BTreeMap<(String, String), BTreeSet<u16>>;

fn documented() -> &'static Documented {
    static DOC: OnceLock<Documented> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = neighbourhood_mothers::app::openapi_document();
        let mut out = Documented::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("item") {
                let statuses = op["responses"]
                    .as_object()
                    .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
                    .unwrap_or_default();
                out.insert((method.to_uppercase(), path.clone()), statuses);
            }
        }
        out
    })
}

/// The documented operation a request's path falls under: the template
/// whose segments match, literal segments preferred over `{id}`.
pub fn operation(method: &str, path: &str) -> Option<(String, String)> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    documented()
        .keys()
        .filter(|(m, _)| m == method)
        .filter_map(|(m, t)| {
            let ts: Vec<&str> = t.split('/').collect();
            if ts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (a, b) in ts.iter().zip(&segments) {
                if a.starts_with('{') {
                    continue;
                }
                if a != b {
                    return None;
                }
                literal += 1;
            }
            Some((literal, (m.clone(), t.clone())))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, op)| op)
}

/// What the tests saw, per operation.
fn observed() -> &'static Mutex<Documented> {
    static SEEN: OnceLock<Mutex<Documented>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
}

/// Checks an answer to `method path` against the document (and a 201's
/// `Location`), and records it. 500 is not checked here (the tests that
/// break the database on purpose expect it; none may answer it else).
pub fn observe(method: &str, path: &str, status: u16, location: bool, bulk: bool) {
    if !path.starts_with("/api/v1/") || path.starts_with("/api/v1/openapi.json") {
        return;
    }
    let Some(op) = operation(method, path) else {
        return; // no such operation: axum's 405 or the fallback's 404
    };
    observed()
        .lock()
        .expect("lock")
        .entry(op.clone())
        .or_default()
        .insert(status);
    if status == 500 {
        return;
    }
    let listed = &documented()[&op];
    assert!(
        listed.contains(&status),
        "{} {} answered {status}, which its OpenAPI document does not list ({listed:?})",
        op.0,
        op.1
    );
    if status == 201 && !bulk && !op.1.starts_with("/api/v1/imports/") {
        assert!(
            location,
            "{} {} answered 201 without a Location",
            op.0, op.1
        );
    }
}

/// The operations the tests have not yet sent a request to.
pub fn unobserved() -> Vec<(String, String)> {
    let seen = observed().lock().expect("lock");
    documented()
        .keys()
        .filter(|op| op.1.starts_with("/api/v1/") && op.1 != "/api/v1/openapi.json")
        .filter(|op| !seen.contains_key(*op))
        .cloned()
        .collect()
}

#[test]
fn paths_fall_under_their_operation() {
    assert_eq!(
        operation("GET", "/api/v1/visits/12?x=1"),
        Some(("GET".into(), "/api/v1/visits/{id}".into()))
    );
    assert_eq!(
        operation("POST", "/api/v1/visits/12/void"),
        Some(("POST".into(), "/api/v1/visits/{id}/void".into()))
    );
    assert_eq!(operation("DELETE", "/api/v1/visits/12"), None);
}

/// Every operation documents the error statuses it can answer, each with
/// the error schema.
#[test]
fn every_operation_documents_its_error_statuses() {
    let doc = neighbourhood_mothers::app::openapi_document();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let r = &op["responses"];
            if path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" {
                for s in ["401", "403", "503"] {
                    assert!(r[s].is_object(), "{method} {path} lacks {s}");
                }
            }
            if path.contains('{') {
                assert!(r["404"].is_object(), "{method} {path} lacks 404");
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "422"] {
                    assert!(r[s].is_object(), "{method} {path} lacks {s}");
                }
            }
            for (status, answer) in r.as_object().expect("responses") {
                if status.starts_with('4') || status.starts_with('5') {
                    // The error schema, or an answer of the operation's own
                    // (an import's 422 is its report of the rows).
                    assert!(
                        answer["content"]["application/json"]["schema"]["$ref"].is_string(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

/// A 422 names each field with a machine-readable code and, for a choice,
/// the values allowed; a body past the limit is a 413.
#[tokio::test]
async fn field_errors_carry_codes_and_allowed_values() {
    use crate::harness::{TestApp, expect_json};
    use serde_json::json;
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let body = expect_json(
        app.post_json(
            "/api/v1/mothers",
            &json!({"programme_id": p, "full_name": "", "gender": "robot",
                    "engagement": "volunteer", "joined_on": "2020-01-01", "phone": "1"}),
        )
        .await,
        422,
    )
    .await;
    let errors = body["error"]["field_errors"]
        .as_array()
        .expect("field_errors");
    let gender = errors
        .iter()
        .find(|e| e["field"] == "gender")
        .expect("gender");
    assert_eq!(gender["code"], "choose_one");
    assert_eq!(
        gender["allowed"],
        json!(["female", "male", "diverse", "undisclosed"])
    );
    assert_eq!(gender["message"], body["error"]["fields"]["gender"]);
    let name = errors
        .iter()
        .find(|e| e["field"] == "full_name")
        .expect("full_name");
    assert_eq!(name["code"], "required");
    assert!(name.get("allowed").is_none());

    let body = expect_json(app.get("/api/v1/mothers?per_page=501").await, 422).await;
    assert_eq!(body["error"]["field_errors"][0]["field"], "per_page");
    assert_eq!(body["error"]["field_errors"][0]["code"], "per_page_invalid");

    // A bulk refusal names each item's fields the same way.
    let body = expect_json(
        app.post_json(
            "/api/v1/events",
            &json!([{"programme_id": p, "kind": "event", "title": "ok", "held_on": "2024-01-01"},
                    {"programme_id": p, "kind": "event", "title": "", "held_on": "2024-01-01"}]),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["error"]["items"][0]["index"], 1);
    assert_eq!(
        body["error"]["items"][0]["field_errors"][0]["code"],
        "required"
    );
    assert!(body["error"]["request_id"].is_string());

    let big = "x".repeat(3 * 1024 * 1024);
    let body = expect_json(
        app.post_json("/api/v1/mothers", &json!({"full_name": big}))
            .await,
        413,
    )
    .await;
    assert_eq!(body["error"]["code"], "too_large");
}
