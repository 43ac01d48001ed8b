//! Every role against every route. The table below must list every route
//! of the authorization policy (`auth::policy::RULES`): a route added
//! without a row here fails the test.
//!
//! Expected outcome per role, in the order admin, manager, coordinator,
//! trainer, signed out:
//! - `A` allowed (anything but 401, 403, 404 or a redirect to sign-in),
//! - `F` forbidden (403),
//! - `U` sign-in required (401, or a redirect to `/login?next=...`),
//! - `*` not checked (public routes whose answer depends on the input).
//!
//! A second pass runs the routes on one record with a record of a
//! programme the user does not belong to: 404 for everyone allowed the
//! route but admins.

use std::collections::BTreeSet;

use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::auth::policy::RULES;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::{Agent, PASSWORD, TestApp};

/// (method, route, expected for [admin, manager, coordinator, trainer, anonymous]).
const CASES: &[(&str, &str, &str)] = &[
    ("GET", "/healthz", "AAAAA"),
    ("GET", "/api/v1/openapi.json", "AAAAA"),
    ("GET", "/static/app.css", "AAAAA"),
    ("GET", "/login", "AAAAA"),
    ("GET", "/", "AAAAU"),
    ("GET", "/account", "AAAAU"),
    ("POST", "/account/password", "AAAAU"),
    ("POST", "/account/language", "AAAAU"),
    ("GET", "/api/v1/session", "AAAAU"),
    ("GET", "/programmes", "AAAAU"),
    ("GET", "/programmes/{id}", "AAAAU"),
    ("GET", "/api/v1/programmes", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}", "AAAAU"),
    ("GET", "/api/v1/programmes/{id}/districts", "AAAAU"),
    ("GET", "/api/v1/districts/{id}", "AAAAU"),
    ("GET", "/programmes/new", "AFFFU"),
    ("POST", "/programmes", "AFFFU"),
    ("POST", "/api/v1/programmes", "AFFFU"),
    ("GET", "/programmes/{id}/edit", "AAFFU"),
    ("POST", "/programmes/{id}", "AAFFU"),
    ("POST", "/programmes/{id}/archive", "AAFFU"),
    ("POST", "/programmes/{id}/restore", "AAFFU"),
    ("POST", "/programmes/{id}/districts", "AAFFU"),
    ("GET", "/districts/{id}/edit", "AAFFU"),
    ("POST", "/districts/{id}", "AAFFU"),
    ("POST", "/districts/{id}/archive", "AAFFU"),
    ("POST", "/districts/{id}/restore", "AAFFU"),
    ("PUT", "/api/v1/programmes/{id}", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/archive", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/restore", "AAFFU"),
    ("POST", "/api/v1/programmes/{id}/districts", "AAFFU"),
    ("PUT", "/api/v1/districts/{id}", "AAFFU"),
    ("POST", "/api/v1/districts/{id}/archive", "AAFFU"),
    ("POST", "/api/v1/districts/{id}/restore", "AAFFU"),
    ("POST", "/programmes/{id}/delete", "AFFFU"),
    ("DELETE", "/api/v1/programmes/{id}", "AFFFU"),
    ("GET", "/admin/users", "AFFFU"),
    ("GET", "/admin/users/new", "AFFFU"),
    ("POST", "/admin/users", "AFFFU"),
    ("GET", "/admin/users/{id}", "AFFFU"),
    ("POST", "/admin/users/{id}", "AFFFU"),
    ("POST", "/admin/users/{id}/deactivate", "AFFFU"),
    ("POST", "/admin/users/{id}/activate", "AFFFU"),
    ("POST", "/admin/users/{id}/reset-password", "AFFFU"),
    ("GET", "/admin/tokens", "AFFFU"),
    ("POST", "/admin/tokens", "AFFFU"),
    ("POST", "/admin/tokens/{id}/revoke", "AFFFU"),
    ("GET", "/admin/audit", "AFFFU"),
    ("GET", "/api/v1/audit", "AFFFU"),
    // Run last: they end or replace sessions.
    ("POST", "/logout", "AAAAU"),
    ("POST", "/login", "*****"),
];

/// The ids routes are tried on.
struct Ids {
    programme: i64,
    district: i64,
    user: i64,
    token: i64,
    /// Empty programmes for the two delete routes.
    empty_html: i64,
    empty_api: i64,
}

fn fill(route: &str, method: &str, ids: &Ids) -> String {
    let id = if route.starts_with("/districts/") || route.starts_with("/api/v1/districts/") {
        ids.district
    } else if route.starts_with("/admin/users/") {
        ids.user
    } else if route.starts_with("/admin/tokens/") {
        ids.token
    } else if route == "/programmes/{id}/delete" {
        ids.empty_html
    } else if method == "DELETE" {
        ids.empty_api
    } else {
        ids.programme
    };
    route.replace("{id}", &id.to_string())
}

async fn send(agent: &Agent, method: &str, path: &str) -> Response {
    let is_api = path.starts_with("/api/");
    let method: Method = method.parse().expect("method");
    if method == Method::GET || method == Method::DELETE {
        return agent
            .client
            .request(method, agent.url(path))
            .send()
            .await
            .expect("send");
    }
    if is_api {
        return agent
            .client
            .request(method, agent.url(path))
            .json(&json!({}))
            .send()
            .await
            .expect("send");
    }
    if path == "/login" {
        let email = agent.email.clone();
        return agent
            .post_form("/login", &[("email", &email), ("password", PASSWORD)])
            .await;
    }
    agent.post_form(path, &[]).await
}

fn outcome(res: &Response) -> char {
    let status = res.status().as_u16();
    let to_login = status == 303
        && res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login?next="));
    match status {
        401 => 'U',
        _ if to_login => 'U',
        403 => 'F',
        404 => 'N',
        _ => 'A',
    }
}

#[tokio::test]
async fn every_role_against_every_route() {
    let app = TestApp::spawn().await;
    let mk = |name: &str| {
        json!({"name": name, "city": "Berlin", "country": "DE", "currency": "EUR",
               "default_language": "de", "start_date": "2010-01-01"})
    };
    let mut programme_ids = Vec::new();
    for name in ["Own", "Other", "Empty 1", "Empty 2"] {
        let p: Value = app
            .post_json("/api/v1/programmes", &mk(name))
            .await
            .json()
            .await
            .expect("json");
        programme_ids.push(p["id"].as_i64().expect("id"));
    }
    let (own, other) = (programme_ids[0], programme_ids[1]);
    let mut districts = Vec::new();
    for p in [own, other] {
        let d: Value = app
            .post_json(
                &format!("/api/v1/programmes/{p}/districts"),
                &json!({"name": "Nord"}),
            )
            .await
            .json()
            .await
            .expect("json");
        districts.push(d["id"].as_i64().expect("id"));
    }
    let victim = app
        .create_user("victim@test.example", Role::Coordinator, &[own])
        .await;
    app.sql(&format!(
        "INSERT INTO api_tokens (user_id, label, token_hash) VALUES ({victim}, 'x', '{}')",
        "0".repeat(64)
    ))
    .await;
    let token = app.count("SELECT max(id) FROM api_tokens").await;
    let ids = Ids {
        programme: own,
        district: districts[0],
        user: victim,
        token,
        empty_html: programme_ids[2],
        empty_api: programme_ids[3],
    };
    let other_ids = Ids {
        programme: other,
        district: districts[1],
        ..ids
    };

    let agents: Vec<Agent> = vec![
        app.agent(Role::Admin, &[]).await,
        app.agent(Role::Manager, &[own]).await,
        app.agent(Role::Coordinator, &[own]).await,
        app.agent(Role::Trainer, &[own]).await,
        app.anonymous(),
    ];
    let names = ["admin", "manager", "coordinator", "trainer", "signed out"];

    // The table covers exactly the policy's routes.
    let table: BTreeSet<(String, String)> = CASES
        .iter()
        .map(|(m, r, _)| ((*m).to_owned(), (*r).to_owned()))
        .collect();
    let policy: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|(m, r, _)| (m.to_string(), (*r).to_owned()))
        .collect();
    assert_eq!(
        policy.difference(&table).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes without a row in CASES"
    );
    assert_eq!(
        table.difference(&policy).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "rows in CASES that are not routes"
    );

    let mut failures = Vec::new();
    for (method, route, expected) in CASES {
        let path = fill(route, method, &ids);
        for (i, agent) in agents.iter().enumerate() {
            let want = expected.as_bytes()[i] as char;
            if want == '*' {
                continue;
            }
            let res = send(agent, method, &path).await;
            let got = outcome(&res);
            if got != want {
                failures.push(format!(
                    "{method} {path} as {}: expected {want}, got {got} ({})",
                    names[i],
                    res.status()
                ));
            }
        }
        // Another programme's record: 404 unless admin (or forbidden anyway).
        let is_record_route = route.contains("{id}")
            && (route.contains("/programmes/") || route.contains("/districts/"))
            && !route.ends_with("/delete")
            && *method != "DELETE";
        if is_record_route && *route != "/logout" {
            let path = fill(route, method, &other_ids);
            for (i, agent) in agents.iter().enumerate().take(4) {
                let allowed = expected.as_bytes()[i] == b'A';
                let want = match (i, allowed) {
                    (0, _) => 'A',
                    (_, true) => 'N',
                    (_, false) => 'F',
                };
                let res = send(agent, method, &path).await;
                let got = outcome(&res);
                if got != want {
                    failures.push(format!(
                        "{method} {path} (other programme) as {}: expected {want}, got {got} ({})",
                        names[i],
                        res.status()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // Lists hold only the user's programmes.
    let manager = app.agent(Role::Manager, &[own]).await;
    let list: Value = manager.get_json("/api/v1/programmes").await;
    let seen: Vec<i64> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert_eq!(seen, vec![own]);
}
