//! Spreadsheet exports carry no formulas: names typed by users that start
//! like a formula (`=`, `+`, `-`, `@`) stay text in the CSV and the XLSX.

use calamine::{Data, Reader};
use serde_json::{Value, json};

use crate::harness::TestApp;

async fn id(app: &TestApp, path: &str, body: Value) -> i64 {
    let res = app.post_json(path, &body).await;
    let status = res.status().as_u16();
    let body: Value = res.json().await.expect("json");
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

const DISTRICT: &str = "=HYPERLINK(\"http://x\",\"y\")";
const TOPIC: &str = "+1+1";
const FUNDER: &str = "@SUM(A1)";

#[tokio::test]
async fn names_that_look_like_formulas_stay_text() {
    let app = TestApp::spawn().await;
    let p = id(
        &app,
        "/api/v1/programmes",
        json!({"name": "-Neukölln", "city": "Berlin", "country": "DE", "currency": "EUR",
               "default_language": "de", "start_date": "2011-01-01"}),
    )
    .await;
    let district = id(
        &app,
        &format!("/api/v1/programmes/{p}/districts"),
        json!({"name": DISTRICT}),
    )
    .await;
    let topic = id(
        &app,
        &format!("/api/v1/programmes/{p}/topics"),
        json!({"label": TOPIC}),
    )
    .await;
    let mother = id(
        &app,
        "/api/v1/mothers",
        json!({"programme_id": p.to_string(), "full_name": "Amal", "phone": "1", "gender": "female",
               "engagement": "volunteer", "district_id": district.to_string(), "joined_on": "2011-01-01"}),
    )
    .await;
    let res = app
        .post_json(
            &format!("/api/v1/mothers/{mother}/status"),
            &json!({"status": "certified", "changed_on": "2012-02-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    id(
        &app,
        "/api/v1/visits",
        json!({"mother_id": mother.to_string(), "visited_on": "2012-03-01", "duration_minutes": "60",
               "kind": "group_meeting", "topic_ids": [topic.to_string()], "referrals": []}),
    )
    .await;
    let funder = id(
        &app,
        "/api/v1/funders",
        json!({"name": FUNDER, "kind": "foundation"}),
    )
    .await;
    id(
        &app,
        "/api/v1/grants",
        json!({"programme_id": p.to_string(), "funder_id": funder.to_string(), "amount": "1000",
               "starts_on": "2012-01-01", "ends_on": "2012-12-31", "status": "granted"}),
    )
    .await;

    // CSV: each such cell starts with a single quote; numbers stay numbers.
    let res = app
        .get(&format!("/reports/yearly.csv?year=2012&programme={p}"))
        .await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("csv");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect();
    // A row by its cell `name`: the cells after it.
    let row = |column: usize, name: &str| {
        rows.iter()
            .find(|r| r.get(column).map(String::as_str) == Some(name))
            .unwrap_or_else(|| panic!("{name} missing in\n{text}"))
            .clone()
    };
    assert_eq!(row(0, &format!("'{DISTRICT}"))[1], "1");
    assert_eq!(row(0, &format!("'{TOPIC}"))[1], "1");
    assert_eq!(row(1, &format!("'{FUNDER}"))[3], "1000.00");
    // The programme's name is text too, in the file's first lines.
    assert_eq!(row(0, "Programmes")[1], "'-Neukölln");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{text}"
    );
    for r in &rows {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "a formula-like cell: {cell}"
            );
        }
    }

    // XLSX: the same names are strings, and the workbook has no formula.
    let res = app
        .get(&format!("/reports/yearly.xlsx?year=2012&programme={p}"))
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    for (sheet, name) in [
        ("Visits by district", DISTRICT),
        ("Topics discussed", TOPIC),
        ("Funding by funder", FUNDER),
    ] {
        let range = book.worksheet_range(sheet).expect(sheet);
        assert!(
            range
                .rows()
                .any(|r| r.iter().any(|c| *c == Data::String(name.into()))),
            "{name} as a string in {sheet}"
        );
    }
    let sheets = book.sheet_names();
    for sheet in sheets {
        let formulas = book.worksheet_formula(&sheet).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula in {sheet}"
        );
    }
}
