//! A record's change history in words, for the record's page: who, when,
//! what was done, and for each field its name and its old and new value,
//! translated where the value is one of a list (a kind, a status, a
//! service). Read from the audit log by `audit::history` and `audit::latest`.

use serde_json::Value;

use super::Page;
use crate::audit::{HistoryEntry, Names, field_kind};

/// One history entry, ready to show.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    /// `<time datetime>` value.
    pub at: String,
    /// As shown: day and time.
    pub when: String,
    pub who: String,
    pub what: String,
    /// The record in words ("visit 12") and its page, if it has one.
    pub subject: String,
    pub href: Option<String>,
    /// Field, old value, new value (empty: not kept or none).
    pub fields: Vec<(String, String, String)>,
}

/// The prefixes under which a field's values are translated.
fn value_prefixes(field: &str) -> &'static [&'static str] {
    match field {
        "kind" => &["visit-kind", "event-kind"],
        "status" | "from_status" | "to_status" => &[
            "referral-status",
            "enrolment-status",
            "mother-status",
            "family-status",
        ],
        "service" | "referrals" => &["service"],
        "contact_origin" => &["origin"],
        "engagement" => &["engagement"],
        "gender" => &["gender"],
        "role" => &["role"],
        "category" => &["category"],
        "funder_kind" => &["funder-kind"],
        _ => &[],
    }
}

fn word(page: &Page, names: &Names, field: &str, v: &Value) -> String {
    if let Some(kind) = field_kind(field) {
        let id = v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
        if let Some(name) = id.and_then(|id| names.get(kind, id)) {
            return name.to_owned();
        }
    }
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => page.t(if *b { "history-yes" } else { "history-no" }),
        Value::Array(items) => items
            .iter()
            .map(|i| word(page, names, field, i))
            .collect::<Vec<_>>()
            .join(page.list_sep()),
        // An instant (a token's end, a lockout): in the server's time zone.
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => {
            chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| {
                    page.tr
                        .date_time(t.with_timezone(&chrono::Local).naive_local())
                })
                .unwrap_or_default()
        }
        Value::String(s) if matches!(field, "languages" | "interpreter_languages") => {
            page.code_name("language", s)
        }
        Value::String(s) if matches!(field, "country" | "country_of_origin") => {
            page.code_name("country", s)
        }
        Value::String(s) if field == "currency" => page.code_name("currency", s),
        Value::String(s) if field == "default_language" => page.code_name("language", s),
        // A day (`2024-03-05`): in the reader's format.
        Value::String(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| page.tr.date(d))
                .unwrap_or_default()
        }
        Value::String(s) => value_prefixes(field)
            .iter()
            .find_map(|p| page.try_t(&format!("{p}-{}", s.replace('_', "-"))))
            .unwrap_or_else(|| s.clone()),
        Value::Object(o) if o.get("changed").is_some() => page.t("history-changed"),
        other => other.to_string(),
    }
}

/// A field's name in words: `history-field-<name>`, else `field-<name>`,
/// else the name itself.
pub fn field_name(page: &Page, field: &str) -> String {
    // A field for one language (`worker_one_de`): its name and the
    // language's own name.
    if let Some((base, lang)) = field.rsplit_once('_')
        && crate::web::i18n::available().iter().any(|l| l == lang)
    {
        return format!("{} ({})", field_name(page, base), page.native_name(lang));
    }
    let key = field.replace('_', "-");
    page.try_t(&format!("history-field-{key}"))
        .or_else(|| page.try_t(&format!("field-{key}")))
        .unwrap_or_else(|| field.replace('_', " "))
}

/// A record's page, by the audit log's kind of record.
fn record_page(entity: &str, id: i64) -> Option<String> {
    let path = match entity {
        "visit" => format!("/visits/{id}"),
        "family" => format!("/families/{id}"),
        "mother" => format!("/mothers/{id}"),
        "event" => format!("/events/{id}/edit"),
        "programme" | "visit_plan" => format!("/programmes/{id}"),
        "grant" => format!("/grants/{id}"),
        "course" => format!("/courses/{id}"),
        "course_module" => format!("/modules/{id}/edit"),
        "enrolment" | "expense" | "referral" | "api_token" | "district" | "topic" | "service"
        | "event_kind" => return None,
        "user" => format!("/admin/users/{id}"),
        _ => return None,
    };
    Some(path)
}

/// Nothing worth saying: a field a new record left empty.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The entries in words, the records named (read with `Names::of`).
pub async fn described(
    conn: &mut diesel_async::AsyncPgConnection,
    page: &Page,
    entries: &[HistoryEntry],
) -> diesel::QueryResult<Vec<HistoryLine>> {
    let names = Names::of(conn, entries).await?;
    Ok(lines(page, entries, &names))
}

/// The entries in words.
pub fn lines(page: &Page, entries: &[HistoryEntry], names: &Names) -> Vec<HistoryLine> {
    entries
        .iter()
        .map(|e| {
            let action = e.action.replace('_', "-");
            let what = page
                .try_t(&format!("history-{}-{action}", e.entity.replace('_', "-")))
                .or_else(|| page.try_t(&format!("history-action-{action}")))
                .unwrap_or_else(|| e.action.replace('_', " "));
            let kind = page
                .try_t(&format!("entity-{}", e.entity))
                .unwrap_or_else(|| e.entity.replace('_', " "));
            let named = e.entity_id.and_then(|id| names.get(&e.entity, id));
            HistoryLine {
                subject: match (e.entity_id, named) {
                    (_, Some(name)) => format!("{kind}: {name}"),
                    (Some(id), None) => format!("{kind} {id}"),
                    (None, None) => kind,
                },
                href: e.entity_id.and_then(|id| record_page(&e.entity, id)),
                at: e.at.to_rfc3339(),
                when: page
                    .tr
                    .date_time(e.at.with_timezone(&chrono::Local).naive_local()),
                who: e.actor.clone().unwrap_or_else(|| page.t("history-system")),
                what,
                fields: e
                    .fields
                    .iter()
                    // A new record's empty fields say nothing.
                    .filter(|(_, old, new)| old.is_some() || !new.as_ref().is_none_or(is_empty))
                    .map(|(f, old, new)| {
                        // An empty old value of a change is shown as "–",
                        // so that it reads as a change, not a new value.
                        let old = old
                            .as_ref()
                            .map(|v| match word(page, names, f, v) {
                                w if w.is_empty() => "–".to_owned(),
                                w => w,
                            })
                            .unwrap_or_default();
                        let new = match new {
                            Some(v) => word(page, names, f, v),
                            // `{"changed": true}`: the value is not kept.
                            None if old.is_empty() => page.t("history-changed"),
                            None => String::new(),
                        };
                        (field_name(page, f), old, new)
                    })
                    .collect(),
            }
        })
        .collect()
}
