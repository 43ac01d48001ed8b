//! Sessions and cookies safe by default (issue 21, point 2): `__Host-`
//! and Secure with HSTS wherever cookies are secure, an absolute lifetime
//! besides the idle one, and the account's recent security events.

use std::time::Duration;

use neighbourhood_mothers::app::Settings;
use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::clock::Clock;
use reqwest::redirect::Policy;

use crate::harness::{PASSWORD, TestApp, hidden_field};

/// A client that keeps no cookies and follows no redirects: the test
/// sends the cookies itself (a cookie jar would keep Secure cookies from
/// a plain-HTTP test server to itself).
fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// `name=value` of the first cookie in a `Set-Cookie` header.
fn pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default()
}

/// Signs in through the form by hand; the response of the POST.
async fn sign_in_by_hand(app: &TestApp, email: &str) -> reqwest::Response {
    let client = plain();
    let res = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let nonce = pair(res.headers()["set-cookie"].to_str().expect("cookie")).to_owned();
    let html = res.text().await.expect("html");
    let token = hidden_field(&html, "csrf_token").expect("token");
    client
        .post(app.url("/login"))
        .header("cookie", nonce)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("sign in")
}

#[tokio::test]
async fn secure_cookies_are_host_prefixed_and_come_with_hsts() {
    let app = TestApp::spawn_with(Settings {
        secure_cookies: true,
        ..Settings::default()
    })
    .await;
    app.create_user("amina@test.example", Role::Admin, &[])
        .await;
    let res = sign_in_by_hand(&app, "amina@test.example").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("nm_session="))
        .expect("session cookie")
        .to_owned();
    // `__Host-`: Secure, the whole site, no Domain.
    assert!(cookie.starts_with("__Host-nm_session="), "{cookie}");
    for part in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    // The prefixed cookie is the session.
    let me = plain()
        .get(app.url("/api/v1/session"))
        .header("cookie", pair(&cookie))
        .send()
        .await
        .expect("session");
    assert_eq!(me.status(), 200);
    let unprefixed = pair(&cookie).trim_start_matches("__Host-").to_owned();
    let res = plain()
        .get(app.url("/api/v1/session"))
        .header("cookie", unprefixed)
        .send()
        .await
        .expect("session");
    assert_eq!(res.status(), 401, "the plain name is not the session");
    // Every answer says HTTPS only, also a refusal.
    assert!(res.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn plain_cookies_and_no_hsts_on_a_loopback_trial() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("amina@test.example", Role::Admin, &[])
        .await;
    let res = sign_in_by_hand(&app, "amina@test.example").await;
    assert_eq!(res.status(), 303);
    assert!(!res.headers().contains_key("strict-transport-security"));
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.starts_with("nm_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn a_session_ends_at_its_lifetime_however_busy() {
    let clock = Clock::fixed(chrono::Utc::now());
    let start = clock.now();
    let app = TestApp::spawn_with(Settings {
        clock: clock.clone(),
        // Idle time is not what ends it here.
        session_inactivity: time::Duration::hours(48),
        ..Settings::default()
    })
    .await;
    let agent = app.with_user(Role::Admin, &[]).await;
    let at = |h: i64, m: i64| start + chrono::Duration::hours(h) + chrono::Duration::minutes(m);

    // Busy all day: a request every hour.
    for h in 1..12 {
        clock.set(at(h, 0));
        assert_eq!(agent.get("/api/v1/session").await.status(), 200, "{h} h");
    }
    // A password change half-way keeps the session, not a new lifetime.
    clock.set(at(11, 30));
    let res = agent
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "Rollberg-Kiez-Teekanne-74"),
                ("confirm", "Rollberg-Kiez-Teekanne-74"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    clock.set(at(11, 59));
    assert_eq!(agent.get("/api/v1/session").await.status(), 200);
    clock.set(at(12, 1));
    assert_eq!(agent.get("/api/v1/session").await.status(), 401);
    let res = agent.get("/").await;
    assert_eq!(res.status(), 303, "a page leads to the sign-in");

    // Configured shorter, shorter.
    let clock = Clock::fixed(chrono::Utc::now());
    let app = TestApp::spawn_with(Settings {
        clock: clock.clone(),
        session_lifetime: time::Duration::hours(2),
        ..Settings::default()
    })
    .await;
    let agent = app.with_user(Role::Admin, &[]).await;
    clock.set(clock.now() + chrono::Duration::minutes(119));
    assert_eq!(agent.get("/api/v1/session").await.status(), 200);
    clock.set(clock.now() + chrono::Duration::minutes(2));
    assert_eq!(agent.get("/api/v1/session").await.status(), 401);
}

#[tokio::test]
async fn the_account_page_lists_its_recent_security_events() {
    let app = TestApp::spawn_anonymous().await;
    app.create_user("amina@test.example", Role::Coordinator, &[])
        .await;
    app.create_user("berna@test.example", Role::Coordinator, &[])
        .await;
    let mut other = app.anonymous();
    assert_eq!(
        other
            .sign_in("berna@test.example", "wrong password")
            .await
            .status(),
        401
    );

    let mut agent = app.anonymous();
    assert_eq!(
        agent
            .sign_in("amina@test.example", "wrong password")
            .await
            .status(),
        401
    );
    // Time apart, so that the events' order is certain.
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        agent.sign_in("amina@test.example", PASSWORD).await.status(),
        303
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    let res = agent
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "Rollberg-Kiez-Teekanne-74"),
                ("confirm", "Rollberg-Kiez-Teekanne-74"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let html = agent.get("/account").await.text().await.expect("page");
    assert!(html.contains("Recent security events"), "{html}");
    let changed = html.find("password changed").expect("the change");
    let signed_in = html.find("signed in").expect("the sign-in");
    let failed = html.find("sign-in failed").expect("the failure");
    assert!(
        changed < signed_in && signed_in < failed,
        "newest first: {html}"
    );
    assert!(html.contains("127.0.0.1"), "the address: {html}");
    // Only her own: Berna's failed attempt is not hers.
    assert_eq!(html.matches("sign-in failed").count(), 1, "{html}");

    // In her language too.
    let res = agent
        .post_form("/account/language", &[("language", "de")])
        .await;
    assert_eq!(res.status(), 303);
    let html = agent.get("/account").await.text().await.expect("page");
    assert!(html.contains("Letzte Sicherheitsereignisse"), "{html}");
    assert!(html.contains("Anmeldung fehlgeschlagen"), "{html}");
}
