//! Accounts: signing in and out, throttling, CSRF, sessions, one-time
//! passwords, API tokens, admin pages, the audit log, security headers.

use neighbourhood_mothers::auth::Role;
use serde_json::Value;

use crate::harness::{PASSWORD, TestApp, hidden_field, programme_json};

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = TestApp::spawn_anonymous().await;
    let res = app.get("/programmes?archived=true").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/login?next=%2Fprogrammes%3Farchived%3Dtrue"
    );
    let res = app.get("/api/v1/programmes").await;
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unauthenticated");
    // Public: sign-in page, health, API document, stylesheet.
    for path in [
        "/login",
        "/healthz",
        "/api/v1/openapi.json",
        "/static/app.css",
    ] {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    // A POST without a session is 401, not a CSRF answer.
    let res = app
        .post_json("/api/v1/programmes", &programme_json("X"))
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn sign_in_cycles_the_session_and_sign_out_ends_it() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("amina@test.example", Role::Admin, &[])
        .await;
    let mut agent = app.anonymous();

    // The login page stores no session: its CSRF token rides in a signed
    // cookie of its own (see hardening.rs).
    let res = agent.get("/login").await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("nm_login_csrf="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("Path=/login"), "{cookie}");

    // A session id planted before sign-in (fixation) is not kept: here one
    // that another client had until it signed out.
    let mut other = app.anonymous();
    let res = other.sign_in("amina@test.example", PASSWORD).await;
    let before = cookie_value(res.headers()["set-cookie"].to_str().expect("cookie"));
    assert_eq!(other.post_form("/logout", &[]).await.status(), 303);
    agent.jar.add_cookie_str(
        &format!("nm_session={before}; Path=/"),
        &agent.url("/").parse().expect("url"),
    );

    let res = agent.sign_in("AMINA@test.example", PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("nm_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure unless configured");
    let after = cookie_value(&cookie);
    assert_ne!(before, after, "the session id changes at sign-in");

    let session: Value = agent.get_json("/api/v1/session").await;
    assert_eq!(session["user"]["email"], "amina@test.example");
    assert_eq!(session["user"]["role"], "admin");
    assert!(session["user"].get("password_hash").is_none());
    assert_eq!(session["csrf_token"].as_str(), agent.csrf.as_deref());
    // The session lives in the database, valid for 8 hours of inactivity.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM sessions WHERE expiry_date BETWEEN now() + interval '7 hours 59 minutes' \
             AND now() + interval '8 hours 1 minute'"
        )
        .await,
        1
    );

    // Signing out destroys the session: the old cookie no longer works.
    let res = agent.post_form("/logout", &[]).await;
    assert_eq!(res.status(), 303);
    let res = reqwest::Client::new()
        .get(agent.url("/api/v1/session"))
        .header("cookie", format!("nm_session={after}"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action IN ('login', 'logout')")
            .await,
        4
    );
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("cookie value")
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("lena@test.example", Role::Manager, &[])
        .await;
    let mut a = app.anonymous();
    let wrong = a.sign_in("lena@test.example", "not the password").await;
    let status_wrong = wrong.status();
    let text_wrong = wrong.text().await.expect("text");
    let mut b = app.anonymous();
    let unknown = b.sign_in("nobody@test.example", "not the password").await;
    assert_eq!(status_wrong, 401);
    assert_eq!(unknown.status(), status_wrong);
    let text_unknown = unknown.text().await.expect("text");
    let message = "The email or the password is wrong.";
    assert!(text_wrong.contains(message) && text_unknown.contains(message));
    // The typed email is kept, the password is not.
    assert!(text_unknown.contains("value=\"nobody@test.example\""));
    assert!(!text_unknown.contains("not the password"));
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'login_failed'")
            .await,
        2
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_and_the_address_for_15_minutes() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("maja@test.example", Role::Trainer, &[])
        .await;
    app.create_user("omar@test.example", Role::Trainer, &[])
        .await;

    // A success resets the count: 4 failures, a success, 4 failures.
    for _ in 0..4 {
        let mut a = app.anonymous();
        assert_eq!(
            a.sign_in("maja@test.example", "wrong password!")
                .await
                .status(),
            401
        );
    }
    let mut ok = app.anonymous();
    assert_eq!(
        ok.sign_in("maja@test.example", PASSWORD).await.status(),
        303
    );
    for _ in 0..4 {
        let mut a = app.anonymous();
        assert_eq!(
            a.sign_in("maja@test.example", "wrong password!")
                .await
                .status(),
            401
        );
    }
    // The 5th failure in a row locks.
    let mut a = app.anonymous();
    let res = a.sign_in("maja@test.example", "wrong password!").await;
    assert_eq!(res.status(), 429);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("blocked for 15 minutes")
    );
    // Even the right password is refused now, for this account...
    let mut a = app.anonymous();
    let res = a.sign_in("maja@test.example", PASSWORD).await;
    assert_eq!(res.status(), 429);
    // ...and for any account from this address.
    let mut b = app.anonymous();
    assert_eq!(b.sign_in("omar@test.example", PASSWORD).await.status(), 429);
    assert!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'lockout'")
            .await
            >= 1
    );

    // 15 minutes later it opens again.
    app.sql("UPDATE login_attempts SET occurred_at = occurred_at - interval '16 minutes'")
        .await;
    let mut a = app.anonymous();
    assert_eq!(a.sign_in("maja@test.example", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn forged_requests_change_nothing() {
    let app = TestApp::spawn().await;
    let count = "SELECT count(*) FROM programmes";

    // A session but no token (what a cross-site form would send).
    let res = app
        .bare
        .post(app.url("/api/v1/programmes"))
        .json(&programme_json("Forged"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "csrf_failed");

    // A wrong token.
    let res = app
        .bare
        .post(app.url("/api/v1/programmes"))
        .header("x-csrf-token", "wrong")
        .json(&programme_json("Forged"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);

    // The right token from another site's page.
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/programmes"))
            .header(header, value)
            .json(&programme_json("Forged"))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 403, "{header}: {value}");
    }

    // An HTML form without the field, and with a wrong one.
    let fields = [
        ("name", "Forged"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("currency", "EUR"),
        ("default_language", "de"),
        ("start_date", "2010-01-01"),
    ];
    let res = app
        .bare
        .post(app.url("/programmes"))
        .form(&fields)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);
    let mut with_wrong = fields.to_vec();
    with_wrong.push(("csrf_token", "wrong"));
    let res = app
        .bare
        .post(app.url("/programmes"))
        .form(&with_wrong)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);
    assert_eq!(app.count(count).await, 0, "nothing was created");

    // The same requests with the token go through: form field and header,
    // and a same-origin Origin header is fine.
    let res = app.post_form("/programmes", &fields).await;
    assert_eq!(res.status(), 303);
    let res = app
        .client
        .post(app.url("/api/v1/programmes"))
        .header("origin", app.url(""))
        .header("sec-fetch-site", "same-origin")
        .json(&programme_json("Genuine"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    assert_eq!(app.count(count).await, 2);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_and_tokens_at_once() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Wedding").await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let id = coordinator.user_id.expect("id");
    assert_eq!(coordinator.get("/api/v1/programmes").await.status(), 200);

    // An API token for the same user.
    let html = app
        .post_form(
            "/admin/tokens",
            &[("user_id", &id.to_string()), ("label", "import")],
        )
        .await
        .text()
        .await
        .expect("text");
    let token = token_in(&html);
    let with_token = || {
        reqwest::Client::new()
            .get(app.url("/api/v1/programmes"))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(with_token().await.expect("send").status(), 200);

    let res = app
        .post_form(&format!("/admin/users/{id}/deactivate"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(coordinator.get("/api/v1/programmes").await.status(), 401);
    assert_eq!(with_token().await.expect("send").status(), 401);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE action = 'deactivate' AND entity_id = {id}"
        ))
        .await,
        1
    );
    // Signing in is refused with the usual answer.
    let mut again = app.anonymous();
    assert_eq!(
        again.sign_in(&coordinator.email, PASSWORD).await.status(),
        401
    );

    // An admin cannot deactivate themselves.
    let me = app.user_id.expect("admin id");
    let res = app
        .post_form(&format!("/admin/users/{me}/deactivate"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.get("/api/v1/session").await.status(), 200);
}

fn token_in(html: &str) -> String {
    let start = html.find("<code>").expect("code") + 6;
    html[start..start + html[start..].find("</code>").expect("end")].to_owned()
}

#[tokio::test]
async fn a_reset_password_must_be_changed_at_the_next_sign_in() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Odense").await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let id = trainer.user_id.expect("id");

    let html = app
        .post_form(&format!("/admin/users/{id}/reset-password"), &[])
        .await
        .text()
        .await
        .expect("text");
    let one_time = token_in(&html);
    assert_eq!(one_time.len(), 16);
    // The old session has ended.
    assert_eq!(trainer.get("/api/v1/session").await.status(), 401);
    // The one-time password is stored only as a hash and never logged.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE changes::text LIKE '%{one_time}%' \
             OR changes::text LIKE '%argon2%'"
        ))
        .await,
        0
    );

    let email = trainer.email.clone();
    let mut again = app.anonymous();
    let res = again.sign_in(&email, &one_time).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/account");
    // Everything else waits for the new password.
    let res = again.get("/programmes").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/account");
    let res = again.get("/api/v1/programmes").await;
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "password_change_required");

    // Too common, mismatched, wrong current password: refused, with reasons.
    let res = again
        .post_form(
            "/account/password",
            &[
                ("current", &one_time),
                ("new", "password12345"),
                ("confirm", "password12345"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("too common"));
    let res = again
        .post_form(
            "/account/password",
            &[
                ("current", &one_time),
                ("new", "Fjord-Laterne-Kiez-99"),
                ("confirm", "other"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = again
        .post_form(
            "/account/password",
            &[
                ("current", "nope"),
                ("new", "Fjord-Laterne-Kiez-99"),
                ("confirm", "Fjord-Laterne-Kiez-99"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = again
        .post_form(
            "/account/password",
            &[
                ("current", &one_time),
                ("new", "Fjord-Laterne-Kiez-99"),
                ("confirm", "Fjord-Laterne-Kiez-99"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // This session goes on; the programme pages open.
    assert_eq!(again.get("/programmes").await.status(), 200);
    let mut fresh = app.anonymous();
    assert_eq!(
        fresh
            .sign_in(&email, "Fjord-Laterne-Kiez-99")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("sara@test.example", Role::Admin, &[]).await;
    let mut one = app.anonymous();
    let mut two = app.anonymous();
    assert_eq!(
        one.sign_in("sara@test.example", PASSWORD).await.status(),
        303
    );
    assert_eq!(
        two.sign_in("sara@test.example", PASSWORD).await.status(),
        303
    );
    let res = one
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "Neue-Laterne-Kiez-2025"),
                ("confirm", "Neue-Laterne-Kiez-2025"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(one.get("/api/v1/session").await.status(), 200);
    assert_eq!(two.get("/api/v1/session").await.status(), 401);

    // The language setting: a known one is saved, an unknown one refused.
    let res = one
        .post_form("/account/language", &[("language", "en")])
        .await;
    assert_eq!(res.status(), 303);
    let session: Value = one.get_json("/api/v1/session").await;
    assert_eq!(session["user"]["language"], "en");
    let res = one
        .post_form("/account/language", &[("language", "xx")])
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn an_expired_session_is_not_accepted_and_is_deleted() {
    let app = TestApp::spawn().await;
    app.sql("UPDATE sessions SET expiry_date = now() - interval '1 second'")
        .await;
    assert_eq!(app.get("/api/v1/session").await.status(), 401);
    let store = neighbourhood_mothers::auth::session_store::DieselStore::new(
        neighbourhood_mothers::db::pool(&app.app_url, 1, std::time::Duration::from_secs(60))
            .expect("pool"),
        neighbourhood_mothers::clock::Clock::system(),
    );
    assert!(store.delete_expired().await.expect("delete") >= 1);
    assert_eq!(
        app.count("SELECT count(*) FROM sessions WHERE expiry_date < now()")
            .await,
        0
    );
}

#[tokio::test]
async fn api_tokens_act_for_their_user_on_the_api_only() {
    let app = TestApp::spawn().await;
    let me = app.user_id.expect("id").to_string();
    let res = app
        .post_form("/admin/tokens", &[("user_id", &me), ("label", "")])
        .await;
    assert_eq!(res.status(), 422);
    let html = app
        .post_form(
            "/admin/tokens",
            &[("user_id", &me), ("label", "paper forms")],
        )
        .await
        .text()
        .await
        .expect("text");
    let token = token_in(&html);
    assert!(token.starts_with("nm_"));
    // Stored hashed only.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
    let api = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    // No CSRF token needed with a bearer token.
    let res = api
        .post(app.url("/api/v1/programmes"))
        .bearer_auth(&token)
        .json(&programme_json("Via token"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    // Not for pages, and not a wrong token.
    let res = api
        .get(app.url("/programmes"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    let res = api
        .get(app.url("/api/v1/programmes"))
        .bearer_auth("nm_wrong")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    // Revoked: refused.
    let tid = app.count("SELECT max(id) FROM api_tokens").await;
    let res = app
        .post_form(&format!("/admin/tokens/{tid}/revoke"), &[])
        .await;
    assert_eq!(res.status(), 303);
    let res = api
        .get(app.url("/api/v1/programmes"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    let list = app.get("/admin/tokens").await.text().await.expect("text");
    assert!(list.contains("paper forms") && list.contains("revoked"));
    assert!(!list.contains(&token));
}

#[tokio::test]
async fn admins_manage_users_with_clear_errors() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Moabit").await;
    let pid = p.to_string();
    assert_eq!(app.get("/admin/users").await.status(), 200);
    assert_eq!(app.get("/admin/users/new").await.status(), 200);

    // Invalid: errors beside the fields, input kept.
    let res = app
        .post_form(
            "/admin/users",
            &[
                ("display_name", "Hatice"),
                ("email", "not-an-email"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(html.contains("Enter an email address"));
    assert!(html.contains("Choose at least one programme."));
    assert!(html.contains("value=\"Hatice\""));

    // Valid: the one-time password is shown once.
    let res = app
        .post_form(
            "/admin/users",
            &[
                ("display_name", "Hatice"),
                ("email", "hatice@test.example"),
                ("role", "coordinator"),
                ("programme_ids", &pid),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("text");
    let one_time = token_in(&html);
    assert!(html.contains("shown only now"));
    let mut hatice = app.anonymous();
    assert_eq!(
        hatice
            .sign_in("hatice@test.example", &one_time)
            .await
            .status(),
        303
    );

    // Duplicate email (any case).
    let res = app
        .post_form(
            "/admin/users",
            &[
                ("display_name", "H2"),
                ("email", "HATICE@test.example"),
                ("role", "coordinator"),
                ("programme_ids", &pid),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("already has this email")
    );

    // Edit: role and programmes; an unknown programme is an error.
    let id = app
        .count("SELECT id FROM users WHERE email = 'hatice@test.example'")
        .await;
    assert_eq!(app.get(&format!("/admin/users/{id}")).await.status(), 200);
    let res = app
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("display_name", "Hatice K."),
                ("email", "hatice@test.example"),
                ("role", "manager"),
                ("programme_ids", "99999"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("display_name", "Hatice K."),
                ("email", "hatice@test.example"),
                ("role", "manager"),
                ("programme_ids", &pid),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let session: Value = hatice.get_json("/api/v1/session").await;
    assert_eq!(session["user"]["role"], "manager");
    assert_eq!(session["user"]["display_name"], "Hatice K.");

    // An admin cannot drop their own admin role.
    let me = app.user_id.expect("id");
    let res = app
        .post_form(
            &format!("/admin/users/{me}"),
            &[
                ("display_name", "Admin"),
                ("email", "admin@test.example"),
                ("role", "manager"),
                ("programme_ids", &pid),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);

    // The log has the changes, never a password hash.
    let log: Value = app
        .get_json(&format!("/api/v1/audit?entity=user&user={me}"))
        .await;
    let text = log.to_string();
    assert!(
        text.contains("\"role\":{\"new\":\"manager\",\"old\":\"coordinator\"}"),
        "{text}"
    );
    assert!(!text.contains("argon2") && !text.contains("password_hash"));
}

#[tokio::test]
async fn the_audit_log_filters_by_user_entity_and_date() {
    let app = TestApp::spawn().await;
    app.programme("Bydelsmødre Aalborg").await;
    let me = app.user_id.expect("id");
    let all: Value = app.get_json("/api/v1/audit").await;
    assert!(all["total"].as_i64().expect("total") >= 3, "{all}");
    let programmes: Value = app.get_json("/api/v1/audit?entity=programme").await;
    assert_eq!(programmes["total"], 1);
    assert_eq!(programmes["items"][0]["action"], "create");
    assert_eq!(programmes["items"][0]["actor_id"], me);
    assert_eq!(programmes["items"][0]["actor_name"], "admin");
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().expect("date");
    let none: Value = app
        .get_json(&format!("/api/v1/audit?from={tomorrow}"))
        .await;
    assert_eq!(none["total"], 0);
    let some: Value = app
        .get_json(&format!("/api/v1/audit?from={today}&to={today}&user={me}"))
        .await;
    assert!(some["total"].as_i64().expect("total") >= 2);
    let res = app.get("/api/v1/audit?from=yesterday").await;
    assert_eq!(res.status(), 422);

    let html = app
        .get("/admin/audit?entity=programme")
        .await
        .text()
        .await
        .expect("text");
    assert!(html.contains("Bydelsmødre Aalborg"));
    assert!(html.contains("1 entries"));
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/programmes",
        "/login",
        "/api/v1/programmes",
        "/healthz",
        "/nowhere",
        "/static/app.css",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert!(csp.contains("default-src 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let body = res.text().await.expect("text");
        assert!(
            !body.contains("panicked") && !body.contains("SELECT "),
            "{path}"
        );
    }
    // The login page is a real form with the CSRF field.
    let anon = app.anonymous();
    let html = anon.get("/login").await.text().await.expect("text");
    assert!(hidden_field(&html, "csrf_token").is_some_and(|t| t.len() >= 32));
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = TestApp::spawn_with(neighbourhood_mothers::app::Settings {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let res = app.get("/login").await;
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
}
