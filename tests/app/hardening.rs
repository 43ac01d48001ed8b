//! Holding a busy day: no request needs two pooled connections, guesses
//! in parallel cannot beat the lockout, anonymous visitors store nothing,
//! redirects stay on this site, hostile input changes nothing, tokens end
//! with their owner's password, and no request runs for ever.

use std::time::Duration;

use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use neighbourhood_mothers::app::Settings;
use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, PASSWORD, TestApp, hidden_field, programme_json};

/// The sign-in form's CSRF token for a fresh anonymous client.
async fn login_token(agent: &Agent) -> String {
    let html = agent.get("/login").await.text().await.expect("page");
    hidden_field(&html, "csrf_token").expect("csrf_token")
}

#[tokio::test]
async fn with_two_connections_32_page_loads_and_32_sign_ins_all_answer() {
    let mut app = TestApp::spawn_with_pool(Settings::default(), 2).await;
    app.create_user("busy@test.example", Role::Admin, &[]).await;
    assert_eq!(
        app.sign_in("busy@test.example", PASSWORD).await.status(),
        303
    );
    // 32 people of one office (one address) signing in at nine.
    for i in 0..32 {
        app.create_user(&format!("colleague{i}@test.example"), Role::Admin, &[])
            .await;
    }

    // 32 signed-in page loads at once: each loads the session (one
    // connection) and the user (another, after the first is back).
    let loads = (0..32).map(|i| {
        let path = if i % 2 == 0 {
            "/programmes"
        } else {
            "/api/v1/programmes"
        };
        app.get(path)
    });
    let statuses: Vec<u16> = join_all(loads)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    // 32 sign-ins at once (each its own client and CSRF cookie).
    let mut agents = Vec::new();
    for _ in 0..32 {
        let agent = app.anonymous();
        let token = login_token(&agent).await;
        agents.push((agent, token));
    }
    let sign_ins = agents.iter().enumerate().map(|(i, (agent, token))| {
        agent
            .bare
            .post(agent.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", format!("colleague{i}@test.example").as_str()),
                ("password", PASSWORD),
            ])
            .send()
    });
    let statuses: Vec<u16> = join_all(sign_ins)
        .await
        .into_iter()
        .map(|r| r.expect("answer").status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 33);
}

#[tokio::test]
async fn twenty_parallel_guesses_verify_at_most_five_passwords() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("target@test.example", Role::Admin, &[])
        .await;
    let mut agents = Vec::new();
    for _ in 0..20 {
        let agent = app.anonymous();
        let token = login_token(&agent).await;
        agents.push((agent, token));
    }
    let guesses = agents.iter().enumerate().map(|(i, (agent, token))| {
        let guess = format!("wrong guess number {i}");
        let token = token.clone();
        async move {
            agent
                .bare
                .post(agent.url("/login"))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("email", "target@test.example"),
                    ("password", guess.as_str()),
                ])
                .send()
                .await
                .expect("answer")
                .status()
                .as_u16()
        }
    });
    let statuses = join_all(guesses).await;
    let refused = statuses.iter().filter(|s| **s == 429).count();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    // The fifth failure answers 429 (the lockout starts with it).
    assert!(
        checked + statuses.iter().filter(|s| **s == 429).count() == 20,
        "{statuses:?}"
    );
    assert!(refused >= 15, "{statuses:?}");
    let verified = app
        .count("SELECT count(*) FROM audit_events WHERE action = 'login_failed'")
        .await;
    assert!(
        verified <= 5,
        "{verified} passwords were verified: {statuses:?}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM login_attempts WHERE outcome = 'failure'")
            .await,
        verified
    );
    // The right password is refused too while the lockout lasts.
    let mut owner = app.anonymous();
    assert_eq!(
        owner
            .sign_in("target@test.example", PASSWORD)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn anonymous_visitors_store_nothing_and_the_sign_in_form_is_still_protected() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("amina@test.example", Role::Admin, &[])
        .await;
    for _ in 0..50 {
        let res = app.anonymous().get("/login").await;
        assert_eq!(res.status(), 200);
    }
    // Signed-out visitors sent to sign in from a page write nothing either.
    assert_eq!(app.anonymous().get("/programmes").await.status(), 303);
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);

    // Without the cookie, or with a token that does not match it: refused.
    let agent = app.anonymous();
    let token = login_token(&agent).await;
    let stranger = app.anonymous();
    let res = stranger
        .bare
        .post(stranger.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "amina@test.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 403, "a token without its cookie");
    let res = agent
        .bare
        .post(agent.url("/login"))
        .form(&[
            ("csrf_token", "0".repeat(64).as_str()),
            ("email", "amina@test.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 403, "a cookie with another token");
    // A failed sign-in stores no session; a successful one stores one.
    let mut agent = app.anonymous();
    assert_eq!(
        agent
            .sign_in("amina@test.example", "not it at all")
            .await
            .status(),
        401
    );
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);
    assert_eq!(
        agent.sign_in("amina@test.example", PASSWORD).await.status(),
        303
    );
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn sign_in_redirects_stay_on_this_site() {
    let app = TestApp::spawn().await;
    for next in [
        "%2F%09%2Fevil.example",
        "/%0A/x",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
    ] {
        let res = app.get(&format!("/login?next={next}")).await;
        assert_eq!(res.status(), 303, "{next}");
        assert_eq!(res.headers()["location"], "/", "{next}");
    }
    let res = app.get("/login?next=%2Fvisits%3Fpage%3D2").await;
    assert_eq!(res.headers()["location"], "/visits?page=2");

    // The form's hidden field is cleaned too, and so is the posted value.
    app.create_user("second@test.example", Role::Admin, &[])
        .await;
    let agent = app.anonymous();
    let html = agent
        .get("/login?next=%2F%09%2Fevil.example")
        .await
        .text()
        .await
        .expect("page");
    assert!(!html.contains("evil.example"), "{html}");
    let token = hidden_field(&html, "csrf_token").expect("token");
    let res = agent
        .bare
        .post(agent.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "second@test.example"),
            ("password", PASSWORD),
            ("next", "/\t/evil.example"),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/");
}

#[tokio::test]
async fn control_characters_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let before = app.count("SELECT count(*) FROM programmes").await;
    for bad in ["Nord\u{0}Süd", "Nord\u{1b}[31m", "a\u{7f}"] {
        let res = app
            .post_json("/api/v1/programmes", &programme_json(bad))
            .await;
        assert_eq!(res.status(), 400, "{bad:?}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "control_character", "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .expect("message")
                .contains("name"),
            "{body}"
        );
    }
    // In a nested key of the body too.
    let res = app
        .post_json(
            "/api/v1/programmes",
            &json!({"name": "x", "extra": {"a\u{0}": 1}}),
        )
        .await;
    assert_eq!(res.status(), 400);
    // A form field and a query parameter.
    let res = app
        .post_form(
            "/programmes",
            &[("name", "Nord\u{0}"), ("city", "Berlin"), ("country", "DE")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("page");
    assert!(html.contains("not allowed"), "{html}");
    let res = app.get("/api/v1/audit?entity=x%00y").await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("SELECT count(*) FROM programmes").await, before);

    // Tabs and line breaks are text like any other.
    let res = app
        .post_json(
            "/api/v1/programmes",
            &json!({"name": "Tab\tand line", "city": "Berlin", "country": "DE",
                    "currency": "EUR", "default_language": "de",
                    "start_date": "2010-01-01", "description": "one\r\ntwo\tthree"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{:?}", res.text().await);
}

/// Creates a token for `user_id` through the admin page; returns it.
async fn admin_token(app: &TestApp, user_id: i64, expires_on: &str) -> String {
    let res = app
        .post_form(
            "/admin/tokens",
            &[
                ("user_id", &user_id.to_string()),
                ("label", "import"),
                ("expires_on", expires_on),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("page");
    let start = html.find("<code>").expect("code") + 6;
    html[start..start + html[start..].find("</code>").expect("end")].to_owned()
}

async fn with_token(app: &TestApp, token: &str) -> u16 {
    reqwest::Client::new()
        .get(app.url("/api/v1/programmes"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

#[tokio::test]
async fn tokens_end_with_their_owners_password_and_on_their_last_day() {
    let app = TestApp::spawn().await;
    let p = app
        .post_json("/api/v1/programmes", &programme_json("Nord"))
        .await;
    let p = p.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let id = coordinator.user_id.expect("id");

    // A password change ends the tokens.
    let token = admin_token(&app, id, "").await;
    assert_eq!(with_token(&app, &token).await, 200);
    let new_password = "Another-Kettle-Rollberg-58";
    let res = coordinator
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", new_password),
                ("confirm", new_password),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(with_token(&app, &token).await, 401);

    // So does an administrator's reset.
    let token = admin_token(&app, id, "").await;
    assert_eq!(with_token(&app, &token).await, 200);
    let res = app
        .post_form(&format!("/admin/users/{id}/reset-password"), &[])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(with_token(&app, &token).await, 401);
    assert_eq!(
        app.count("SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL")
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE entity = 'api_token' AND action = 'revoke'"
        )
        .await,
        2
    );

    // A token with a last day works until that day has passed.
    let me = app.user_id.expect("admin id");
    let token = admin_token(&app, me, "2999-12-31").await;
    let list = app.get("/admin/tokens").await.text().await.expect("page");
    assert!(
        list.contains(">31 Dec 2999</td>"),
        "the last day is listed: {list}"
    );
    assert_eq!(with_token(&app, &token).await, 200);
    app.sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL")
        .await;
    assert_eq!(with_token(&app, &token).await, 401);
    // A last day in the past or not a date: the form again, with the message.
    for (day, message) in [
        ("2001-01-01", "cannot be in the past"),
        ("soon", "YYYY-MM-DD"),
    ] {
        let res = app
            .post_form(
                "/admin/tokens",
                &[
                    ("user_id", &me.to_string()),
                    ("label", "x"),
                    ("expires_on", day),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let html = res.text().await.expect("page");
        assert!(html.contains(message), "{html}");
        assert!(html.contains(&format!("value=\"{day}\"")), "input kept");
    }
}

/// Holds an exclusive lock on the programmes table (the programme list
/// waits for it) until the connection is dropped.
async fn lock_programmes(app: &TestApp) -> diesel_async::AsyncPgConnection {
    let mut blocker = app.conn().await;
    for sql in ["BEGIN", "LOCK TABLE programmes IN ACCESS EXCLUSIVE MODE"] {
        diesel::sql_query(sql)
            .execute(&mut blocker)
            .await
            .expect("lock");
    }
    blocker
}

#[tokio::test]
async fn a_request_that_runs_too_long_is_answered_503() {
    let settings = Settings {
        request_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let app = TestApp::spawn_signed_in(settings).await;
    let blocker = lock_programmes(&app).await;
    let res = app.get("/api/v1/programmes").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "timed_out");
    let res = app.get("/programmes").await;
    assert_eq!(res.status(), 503);
    assert!(res.text().await.expect("page").contains("took too long"));
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server goes on"
    );
    // The cut requests' statements do not wait on in the database (they
    // would until the lock is released): the pool's statement timeout is
    // the request time limit.
    let waiting = "SELECT count(*) FROM pg_stat_activity \
                   WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let mut left = app.count(waiting).await;
    for _ in 0..50 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = app.count(waiting).await;
    }
    assert_eq!(left, 0, "statements of cut requests still wait");
    drop(blocker);
    assert_eq!(app.get("/api/v1/programmes").await.status(), 200);
}

#[tokio::test]
async fn shutdown_cuts_requests_still_running_at_its_deadline() {
    let settings = Settings {
        shutdown_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let mut app = TestApp::spawn_signed_in(settings).await;
    let blocker = lock_programmes(&app).await;
    let slow = {
        let client = app.client.clone();
        let url = app.url("/api/v1/programmes");
        tokio::spawn(async move { client.get(url).send().await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = app.shut_down();
    // The request would wait 60 s for the lock (the request time limit).
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(stopped.is_ok(), "the server stops at its deadline");
    slow.abort();
    drop(blocker);
}
