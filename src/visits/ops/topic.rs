//! Visit topics: a programme adds its own, renames and retires them (the
//! defaults, with a key, are fixed).

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit::{self, Subject};
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::visits::input::LabelInput;
use crate::visits::model::{TOPIC_LABEL_KEY, Topic};

fn topic_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(TOPIC_LABEL_KEY) => AppError::field("label", "error-topic-taken"),
        _ => e.into(),
    }
}

/// A programme's own topic, for renaming and retiring (defaults are
/// fixed: 409), locked when `lock`.
pub async fn own(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    id: TopicId,
    lock: bool,
) -> AppResult<Topic> {
    let t = Topic::find(conn, id, lock).await?;
    match t.programme_id {
        Some(p) if scope.allows(p) => Ok(t),
        Some(_) => Err(AppError::NotFound),
        None => Err(AppError::Conflict("error-topic-default")),
    }
}

/// Adds a programme's own topic. Not found comes before invalid.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    input: &LabelInput,
) -> AppResult<Topic> {
    Programme::find(conn, &access.scope, programme_id).await?;
    let label = input.validate().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let t = Topic::insert(conn, programme_id, &label)
            .await
            .map_err(topic_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Subject::of("topic", t.id.0, Some(programme_id.0)),
            json!({"label": {"new": label}}),
        )
        .await?;
        Ok(t)
    })
    .await
}

/// Renames a programme's own topic. Not found (or a default) comes before
/// invalid.
pub async fn rename(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: TopicId,
    input: &LabelInput,
) -> AppResult<Topic> {
    conn.transaction(async |conn| {
        let old = own(conn, &access.scope, id, true).await?;
        let label = input.validate().map_err(AppError::Validation)?;
        let t = Topic::set_label(conn, id, &label)
            .await
            .map_err(topic_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of("topic", id.0, old.programme_id.map(i64::from)),
            audit::changed(&old, &t),
        )
        .await?;
        Ok(t)
    })
    .await
}

/// Retires (`true`) or restores a topic: retired, it is no longer offered
/// but stays on past visits and in reports.
pub async fn set_retired(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: TopicId,
    retired: bool,
    now: DateTime<Utc>,
) -> AppResult<Topic> {
    conn.transaction(async |conn| {
        let old = own(conn, &access.scope, id, true).await?;
        let t = Topic::set_retired_at(conn, id, retired.then_some(now)).await?;
        audit::record(
            conn,
            access.actor,
            if retired { "retire" } else { "restore" },
            Subject::of("topic", id.0, old.programme_id.map(i64::from)),
            audit::changed(&old, &t),
        )
        .await?;
        Ok(t)
    })
    .await
}
