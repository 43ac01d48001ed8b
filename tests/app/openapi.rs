//! The OpenAPI document describes every JSON route.

use std::path::Path;

use serde_json::{Value, json};

use crate::harness::TestApp;

/// Every `/api/v1` route with its methods. Add new routes here: the test
/// fails while the document lacks one of them.
const ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/programmes", &["get", "post"]),
    (
        "/api/v1/programmes/{id}",
        &["get", "put", "patch", "delete"],
    ),
    ("/api/v1/programmes/{id}/archive", &["post"]),
    ("/api/v1/programmes/{id}/worker-words", &["get", "put"]),
    ("/api/v1/programmes/{id}/restore", &["post"]),
    ("/api/v1/programmes/{id}/districts", &["get", "post"]),
    ("/api/v1/districts/{id}", &["get", "put", "patch"]),
    ("/api/v1/districts/{id}/archive", &["post"]),
    ("/api/v1/districts/{id}/restore", &["post"]),
    ("/api/v1/session", &["get"]),
    ("/api/v1/account/totp", &["post"]),
    ("/api/v1/account/totp/confirm", &["post"]),
    ("/api/v1/mothers", &["get", "post"]),
    ("/api/v1/mothers/{id}", &["get", "put", "patch"]),
    ("/api/v1/mothers/{id}/status", &["post"]),
    ("/api/v1/mothers/{id}/invitation", &["post"]),
    ("/api/v1/my/visits", &["post"]),
    ("/api/v1/courses", &["get", "post"]),
    ("/api/v1/courses/{id}", &["get", "put", "patch"]),
    ("/api/v1/courses/{id}/modules", &["get", "post"]),
    ("/api/v1/modules/{id}", &["put", "patch", "delete"]),
    ("/api/v1/courses/{id}/enrolments", &["get", "post"]),
    ("/api/v1/modules/{id}/attendance", &["get", "put"]),
    ("/api/v1/enrolments/{id}/completion", &["post"]),
    ("/api/v1/enrolments/{id}/drop-out", &["post"]),
    ("/api/v1/enrolments/{id}/reopen", &["post"]),
    (
        "/api/v1/programmes/{id}/curriculum/topics",
        &["get", "post"],
    ),
    (
        "/api/v1/programmes/{id}/curriculum/modules",
        &["get", "post"],
    ),
    ("/api/v1/curriculum/modules/{id}", &["delete"]),
    ("/api/v1/families", &["get", "post"]),
    ("/api/v1/families/{id}", &["get", "put", "patch"]),
    ("/api/v1/families/{id}/close", &["post"]),
    ("/api/v1/families/{id}/erase", &["post"]),
    ("/api/v1/families/{id}/consent/withdraw", &["post"]),
    ("/api/v1/families/{id}/export", &["get"]),
    ("/api/v1/families/{id}/access-log", &["get"]),
    ("/api/v1/mothers/{id}/erase", &["post"]),
    ("/api/v1/mothers/{id}/export", &["get"]),
    ("/api/v1/mothers/{id}/access-log", &["get"]),
    ("/api/v1/access-log", &["get"]),
    ("/api/v1/retention", &["get"]),
    ("/api/v1/imports/{kind}", &["post"]),
    ("/api/v1/users", &["get", "post"]),
    ("/api/v1/courses/{id}/completions", &["post"]),
    ("/api/v1/users/{id}", &["get", "patch"]),
    ("/api/v1/users/{id}/deactivate", &["post"]),
    ("/api/v1/users/{id}/activate", &["post"]),
    ("/api/v1/visits", &["get", "post"]),
    ("/api/v1/visits/{id}", &["get", "patch"]),
    ("/api/v1/visits/{id}/void", &["post"]),
    ("/api/v1/visits/{id}/restore", &["post"]),
    ("/api/v1/visits/{id}/review", &["post"]),
    ("/api/v1/referrals", &["get"]),
    ("/api/v1/referrals/{id}/done", &["post"]),
    ("/api/v1/referrals/{id}", &["patch"]),
    ("/api/v1/programmes/{id}/topics", &["get", "post"]),
    ("/api/v1/topics/{id}", &["put", "patch"]),
    ("/api/v1/topics/{id}/retire", &["post"]),
    ("/api/v1/topics/{id}/restore", &["post"]),
    ("/api/v1/programmes/{id}/visit-plan", &["get", "put"]),
    ("/api/v1/programmes/{id}/participants", &["get", "post"]),
    ("/api/v1/participants/{id}", &["get", "patch", "delete"]),
    ("/api/v1/events/{id}/participants", &["get", "put"]),
    ("/api/v1/programmes/{id}/partnerships", &["get", "post"]),
    ("/api/v1/partnerships/{id}", &["get", "patch", "delete"]),
    ("/api/v1/programmes/{id}/questionnaires", &["get", "post"]),
    ("/api/v1/questionnaires/{id}", &["get", "patch", "delete"]),
    ("/api/v1/questionnaires/{id}/responses", &["get", "post"]),
    ("/api/v1/programmes/{id}/profile", &["get", "put"]),
    ("/api/v1/reports/profile", &["get"]),
    ("/api/v1/programmes/{id}/services", &["get", "post"]),
    ("/api/v1/services/{id}", &["patch"]),
    ("/api/v1/services/{id}/retire", &["post"]),
    ("/api/v1/services/{id}/restore", &["post"]),
    ("/api/v1/programmes/{id}/event-kinds", &["get", "post"]),
    ("/api/v1/event-kinds/{id}", &["patch"]),
    ("/api/v1/event-kinds/{id}/retire", &["post"]),
    ("/api/v1/event-kinds/{id}/restore", &["post"]),
    ("/api/v1/events", &["get", "post"]),
    ("/api/v1/events/{id}", &["get", "patch", "delete"]),
    ("/api/v1/funders", &["get", "post"]),
    ("/api/v1/funders/{id}", &["get", "put", "patch"]),
    ("/api/v1/grants", &["get", "post"]),
    ("/api/v1/grants/{id}", &["get", "put", "patch"]),
    ("/api/v1/expenses", &["get", "post"]),
    ("/api/v1/expenses/{id}", &["get", "put", "patch"]),
    ("/api/v1/allowance-runs", &["post"]),
    ("/api/v1/reports/yearly", &["get"]),
    ("/api/v1/reports/compare", &["get"]),
    ("/api/v1/grants/{id}/report", &["get"]),
    ("/api/v1/programmes/{id}/allowance-runs/{month}", &["get"]),
    (
        "/api/v1/programmes/{id}/allowance-runs/{month}/confirm",
        &["post"],
    ),
    ("/api/v1/audit", &["get"]),
];

#[tokio::test]
async fn the_document_lists_every_api_route_with_schemas() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in ROUTES {
        for m in *methods {
            let op = &paths
                .get(*path)
                .unwrap_or_else(|| panic!("{path} missing from the document"))[m];
            assert!(op.is_object(), "{m} {path} missing from the document");
            assert!(op["responses"].is_object(), "{m} {path} has no responses");
            if *m == "post" || *m == "put" {
                let body_less = path.ends_with("/archive")
                    || path.ends_with("/restore")
                    || path.ends_with("/retire")
                    || path.ends_with("/confirm")
                    || path.ends_with("/invitation")
                    || path.ends_with("/totp")
                    || path.ends_with("/review")
                    || path.ends_with("/activate")
                    || path.ends_with("/deactivate");
                assert!(
                    body_less || op["requestBody"].is_object(),
                    "{m} {path} has no request body schema"
                );
            }
        }
    }
    // ...and documents nothing that is not a route.
    let documented: Vec<&String> = paths.keys().filter(|p| p.starts_with("/api/")).collect();
    for p in documented {
        assert!(
            ROUTES.iter().any(|(r, _)| r == p),
            "{p} is documented but not listed in ROUTES"
        );
    }
    for schema in [
        "Programme",
        "ProgrammeInput",
        "District",
        "DistrictInput",
        "ErrorResponse",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
}

/// Every `$ref` in the document names a schema it has, and every value
/// stored as text with a CHECK (statuses, kinds, categories) is a string
/// enum of its stored values.
#[tokio::test]
async fn every_schema_reference_resolves_and_enums_list_their_values() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in &refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(schemas.contains_key(name), "{r} is not in the document");
    }
    for (name, values) in [
        (
            "MotherStatus",
            &[
                "applicant",
                "in_training",
                "certified",
                "active",
                "paused",
                "left",
            ][..],
        ),
        ("Gender", &["female", "male", "diverse", "undisclosed"]),
        ("FamilyStatus", &["active", "closed"]),
        (
            "VisitKind",
            &["home_visit", "phone", "accompaniment", "group_meeting"],
        ),
        ("ReferralStatus", &["open", "done", "not_taken_up"]),
        (
            "ExpenseCategory",
            &[
                "allowances",
                "training",
                "coordination",
                "interpreters",
                "events",
                "materials",
                "other",
            ],
        ),
        ("AttendanceStatus", &["present", "absent", "excused"]),
    ] {
        let s = &schemas
            .get(name)
            .unwrap_or_else(|| panic!("schema {name} missing"));
        assert_eq!(s["type"], "string", "{name}: {s}");
        assert_eq!(s["enum"], serde_json::json!(values), "{name}: {s}");
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(x, out),
                }
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// JSON routes may only be added through `OpenApiRouter::routes` (which puts
/// them into the document); a plain `.route("/api/...")` would bypass it.
#[test]
fn no_api_route_bypasses_the_document() {
    let mut offenders = Vec::new();
    visit(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
        &mut |file, text| {
            for (n, line) in text.lines().enumerate() {
                let l = line.trim();
                if l.contains(".route(\"/api/") && !l.contains("\"/api/v1/openapi.json\"") {
                    offenders.push(format!("{}:{}: {l}", file.display(), n + 1));
                }
            }
        },
    );
    assert!(
        offenders.is_empty(),
        "routes outside the OpenAPI router: {offenders:#?}"
    );
}

/// Calls `f` with every `.rs` file under `dir`.
pub fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            visit(&p, f);
        } else if p.extension().is_some_and(|x| x == "rs" || x == "html") {
            let text = std::fs::read_to_string(&p).expect("read file");
            f(&p, &text);
        }
    }
}

/// The request schemas say what a client must send: required fields,
/// choices as enums, ids as int64, dates as dates, and the bounds.
#[tokio::test]
async fn request_schemas_name_required_fields_enums_formats_and_bounds() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    let s = &doc["components"]["schemas"];
    let required = |schema: &str| -> Vec<String> {
        s[schema]["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} lists no required fields"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let visit = &s["VisitInput"]["properties"];
    for f in [
        "mother_id",
        "visited_on",
        "duration_minutes",
        "kind",
        "topic_ids",
    ] {
        assert!(required("VisitInput").contains(&f.to_owned()), "{f}");
    }
    assert_eq!(visit["mother_id"]["type"], "integer");
    assert_eq!(visit["mother_id"]["format"], "int64");
    assert_eq!(visit["visited_on"]["format"], "date");
    assert_eq!(visit["duration_minutes"]["minimum"], 1);
    assert_eq!(visit["duration_minutes"]["maximum"], 1440);
    assert_eq!(
        visit["kind"]["oneOf"][0]["$ref"],
        "#/components/schemas/VisitKind"
    );
    assert_eq!(visit["topic_ids"]["items"]["format"], "int64");
    for (schema, field, choice) in [
        ("MotherInput", "gender", "Gender"),
        ("MotherInput", "engagement", "Engagement"),
        ("FamilyInput", "contact_origin", "ContactOrigin"),
        ("FunderInput", "kind", "FunderKind"),
        ("GrantInput", "status", "GrantStatus"),
        ("ExpenseInput", "category", "ExpenseCategory"),
        ("OutcomeInput", "status", "ReferralStatus"),
        ("StatusInput", "status", "MotherStatus"),
    ] {
        assert_eq!(
            s[schema]["properties"][field]["oneOf"][0]["$ref"],
            format!("#/components/schemas/{choice}"),
            "{schema}.{field}"
        );
        assert!(
            required(schema).contains(&field.to_owned()),
            "{schema}.{field}"
        );
    }
    assert_eq!(
        s["ProgrammeInput"]["properties"]["retention_months"]["maximum"],
        240
    );
    assert_eq!(
        s["FamilyInput"]["properties"]["children_count"]["maximum"],
        30
    );
    // No field shows an empty text as its default.
    for (name, schema) in s.as_object().expect("schemas") {
        if let Some(props) = schema["properties"].as_object() {
            for (f, p) in props {
                assert_ne!(p.get("default"), Some(&json!("")), "{name}.{f}");
            }
        }
    }
    // Every schema's properties are an object (never null), and a PATCH
    // body requires nothing.
    for (name, schema) in s.as_object().expect("schemas") {
        if let Some(p) = schema.get("properties") {
            assert!(p.is_object(), "{name}.properties");
        }
    }
    let patch = &doc["paths"]["/api/v1/mothers/{id}"]["patch"]["requestBody"]["content"]["application/json"]
        ["schema"]["$ref"];
    assert_eq!(patch, "#/components/schemas/MotherInputPatch");
    assert!(s["MotherInputPatch"]["required"].is_null());
    assert!(s["MotherInputPatch"]["properties"]["phone"].is_object());
    // The error body documents its field errors.
    assert!(s["ErrorBody"]["properties"]["field_errors"].is_object());
    assert!(s["FieldError"]["properties"]["allowed"].is_object());
}
