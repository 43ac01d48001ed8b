//! The server's "today" comes from its clock, which a test sets: pages and
//! rules work on that day, whatever day the tests run.

use chrono::NaiveDate;
use neighbourhood_mothers::app::Settings;
use neighbourhood_mothers::clock::Clock;

use crate::harness::TestApp;

#[tokio::test]
async fn pages_and_rules_follow_the_clock() {
    let day = NaiveDate::from_ymd_opt(2012, 5, 31).expect("date");
    let clock = Clock::on(day);
    let app = TestApp::spawn_signed_in(Settings {
        clock: clock.clone(),
        // The day moves below, the session stays.
        session_lifetime: time::Duration::days(2),
        ..Settings::default()
    })
    .await;

    // A new programme starts today by default.
    let html = app.get("/programmes/new").await.text().await.expect("page");
    assert!(html.contains("value=\"2012-05-31\""), "{html}");

    // A token's last day may be today or later, not before.
    let me = app.user_id.expect("id").to_string();
    for (last_day, status) in [
        ("2012-05-30", 422),
        ("2012-05-31", 200),
        ("2013-01-01", 200),
    ] {
        let res = app
            .post_form(
                "/admin/tokens",
                &[("user_id", &me), ("label", "x"), ("expires_on", last_day)],
            )
            .await;
        assert_eq!(res.status(), status, "{last_day}");
    }

    // The yearly report opens on the last full year.
    let html = app.get("/reports").await.text().await.expect("page");
    assert!(
        html.contains("name=\"year\" type=\"number\" min=\"1900\" max=\"2200\" value=\"2011\""),
        "{html}"
    );

    // Moving the clock moves the day.
    clock.set(clock.now() + chrono::Duration::days(1));
    let html = app.get("/programmes/new").await.text().await.expect("page");
    assert!(html.contains("value=\"2012-06-01\""), "{html}");
}
