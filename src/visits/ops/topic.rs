//! A programme's lists (visit topics, services, event kinds): it adds its
//! own entries, renames and retires them (the defaults, with a key, are
//! fixed).

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit::{self, Subject};
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::visits::input::LabelInput;
use crate::visits::model::{ListKind, TOPIC_LABEL_KEY, Topic};
use crate::web::i18n::Tr;

fn topic_error(list: ListKind, e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(TOPIC_LABEL_KEY) => AppError::field("label", list.taken_key()),
        _ => e.into(),
    }
}

/// Whether `label` names one of the list's defaults, in any of the
/// languages the pages show them in (a programme's own "School" next to
/// the default would be two entries no one can tell apart).
async fn names_a_default(
    conn: &mut AsyncPgConnection,
    list: ListKind,
    programme_id: ProgrammeId,
    label: &str,
) -> AppResult<bool> {
    let wanted = label.trim().to_lowercase();
    let languages = ["en", "de", "da", "tr", "ar"];
    for t in Topic::of_list(conn, list, programme_id).await? {
        let Some(key) = &t.key else { continue };
        let message = format!("{}-{}", list.label_prefix(), key.replace('_', "-"));
        let mut names = vec![t.label.to_lowercase(), key.replace('_', " ")];
        names.extend(
            languages
                .iter()
                .filter_map(|l| l.parse().ok())
                .map(|l| Tr::new(l).t(&message).to_lowercase()),
        );
        if names.contains(&wanted) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A programme's own entry of `list`, for renaming and retiring (defaults
/// are fixed: 409; another list's entry is not found), locked when `lock`.
pub async fn own(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    list: ListKind,
    id: TopicId,
    lock: bool,
) -> AppResult<Topic> {
    let t = Topic::find(conn, id, lock).await?;
    match t.programme_id {
        _ if t.list != list => Err(AppError::NotFound),
        Some(p) if scope.allows(p) => Ok(t),
        Some(_) => Err(AppError::NotFound),
        None => Err(AppError::Conflict(list.default_key())),
    }
}

/// Adds a programme's own entry to `list`. Not found comes before invalid.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    list: ListKind,
    programme_id: ProgrammeId,
    input: &LabelInput,
) -> AppResult<Topic> {
    Programme::find(conn, &access.scope, programme_id).await?;
    let label = input.validate().map_err(AppError::Validation)?;
    if names_a_default(conn, list, programme_id, &label).await? {
        return Err(AppError::field("label", list.taken_key()));
    }
    conn.transaction(async |conn| {
        let t = Topic::insert(conn, list, programme_id, &label)
            .await
            .map_err(|e| topic_error(list, e))?;
        audit::record(
            conn,
            access.actor,
            "create",
            Subject::of(list.entity(), t.id.0, Some(programme_id.0)),
            json!({"label": {"new": label}}),
        )
        .await?;
        Ok(t)
    })
    .await
}

/// Renames a programme's own entry. Not found (or a default) comes before
/// invalid.
pub async fn rename(
    conn: &mut AsyncPgConnection,
    access: &Access,
    list: ListKind,
    id: TopicId,
    input: &LabelInput,
) -> AppResult<Topic> {
    conn.transaction(async |conn| {
        let old = own(conn, &access.scope, list, id, true).await?;
        let label = input.validate().map_err(AppError::Validation)?;
        let programme_id = old.programme_id.unwrap_or(ProgrammeId(0));
        if names_a_default(conn, list, programme_id, &label).await? {
            return Err(AppError::field("label", list.taken_key()));
        }
        let t = Topic::set_label(conn, id, &label)
            .await
            .map_err(|e| topic_error(list, e))?;
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of(list.entity(), id.0, old.programme_id.map(i64::from)),
            audit::changed(&old, &t),
        )
        .await?;
        Ok(t)
    })
    .await
}

/// Retires (`true`) or restores an entry: retired, it is no longer
/// offered but stays on past records and in reports.
pub async fn set_retired(
    conn: &mut AsyncPgConnection,
    access: &Access,
    list: ListKind,
    id: TopicId,
    retired: bool,
    now: DateTime<Utc>,
) -> AppResult<Topic> {
    conn.transaction(async |conn| {
        let old = own(conn, &access.scope, list, id, true).await?;
        let t = Topic::set_retired_at(conn, id, retired.then_some(now)).await?;
        audit::record(
            conn,
            access.actor,
            if retired { "retire" } else { "restore" },
            Subject::of(list.entity(), id.0, old.programme_id.map(i64::from)),
            audit::changed(&old, &t),
        )
        .await?;
        Ok(t)
    })
    .await
}
