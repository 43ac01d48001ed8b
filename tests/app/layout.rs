//! The layout: stylesheet embedded, phone viewport, nothing from a CDN.

use crate::harness::TestApp;

#[tokio::test]
async fn the_stylesheet_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let res = app.get("/static/app.css").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("text/css"))
    );
    let css = res.text().await.expect("text");
    assert!(
        css.contains("@media (max-width: 40rem)"),
        "phone layout rules"
    );
}

#[tokio::test]
async fn pages_share_the_layout_and_load_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/programmes");
    for path in ["/programmes", "/programmes/new", "/no-such-page"] {
        let html = app.get(path).await.text().await.expect("text");
        assert!(html.contains("<html lang=\"en\">"), "{path}");
        assert!(html.contains("name=\"viewport\""), "{path}");
        assert!(html.contains("href=\"/static/app.css\""), "{path}");
        assert!(
            html.contains("Neighbourhood Mothers"),
            "{path}: product name"
        );
        if path != "/no-such-page" {
            assert!(html.contains("<nav"), "{path}: navigation");
            assert!(html.contains("Sign out"), "{path}: sign-out button");
        }
        assert!(html.contains("<footer"), "{path}: footer");
        for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            assert!(!html.contains(external), "{path} loads {external}");
        }
    }
}
