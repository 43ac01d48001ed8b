//! The mothers' own pages: the invitation (code, link, QR code), choosing
//! her password at `/join`, her home and conversation form, what she may
//! not see, and her coordinator ending her sessions.

use neighbourhood_mothers::auth::Role;
use serde_json::{Value, json};

use crate::harness::{Agent, MOTHER_PASSWORD, TestApp, expect_json, hidden_field};

struct World {
    app: TestApp,
    coordinator: Agent,
    /// Hodan: active, with her own family.
    mother: i64,
    family: i64,
    /// Another mother of the same programme, with her family.
    other_family: i64,
}

async fn active_mother(coordinator: &Agent, programme: i64, name: &str) -> i64 {
    let id = coordinator
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": programme.to_string(), "full_name": name,
                    "phone": "1", "gender": "female", "engagement": "volunteer",
                    "joined_on": "2020-01-01"}),
        )
        .await;
    expect_json(
        coordinator
            .post_json(
                &format!("/api/v1/mothers/{id}/status"),
                &json!({"status": "active", "changed_on": "2020-06-01"}),
            )
            .await,
        200,
    )
    .await;
    id
}

async fn family(coordinator: &Agent, programme: i64, mother: i64, name: &str) -> i64 {
    coordinator
        .create(
            "/api/v1/families",
            &json!({"programme_id": programme.to_string(), "contact_origin": "event",
                    "first_contact_on": "2024-01-10", "consent_on": "2024-01-10", "name": name,
                    "primary_mother_id": mother.to_string()}),
        )
        .await
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let programme = app.programme("Bydelsmødre Aarhus").await;
    let coordinator = app.with_user(Role::Coordinator, &[programme]).await;
    let mother = active_mother(&coordinator, programme, "Hodan Ali").await;
    let other = active_mother(&coordinator, programme, "Leyla Demir").await;
    let family = family(&coordinator, programme, mother, "Familie Warsame").await;
    let other_family = family_of(&coordinator, programme, other).await;
    World {
        app,
        coordinator,
        mother,
        family,
        other_family,
    }
}

async fn family_of(coordinator: &Agent, programme: i64, mother: i64) -> i64 {
    family(coordinator, programme, mother, "Familie Yilmaz").await
}

/// The code on the invitation page a coordinator gets from the profile.
fn code_on(html: &str) -> String {
    let at = html.find("class=\"code\"").expect("the code on the page");
    let rest = &html[at..];
    let start = rest.find('>').expect(">") + 1;
    let end = rest.find('<').expect("<");
    rest[start..end].trim().to_owned()
}

#[tokio::test]
async fn a_coordinator_invites_and_the_mother_chooses_her_password() {
    let w = world().await;
    let profile = w.coordinator.get(&format!("/mothers/{}", w.mother)).await;
    let html = profile.text().await.expect("text");
    assert!(html.contains(&format!("action=\"/mothers/{}/invite\"", w.mother)));

    let res = w
        .coordinator
        .post_form(&format!("/mothers/{}/invite", w.mother), &[])
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("text");
    let code = code_on(&html);
    assert_eq!(code.len(), 11, "{code}");
    assert!(html.contains(&format!("/join/{code}")), "the link");
    assert!(html.contains("<svg class=\"qr\""), "the QR code");
    assert!(!html.contains("style="), "no inline styles (the CSP)");
    // Her account: role mother, linked to her record, in her programme;
    // the audit log has the invitation but never the code.
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM users WHERE role = 'mother' AND mother_id = {}",
                w.mother
            ))
            .await,
        1
    );
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM audit_events WHERE action = 'invite' AND changes::text LIKE '%{code}%'"
            ))
            .await,
        0
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE action = 'invite'")
            .await,
        1
    );

    // A wrong code, a weak password: the form again, nothing changes.
    let mut phone = w.app.anonymous();
    let page = phone
        .get(&format!("/join/{code}"))
        .await
        .text()
        .await
        .expect("text");
    let token = hidden_field(&page, "csrf_token").expect("csrf");
    for (c, pw, field) in [
        ("ZZZZZ-ZZZZZ", MOTHER_PASSWORD, "code"),
        (code.as_str(), "kurz", "new"),
    ] {
        let res = phone
            .bare
            .post(phone.url("/join"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("code", c),
                ("new", pw),
                ("confirm", pw),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(res.status(), 422);
        let html = res.text().await.expect("text");
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
    }

    // The code, typed in lower case with a space: signed in, a long session.
    let typed = code.to_lowercase().replace('-', " ");
    let res = phone.join(&typed, MOTHER_PASSWORD).await;
    assert_eq!(res.status(), 303);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(cookie.contains("Max-Age=2592000"), "30 days: {cookie}");
    let home = phone.get("/").await;
    assert_eq!(home.status(), 303);
    assert_eq!(home.headers()["location"], "/my");
    let html = phone.get("/my").await.text().await.expect("text");
    assert!(html.contains("Hodan Ali"));
    assert!(html.contains("Familie Warsame"), "her own family, by name");
    assert!(!html.contains("Familie Yilmaz"), "not another mother's");

    // The code works once; a new invitation replaces it.
    let mut again = w.app.anonymous();
    assert_eq!(again.join(&code, MOTHER_PASSWORD).await.status(), 422);
    let invited = expect_json(
        w.coordinator
            .post_json(
                &format!("/api/v1/mothers/{}/invitation", w.mother),
                &json!({}),
            )
            .await,
        201,
    )
    .await;
    let second = invited["code"].as_str().expect("code").to_owned();
    assert_ne!(second, code);
    // Later she signs in with her sign-in name and password, like anyone.
    let sign_in = invited["sign_in"].as_str().expect("sign-in").to_owned();
    let mut laptop = w.app.anonymous();
    assert_eq!(
        laptop.sign_in(&sign_in, MOTHER_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn a_mother_logs_her_own_contacts_and_sees_nothing_else() {
    let w = world().await;
    let phone = w.app.mother_agent(w.mother).await;

    // Her form: her families and an anonymous woman to choose from.
    let html = phone.get("/my/contact").await.text().await.expect("text");
    assert!(html.contains(&format!("name=\"who\" value=\"{}\"", w.family)));
    assert!(!html.contains(&format!("name=\"who\" value=\"{}\"", w.other_family)));
    assert!(html.contains("value=\"anonymous\""));

    let contact = |who: String| {
        vec![
            ("who".to_owned(), who),
            ("visited_on".to_owned(), "2024-03-04".to_owned()),
            ("duration_minutes".to_owned(), "45".to_owned()),
            ("kind".to_owned(), "home_visit".to_owned()),
            ("topic_ids".to_owned(), "1".to_owned()),
            ("topic_ids".to_owned(), "2".to_owned()),
            ("referrals".to_owned(), "health".to_owned()),
            ("next_step".to_owned(), "Kita-Anmeldung zusammen".to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let phone = &phone;
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            phone.post_form("/my/contact", &refs).await
        }
    };
    // Another mother's family is not hers: refused, nothing saved.
    let res = post(contact(w.other_family.to_string())).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("text");
    assert!(
        html.contains("href=\"#who\""),
        "the summary names the field"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 0);

    // Her family, then an anonymous woman: saved, hers, marked as hers.
    assert_eq!(post(contact(w.family.to_string())).await.status(), 303);
    assert_eq!(post(contact("anonymous".to_owned())).await.status(), 303);
    let user = phone.user_id.expect("her account");
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE mother_id = {} AND entered_by_mother \
                 AND recorded_by = {user} AND reviewed_at IS NULL",
                w.mother
            ))
            .await,
        2
    );
    let html = phone.get("/my").await.text().await.expect("text");
    assert!(html.contains("Kita-Anmeldung zusammen"), "her next steps");
    assert!(
        html.contains("Next visit: Kita-Anmeldung zusammen"),
        "the family's next visit"
    );
    let recent = &html[html
        .find("Your latest contacts")
        .expect("her latest contacts")..];
    assert!(recent.contains("An anonymous woman") && recent.contains("home visit"));

    // They count at once; her coordinator finds them awaiting review.
    let report = expect_json(
        w.coordinator
            .get("/api/v1/visits?from=2024-03-01&to=2024-03-31")
            .await,
        200,
    )
    .await;
    assert_eq!(report["total"], 2);
    let home = w.coordinator.get("/").await.text().await.expect("text");
    assert!(home.contains("awaiting your review"), "{home}");
    let first = w
        .app
        .count("SELECT min(id) FROM visits WHERE entered_by_mother")
        .await;
    let page = w.coordinator.get(&format!("/visits/{first}")).await;
    let visit_html = page.text().await.expect("text");
    assert!(visit_html.contains(&format!("action=\"/visits/{first}/review\"")));
    assert_eq!(
        w.coordinator
            .post_form(&format!("/visits/{first}/review"), &[])
            .await
            .status(),
        303
    );
    let v = expect_json(
        w.coordinator
            .post_json(&format!("/api/v1/visits/{first}/review"), &json!({}))
            .await,
        200,
    )
    .await;
    assert!(v["reviewed_at"].is_string(), "{v}");
    assert_eq!(v["entered_by_mother"], true);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM visits WHERE entered_by_mother AND reviewed_at IS NULL")
            .await,
        1
    );
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE action = 'review'")
            .await,
        1,
        "reviewed once, audited once"
    );

    // Nothing of the staff's: pages, API, other records.
    for path in [
        "/visits",
        "/families",
        "/mothers",
        &format!("/mothers/{}", w.mother),
        &format!("/families/{}", w.family),
        "/reports",
        "/funding",
        "/api/v1/visits",
        "/api/v1/mothers",
        &format!("/api/v1/families/{}", w.other_family),
    ] {
        assert_eq!(phone.get(path).await.status(), 403, "{path}");
    }
    let res = phone
        .post_json(
            "/api/v1/visits",
            &json!({"mother_id": w.mother.to_string(), "anonymous": "true",
                    "visited_on": "2024-03-05", "duration_minutes": "30", "kind": "phone"}),
        )
        .await;
    assert_eq!(res.status(), 403);
    // The staff's navigation is not on her pages.
    assert!(!html.contains("href=\"/reports\""));
    assert!(!html.contains("href=\"/visits\""));
}

#[tokio::test]
async fn her_coordinator_signs_her_phone_out() {
    let w = world().await;
    let phone = w.app.mother_agent(w.mother).await;
    assert_eq!(phone.get("/my").await.status(), 200);
    let res = w
        .coordinator
        .post_form(&format!("/mothers/{}/end-sessions", w.mother), &[])
        .await;
    assert_eq!(res.status(), 303);
    let res = phone.get("/my").await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().expect("location");
    assert!(to.starts_with("/login"), "{to}");

    // A mother who left is not invited; another programme's is not found.
    expect_json(
        w.coordinator
            .post_json(
                &format!("/api/v1/mothers/{}/status", w.mother),
                &json!({"status": "left", "changed_on": "2024-12-01"}),
            )
            .await,
        200,
    )
    .await;
    let e: Value = expect_json(
        w.coordinator
            .post_json(
                &format!("/api/v1/mothers/{}/invitation", w.mother),
                &json!({}),
            )
            .await,
        409,
    )
    .await;
    assert_eq!(e["error"]["code"], "conflict");
    let elsewhere = w.app.programme("Stadtteilmütter Neukölln").await;
    let stranger = w.app.with_user(Role::Coordinator, &[elsewhere]).await;
    expect_json(
        stranger
            .post_json(
                &format!("/api/v1/mothers/{}/invitation", w.mother),
                &json!({}),
            )
            .await,
        404,
    )
    .await;
}

/// The offline app: installable, its script only on her pages, and its
/// queue's repeats never make a second visit.
#[tokio::test]
async fn the_offline_app_sends_each_contact_once() {
    let w = world().await;
    let phone = w.app.mother_agent(w.mother).await;
    let manifest = expect_json(phone.get("/manifest.webmanifest").await, 200).await;
    assert_eq!(manifest["start_url"], "/my");
    assert_eq!(manifest["icons"].as_array().map(Vec::len), Some(2));
    let sw = phone.get("/sw.js").await;
    assert_eq!(sw.status(), 200);
    assert!(
        sw.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/javascript")
    );
    assert_eq!(phone.get("/static/icon-192.png").await.status(), 200);

    // The script and the scripts' policy on her pages only.
    let res = phone.get("/my/contact").await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = res.text().await.expect("text");
    assert!(html.contains("<script src=\"/static/my.js\" defer></script>"));
    assert!(html.contains("rel=\"manifest\""));
    let staff = w.coordinator.get("/visits").await;
    let csp = staff.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(!csp.contains("script-src"), "{csp}");
    assert!(!staff.text().await.expect("text").contains("<script"));

    // A queued contact sent three times (the signal came and went): one visit.
    let contact = json!({"who": w.family.to_string(), "visited_on": "2024-04-02",
                         "duration_minutes": "30", "kind": "phone", "topic_ids": ["3"],
                         "referrals": [], "next_step": ""});
    let send = |key: &'static str, body: Value| {
        let phone = &phone;
        async move {
            phone
                .client
                .post(phone.url("/api/v1/my/visits"))
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .expect("POST")
        }
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        let res = send("3f1c9a52-0b7e-4c1e-9d2a-000000000001", contact.clone()).await;
        assert_eq!(res.status(), 201);
        let v: Value = res.json().await.expect("json");
        ids.push(v["id"].as_i64().expect("id"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1);
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 1);
    // Another mother's family through the API: refused like on the form.
    let mut other = contact.clone();
    other["who"] = json!(w.other_family.to_string());
    let e = expect_json(
        send("3f1c9a52-0b7e-4c1e-9d2a-000000000002", other).await,
        422,
    )
    .await;
    assert!(e["error"]["fields"]["who"].is_string(), "{e}");
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 1);
}

/// Whether the browser test can run here: Chromium, its driver and
/// Python's selenium (`.ci/run` installs them).
fn browser_available() -> bool {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .any(|p| std::path::Path::new(p).exists());
    let selenium = std::process::Command::new("python3")
        .args(["-c", "import selenium"])
        .status()
        .is_ok_and(|s| s.success());
    chromium && selenium
}

/// In headless Chromium: offline, three contacts saved on the phone, back
/// online, exactly three visits stored (`tests/browser/offline.py`).
#[tokio::test]
async fn offline_contacts_arrive_once_when_the_signal_returns() {
    if !browser_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium, chromium-driver and python3-selenium"
        );
        eprintln!("skipped: no Chromium or selenium here");
        return;
    }
    let w = world().await;
    let invited = expect_json(
        w.coordinator
            .post_json(
                &format!("/api/v1/mothers/{}/invitation", w.mother),
                &json!({}),
            )
            .await,
        201,
    )
    .await;
    let code = invited["code"].as_str().expect("code").to_owned();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/offline.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg(w.app.url(""))
        .arg(&code)
        .output()
        .await
        .expect("run the browser");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        w.app
            .count(&format!(
                "SELECT count(*) FROM visits WHERE mother_id = {} AND entered_by_mother",
                w.mother
            ))
            .await,
        3
    );
}

/// Her training: her course's modules and her attendance at each.
#[tokio::test]
async fn she_sees_her_courses_modules_and_attendance() {
    let w = world().await;
    let programme = w.app.count("SELECT min(id) FROM programmes").await;
    let trainer = w
        .app
        .create_user("trainer@test.example", Role::Trainer, &[programme])
        .await;
    let course = w
        .app
        .create(
            "/api/v1/courses",
            &json!({"programme_id": programme.to_string(), "name": "Frühjahr 2025",
                    "trainer_id": trainer.to_string(), "starts_on": "2025-01-01",
                    "ends_on": "2025-06-30"}),
        )
        .await;
    let mut modules = Vec::new();
    for title in ["Gesundheit", "Schule"] {
        modules.push(
            w.app
                .create(
                    &format!("/api/v1/courses/{course}/modules"),
                    &json!({"title": title, "topic_id": "1", "held_on": "2025-02-01",
                            "hours": "2"}),
                )
                .await,
        );
    }
    let enrolment = w
        .app
        .create(
            &format!("/api/v1/courses/{course}/enrolments"),
            &json!({"mother_id": w.mother.to_string(), "enrolled_on": "2025-01-01"}),
        )
        .await;
    expect_json(
        w.app
            .put_json(
                &format!("/api/v1/modules/{}/attendance", modules[0]),
                &json!({"entries": [{"enrolment_id": enrolment, "status": "present"}]}),
            )
            .await,
        200,
    )
    .await;
    let phone = w.app.mother_agent(w.mother).await;
    let html = phone.get("/my/training").await.text().await.expect("text");
    assert!(html.contains("Frühjahr 2025"), "{html}");
    let gesundheit = html.find("Gesundheit").expect("the first module");
    let schule = html.find("Schule").expect("the second module");
    assert!(
        html[gesundheit..schule].contains("present"),
        "her attendance"
    );
    assert!(html[schule..].contains("not taken yet"));
}

/// How the contact arose, from the programme's own list; an anonymous
/// contact first where the programme says so (as the Danish form).
#[tokio::test]
async fn the_form_asks_how_the_contact_arose_from_the_programme_s_list() {
    let w = world().await;
    let programme = w.app.count("SELECT min(id) FROM programmes").await;
    let mut p = expect_json(
        w.app.get(&format!("/api/v1/programmes/{programme}")).await,
        200,
    )
    .await;
    p["contact_origins"] = json!([
        "gennem eget netværk",
        "til et arrangement",
        " gennem eget netværk "
    ]);
    p["anonymous_by_default"] = json!("true");
    for field in ["id", "archived_at", "created_at", "updated_at"] {
        p.as_object_mut().expect("object").remove(field);
    }
    p["start_date"] = json!(p["start_date"].as_str().expect("date"));
    p["completion_threshold_percent"] = json!(p["completion_threshold_percent"].to_string());
    p["practice_visits_allowed"] = json!("false");
    let saved = expect_json(
        w.app
            .put_json(&format!("/api/v1/programmes/{programme}"), &p)
            .await,
        200,
    )
    .await;
    assert_eq!(
        saved["contact_origins"],
        json!(["gennem eget netværk", "til et arrangement"]),
        "tidied, each once"
    );
    assert_eq!(saved["anonymous_by_default"], true);

    let phone = w.app.mother_agent(w.mother).await;
    let html = phone.get("/my/contact").await.text().await.expect("text");
    assert!(
        html.contains("name=\"who\" value=\"anonymous\" checked"),
        "anonymous first"
    );
    assert!(html.contains("value=\"til et arrangement\""));
    let post = |origin: &'static str| {
        let phone = &phone;
        async move {
            phone
                .post_form(
                    "/my/contact",
                    &[
                        ("who", "anonymous"),
                        ("visited_on", "2024-06-03"),
                        ("duration_minutes", "60"),
                        ("kind", "home_visit"),
                        ("topic_ids", "1"),
                        ("contact_origin", origin),
                    ],
                )
                .await
        }
    };
    assert_eq!(post("somewhere else").await.status(), 422);
    assert_eq!(post("til et arrangement").await.status(), 303);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM visits WHERE contact_origin = 'til et arrangement'")
            .await,
        1
    );
    // The API keeps to the same list, for staff too.
    let e = expect_json(
        w.coordinator
            .post_json(
                "/api/v1/visits",
                &json!({"mother_id": w.mother.to_string(), "anonymous": "true",
                        "visited_on": "2024-06-04", "duration_minutes": "30",
                        "kind": "phone", "topic_ids": ["1"], "contact_origin": "elsewhere"}),
            )
            .await,
        422,
    )
    .await;
    assert!(e["error"]["fields"]["contact_origin"].is_string(), "{e}");
}
