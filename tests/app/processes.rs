//! Two server processes on one database behave as one (issue 20, point
//! 3), as two instances behind a load balancer would: a session made on
//! one holds on the other and ends on both; failed sign-ins on both count
//! towards one lockout; one idempotency key saves one visit; one allowance
//! run per month, confirmed once; the retention job run twice at once
//! erases each person once; and the roll-up workers of both leave counts
//! equal to the plain aggregates.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cli::stop;
use crate::external::{EMAIL, PASSWORD, admin_with_token, connect, fresh_primary, num, run, serve};
use crate::harness::Agent;

fn sorted(mut s: [u16; 2]) -> [u16; 2] {
    s.sort_unstable();
    s
}

#[tokio::test]
async fn two_server_processes_on_one_database_behave_as_one() {
    let (root, primary, url) = fresh_primary("processes").await;
    run(
        &[
            "generate",
            "--programmes",
            "1",
            "--districts",
            "3",
            "--mothers",
            "30",
            "--visits",
            "1500",
            "--years",
            "3",
            "--seed",
            "21",
        ],
        &url,
        None,
    )
    .await;
    let token = admin_with_token(&url).await;
    let (a, a_url) = serve(&url, None).await;
    let (b, b_url) = serve(&url, None).await;
    let mut db = connect(&url).await;
    let http = reqwest::Client::new();

    // Sessions: signed in on `a`, signed in on `b`; signed out on `b`,
    // signed out on `a`.
    let mut browser = Agent::new(a_url.clone());
    assert_eq!(browser.sign_in(EMAIL, PASSWORD).await.status(), 303);
    let on_b = browser.on(&b_url);
    let session = on_b.get_json("/api/v1/session").await;
    assert!(session.to_string().contains(EMAIL), "{session}");
    assert_eq!(on_b.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(browser.get("/api/v1/session").await.status(), 401);

    // Lockouts: four failures, alternating, then the fifth locks on both.
    run(
        &[
            "create-user",
            "--email",
            "maja@example.org",
            "--name",
            "Maja",
            "--role",
            "admin",
        ],
        &url,
        Some(&format!("{PASSWORD}\n")),
    )
    .await;
    for i in 0..4 {
        let base = if i % 2 == 0 { &a_url } else { &b_url };
        let mut anon = Agent::new(base.clone());
        let res = anon.sign_in("maja@example.org", "wrong password!").await;
        assert_eq!(res.status(), 401, "failure {i}");
    }
    let mut anon = Agent::new(b_url.clone());
    let res = anon.sign_in("maja@example.org", "wrong password!").await;
    assert_eq!(res.status(), 429);
    let mut anon = Agent::new(a_url.clone());
    let res = anon.sign_in("maja@example.org", PASSWORD).await;
    assert_eq!(res.status(), 429, "locked on the other process too");

    // A mother on an allowance, for visits and a month's allowance run.
    let programme = num(&mut db, "SELECT min(id) AS v FROM programmes").await;
    let post = |base: &str, path: &str, body: Value, key: Option<&str>| {
        let mut req = http
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body);
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        req.send()
    };
    let res = post(
        &a_url,
        "/api/v1/mothers",
        json!({"programme_id": programme, "full_name": "Hêvî Zebari", "phone": "030 1234",
               "gender": "female", "engagement": "allowance", "monthly_allowance": "250",
               "joined_on": "2020-01-01"}),
        None,
    )
    .await
    .expect("mother");
    assert_eq!(res.status(), 201);
    let mother = res.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let res = post(
        &b_url,
        &format!("/api/v1/mothers/{mother}/status"),
        json!({"status": "active", "changed_on": "2020-01-01"}),
        None,
    )
    .await
    .expect("status");
    assert_eq!(res.status(), 200);

    // One idempotency key, both processes at once: one visit.
    let topic = num(
        &mut db,
        "SELECT min(id) AS v FROM topics WHERE programme_id IS NULL AND list = 'topic'",
    )
    .await;
    let visit = json!({"mother_id": mother, "visited_on": "2026-03-04", "duration_minutes": 45,
                       "kind": "home_visit", "topic_ids": [topic]});
    let (x, y) = tokio::join!(
        post(&a_url, "/api/v1/visits", visit.clone(), Some("tablet-0001")),
        post(&b_url, "/api/v1/visits", visit.clone(), Some("tablet-0001")),
    );
    let (x, y) = (x.expect("a"), y.expect("b"));
    assert!(x.status().is_success() && y.status().is_success());
    let (x, y): (Value, Value) = (x.json().await.expect("a"), y.json().await.expect("b"));
    assert_eq!(x["id"], y["id"], "the same visit");
    assert_eq!(
        num(
            &mut db,
            &format!("SELECT count(*) AS v FROM visits WHERE mother_id = {mother}")
        )
        .await,
        1
    );

    // One allowance run a month, however many processes make it at once;
    // confirmed once.
    let body = json!({"programme_id": programme.to_string(), "month": "2026-02"});
    let (x, y) = tokio::join!(
        post(&a_url, "/api/v1/allowance-runs", body.clone(), None),
        post(&b_url, "/api/v1/allowance-runs", body.clone(), None),
    );
    let (x, y) = (x.expect("a"), y.expect("b"));
    assert_eq!(
        sorted([x.status().as_u16(), y.status().as_u16()]),
        [201, 422]
    );
    let confirm = format!("/api/v1/programmes/{programme}/allowance-runs/2026-02/confirm");
    let (x, y) = tokio::join!(
        post(&a_url, &confirm, json!({}), None),
        post(&b_url, &confirm, json!({}), None),
    );
    let (x, y) = (x.expect("a"), y.expect("b"));
    assert_eq!(
        sorted([x.status().as_u16(), y.status().as_u16()]),
        [200, 409]
    );

    // The retention job, twice at once (as two instances' daily runs, or
    // the command next to a server): each person due is erased once.
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE programmes SET retention_months = 12"),
        &mut db,
    )
    .await
    .expect("retention period");
    let today = chrono::Utc::now().date_naive().to_string();
    let due = http
        .get(format!("{a_url}/api/v1/retention"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("due")
        .json::<Value>()
        .await
        .expect("json")["items"]
        .as_array()
        .expect("items")
        .iter()
        // The list shows who falls due soon as well.
        .filter(|d| d["due_on"].as_str() <= Some(today.as_str()))
        .count();
    assert!(due > 0, "the generated data has people due");
    let (one, two) = tokio::join!(
        run(&["retention", "--apply"], &url, None),
        run(&["retention", "--apply"], &url, None),
    );
    let erased = |out: &str| -> usize {
        out.lines()
            .find_map(|l| l.strip_prefix("Erased the personal details of "))
            .and_then(|l| l.split_whitespace().next())
            // English spells a single one out ("of one person").
            .and_then(|n| if n == "one" { Some(1) } else { n.parse().ok() })
            .unwrap_or_else(|| panic!("{out}"))
    };
    assert_eq!(erased(&one) + erased(&two), due, "{one}\n{two}");
    let audit = num(
        &mut db,
        "SELECT count(*) AS v FROM audit_events WHERE action = 'erase' \
         AND changes->>'grounds' = 'retention'",
    )
    .await;
    assert_eq!(audit as usize, due, "one audit row a person");

    // The roll-up workers of both processes: visits logged on both, the
    // months recounted by one of them, the counts those of the visits.
    for (i, base) in [&a_url, &b_url].into_iter().cycle().take(10).enumerate() {
        let mut v = visit.clone();
        v["visited_on"] = json!(format!("2025-{:02}-10", 1 + i));
        v["kind"] = json!("phone");
        let res = post(base, "/api/v1/visits", v, None).await.expect("visit");
        assert_eq!(res.status(), 201);
    }
    let started = Instant::now();
    while num(&mut db, "SELECT count(*) AS v FROM report_stale_months").await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the roll-up workers did not recount"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let differ = num(
        &mut db,
        "SELECT count(*) AS v FROM (
           SELECT programme_id, date_trunc('month', visited_on)::date AS month, kind, count(*) AS n
           FROM visits WHERE voided_at IS NULL GROUP BY 1, 2, 3) v
         FULL JOIN (SELECT programme_id, month, key AS kind, count AS n FROM report_month_counts
                    WHERE dimension = 'kind') r USING (programme_id, month, kind)
         WHERE v.n IS DISTINCT FROM r.n",
    )
    .await;
    assert_eq!(differ, 0, "the roll-ups equal the plain counts");

    stop(a).await;
    stop(b).await;
    drop(db);
    drop(primary);
    drop(root);
}
