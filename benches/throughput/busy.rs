//! A busy office, for `throughput`: failed sign-ins in bursts (the memory
//! they cost) and many signed-in browser sessions mixing pages and visit
//! forms (cookies and CSRF, as a browser sends them).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{EMAIL, PASSWORD, load};

/// A browser-like client: cookies, no redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The sign-in form's CSRF token.
async fn login_token(client: &reqwest::Client, url: &str) -> String {
    let html = client
        .get(format!("{url}/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("text");
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf token")
        .to_owned()
}

/// `bursts` bursts of `size` failed sign-ins at once, each for another
/// (unknown) account from another address (the server trusts
/// X-Forwarded-For here), so that every one is really hashed rather than
/// refused by the lockout. Returns how many answered 401.
pub async fn failed_sign_ins(url: &str, bursts: usize, size: usize) -> usize {
    let mut refused = 0;
    for b in 0..bursts {
        let tries = (0..size).map(|i| {
            let url = url.to_owned();
            async move {
                let client = browser();
                let token = login_token(&client, &url).await;
                let n = b * size + i;
                client
                    .post(format!("{url}/login"))
                    .header(
                        "x-forwarded-for",
                        format!("10.9.{}.{}", n / 250, n % 250 + 1),
                    )
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("email", format!("nobody{n}@example.org").as_str()),
                        ("password", "not the password at all"),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        });
        refused += futures_util::future::join_all(tries)
            .await
            .into_iter()
            .filter(|s| *s == 401)
            .count();
    }
    refused
}

/// A signed-in browser session and its CSRF token.
async fn session(url: &str) -> (reqwest::Client, String) {
    let client = browser();
    let token = login_token(&client, url).await;
    let res = client
        .post(format!("{url}/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), 303, "signed in");
    let info: serde_json::Value = client
        .get(format!("{url}/api/v1/session"))
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("json");
    let csrf = info["csrf_token"].as_str().expect("csrf").to_owned();
    (client, csrf)
}

/// What the mixed load measured.
pub struct Mix {
    pub rps: f64,
    pub latencies: Vec<f64>,
    pub server_errors: usize,
    pub other_failures: usize,
}

/// `sessions` signed-in browsers for `seconds`, each request one of: the
/// visit list, a mother's profile, the visit form, the family list, or a
/// visit posted through the form.
pub async fn mixed_sessions(
    url: &str,
    sessions: usize,
    seconds: u64,
    mothers: Arc<Vec<i64>>,
) -> Mix {
    let mut browsers = Vec::new();
    for _ in 0..sessions {
        browsers.push(session(url).await);
    }
    let browsers = Arc::new(browsers);
    let server_errors = Arc::new(AtomicUsize::new(0));
    let errors = server_errors.clone();
    let url = url.to_owned();
    let today = chrono::Local::now().date_naive();
    let (rps, latencies, failed) = load(sessions, seconds, move |c, n| {
        let (client, csrf) = browsers[c].clone();
        let url = url.clone();
        let mother = mothers[(c * 7919 + n as usize * 104_729) % mothers.len()];
        let errors = errors.clone();
        async move {
            let req = match n % 5 {
                0 => client.get(format!("{url}/visits")),
                1 => client.get(format!("{url}/mothers/{mother}")),
                2 => client.get(format!("{url}/visits/new?mother={mother}")),
                3 => client.get(format!("{url}/families")),
                _ => {
                    let day =
                        today - chrono::Duration::days(((c as i64) * 31 + n as i64) % 365 + 1);
                    client.post(format!("{url}/visits")).form(&[
                        ("csrf_token", csrf.as_str()),
                        ("mother_id", mother.to_string().as_str()),
                        ("visited_on", day.to_string().as_str()),
                        ("duration_minutes", "45"),
                        ("kind", "home_visit"),
                        ("topic_ids", "1"),
                        ("topic_ids", "2"),
                        ("confirm_duplicate", "true"),
                    ])
                }
            };
            match req.send().await {
                Ok(r) if r.status().is_server_error() => {
                    errors.fetch_add(1, Ordering::Relaxed);
                    false
                }
                Ok(r) if r.status().is_success() || r.status().is_redirection() => {
                    r.bytes().await.is_ok()
                }
                _ => false,
            }
        }
    })
    .await;
    let server_errors = server_errors.load(Ordering::Relaxed);
    Mix {
        rps,
        latencies,
        server_errors,
        other_failures: failed - server_errors,
    }
}
