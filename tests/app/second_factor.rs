//! A second factor (issue 21, point 1): one-time passwords any user can
//! turn on, computed here as an authenticator app would; the sign-in's
//! code step (each code once, recovery codes once, the lockout); and the
//! roles that must have it, by default beyond a loopback address.

use chrono::{DateTime, Utc};
use neighbourhood_mothers::app::Settings;
use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::clock::Clock;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::harness::{Agent, PASSWORD, TestApp, expect_json};

/// The code an authenticator app shows at `at` for the base32 `secret`.
fn code_at(secret: &str, at: DateTime<Utc>) -> String {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("base32 secret");
    let t = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    t.generate(at.timestamp() as u64)
}

/// Turns the second factor on for the signed-in `agent` through the API;
/// the secret and the recovery codes.
async fn turn_on(agent: &Agent, clock: &Clock) -> (String, Vec<String>) {
    let setup = expect_json(
        agent.post_json("/api/v1/account/totp", &json!({})).await,
        200,
    )
    .await;
    let secret = setup["secret"].as_str().expect("secret").to_owned();
    let uri = setup["uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/Neighbourhood%20mothers:"),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    let confirmed = expect_json(
        agent
            .post_json(
                "/api/v1/account/totp/confirm",
                &json!({"code": code_at(&secret, clock.now())}),
            )
            .await,
        200,
    )
    .await;
    let codes: Vec<String> = confirmed["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (secret, codes)
}

fn later(clock: &Clock, seconds: i64) {
    clock.set(clock.now() + chrono::Duration::seconds(seconds));
}

#[tokio::test]
async fn a_code_after_the_password_each_code_once_recovery_codes_once() {
    let clock = Clock::fixed(Utc::now());
    let app = TestApp::spawn_with(Settings {
        clock: clock.clone(),
        ..Settings::default()
    })
    .await;
    let mut agent = app.with_user(Role::Coordinator, &[]).await;
    let amina = agent.email.clone();

    // A wrong first code leaves it off.
    let res = agent.post_json("/api/v1/account/totp", &json!({})).await;
    let secret = expect_json(res, 200).await["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let wrong = expect_json(
        agent
            .post_json("/api/v1/account/totp/confirm", &json!({"code": "000000"}))
            .await,
        422,
    )
    .await;
    assert!(wrong["error"]["fields"]["code"].is_string(), "{wrong}");
    let me = agent.get_json("/api/v1/session").await;
    assert_eq!(me["user"]["second_factor"], false);
    // Each setup has its own secret; the first one's code does not turn on
    // the second.
    let (secret2, codes) = turn_on(&agent, &clock).await;
    assert_ne!(secret, secret2);
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'),
        "{codes:?}"
    );
    let me = agent.get_json("/api/v1/session").await;
    assert_eq!(me["user"]["second_factor"], true);
    let res = agent.post_json("/api/v1/account/totp", &json!({})).await;
    assert_eq!(res.status(), 409, "on already");
    let html = agent.get("/account").await.text().await.expect("page");
    assert!(
        html.contains("second factor turned on"),
        "a security event: {html}"
    );
    assert!(html.contains("signing in asks for a code"), "{html}");
    assert!(!html.contains(&secret2), "the secret is not shown again");

    // Signing in now takes the password and then a code.
    assert_eq!(agent.post_form("/logout", &[]).await.status(), 303);
    let res = agent.sign_in(&amina, PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login/code");
    assert_eq!(agent.get("/api/v1/session").await.status(), 401, "not yet");
    assert_eq!(agent.get("/").await.status(), 303, "not yet");
    // The code the setup used does not work again (same time step).
    let used = code_at(&secret2, clock.now());
    let res = agent.enter_code(&used).await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.expect("page").contains("not right"));
    later(&clock, 30);
    let res = agent.enter_code(&code_at(&secret2, clock.now())).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/");
    assert_eq!(agent.get("/api/v1/session").await.status(), 200);

    // A recovery code works once, typed any way.
    assert_eq!(agent.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(agent.sign_in(&amina, PASSWORD).await.status(), 303);
    let typed = codes[3].to_lowercase().replace('-', " ");
    assert_eq!(agent.enter_code(&typed).await.status(), 303);
    let html = agent
        .get("/account/second-factor")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("You have 9 recovery codes left"), "{html}");
    assert_eq!(agent.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(agent.sign_in(&amina, PASSWORD).await.status(), 303);
    assert_eq!(agent.enter_code(&codes[3]).await.status(), 401, "used");

    // Wrong codes count as failed sign-ins: the fifth locks the account,
    // and then even the right code waits.
    for _ in 0..3 {
        assert_eq!(agent.enter_code("123456").await.status(), 401);
    }
    assert_eq!(agent.enter_code("654321").await.status(), 429);
    later(&clock, 30);
    let res = agent.enter_code(&code_at(&secret2, clock.now())).await;
    assert_eq!(res.status(), 429);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE action = 'login_failed' \
             AND changes->>'step' = 'second_factor'"
        )
        .await,
        6
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_events WHERE action = 'lockout'")
            .await,
        1
    );

    // The code step waits five minutes for its code. (A quarter of an hour
    // on: the lockout of the address is over too.)
    later(&clock, 16 * 60);
    let mut other = app.with_user(Role::Coordinator, &[]).await;
    let berna_email = other.email.clone();
    let (berna, _) = turn_on(&other, &clock).await;
    assert_eq!(other.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(other.sign_in(&berna_email, PASSWORD).await.status(), 303);
    later(&clock, 5 * 60 + 30);
    let res = other.enter_code(&code_at(&berna, clock.now())).await;
    assert_eq!(res.headers()["location"], "/login", "too late");
    assert_eq!(other.get("/api/v1/session").await.status(), 401);

    // Turning it off takes the password.
    assert_eq!(other.sign_in(&berna_email, PASSWORD).await.status(), 303);
    later(&clock, 30);
    assert_eq!(
        other
            .enter_code(&code_at(&berna, clock.now()))
            .await
            .status(),
        303
    );
    let res = other
        .post_form("/account/second-factor/off", &[("password", "wrong")])
        .await;
    assert_eq!(res.status(), 422);
    let res = other
        .post_form("/account/second-factor/off", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(other.post_form("/logout", &[]).await.status(), 303);
    let res = other.sign_in(&berna_email, PASSWORD).await;
    assert_eq!(res.headers()["location"], "/", "the password alone again");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id \
             WHERE u.email = '{berna_email}'"
        ))
        .await,
        0
    );

    // A lost phone: an administrator's password reset turns it off too.
    let amina = app
        .count(&format!("SELECT id FROM users WHERE email = '{amina}'"))
        .await;
    neighbourhood_mothers::auth::ops::set_password(
        &mut app.conn().await,
        None,
        neighbourhood_mothers::ids::UserId(amina),
        "not a real hash",
        true,
    )
    .await
    .expect("reset");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM users WHERE id = {amina} AND totp_on_at IS NULL AND totp_secret IS NULL"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn beyond_loopback_administrators_and_managers_must_set_it_up() {
    let clock = Clock::fixed(Utc::now());
    let app = TestApp::spawn_with(Settings {
        clock: clock.clone(),
        beyond_loopback: true,
        ..Settings::default()
    })
    .await;
    // The coordinator need not.
    let cora = app.with_user(Role::Coordinator, &[]).await;
    assert_eq!(cora.get("/").await.status(), 200);

    // The manager and the administrator are led to the setup, pages and
    // API alike (a 403 that says why).
    let mona = app.with_user(Role::Manager, &[]).await;
    let res = mona.get("/programmes").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/account/second-factor");
    let err = expect_json(mona.get("/api/v1/programmes").await, 403).await;
    assert_eq!(err["error"]["code"], "second_factor_required");
    let ines = app.with_user(Role::Admin, &[]).await;
    assert_eq!(ines.get("/admin/tokens").await.status(), 303);

    // The setup page: the QR code drawn here, the key to type, the form.
    let html = ines
        .get("/account/second-factor")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("<svg class=\"qr\""), "{html}");
    assert!(html.contains("Set it up now to go on"), "{html}");
    let secret = html
        .split("class=\"secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the key")
        .to_owned();
    // A wrong code: the error beside the field, nothing turned on.
    let res = ines
        .post_form("/account/second-factor", &[("code", "000000")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("page");
    assert!(html.contains("id=\"code-error\""), "{html}");
    assert!(html.contains(&secret), "the same setup: {html}");
    let res = ines
        .post_form(
            "/account/second-factor",
            &[("code", &code_at(&secret, clock.now()))],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("page");
    assert!(html.contains("Your recovery codes"), "{html}");
    assert_eq!(html.matches("<li><code>").count(), 10, "{html}");
    // Now she gets on, and an API token made by her passed both factors.
    assert_eq!(ines.get("/admin/tokens").await.status(), 200);
    let me = ines.user_id.expect("id").to_string();
    let res = ines
        .post_form("/admin/tokens", &[("user_id", &me), ("label", "sync")])
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    // She cannot turn it off: her role must have it.
    let res = ines
        .post_form("/account/second-factor/off", &[("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), 422);

    // The administrator makes it required of coordinators too, and no
    // longer of managers.
    let res = ines
        .post_form(
            "/admin/second-factor",
            &[("required", "admin"), ("required", "coordinator")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = ines
        .get("/admin/second-factor")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("value=\"coordinator\" checked"), "{html}");
    assert!(!html.contains("value=\"manager\" checked"), "{html}");
    let res = cora.get("/").await;
    assert_eq!(res.headers()["location"], "/account/second-factor");
    assert_eq!(mona.get("/programmes").await.status(), 200);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_events WHERE entity = 'second_factor_roles' AND action = 'update'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn on_a_loopback_trial_it_is_offered_not_required() {
    let app = TestApp::spawn_anonymous().await;
    let ines = app.with_user(Role::Admin, &[]).await;
    assert_eq!(ines.get("/admin/tokens").await.status(), 200);
    let html = ines.get("/account").await.text().await.expect("page");
    assert!(html.contains("/account/second-factor"), "offered: {html}");
    let html = ines
        .get("/admin/second-factor")
        .await
        .text()
        .await
        .expect("page");
    assert!(!html.contains("checked"), "none required: {html}");
    let session: Value = ines.get_json("/api/v1/session").await;
    assert_eq!(session["user"]["second_factor"], false);
}

#[tokio::test]
async fn the_secret_is_sealed_and_one_stored_before_still_works() {
    let clock = Clock::fixed(Utc::now());
    let app = TestApp::spawn_with(Settings {
        clock: clock.clone(),
        ..Settings::default()
    })
    .await;
    let mut agent = app.with_user(Role::Coordinator, &[]).await;
    let email = agent.email.clone();
    let (secret, _) = turn_on(&agent, &clock).await;
    let raw = Secret::Encoded(secret.clone())
        .to_bytes()
        .expect("base32 secret");
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    // Sealed (`crypto`): neither the bytes nor their hex are in the row.
    let sealed = format!(
        "SELECT count(*) FROM users WHERE email = '{email}' \
         AND substring(totp_secret FROM 1 FOR 6) = '\\x000100000001'::bytea \
         AND position(decode('{hex}', 'hex') IN totp_secret) = 0 \
         AND position(convert_to('{hex}', 'UTF8') IN totp_secret) = 0"
    );
    assert_eq!(app.count(&sealed).await, 1);

    // As a version before encryption stored it: the bytes themselves.
    app.sql(&format!(
        "UPDATE users SET totp_secret = decode('{hex}', 'hex') WHERE email = '{email}'"
    ))
    .await;
    assert_eq!(agent.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(agent.sign_in(&email, PASSWORD).await.status(), 303);
    later(&clock, 30);
    let res = agent.enter_code(&code_at(&secret, clock.now())).await;
    assert_eq!(res.status(), 303, "the secret stored before still works");

    // The pass at the server's start seals it.
    let mut conn = app.conn().await;
    let done = neighbourhood_mothers::crypto::reseal::run(&mut conn)
        .await
        .expect("reseal");
    assert!(done.values >= 1 && done.unreadable == 0, "{done:?}");
    assert_eq!(app.count(&sealed).await, 1);
    assert_eq!(agent.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(agent.sign_in(&email, PASSWORD).await.status(), 303);
    later(&clock, 30);
    let res = agent.enter_code(&code_at(&secret, clock.now())).await;
    assert_eq!(res.status(), 303, "and works sealed");
}
