//! The embedded PostgreSQL is supervised: killed, it is started again and
//! no accepted write is lost; with several servers on one data folder it
//! stays available when the one that started it stops, and nothing is left
//! running once the last one stops.

use std::path::Path;
use std::time::{Duration, Instant};

use neighbourhood_mothers::db::local::running_postmaster;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Value, json};
use tokio::process::Child;

use crate::cli::{DataDir, admin_token, start_server, stop};

/// What the task promises: healthy again within this, untouched.
const RECOVERY: Duration = Duration::from_secs(15);

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn create_programme(url: &str, token: &str, name: &str) {
    let res = client()
        .post(format!("{url}/api/v1/programmes"))
        .bearer_auth(token)
        .json(
            &json!({"name": name, "city": "Berlin", "country": "DE", "currency": "EUR",
                      "default_language": "de", "start_date": "2010-01-01"}),
        )
        .send()
        .await
        .expect("create programme");
    assert_eq!(res.status(), 201, "{name}");
}

async fn programme_names(url: &str, token: &str) -> Vec<String> {
    let list: Value = client()
        .get(format!("{url}/api/v1/programmes"))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let mut names: Vec<String> = list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

async fn healthz(url: &str) -> Option<u16> {
    client()
        .get(format!("{url}/healthz"))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// Polls `/healthz` until it answers 200 on a postmaster other than `old`;
/// returns how long that took and whether a 503 was seen meanwhile.
async fn wait_until_healthy(url: &str, cluster: &Path, old: i32) -> (Duration, bool) {
    let started = Instant::now();
    let mut saw_503 = false;
    loop {
        let status = healthz(url).await;
        saw_503 |= status == Some(503);
        let pm = running_postmaster(cluster);
        if status == Some(200) && pm.is_some() && pm != Some(old) {
            return (started.elapsed(), saw_503);
        }
        assert!(
            started.elapsed() < RECOVERY,
            "not healthy {}s after PostgreSQL went away (healthz {status:?}, postmaster {pm:?})",
            RECOVERY.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn assert_running(server: &mut Child) {
    assert!(
        server.try_wait().expect("try_wait").is_none(),
        "the server exited"
    );
}

#[tokio::test]
async fn a_killed_postgres_is_started_again_and_keeps_every_write() {
    let data = DataDir::new("sup-kill");
    let cluster = data.0.join("postgres");
    let (mut server, url, _) = start_server(&data.0).await;
    let token = admin_token(&data.0, "ines@example.org", "ines@example.org").await;
    let mut written = Vec::new();
    for i in 1..=5 {
        let name = format!("Stadtteilmütter {i}");
        create_programme(&url, &token, &name).await;
        written.push(name);
    }

    let postmaster = running_postmaster(&cluster).expect("postgres runs");
    kill(Pid::from_raw(postmaster), Signal::SIGKILL).expect("kill -9 the postmaster");
    let (took, saw_503) = wait_until_healthy(&url, &cluster, postmaster).await;
    eprintln!(
        "healthy again {} ms after kill -9 (503 seen meanwhile: {saw_503})",
        took.as_millis()
    );
    assert_running(&mut server);

    // Every write the server accepted before the crash is still there, and
    // it takes new ones.
    assert_eq!(programme_names(&url, &token).await, written);
    create_programme(&url, &token, "Stadtteilmütter 6").await;
    written.push("Stadtteilmütter 6".to_owned());
    assert_eq!(programme_names(&url, &token).await, written);

    // The restarted postmaster is this server's: it stops with it.
    let restarted = running_postmaster(&cluster).expect("postgres runs");
    stop(server).await;
    assert_eq!(running_postmaster(&cluster), None);
    assert!(
        !Path::new(&format!("/proc/{restarted}")).exists(),
        "postgres (pid {restarted}) outlived the server"
    );
}

#[tokio::test]
async fn with_two_servers_the_second_carries_on_when_the_first_stops() {
    let data = DataDir::new("sup-two");
    let cluster = data.0.join("postgres");
    let (first, first_url, _) = start_server(&data.0).await;
    let postmaster = running_postmaster(&cluster).expect("postgres runs");
    let (mut second, url, _) = start_server(&data.0).await;
    assert_ne!(first_url, url);
    // The second attached to the running cluster.
    assert_eq!(running_postmaster(&cluster), Some(postmaster));
    let token = admin_token(&data.0, "ines@example.org", "ines@example.org").await;
    create_programme(&first_url, &token, "Bydelsmødre Odense").await;
    create_programme(&url, &token, "Bydelsmødre Vejle").await;

    // The first one, which started PostgreSQL, stops (and with it its
    // postmaster); the second starts it again by itself.
    stop(first).await;
    let (took, _) = wait_until_healthy(&url, &cluster, postmaster).await;
    eprintln!(
        "the second server was healthy again {} ms after the first stopped",
        took.as_millis()
    );
    assert_running(&mut second);
    create_programme(&url, &token, "Bydelsmødre Kolding").await;
    assert_eq!(
        programme_names(&url, &token).await,
        [
            "Bydelsmødre Kolding",
            "Bydelsmødre Odense",
            "Bydelsmødre Vejle"
        ]
    );

    // The last one stops: nothing is left running.
    let restarted = running_postmaster(&cluster).expect("postgres runs");
    stop(second).await;
    assert_eq!(running_postmaster(&cluster), None);
    assert!(
        !Path::new(&format!("/proc/{restarted}")).exists(),
        "postgres (pid {restarted}) outlived the last server"
    );
}
