//! A new visit is written by one statement (issue 20, point 5): the
//! visit, its topics and its audit row, which names the new visit; if any
//! part fails, none of it stays.

use serde_json::{Value, json};

use crate::harness::{TestApp, expect_json};

#[tokio::test]
async fn a_visit_its_topics_and_its_audit_row_are_written_together() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let m = app.active_mother(p, "2020-01-01").await;
    let visit = |day: &str, topics: Value| {
        json!({"mother_id": m, "visited_on": day, "duration_minutes": 60, "kind": "home_visit",
               "topic_ids": topics, "note": "Hausaufgaben, Kita-Platz"})
    };
    let v = expect_json(
        app.post_json("/api/v1/visits", &visit("2025-03-04", json!([2, 1])))
            .await,
        201,
    )
    .await;
    let id = v["id"].as_i64().expect("id");
    assert_eq!(v["topic_ids"], json!([1, 2]));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM visit_topics WHERE visit_id = {id}"
        ))
        .await,
        2
    );
    // The audit row names the new visit, its programme and its author,
    // with what was recorded but not the note.
    let row = format!(
        "SELECT count(*) FROM audit_events WHERE entity = 'visit' AND action = 'create' \
         AND entity_id = {id} AND programme_id = {p} AND actor_id IS NOT NULL \
         AND changes->'topic_ids'->>'new' = '[1, 2]' AND NOT changes ? 'note'"
    );
    assert_eq!(app.count(&row).await, 1);

    // A topic whose row cannot be written (a trigger refuses it here):
    // neither the visit nor its audit row stays.
    let mut conn = app.conn().await;
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        "CREATE FUNCTION refuse_topic() RETURNS trigger AS $$
         BEGIN
             IF NEW.topic_id = 3 THEN RAISE EXCEPTION 'refused'; END IF;
             RETURN NEW;
         END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse_topic BEFORE INSERT ON visit_topics
             FOR EACH ROW EXECUTE FUNCTION refuse_topic();",
    )
    .await
    .expect("trigger");
    let (visits, audit) = (
        app.count("SELECT count(*) FROM visits").await,
        app.count("SELECT count(*) FROM audit_events").await,
    );
    let res = app
        .post_json("/api/v1/visits", &visit("2025-03-05", json!([1, 3])))
        .await;
    assert!(!res.status().is_success(), "{}", res.status());
    assert_eq!(app.count("SELECT count(*) FROM visits").await, visits);
    assert_eq!(app.count("SELECT count(*) FROM audit_events").await, audit);
}
