//! A real streaming standby (issue 20, point 2): a primary, a copy made
//! from it with `pg_basebackup -R` and streaming from it, and two server
//! processes: `a` reads its reports and lists from the standby, `b` uses
//! the primary alone (it stands for the primary's own figures). With the
//! standby's replay paused, a visit logged on `b` is not yet in `a`'s
//! lists, while the browser that logged a visit on `a` sees its own at
//! once (it reads from the primary for a few seconds after a change);
//! resumed, `a` lists both, and its report, read on the standby (where
//! nothing can be written), equals `b`'s.

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::sql_types::Bool;
use diesel_async::RunQueryDsl;
use neighbourhood_mothers::db::LocalCluster;
use serde_json::{Value, json};

use crate::cli::stop;
use crate::external::{
    EMAIL, PASSWORD, admin_with_token, connect, fast, fresh_primary, num, pg_program, run, serve,
};
use crate::harness::Agent;

#[derive(diesel::QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    v: bool,
}

/// The ids in a page of visits.
fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["id"].as_i64().expect("id"))
        .collect()
}

async fn visits_of(client: &reqwest::Client, url: &str, token: &str, mother: i64) -> Vec<i64> {
    let res = client
        .get(format!("{url}/api/v1/visits?mother={mother}&per_page=100"))
        .bearer_auth(token)
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 200);
    ids(&res.json().await.expect("json"))
}

#[tokio::test]
async fn two_instances_read_from_a_real_streaming_standby() {
    let (root, primary, primary_url) = fresh_primary("standby").await;
    run(
        &[
            "generate",
            "--programmes",
            "2",
            "--districts",
            "4",
            "--mothers",
            "40",
            "--visits",
            "3000",
            "--years",
            "3",
            "--seed",
            "20",
        ],
        &primary_url,
        None,
    )
    .await;
    let token = admin_with_token(&primary_url).await;

    // The standby: a base backup that writes its own standby.signal and
    // primary_conninfo (-R), started like any cluster of ours.
    let standby_dir = root.0.join("standby");
    let socket = primary.conninfo("postgres");
    let host = socket
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("host="))
        .expect("host")
        .trim_matches('\'')
        .to_owned();
    let out = std::process::Command::new(pg_program("pg_basebackup"))
        .arg("-D")
        .arg(&standby_dir)
        .args(["-R", "-X", "stream", "-c", "fast", "-U", "postgres", "-h"])
        .arg(&host)
        .args(["-p", "5432"])
        .output()
        .expect("pg_basebackup");
    assert!(
        out.status.success(),
        "pg_basebackup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(&standby_dir.join("standby.signal")).exists());
    // Our clusters keep their socket in their own folder, so the copy holds
    // the primary's socket lock file: not the standby's to keep.
    let _ = std::fs::remove_file(standby_dir.join(".s.PGSQL.5432.lock"));
    let standby = LocalCluster::start_or_attach(&standby_dir, &fast()).expect("standby");
    let standby_url = standby.conninfo(crate::external::DB);
    let mut on_standby = connect(&standby_url).await;
    let recovering: Flag = diesel::sql_query("SELECT pg_is_in_recovery() AS v")
        .get_result(&mut on_standby)
        .await
        .expect("recovery");
    assert!(recovering.v, "the copy is a standby");
    let mut on_primary = connect(&primary_url).await;
    let senders = num(
        &mut on_primary,
        "SELECT count(*) AS v FROM pg_stat_replication WHERE state = 'streaming'",
    )
    .await;
    assert_eq!(senders, 1, "the standby streams from the primary");

    let reads = format!("{standby_url} application_name=nm_a_reads");
    let (a, a_url) = serve(&primary_url, Some(&reads)).await;
    let (b, b_url) = serve(&primary_url, None).await;
    let client = reqwest::Client::new();
    let mother = num(
        &mut on_primary,
        "SELECT min(id) AS v FROM mothers WHERE status IN ('active', 'certified')",
    )
    .await;
    let topic = num(
        &mut on_primary,
        "SELECT min(id) AS v FROM topics WHERE programme_id IS NULL AND list = 'topic'",
    )
    .await;
    let visit = |day: &str| {
        json!({"mother_id": mother, "visited_on": day, "duration_minutes": 45,
               "kind": "phone", "topic_ids": [topic]})
    };

    // Replay paused: what reaches the primary now stays off the standby.
    diesel::sql_query("SELECT pg_wal_replay_pause()")
        .execute(&mut on_standby)
        .await
        .expect("pause");
    let before = visits_of(&client, &a_url, &token, mother).await;
    let res = client
        .post(format!("{b_url}/api/v1/visits"))
        .bearer_auth(&token)
        .json(&visit("2026-01-05"))
        .send()
        .await
        .expect("log on b");
    assert_eq!(res.status(), 201);
    let from_b = res.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert!(
        visits_of(&client, &b_url, &token, mother)
            .await
            .contains(&from_b)
    );
    assert!(
        !visits_of(&client, &a_url, &token, mother)
            .await
            .contains(&from_b),
        "a's list reads from the paused standby"
    );
    assert_eq!(visits_of(&client, &a_url, &token, mother).await, before);
    // Nor in `a`'s report, which reads there too.
    let total = |base: String| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            client
                .get(format!("{base}/api/v1/reports/yearly?year=2026"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("report")
                .json::<Value>()
                .await
                .expect("json")["visits"]["total"]
                .as_i64()
                .expect("total")
        }
    };
    assert_eq!(
        total(a_url.clone()).await + 1,
        total(b_url.clone()).await,
        "a's report reads from the paused standby"
    );

    // A browser that logs a visit on `a` sees it on its next page: it reads
    // from the primary for a few seconds after a change.
    let mut browser = Agent::new(a_url.clone());
    assert_eq!(browser.sign_in(EMAIL, PASSWORD).await.status(), 303);
    let res = browser
        .post_json("/api/v1/visits", &visit("2026-01-06"))
        .await;
    assert_eq!(res.status(), 201);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or("").starts_with("nm_wrote=1")),
        "a change marks the browser"
    );
    let from_a = res.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let own = browser
        .get_json(&format!("/api/v1/visits?mother={mother}&per_page=100"))
        .await;
    assert!(
        ids(&own).contains(&from_a),
        "the page after a change shows it"
    );
    assert!(
        !visits_of(&client, &a_url, &token, mother)
            .await
            .contains(&from_a),
        "others still read the paused standby"
    );
    let page = browser.get(&format!("/visits?mother={mother}")).await;
    assert_eq!(page.status(), 200);

    // Resumed: the standby catches up, and `a` lists both.
    diesel::sql_query("SELECT pg_wal_replay_resume()")
        .execute(&mut on_standby)
        .await
        .expect("resume");
    let started = Instant::now();
    loop {
        let listed = visits_of(&client, &a_url, &token, mother).await;
        if listed.contains(&from_a) && listed.contains(&from_b) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the standby did not catch up: {listed:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A report through the standby equals the primary's, for a year of the
    // generated data and for the year just written to (once both servers'
    // roll-up workers are done and the standby has replayed it all).
    for year in ["2025", "2026"] {
        let path = format!("/api/v1/reports/yearly?year={year}");
        let started = Instant::now();
        loop {
            let get = |base: String| {
                let client = client.clone();
                let token = token.clone();
                let path = path.clone();
                async move {
                    let res = client
                        .get(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .expect("report");
                    assert_eq!(res.status(), 200, "{path}");
                    res.json::<Value>().await.expect("json")
                }
            };
            let (via_standby, via_primary) = (get(a_url.clone()).await, get(b_url.clone()).await);
            assert!(
                via_primary["visits"]["total"].as_i64().unwrap_or(0) > 0,
                "{via_primary}"
            );
            if via_standby == via_primary {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{year}: standby {via_standby}\nprimary {via_primary}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    // And `a` did read there.
    let used = num(
        &mut on_standby,
        "SELECT count(*) AS v FROM pg_stat_activity WHERE application_name = 'nm_a_reads'",
    )
    .await;
    assert!(used > 0, "a's reads went to the standby");

    stop(a).await;
    stop(b).await;
    drop(on_standby);
    drop(on_primary);
    drop(standby);
    drop(primary);
    drop(root);
}
