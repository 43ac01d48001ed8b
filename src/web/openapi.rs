//! The statuses every operation can answer besides its own, added to the
//! OpenAPI document once, from what the operation takes (a body, a path
//! id, query parameters) and the permission its rule asks: each with the
//! error schema. An operation still documents its own 409s (and any
//! answer particular to it) with its `#[utoipa::path]`.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

use crate::authz::policy::{Permission, Rule};

/// The error answers an operation can give, by what it takes.
fn standard(
    op: &Value,
    path: &str,
    permission: Option<Permission>,
) -> Vec<(&'static str, &'static str)> {
    let has_body = op.get("requestBody").is_some();
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let has_query = params.iter().any(|p| p["in"] == "query");
    let mut out = Vec::new();
    if has_body || !params.is_empty() {
        out.push((
            "400",
            "The request could not be read: malformed JSON, a body that is not JSON, \
             a path or query value of the wrong type, or a control character in a text.",
        ));
    }
    if permission != Some(Permission::Public) {
        out.push(("401", "Not signed in: no session and no valid API token."));
        out.push((
            "403",
            "The caller's role may not do this (or, with a session, the CSRF token is missing).",
        ));
    }
    if path.contains('{') {
        out.push((
            "404",
            "No such record, or one the caller may not see (another programme's).",
        ));
    }
    if has_body {
        out.push(("413", "The body is larger than this operation takes."));
    }
    if has_body || has_query {
        out.push((
            "422",
            "Field errors: `fields` names each field with a message, `field_errors` adds \
             a machine-readable code and, for a choice, the values allowed.",
        ));
    }
    out.push((
        "503",
        "The database does not answer, or the request took too long: try again.",
    ));
    out
}

/// The document as served: every operation with its standard error
/// answers. (As JSON: utoipa's types do not read back every schema they
/// write.)
pub fn complete(doc: &OpenApi, rules: &[Rule]) -> Value {
    let Ok(mut v) = serde_json::to_value(doc) else {
        return json!({});
    };
    let error =
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}});
    if let Some(paths) = v["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if !matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                    continue;
                }
                let permission = rules
                    .iter()
                    .find(|r| r.path == *path && r.method.as_str().eq_ignore_ascii_case(method))
                    .map(|r| r.permission);
                let answers = standard(op, path, permission);
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                for (status, description) in answers {
                    let r = responses
                        .entry(status)
                        .or_insert_with(|| json!({"description": description}));
                    if r.get("content").is_none() {
                        r["content"] = error.clone();
                    }
                }
            }
        }
    }
    drop_empty_defaults(&mut v);
    partial_patches(&mut v);
    v
}

/// A PATCH sends only the fields it changes: its body is the input's
/// schema with no field required (`<Input>Patch`), not the PUT's.
fn partial_patches(v: &mut Value) {
    let mut wanted = Vec::new();
    if let Some(paths) = v.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(schema) = item
                .get_mut("patch")
                .and_then(|op| op.pointer_mut("/requestBody/content/application~1json/schema"))
            else {
                continue;
            };
            let Some(name) = schema["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_owned)
            else {
                continue;
            };
            *schema = json!({"$ref": format!("#/components/schemas/{name}Patch")});
            wanted.push(name);
        }
    }
    let Some(schemas) = v
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for name in wanted {
        if let Some(mut s) = schemas.get(&name).cloned() {
            if let Some(o) = s.as_object_mut() {
                o.remove("required");
            }
            schemas.insert(format!("{name}Patch"), s);
        }
    }
}

/// Input schemas read with `#[serde(default)]` show each field's Rust
/// default, an empty text even for a number, a date or a choice: a
/// required field has no default, and an empty text is no default.
fn drop_empty_defaults(v: &mut Value) {
    let Some(schemas) = v["components"]["schemas"].as_object_mut() else {
        return;
    };
    for schema in schemas.values_mut() {
        let required: Vec<String> = schema["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, prop) in props.iter_mut() {
            let Some(p) = prop.as_object_mut() else {
                continue;
            };
            if required.contains(name) || p.get("default") == Some(&json!("")) {
                p.remove("default");
            }
        }
    }
}
