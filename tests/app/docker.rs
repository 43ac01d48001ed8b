//! docker-compose.yml and the Dockerfile cannot run here (no Docker engine):
//! check their shape instead.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn compose_has_the_app_and_a_healthy_postgres_with_a_volume() {
    let text = std::fs::read_to_string(root().join("docker-compose.yml")).expect("compose file");
    let docs = YamlLoader::load_from_str(&text).expect("valid YAML");
    let doc = &docs[0];
    let services = &doc["services"];

    let db = &services["postgres"];
    assert!(
        db["image"]
            .as_str()
            .is_some_and(|i| i.starts_with("postgres:16")),
        "postgres:16 image"
    );
    assert!(
        !db["healthcheck"]["test"].is_badvalue(),
        "postgres health check"
    );
    let volume = db["volumes"][0].as_str().expect("postgres volume");
    let (name, target) = volume.split_once(':').expect("named volume");
    assert_eq!(target, "/var/lib/postgresql/data");
    assert!(
        !doc["volumes"][name].is_badvalue(),
        "volume {name} declared at the top level"
    );

    let app = &services["app"];
    assert_eq!(app["build"]["dockerfile"].as_str(), Some("Dockerfile"));
    assert_eq!(
        app["depends_on"]["postgres"]["condition"].as_str(),
        Some("service_healthy")
    );
    let env = &app["environment"];
    assert!(
        env["DATABASE_URL"]
            .as_str()
            .is_some_and(|u| u.contains("@postgres:5432/")),
        "the app reaches the postgres service"
    );
    assert_eq!(env["BIND"].as_str(), Some("0.0.0.0:3000"));
    // Requests as the application role the init script makes; migrations
    // as the image's owner role.
    let user = |url: &str| {
        url.strip_prefix("postgres://")
            .and_then(|r| r.split(':').next())
            .map(str::to_owned)
    };
    let app_user = user(env["DATABASE_URL"].as_str().unwrap_or_default());
    assert_eq!(app_user.as_deref(), Some("nm_app"));
    assert_eq!(
        user(env["DATABASE_OWNER_URL"].as_str().unwrap_or_default()).as_deref(),
        db["environment"]["POSTGRES_USER"].as_str()
    );
    let init = db["volumes"][1].as_str().expect("init scripts mounted");
    let (folder, target) = init.split_once(':').expect("bind mount");
    assert!(target.starts_with("/docker-entrypoint-initdb.d"));
    let sql = std::fs::read_to_string(root().join(folder).join("roles.sql")).expect("roles.sql");
    assert!(sql.contains("CREATE ROLE nm_app LOGIN"), "{sql}");
    // The data key in a volume of its own, so that it outlives the container.
    let key = env["DATA_KEY_FILE"].as_str().expect("DATA_KEY_FILE");
    let mounted = app["volumes"]
        .as_vec()
        .into_iter()
        .flatten()
        .filter_map(Yaml::as_str)
        .find_map(|v| v.split_once(':'))
        .expect("a volume for the key");
    assert!(key.starts_with(mounted.1), "{key} in {}", mounted.1);
    assert!(!doc["volumes"][mounted.0].is_badvalue());
    assert!(matches!(app["ports"][0], Yaml::String(_)));
}

#[test]
fn dockerfile_is_multi_stage_and_runs_as_a_user() {
    let text = std::fs::read_to_string(root().join("Dockerfile")).expect("Dockerfile");
    let froms = text.lines().filter(|l| l.starts_with("FROM ")).count();
    assert!(froms >= 2, "multi-stage build");
    let user = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER line");
    assert_ne!(user.trim(), "root");
    assert_ne!(user.trim(), "0");
}
