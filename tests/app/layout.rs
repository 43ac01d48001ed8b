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
    assert_eq!(res.status(), 200, "the home page");
    for path in ["/", "/programmes", "/programmes/new", "/no-such-page"] {
        let html = app.get(path).await.text().await.expect("text");
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{path}");
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

/// Phone navigation and focus (issue 14, point 6), as the stylesheet says
/// it: the menu wraps instead of scrolling sideways, selects and section
/// headers get the focus ring, a closed section shows its marker, and a
/// field scrolled into view stops above the sticky save bar. (What a
/// browser makes of it is checked in headless Chromium at 360 px.)
#[tokio::test]
async fn the_phone_menu_wraps_and_every_control_shows_its_focus() {
    let app = TestApp::spawn().await;
    let css = app.get("/static/app.css").await.text().await.expect("text");
    let phone = &css[css.find("@media (max-width: 40rem)").expect("phone rules")..];
    let menu = &phone[phone.find("header.site nav ul").expect("the menu")..];
    let menu = &menu[..menu.find('}').expect("rule")];
    assert!(menu.contains("flex-wrap: wrap"), "{menu}");
    assert!(
        !menu.contains("overflow-x"),
        "no sideways scrolling: {menu}"
    );
    let focus = &css[..css.find("{ outline: 3px solid").expect("the focus ring")];
    let focus = &focus[focus.rfind('}').map_or(0, |i| i + 1)..];
    for control in ["button", "a", "input", "textarea", "select", "summary"] {
        assert!(
            focus.contains(&format!("{control}:focus-visible")),
            "{control} has the focus ring"
        );
    }
    assert!(css.contains("details > summary::before { content: \"▸\""));
    assert!(css.contains("details[open] > summary::before { content: \"▾\""));
    assert!(css.contains("scroll-padding-bottom"));
}
