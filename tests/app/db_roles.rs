//! Least privilege in the database (`db::roles`): the server's requests
//! run as an application role that owns nothing, may not change or delete
//! audit rows, and redacts them only through `audit_redact`; a database
//! made before the roles is handed to the owner.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use neighbourhood_mothers::audit;
use neighbourhood_mothers::db::{self, roles};
use serde_json::json;

use crate::external::{fast, num};
use crate::harness::{TestApp, temp_root};

async fn as_app(app: &TestApp) -> AsyncPgConnection {
    AsyncPgConnection::establish(&app.app_url)
        .await
        .expect("connect as the application role")
}

/// The error a statement run as the application role gets.
async fn refused(conn: &mut AsyncPgConnection, sql: &str) -> String {
    match conn.batch_execute(sql).await {
        Ok(()) => panic!("the application role may run {sql}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn the_application_role_may_add_to_the_audit_log_but_not_change_it() {
    let app = TestApp::spawn().await;
    // A change through the server writes an audit row as the application role.
    let programme = app.programme("Kreuzberg").await;
    let rows = app
        .count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'programme' AND entity_id = {programme}"
        ))
        .await;
    assert_eq!(rows, 1);

    let mut conn = as_app(&app).await;
    let (role, superuser) = roles::whoami(&mut conn).await.expect("whoami");
    assert_eq!(role, roles::APP);
    assert!(!superuser);
    for sql in [
        "UPDATE audit_events SET action = 'nothing happened'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let e = refused(&mut conn, sql).await;
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    // Nor the tables themselves, nor the record of the migrations.
    for sql in [
        "ALTER TABLE visits ADD COLUMN x int",
        "DROP TABLE families",
        "DELETE FROM __diesel_schema_migrations",
        "CREATE TABLE mine (x int)",
    ] {
        let e = refused(&mut conn, sql).await;
        assert!(
            e.contains("permission denied") || e.contains("must be owner"),
            "{sql}: {e}"
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM audit_events WHERE entity = 'programme' AND entity_id = {programme} \
             AND action <> 'nothing happened'"
        ))
        .await,
        1,
        "the audit row is untouched"
    );
    // Every table belongs to the owner.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '{}'",
            roles::OWNER
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn the_one_change_the_application_role_may_make_is_a_redaction() {
    let app = TestApp::spawn().await;
    // For each kind of record, an audit row as an older version wrote it:
    // every personal field with its value, and a field that is not personal.
    for (i, (entity, fields)) in audit::PERSONAL.iter().enumerate() {
        let mut changes = serde_json::Map::new();
        for f in *fields {
            changes.insert((*f).to_owned(), json!({"old": "Ayşe", "new": "A. Y."}));
        }
        changes.insert("status".into(), json!({"old": "active", "new": "closed"}));
        app.sql(&format!(
            "INSERT INTO audit_events (action, entity, entity_id, changes) \
             VALUES ('update', '{entity}', {}, '{}')",
            100 + i,
            serde_json::Value::Object(changes)
        ))
        .await;
    }
    let mut conn = as_app(&app).await;
    for (i, (entity, fields)) in audit::PERSONAL.iter().enumerate() {
        conn.batch_execute(&format!(
            "SELECT audit_redact('{entity}', ARRAY[{}]::bigint[])",
            100 + i
        ))
        .await
        .expect("the application role may redact");
        // Exactly the fields audit::PERSONAL names: the function's list
        // and the Rust one are the same.
        let mut expected = serde_json::Map::new();
        for f in *fields {
            expected.insert((*f).to_owned(), json!({"changed": true}));
        }
        expected.insert("status".into(), json!({"old": "active", "new": "closed"}));
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) FROM audit_events WHERE entity_id = {} AND changes = '{}'::jsonb",
                100 + i,
                serde_json::Value::Object(expected)
            ))
            .await,
            1,
            "{entity}: the personal fields redacted, the status kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_made_before_the_roles_is_handed_to_the_owner() {
    let root =
        crate::external::Folder(temp_root().join(format!("nm-roles-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root.0);
    let cluster = db::LocalCluster::start_or_attach(&root.0.join("pg"), &fast()).expect("cluster");
    // As earlier versions did: the superuser made the database and ran
    // the migrations, so it owns everything.
    let name = "neighbourhood_mothers";
    let mut admin = AsyncPgConnection::establish(&cluster.conninfo("postgres"))
        .await
        .expect("connect");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create");
    db::run_migrations(&cluster.conninfo(name))
        .await
        .expect("migrate as the superuser");
    let mut conn = AsyncPgConnection::establish(&cluster.conninfo(name))
        .await
        .expect("connect");
    assert!(
        num(
            &mut conn,
            "SELECT count(*) AS v FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'postgres'"
        )
        .await
            > 40
    );

    // What `serve` does on start: prepare, then migrate as the owner.
    let endpoint = cluster.endpoint();
    db::prepare_embedded(endpoint, name).await.expect("prepare");
    db::prepare_embedded(endpoint, name)
        .await
        .expect("prepare again: nothing to do");
    db::migrate(
        &endpoint.conninfo_as(name, roles::OWNER),
        &endpoint.conninfo_as(name, roles::APP),
    )
    .await
    .expect("migrate as the owner");
    for (what, sql) in [
        (
            "tables",
            "SELECT count(*) AS v FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'nm_owner'",
        ),
        (
            "sequences",
            "SELECT count(*) AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> 'nm_owner'",
        ),
        (
            "functions",
            "SELECT count(*) AS v FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'nm_owner'",
        ),
        (
            "database",
            "SELECT count(*) AS v FROM pg_database WHERE datname = current_database() \
             AND pg_get_userbyid(datdba) <> 'nm_owner'",
        ),
    ] {
        assert_eq!(num(&mut conn, sql).await, 0, "{what} not handed over");
    }
    // The application role can work, within its rights.
    let mut app = AsyncPgConnection::establish(&endpoint.conninfo_as(name, roles::APP))
        .await
        .expect("connect as the application role");
    app.batch_execute(
        "INSERT INTO server_keys (name, key) VALUES ('test', decode(repeat('00', 32), 'hex'))",
    )
    .await
    .expect("insert as the application role");
    assert!(
        refused(&mut app, "UPDATE audit_events SET action = 'x'")
            .await
            .contains("permission denied")
    );
    drop(cluster);
}
