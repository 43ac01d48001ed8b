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
    use neighbourhood_mothers::events::model::EventKind;
    use neighbourhood_mothers::families::model::{ContactOrigin, FamilyStatus};
    use neighbourhood_mothers::funding::model::{
        ExpenseCategory, FunderKind, GrantStatus, GrantWarning,
    };
    use neighbourhood_mothers::mothers::model::{Engagement, Gender, MotherStatus};
    use neighbourhood_mothers::training::model::{AttendanceStatus, EnrolmentStatus};
    use neighbourhood_mothers::visits::model::{ReferralStatus, Service, VisitKind};
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
    wanted.extend(Service::ALL.map(|x| format!("service-{x}")));
    wanted.extend(ReferralStatus::ALL.map(|x| format!("referral-status-{x}")));
    wanted.extend(EventKind::ALL.map(|x| format!("event-kind-{x}")));
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
