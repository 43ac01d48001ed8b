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
