//! Every message a template or the code names exists in the English file.

use std::collections::BTreeSet;
use std::path::Path;

use crate::openapi::visit;

fn ftl_keys() -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en/main.ftl"))
            .expect("en ftl");
    text.lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.starts_with('#') && !k.is_empty() && !k.starts_with(' '))
        .collect()
}

/// String literals that look like message keys: `"error-..."`, `"flash-..."`,
/// and the first argument of `t(...)`/`t1(...)` and of the form macro.
fn used_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != '"' {
                j += 1;
            }
            let s: String = bytes[start..j.min(bytes.len())].iter().collect();
            let is_key_shape = s.len() > 3
                && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && s.contains('-')
                && !s.ends_with('-');
            let before: String = bytes[i.saturating_sub(4)..i].iter().collect();
            let known_prefix = ["error-", "flash-", "field-", "hint-", "action-", "nav-"]
                .iter()
                .any(|p| s.starts_with(p));
            if is_key_shape && (known_prefix || before.ends_with(".t(") || before.ends_with(".t1("))
            {
                keys.push(s);
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    keys
}

#[test]
fn every_used_message_exists() {
    let known = ftl_keys();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = BTreeSet::new();
    for dir in ["src", "templates"] {
        visit(&root.join(dir), &mut |file, text| {
            for k in used_keys(text) {
                if !known.contains(&k) {
                    missing.insert(format!("{k} ({})", file.display()));
                }
            }
        });
    }
    assert!(
        missing.is_empty(),
        "messages missing from locales/en/main.ftl: {missing:#?}"
    );
    assert!(known.contains("app-name"));
}

/// Labels built at run time (`page.label(prefix, value)`) exist for every value.
#[test]
fn every_enumerated_value_has_a_label() {
    use neighbourhood_mothers::families::model::{ContactOrigin, FamilyStatus};
    use neighbourhood_mothers::funding::model::{
        ExpenseCategory, FunderKind, GrantStatus, GrantWarning,
    };
    use neighbourhood_mothers::mothers::model::{Engagement, Gender, MotherStatus};
    use neighbourhood_mothers::training::model::{AttendanceStatus, EnrolmentStatus};
    use neighbourhood_mothers::visits::model::{ReferralStatus, VisitKind};
    let known = ftl_keys();
    let mut wanted: Vec<String> = Vec::new();
    for s in MotherStatus::ALL {
        wanted.push(format!("mother-status-{}", s.as_str()));
    }
    for g in Gender::ALL {
        wanted.push(format!("gender-{g}"));
    }
    for e in Engagement::ALL {
        wanted.push(format!("engagement-{e}"));
    }
    for s in EnrolmentStatus::ALL {
        wanted.push(format!("enrolment-status-{s}"));
    }
    for a in AttendanceStatus::ALL {
        wanted.push(format!("attendance-{a}"));
    }
    wanted.extend(ContactOrigin::ALL.map(|x| format!("origin-{x}")));
    wanted.extend(FamilyStatus::ALL.map(|x| format!("family-status-{x}")));
    wanted.extend(VisitKind::ALL.map(|x| format!("visit-kind-{x}")));
    wanted.extend(ReferralStatus::ALL.map(|x| format!("referral-status-{x}")));
    // The default services and kinds of event, as the migration that
    // lists them writes them.
    let lists = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/2026-11-30-000014_programme_lists/up.sql"
    ))
    .expect("migration");
    let mut defaults = 0;
    for line in lists.lines().map(str::trim) {
        for (list, prefix) in [
            ("('service', '", "service"),
            ("('event_kind', '", "event-kind"),
        ] {
            if let Some(rest) = line.strip_prefix(list) {
                let key = &rest[..rest.find('\'').expect("key")];
                wanted.push(format!("{prefix}-{key}"));
                defaults += 1;
            }
        }
    }
    assert_eq!(defaults, 13, "9 services and 4 kinds of event");
    wanted.extend(FunderKind::ALL.map(|x| format!("funder-kind-{x}")));
    wanted.extend(GrantStatus::ALL.map(|x| format!("grant-status-{x}")));
    wanted.extend(GrantWarning::ALL.map(|x| format!("grant-warning-{x}")));
    wanted.extend(ExpenseCategory::ALL.map(|x| format!("category-{x}")));
    for t in [
        "immigration_residence",
        "language",
        "work",
        "health",
        "law",
        "childcare",
        "child_development",
        "schools",
    ] {
        wanted.push(format!("topic-{t}"));
    }
    for r in ["admin", "manager", "coordinator", "trainer"] {
        wanted.push(format!("role-{r}"));
    }
    let missing: Vec<String> = wanted
        .into_iter()
        .map(|k| k.replace('_', "-"))
        .filter(|k| !known.contains(k))
        .collect();
    assert!(missing.is_empty(), "labels missing: {missing:?}");
}

/// Each message's variables, by id, in a locale's file.
fn messages(lang: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    use fluent_syntax::ast;
    fn vars_of_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                vars_of_expression(expression, out);
            }
        }
    }
    fn vars_of_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                vars_of_inline(selector, out);
                for v in variants {
                    vars_of_pattern(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => vars_of_inline(i, out),
        }
    }
    fn vars_of_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => vars_of_expression(expression, out),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    vars_of_inline(a, out);
                }
            }
            _ => {}
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}/main.ftl"));
    let text = std::fs::read_to_string(&path).expect("ftl");
    let resource = fluent_syntax::parser::parse(text.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{lang}: {} syntax errors: {errors:?}", errors.len()));
    let mut out = std::collections::BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                vars_of_pattern(p, &mut vars);
            }
            out.insert(m.id.name.to_owned(), vars);
        }
    }
    out
}

/// The variables for the workers' name, given to every message: a
/// language may use another of the four than English (`$worker` where
/// English begins a label with `$Worker`).
const WORKER_VARIABLES: [&str; 4] = ["worker", "workers", "Worker", "Workers"];

/// A message's variables apart from the workers' name, and whether it
/// names the workers.
fn split_worker(vars: &BTreeSet<String>) -> (BTreeSet<String>, bool) {
    let own = vars
        .iter()
        .filter(|v| !WORKER_VARIABLES.contains(&v.as_str()))
        .cloned()
        .collect();
    let names = vars.iter().any(|v| WORKER_VARIABLES.contains(&v.as_str()));
    (own, names)
}

/// Every language has exactly English's messages, with the same variables
/// (a message that names the workers does so in every language).
#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let english = messages("en");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut langs: Vec<String> = std::fs::read_dir(&root)
        .expect("locales")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    langs.sort();
    assert_eq!(langs, ["ar", "da", "de", "en", "tr"], "the five languages");
    let mut problems = Vec::new();
    for lang in langs.iter().filter(|l| *l != "en") {
        let other = messages(lang);
        for (id, vars) in &english {
            match other.get(id) {
                None => problems.push(format!("{lang}: {id} missing")),
                Some(v) if split_worker(v) != split_worker(vars) => {
                    problems.push(format!("{lang}: {id} has {v:?}, English {vars:?}"));
                }
                Some(_) => {}
            }
        }
        for id in other.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{lang}: {id} is not in English"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// No message writes the workers' usual word out: each takes it from
/// `$worker`/`$workers`, so that a programme's own word (Integrationslotsinnen)
/// replaces it everywhere. The product's name and the defaults themselves
/// are the exceptions.
#[test]
fn the_workers_are_named_through_the_variables() {
    let words: [(&str, &[&str]); 5] = [
        ("en", &["mother"]),
        ("de", &["stadtteilmutter", "stadtteilmütter"]),
        ("da", &["bydelsmor", "bydelsmødre"]),
        ("tr", &["mahalle anne"]),
        ("ar", &["أم الحي", "أمهات الحي"]),
    ];
    let except = [
        "app-name",
        "footer-text",
        "worker-one",
        "worker-other",
        "worker-words-intro",
        // The command line's flag `--role mother`.
        "cli-mother-required",
        // The command line's `import mothers`.
        "cli-import-kind",
    ];
    let mut problems = Vec::new();
    for (lang, usual) in words {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}/main.ftl"));
        let text = std::fs::read_to_string(&path).expect("ftl");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((id, value)) = line.split_once(" = ") else {
                continue;
            };
            let value = value.to_lowercase();
            if !except.contains(&id.trim()) && usual.iter().any(|w| value.contains(w)) {
                problems.push(format!("{lang}: {line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The main pages in each language: the right `lang` and `dir`, and none
/// of a list of English phrases left over.
#[tokio::test]
async fn the_main_pages_speak_each_language() {
    use crate::harness::TestApp;
    let app = TestApp::spawn().await;
    let p = app.programme("Stadtteilmütter Neukölln").await;
    let english = [
        "Sign in",
        "Sign out",
        "Log a visit",
        "Save and log another",
        "Yearly report",
        "Families reached",
        "Overview",
        "Change history",
        "No visit",
    ];
    for lang in ["de", "da", "tr", "ar"] {
        let dir = if lang == "ar" { "rtl" } else { "ltr" };
        let get = |path: String| {
            let app = &app;
            async move {
                let res = app
                    .client
                    .get(app.url(&path))
                    .header("accept-language", lang)
                    .send()
                    .await
                    .expect("GET");
                assert_eq!(res.status(), 200, "{lang} {path}");
                res.text().await.expect("text")
            }
        };
        let anonymous = app.anonymous();
        let login = anonymous
            .bare
            .get(anonymous.url("/login"))
            .header("accept-language", lang)
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("text");
        let mut pages = vec![("/login".to_owned(), login)];
        for path in [
            "/".to_owned(),
            "/visits/new".to_owned(),
            "/visits".to_owned(),
            format!("/reports?year=2025&programme={p}"),
        ] {
            let html = get(path.clone()).await;
            pages.push((path, html));
        }
        for (path, html) in &pages {
            assert!(
                html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                "{lang} {path}"
            );
            for phrase in english {
                assert!(
                    !html.contains(&format!(">{phrase}<"))
                        && !html.contains(&format!(">{phrase} ")),
                    "{lang} {path}: English left over: {phrase}"
                );
            }
        }
    }
}

/// The language picked on the sign-in page holds until the user chooses
/// one on the account page; each language is offered by its own name.
#[tokio::test]
async fn the_language_picker_offers_each_language_by_its_own_name() {
    use crate::harness::TestApp;
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let login = visitor.get("/login").await.text().await.expect("text");
    for name in ["Deutsch", "Dansk", "Türkçe", "العربية", "English"] {
        assert!(login.contains(&format!(">{name}</option>")), "{name}");
    }
    let res = visitor.get("/language?lang=ar&next=/login").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    let html = visitor.get("/login").await.text().await.expect("text");
    assert!(
        html.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "the cookie wins over the browser"
    );
    // An unknown language or a foreign target changes nothing.
    let res = visitor.get("/language?lang=xx&next=//evil.example").await;
    assert_eq!(res.headers()["location"], "/");
}
