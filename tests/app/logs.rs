//! What stays out of the server's log (issue 21, point 5): a real server
//! process logging at every level of every crate (`LOG_LEVEL=trace`) is
//! signed in to, refused a password, given a mother and a named family, a
//! visit with a note, a duplicate account and an invitation link; its log
//! holds none of the personal values, the password, the token, the
//! session id, the CSRF token or the code.

use std::process::Stdio;

use reqwest::cookie::CookieStore;
use serde_json::{Value, json};

use crate::external::{EMAIL, PASSWORD, admin_with_token, fresh_primary, run, serve_with};
use crate::harness::{Agent, programme_json};

#[tokio::test]
async fn the_log_holds_no_personal_value_secret_or_code() {
    let (root, _primary, url) = fresh_primary("logs").await;
    run(&["migrate"], &url, None).await;
    let token = admin_with_token(&url).await;
    let log_path = root.0.join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let (server, base) = serve_with(&url, None, "trace", Stdio::from(log)).await;
    let api = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        api.post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let created = |res: reqwest::Response| async move {
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id")
    };

    // The personal values (and what is secret) of this test.
    let wrong_password = "Falsches-Passwort-Rollberg-11";
    let mother_name = "Hatice Kocaoğlu-Protokoll";
    let mother_phone = "+49 30 5550 1987";
    let family_name = "Familie Zeynep Yıldırım-Protokoll";
    let address = "Weichselstraße 77 Hinterhaus";
    let family_phone = "0176 5550 4321";
    let note = "Vertrauliche Notiz über die Aufenthaltsfrage";
    let duplicate_email = "doppelt-protokoll@example.org";
    let code = "Qx7Rk2Vm9Lp4Zt8Wn3Hs6Jd";

    // A browser: a refused password, then signed in.
    let mut browser = Agent::new(base.clone());
    assert_eq!(browser.sign_in(EMAIL, wrong_password).await.status(), 401);
    assert_eq!(browser.sign_in(EMAIL, PASSWORD).await.status(), 303);
    let csrf = browser.csrf.clone().expect("csrf token");
    let session_id = browser
        .jar
        .cookies(&base.parse().expect("url"))
        .and_then(|c| {
            c.to_str()
                .ok()?
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("nm_session="))
                .map(str::to_owned)
        })
        .expect("session id");

    // Through the API: a programme, a mother, a named family, a visit with
    // a note; a second account with an email already taken.
    let p = created(
        post("/api/v1/programmes", programme_json("Neukölln"))
            .await
            .expect("p"),
    )
    .await;
    let m = created(
        post(
            "/api/v1/mothers",
            json!({"programme_id": p, "full_name": mother_name, "phone": mother_phone,
                   "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"}),
        )
        .await
        .expect("mother"),
    )
    .await;
    let res = post(
        &format!("/api/v1/mothers/{m}/status"),
        json!({"status": "active", "changed_on": "2020-01-01"}),
    )
    .await
    .expect("status");
    assert_eq!(res.status(), 200);
    let f = created(
        post(
            "/api/v1/families",
            json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2024-02-01",
                   "consent_on": "2024-02-01", "name": family_name, "address": address,
                   "phone": family_phone}),
        )
        .await
        .expect("family"),
    )
    .await;
    created(
        post(
            "/api/v1/visits",
            json!({"mother_id": m, "family_id": f, "visited_on": "2024-03-01",
                   "duration_minutes": 60, "kind": "home_visit", "topic_ids": [1],
                   "note": note}),
        )
        .await
        .expect("visit"),
    )
    .await;
    for expected in [201, 422] {
        let res = post(
            "/api/v1/users",
            json!({"email": duplicate_email, "display_name": "Doppelt", "role": "coordinator",
                   "programme_ids": [p]}),
        )
        .await
        .expect("user");
        assert_eq!(res.status().as_u16(), expected);
    }
    // The family in the browser (list, search, page), and an invitation link.
    for path in [
        format!("/families/{f}"),
        format!("/families?q={}", family_name.replace(' ', "+")),
        format!("/join/{code}"),
    ] {
        let status = browser.get(&path).await.status();
        assert!(
            status.is_success() || status.is_client_error(),
            "{path}: {status}"
        );
    }
    assert_eq!(browser.post_form("/logout", &[]).await.status(), 303);
    drop(server);
    // The server was killed on drop; give its last lines a moment.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(log.contains("response"), "the log has lines: {log}");
    assert!(
        log.contains("DEBUG") && log.contains("TRACE"),
        "every level"
    );
    for (what, value) in [
        ("the password", PASSWORD),
        ("the refused password", wrong_password),
        ("the API token", token.as_str()),
        ("the session id", session_id.as_str()),
        ("the CSRF token", csrf.as_str()),
        ("the invitation code", code),
        ("the mother's name", mother_name),
        ("the mother's phone", mother_phone),
        ("the family's name", family_name),
        (
            "the family's name, in a URL",
            &family_name.replace(' ', "+"),
        ),
        ("the address", address),
        ("the family's phone", family_phone),
        ("the visit's note", note),
        ("an account's email", duplicate_email),
        ("the administrator's email", EMAIL),
    ] {
        let line = log.lines().find(|l| l.contains(value));
        assert!(line.is_none(), "{what} is in the log: {line:?}");
    }
}
