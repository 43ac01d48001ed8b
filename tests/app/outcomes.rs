//! Outcomes (issue 19): the ready-made questionnaire of the Danish goals,
//! answered before and after by trainers and by a mother herself, with
//! known figures per item and goal; a family questionnaire answered by
//! the coordinator; the answers that must stay; who may answer what.

use serde_json::{Value, json};

use crate::harness::{Agent, TestApp, expect_json};
use neighbourhood_mothers::authz::Role;

async fn mother(app: &TestApp, p: i64, name: &str) -> i64 {
    let m = app
        .create(
            "/api/v1/mothers",
            &json!({"programme_id": p, "full_name": name, "phone": "+45 1", "gender": "female",
                    "engagement": "volunteer", "joined_on": "2019-01-01"}),
        )
        .await;
    expect_json(
        app.post_json(
            &format!("/api/v1/mothers/{m}/status"),
            &json!({"status": "active", "changed_on": "2019-01-15"}),
        )
        .await,
        200,
    )
    .await;
    m
}

async fn give(agent: &Agent, q: i64, body: Value, status: u16) -> Value {
    expect_json(
        agent
            .post_json(&format!("/api/v1/questionnaires/{q}/responses"), &body)
            .await,
        status,
    )
    .await
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("list")
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("{value} in {list}"))
}

#[tokio::test]
async fn the_danish_goals_before_and_after_give_the_share_who_improved() {
    let app = TestApp::spawn().await;
    let p = app.programme("Bydelsmødre København").await;
    let q = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/questionnaires"),
            &json!({"template": "dk-goals"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(q["subject"], "mother");
    assert_eq!(q["template"], "dk-goals");
    let items = q["items"].as_array().expect("items");
    assert!(items.len() >= 8);
    for lang in ["en", "de", "da", "tr", "ar"] {
        assert!(q["title"][lang].is_string(), "title in {lang}");
        assert!(
            items.iter().all(|i| i["text"][lang].is_string()),
            "items in {lang}"
        );
    }
    let q = q["id"].as_i64().expect("id");

    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let mut mothers = Vec::new();
    for i in 0..6 {
        mothers.push(mother(&app, p, &format!("Mor {i}")).await);
    }
    // Intake (Feb 2019) and evaluation (June 2019): children, health,
    // schools. Mother 5 stopped after the intake; mother 4 skipped
    // "schools" at the evaluation.
    let before = [
        (2, 1, 2),
        (3, 2, 2),
        (1, 1, 1),
        (2, 3, 3),
        (4, 4, 4),
        (1, 1, 1),
    ];
    let after = [(4, 3, 3), (4, 2, 4), (3, 2, 1), (2, 4, 5), (5, 5, 0)];
    for (i, (c, h, s)) in before.iter().enumerate() {
        let r = give(
            &trainer,
            q,
            json!({"point": "intake", "mother_id": mothers[i], "answered_on": "2019-02-01",
                   "answers": {"children": c, "health": h, "schools": s, "occupation": "home"}}),
            201,
        )
        .await;
        assert_eq!(r["answers"]["children"], *c);
    }
    for (i, (c, h, s)) in after.iter().enumerate() {
        let mut answers = json!({"children": c, "health": h, "occupation": "work"});
        if *s > 0 {
            answers["schools"] = json!(s);
        }
        if i == 0 {
            // She answers the evaluation herself, on her phone.
            continue;
        }
        give(
            &trainer,
            q,
            json!({"point": "evaluation", "mother_id": mothers[i], "answered_on": "2019-06-20",
                   "answers": answers}),
            201,
        )
        .await;
    }
    let phone = app.mother_agent(mothers[0]).await;
    let list = phone
        .get("/my/questionnaires")
        .await
        .text()
        .await
        .expect("html");
    assert!(list.contains(&format!("/my/questionnaires/{q}")), "{list}");
    let form = phone
        .get(&format!("/my/questionnaires/{q}"))
        .await
        .text()
        .await
        .expect("html");
    // Her intake is given (by the trainer): the form opens on the evaluation.
    assert!(
        form.contains("name=\"a_children\"")
            && form.contains("name=\"point\" value=\"evaluation\"")
    );
    // Her intake opens with its answers and its day, to change them.
    let intake = phone
        .get(&format!("/my/questionnaires/{q}?point=intake"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        intake.contains("value=\"2019-02-01\"")
            && intake.contains("name=\"a_children\" value=\"2\" checked")
    );
    let res = phone
        .post_form(
            &format!("/my/questionnaires/{q}"),
            &[
                ("point", "evaluation"),
                ("answered_on", "2019-06-21"),
                ("a_children", "4"),
                ("a_health", "3"),
                ("a_schools", "3"),
                ("a_occupation", "work"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Her baseline stays once she has answered the evaluation.
    let res = phone
        .post_form(
            &format!("/my/questionnaires/{q}"),
            &[
                ("point", "intake"),
                ("answered_on", "2019-06-21"),
                ("a_children", "5"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    // She answers for herself alone, and reads no one's answers.
    let res = phone
        .post_json(
            &format!("/api/v1/questionnaires/{q}/responses"),
            &json!({"point": "evaluation", "mother_id": mothers[1], "answered_on": "2019-06-21",
                    "answers": {"children": 1}}),
        )
        .await;
    assert!(
        res.status() == 403 || res.status() == 404,
        "{}",
        res.status()
    );
    // A second intake for someone replaces the first (200), not a second.
    give(
        &trainer,
        q,
        json!({"point": "intake", "mother_id": mothers[5], "answered_on": "2019-02-02",
               "answers": {"children": 1, "health": 1, "schools": 1}}),
        200,
    )
    .await;
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM questionnaire_responses")
            .await,
        11
    );

    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    let o = &r["outcomes"][0];
    assert_eq!(o["respondents_before"], 6);
    assert_eq!(o["respondents_after"], 5);
    assert_eq!(o["respondents_paired"], 5);
    let children = find(&o["items"], "key", "children");
    assert_eq!(
        (children["before_n"].clone(), children["after_n"].clone()),
        (json!(6), json!(5))
    );
    assert_eq!(children["paired_n"], 5);
    assert_eq!(children["improved_n"], 4, "{children}");
    assert_eq!(children["share_improved"], 0.8);
    let health = find(&o["items"], "key", "health");
    assert_eq!(
        (health["paired_n"].clone(), health["improved_n"].clone()),
        (json!(5), json!(4))
    );
    let schools = find(&o["items"], "key", "schools");
    assert_eq!(
        (schools["paired_n"].clone(), schools["improved_n"].clone()),
        (json!(4), json!(3))
    );
    let goal = &o["goals"][0];
    assert_eq!(
        goal["goal"]["en"],
        "Knowledge of children's well-being, health and schools"
    );
    assert_eq!(
        (goal["paired_n"].clone(), goal["improved_n"].clone()),
        (json!(14), json!(11))
    );
    let occupation = find(&o["items"], "key", "occupation");
    assert!(occupation["share_improved"].is_null());
    let work = find(&occupation["options"], "key", "work");
    assert_eq!(
        (work["before"].clone(), work["after"].clone()),
        (json!(0), json!(5))
    );
    // Nothing of 2020.
    let r2020 = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2020&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r2020["outcomes"][0]["respondents_after"], 0);

    // Her right of access holds her answers, with their questions.
    let export = expect_json(
        app.get(&format!("/api/v1/mothers/{}/export", mothers[0]))
            .await,
        200,
    )
    .await;
    let given = export["questionnaires"].as_array().expect("answers");
    assert_eq!(given.len(), 2, "intake and evaluation");
    assert_eq!(given[0]["point"], "evaluation");
    assert!(
        given[0]["answers"]
            .as_array()
            .expect("answers")
            .iter()
            .any(|a| {
                a["question"]["en"] == "What do you do at the moment?"
                    && a["answer"]["en"] == "I work"
            })
    );
    let page = app
        .get(&format!("/mothers/{}/export", mothers[0]))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("I know what children need"),
        "her answers on the page"
    );

    // The spreadsheet has them per question: before, after, n, share.
    let csv = app
        .get(&format!("/reports/yearly.csv?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        csv.lines()
            .any(|l| l.contains("I know what children need") && l.ends_with(",6,5,5,80.0 %")),
        "{csv}"
    );

    // The report page shows them.
    let page = app
        .get(&format!("/reports?year=2019&programme={p}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Outcomes") && page.contains("80"),
        "outcomes on the page"
    );

    // The answered items stay; the questionnaire can be retired, not deleted.
    let body = expect_json(
        app.patch_json(
            &format!("/api/v1/questionnaires/{q}"),
            &json!({"items": [{"key": "children", "kind": "scale", "text": {"en": "Children"}}]}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["error"]["fields"]["items"].is_string(), "{body}");
    assert_eq!(
        app.delete(&format!("/api/v1/questionnaires/{q}"))
            .await
            .status(),
        409
    );
    let retired = expect_json(
        app.patch_json(
            &format!("/api/v1/questionnaires/{q}"),
            &json!({"retired": true}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(retired["retired"], true);
    give(
        &trainer,
        q,
        json!({"point": "intake", "mother_id": mothers[1], "answered_on": "2020-01-01",
               "answers": {"children": 3}}),
        409,
    )
    .await;
    // A retired questionnaire with answers in the year stays in its report.
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    assert_eq!(r["outcomes"][0]["respondents_paired"], 5);
    assert!(
        app.count(
            "SELECT count(*)::bigint FROM audit_events WHERE entity = 'questionnaire_response'"
        )
        .await
            >= 11
    );
}

#[tokio::test]
async fn answers_are_checked_and_kept_to_those_who_give_them() {
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Berlin").await;
    let other = app.programme("Dorsten").await;
    let stranger = mother(&app, other, "Fremd").await;
    let m = mother(&app, p, "Ayşe").await;
    let q = app
        .create(
            &format!("/api/v1/programmes/{p}/questionnaires"),
            &json!({"title": {"en": "Family well-being", "de": "Wohlbefinden der Familie"},
                    "subject": "family",
                    "items": [{"key": "alone", "kind": "scale",
                               "goal": {"en": "Less isolation"},
                               "text": {"en": "We know where to turn for help."}},
                              {"kind": "choice", "text": {"en": "Child care"},
                               "options": [{"text": {"en": "day care"}}, {"text": {"en": "at home"}}]}]}),
        )
        .await;
    let mq = app
        .create(
            &format!("/api/v1/programmes/{p}/questionnaires"),
            &json!({"title": {"en": "Intake"}, "subject": "mother",
                    "items": [{"kind": "scale", "text": {"en": "I feel ready."}}]}),
        )
        .await;
    // Bad definitions: no items, an unknown kind, a choice with one option.
    let body = expect_json(
        app.post_json(
            &format!("/api/v1/programmes/{p}/questionnaires"),
            &json!({"title": {"en": "X"}, "subject": "neighbours", "items": [
                {"kind": "stars", "text": {"en": "?"}},
                {"kind": "choice", "text": {"en": "?"}, "options": [{"text": {"en": "a"}}]}]}),
        )
        .await,
        422,
    )
    .await;
    assert!(
        body["error"]["fields"]["subject"].is_string()
            && body["error"]["fields"]["items"].is_string()
    );

    let family = app
        .create(
            "/api/v1/families",
            &json!({"programme_id": p, "contact_origin": "event", "first_contact_on": "2019-01-10",
                    "consent_on": "2019-01-10", "name": "Familie Yıldız", "primary_mother_id": m}),
        )
        .await;
    let coordinator = app.with_user(Role::Coordinator, &[p]).await;
    let trainer = app.with_user(Role::Trainer, &[p]).await;
    let answer = |point: &str, v: Value| {
        json!({"point": point, "family_id": family, "answered_on": "2019-03-01",
               "answers": {"alone": v, "q2": "o1"}})
    };
    give(&coordinator, q, answer("first_visit", json!(2)), 201).await;
    // A family's answers are the coordinator's, not the trainer's.
    let res = trainer
        .post_json(
            &format!("/api/v1/questionnaires/{q}/responses"),
            &answer("tenth_visit", json!(4)),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        trainer
            .get(&format!("/api/v1/questionnaires/{q}/responses"))
            .await
            .status(),
        403
    );
    // A mother's are the trainer's: the coordinator may not.
    let res = coordinator
        .post_json(
            &format!("/api/v1/questionnaires/{mq}/responses"),
            &json!({"point": "intake", "mother_id": m, "answered_on": "2019-03-01",
                    "answers": {"q1": 3}}),
        )
        .await;
    assert_eq!(res.status(), 403);
    // Out of range, a wrong point, an unknown item, someone of another programme.
    for (body, field) in [
        (answer("tenth_visit", json!(7)), "answers"),
        (answer("intake", json!(3)), "point"),
        (
            json!({"point": "tenth_visit", "family_id": family, "answered_on": "2019-03-01",
                "answers": {"nope": 1}}),
            "answers",
        ),
    ] {
        let e = give(&coordinator, q, body, 422).await;
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }
    let e = give(
        &trainer,
        mq,
        json!({"point": "intake", "mother_id": stranger, "answered_on": "2019-03-01",
               "answers": {"q1": 3}}),
        422,
    )
    .await;
    assert!(e["error"]["fields"]["mother_id"].is_string(), "{e}");
    assert_eq!(
        app.count("SELECT count(*)::bigint FROM questionnaire_responses")
            .await,
        1
    );

    // Another programme's staff see none of it.
    let outsider = app.with_user(Role::Coordinator, &[other]).await;
    assert_eq!(
        outsider
            .get(&format!("/api/v1/questionnaires/{q}"))
            .await
            .status(),
        404
    );
    let res = outsider
        .post_json(
            &format!("/api/v1/questionnaires/{q}/responses"),
            &answer("tenth_visit", json!(4)),
        )
        .await;
    assert_eq!(res.status(), 404);

    // The page: the coordinator enters a family's answers; a refused form
    // keeps what was typed.
    let page = coordinator
        .get(&format!("/questionnaires/{q}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("We know where to turn for help.") && page.contains("name=\"person\""));
    let res = coordinator
        .post_form(
            &format!("/questionnaires/{q}/responses"),
            &[
                ("person", ""),
                ("point", "tenth_visit"),
                ("answered_on", "2019-09-01"),
                ("a_alone", "4"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("value=\"4\" checked") && html.contains("family_id-error"));
    let fid = family.to_string();
    let res = coordinator
        .post_form(
            &format!("/questionnaires/{q}/responses"),
            &[
                ("person", fid.as_str()),
                ("point", "tenth_visit"),
                ("answered_on", "2019-09-01"),
                ("a_alone", "4"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let r = expect_json(
        app.get(&format!("/api/v1/reports/yearly?year=2019&programme={p}"))
            .await,
        200,
    )
    .await;
    let fam = find(&r["outcomes"], "subject", "family");
    assert_eq!(fam["items"][0]["improved_n"], 1);
    assert_eq!(fam["goals"][0]["share_improved"], 1.0);

    // An erased family takes no new answers.
    expect_json(
        app.post_json(
            &format!("/api/v1/families/{family}/erase"),
            &json!({"reason": "request"}),
        )
        .await,
        200,
    )
    .await;
    let e = give(&coordinator, q, answer("tenth_visit", json!(5)), 422).await;
    assert!(e["error"]["fields"]["family_id"].is_string(), "{e}");

    // A questionnaire without answers may be deleted.
    assert_eq!(
        app.delete(&format!("/api/v1/questionnaires/{mq}"))
            .await
            .status(),
        204
    );
    // The list page offers the ready-made one to managers.
    let list = app
        .get(&format!("/programmes/{p}/questionnaires"))
        .await
        .text()
        .await
        .expect("html");
    assert!(list.contains("dk-goals") && list.contains("Family well-being"));
}
