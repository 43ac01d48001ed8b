//! Imports from spreadsheets through the real server: the dry run, all or
//! none, the same file again, a corrected file, CSV and XLSX, German and
//! Danish headers, the page's upload and the command line.

use neighbourhood_mothers::auth::Role;
use serde_json::json;

use crate::harness::{Agent, TestApp, expect_json, hidden_field};

struct World {
    app: TestApp,
    programme: i64,
    coordinator: Agent,
    mother: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre Aarhus").await;
    let c = app.with_user(Role::Coordinator, &[p]).await;
    let mother = c
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p, "full_name": "Hodan Ali", "phone": "1",
                    "gender": "female", "engagement": "volunteer", "joined_on": "2020-01-01"}),
        )
        .await;
    expect_json(
        c.post_json(
            &format!("/api/v1/mothers/{mother}/status"),
            &json!({"status": "active", "changed_on": "2020-02-01"}),
        )
        .await,
        200,
    )
    .await;
    c.create(
        "/api/v1/families",
        &json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2020-03-01"}),
    )
    .await;
    World {
        app,
        programme: p,
        coordinator: c,
        mother,
    }
}

async fn send(a: &Agent, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    a.client
        .post(a.url(path))
        .header("content-type", content_type)
        .header("x-csrf-token", a.csrf.clone().unwrap_or_default())
        .body(body)
        .send()
        .await
        .expect("send")
}

const VISITS: &str =
    "external_ref,visited_on,mother,family,duration_minutes,kind,topics,referrals,note
v1,2021-03-05,Hodan Ali,BA-0001,60,home_visit,health;Schools,school,first visit
v2,2021-03-12,Hodan Ali,,45,phone,Health,,
";

#[tokio::test]
async fn a_visits_file_is_checked_then_imported_once_and_corrected() {
    let w = world().await;
    let c = &w.coordinator;
    let p = w.programme;
    let path = format!("/api/v1/imports/visits?programme={p}");
    let count = "SELECT count(*) FROM visits";

    // The dry run: what would happen, nothing saved.
    let dry = send(
        c,
        &format!("{path}&dry_run=true"),
        "text/csv",
        VISITS.into(),
    )
    .await;
    let dry = expect_json(dry, 200).await;
    assert_eq!(
        (dry["rows"].as_i64(), dry["created"].as_i64()),
        (Some(2), Some(2)),
        "{dry}"
    );
    assert_eq!(w.app.count(count).await, 0);

    // One bad row: all or none, each error with its row and column.
    let bad = VISITS
        .replace("Hodan Ali,,45", "Nobody,,45")
        .replace("60,home_visit", "60,dance");
    let res = expect_json(send(c, &path, "text/csv", bad.into()).await, 422).await;
    let errors = res["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 2 && e["column"] == "kind"),
        "{res}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 3 && e["column"] == "mother"),
        "{res}"
    );
    assert_eq!(w.app.count(count).await, 0, "nothing saved");
    assert!(
        res["request_id"].as_str().is_some_and(|r| r.len() > 10),
        "{res}"
    );

    let done = expect_json(send(c, &path, "text/csv", VISITS.into()).await, 201).await;
    assert_eq!(done["created"], 2, "{done}");
    assert_eq!(w.app.count(count).await, 2);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM visits WHERE family_id IS NULL")
            .await,
        1,
        "an empty family is an anonymous contact"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM referrals").await, 1);
    assert_eq!(w.app.count("SELECT count(*) FROM visit_topics").await, 3);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM audit_events WHERE entity = 'visit'")
            .await,
        2,
        "each visit audited as if typed"
    );

    // The same file again changes nothing.
    let again = expect_json(send(c, &path, "text/csv", VISITS.into()).await, 201).await;
    assert_eq!(
        (again["created"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(2)),
        "{again}"
    );
    assert_eq!(w.app.count(count).await, 2);

    // A corrected file updates the row it names.
    let fixed = VISITS.replace("2021-03-12,Hodan Ali,,45", "2021-03-12,Hodan Ali,,50");
    let upd = expect_json(send(c, &path, "text/csv", fixed.into()).await, 201).await;
    assert_eq!(
        (upd["updated"].as_i64(), upd["unchanged"].as_i64()),
        (Some(1), Some(1)),
        "{upd}"
    );
    assert_eq!(
        w.app
            .count("SELECT duration_minutes::bigint FROM visits WHERE external_ref = 'v2'")
            .await,
        50
    );
    // A reference twice in one file is refused.
    let twice = format!("{VISITS}v2,2021-03-19,Hodan Ali,,30,phone,health,,\n");
    let res = expect_json(send(c, &path, "text/csv", twice.into()).await, 422).await;
    assert_eq!(res["errors"][0]["row"], 4, "{res}");
    // Another programme's staff cannot import into it.
    let other = w.app.programme("Stadtteilmütter Neukölln").await;
    let stranger = w.app.with_user(Role::Coordinator, &[other]).await;
    expect_json(send(&stranger, &path, "text/csv", VISITS.into()).await, 404).await;
    // Managers may not import.
    let manager = w.app.with_user(Role::Manager, &[p]).await;
    expect_json(send(&manager, &path, "text/csv", VISITS.into()).await, 403).await;
}

#[tokio::test]
async fn families_then_their_visits_from_the_same_old_spreadsheet() {
    let w = world().await;
    let c = &w.coordinator;
    let p = w.programme;
    let families =
        "external_ref;first_contact_on;contact_origin;mother;consent_on;name;children_count
F-17;2019-04-02;school_daycare;Hodan Ali;2019-04-02;Familie Yusuf;3
F-18;2019-05-10;event;;;;1
";
    let path = format!("/api/v1/imports/families?programme={p}");
    let res = expect_json(send(c, &path, "text/csv", families.into()).await, 201).await;
    assert_eq!(res["created"], 2, "{res}");
    assert_eq!(
        w.app.count("SELECT count(*) FROM families f JOIN family_personal p ON p.family_id = f.id WHERE f.external_ref = 'F-17' AND f.consent_contact AND f.children_count = 3").await,
        1
    );
    // Without consent, no name: refused with its row and column.
    let bad = families.replace(
        "F-18;2019-05-10;event;;;;1",
        "F-18;2019-05-10;event;;;Familie X;1",
    );
    let res = expect_json(send(c, &path, "text/csv", bad.into()).await, 422).await;
    assert_eq!(
        (
            res["errors"][0]["row"].as_i64(),
            res["errors"][0]["column"].as_str()
        ),
        (Some(3), Some("name")),
        "{res}"
    );
    let again = expect_json(send(c, &path, "text/csv", families.into()).await, 201).await;
    assert_eq!(again["unchanged"], 2, "{again}");
    // Visits naming the families by the old spreadsheet's reference.
    let visits = "external_ref,visited_on,mother,family,duration_minutes,kind,topics
v1,2021-03-05,Hodan Ali,F-17,60,home_visit,health
";
    let vpath = format!("/api/v1/imports/visits?programme={p}");
    expect_json(send(c, &vpath, "text/csv", visits.into()).await, 201).await;
    assert_eq!(
        w.app.count("SELECT count(*) FROM visits v JOIN families f ON f.id = v.family_id WHERE f.external_ref = 'F-17'").await,
        1
    );
    let again = expect_json(send(c, &vpath, "text/csv", visits.into()).await, 201).await;
    assert_eq!(again["unchanged"], 1, "{again}");
}

#[tokio::test]
async fn events_and_expenses_come_in_too() {
    let w = world().await;
    let c = &w.coordinator;
    let p = w.programme;
    let events = "external_ref;held_on;kind;title;migrant_participants;local_participants;mothers
E1;2022-05-01;workshop;Café;9;4;Hodan Ali
E2;2022-06-01;excursion;Zoo;12;0;
";
    let path = format!("/api/v1/imports/events?programme={p}");
    let res = expect_json(send(c, &path, "text/csv", events.into()).await, 201).await;
    assert_eq!(res["created"], 2, "{res}");
    assert_eq!(w.app.count("SELECT count(*) FROM event_mothers").await, 1);
    let again = expect_json(send(c, &path, "text/csv", events.into()).await, 201).await;
    assert_eq!(again["unchanged"], 2, "{again}");
    let fixed = events.replace(";Zoo;12;", ";Zoo;14;");
    let res = expect_json(send(c, &path, "text/csv", fixed.into()).await, 201).await;
    assert_eq!(res["updated"], 1, "{res}");

    // Expenses are funding: a coordinator may not import them (as she may
    // not record one); an administrator may.
    let expenses = "Reference;Dato;Kategori;Beløb;Note\nX1;2022-05-01;materials;12,50;\nX2;2022-05-02;training;800;\n";
    let path = format!("/api/v1/imports/expenses?programme={p}");
    expect_json(send(c, &path, "text/csv", expenses.into()).await, 403).await;
    let res = expect_json(send(&w.app, &path, "text/csv", expenses.into()).await, 201).await;
    assert_eq!(res["created"], 2, "{res}");
    assert_eq!(
        w.app
            .count("SELECT sum(amount_minor)::bigint FROM expenses")
            .await,
        81_250
    );
    let again = expect_json(send(&w.app, &path, "text/csv", expenses.into()).await, 201).await;
    assert_eq!(again["unchanged"], 2, "{again}");
}

#[tokio::test]
async fn xlsx_files_with_german_or_danish_headers() {
    let w = world().await;
    let c = &w.coordinator;
    let p = w.programme;
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let header = [
        "Referenz",
        "Datum",
        "Stadtteilmutter",
        "Familie",
        "Dauer_Minuten",
        "Art",
        "Themen",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write(0, i as u16, *h).expect("cell");
    }
    let row: [&str; 7] = ["x1", "2022-01-10", "", "", "30", "phone", "health"];
    for (i, v) in row.iter().enumerate() {
        ws.write(1, i as u16, *v).expect("cell");
    }
    ws.write(1, 2, w.mother as f64)
        .expect("the mother by her number");
    let bytes = book.save_to_buffer().expect("xlsx");
    let res = send(
        c,
        &format!("/api/v1/imports/visits?programme={p}"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
    .await;
    let res = expect_json(res, 201).await;
    assert_eq!(res["created"], 1, "{res}");

    let danish = "Reference;Navn;Telefon;Køn;Engagement;Startdato\nm1;Amal Yusuf;+45 1;female;volunteer;2021-05-01\n";
    let res = send(
        c,
        &format!("/api/v1/imports/mothers?programme={p}"),
        "text/csv",
        danish.into(),
    )
    .await;
    let res = expect_json(res, 201).await;
    assert_eq!(res["created"], 1, "{res}");
    assert_eq!(
        w.app.count("SELECT count(*) FROM mothers WHERE full_name = 'Amal Yusuf' AND external_ref = 'm1'").await,
        1
    );
    // A missing column is named before any row.
    let res = send(
        c,
        &format!("/api/v1/imports/mothers?programme={p}"),
        "text/csv",
        "Navn\nAmal\n".into(),
    )
    .await;
    let res = expect_json(res, 422).await;
    assert!(
        res["error"]["fields"]["file"]
            .as_str()
            .expect("message")
            .contains("gender"),
        "{res}"
    );
}

const BOUNDARY: &str = "nm-test-boundary-7d3f";

/// A `multipart/form-data` body, as a browser sends a form with a file.
fn multipart(fields: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (name, file, value) in fields {
        out.push_str(&format!("--{BOUNDARY}\r\n"));
        match file {
            Some(f) => out.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
            )),
            None => out.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
        }
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{BOUNDARY}--\r\n"));
    out.into_bytes()
}

#[tokio::test]
async fn the_page_uploads_a_file_and_shows_each_refused_row() {
    let w = world().await;
    let c = &w.coordinator;
    let html = c.get("/imports").await.text().await.expect("page");
    let csrf = hidden_field(&html, "csrf_token").expect("token");
    let bad = VISITS.replace("60,home_visit", "60,dance");
    let programme = w.programme.to_string();
    let body = multipart(&[
        ("csrf_token", None, &csrf),
        ("kind", None, "visits"),
        ("programme", None, &programme),
        ("file", Some("visits.csv"), &bad),
    ]);
    // The browser's way: the token is a field of the form (no header).
    let res = c
        .bare
        .post(c.url("/imports"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("page");
    assert!(
        html.contains("Not imported") && html.contains("<td data-label=\"Row\">2</td>"),
        "{html}"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 0);
    // Without the form's token, refused.
    let body = multipart(&[("kind", None, "visits"), ("file", Some("v.csv"), VISITS)]);
    let res = c
        .bare
        .post(c.url("/imports"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);
    // The template, in the reader's language.
    let t = c
        .get("/imports/visits/template.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert!(t.contains("external_ref;visited_on;mother"), "{t}");
}

#[tokio::test]
async fn the_command_line_imports_with_the_same_rules() {
    let w = world().await;
    let file = std::env::temp_dir().join(format!(
        "nm-import-{}.csv",
        w.programme + i64::from(std::process::id())
    ));
    std::fs::write(&file, VISITS).expect("write");
    let run = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_neighbourhood-mothers"));
        cmd.arg("import")
            .arg("visits")
            .arg("--programme")
            .arg(w.programme.to_string())
            .args(extra)
            .arg(&file)
            .env("DATABASE_URL", &w.app.db_url)
            .env("DATA_KEY_FILE", crate::harness::key_file())
            .env("LANG", "C.UTF-8");
        cmd.output().expect("run")
    };
    let out = run(&["--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("Nothing was saved"),
        "{text}"
    );
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 0);
    let out = run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(w.app.count("SELECT count(*) FROM visits").await, 2);
    std::fs::write(&file, VISITS.replace("home_visit", "dance")).expect("write");
    let out = run(&[]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Row 2, kind"),
        "{out:?}"
    );
    let _ = std::fs::remove_file(&file);
}
