//! The topic taxonomy: the defaults and each programme's own topics.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::ProgrammeId;
use crate::schema::topics;

/// A visit topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    pub id: i64,
    pub programme_id: Option<i64>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

pub const TOPIC_LABEL_KEY: &str = "topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics (retired ones too).
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<Topic>> {
        topics::table
            .filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .order((topics::programme_id.is_not_null(), topics::id))
            .load(conn)
            .await
    }

    /// The topics of several programmes (for lists across programmes).
    pub async fn for_scope(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<Topic>> {
        let mut q = topics::table
            .select(Topic::as_select())
            .order(topics::id)
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq_any(ids)),
            );
        }
        q.load(conn).await
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        label: &str,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let t: Topic = diesel::insert_into(topics::table)
                .values((
                    topics::programme_id.eq(programme_id),
                    topics::label.eq(label),
                ))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await
                .map_err(topic_error)?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("topic", t.id, Some(programme_id)),
                json!({"label": {"new": label}}),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// A programme's own topic, for renaming and retiring (defaults are fixed).
    pub async fn own(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<Topic> {
        let t: Topic = topics::table
            .find(id)
            .select(Topic::as_select())
            .first(conn)
            .await?;
        match t.programme_id {
            Some(p) if scope.allows(ProgrammeId(p)) => Ok(t),
            Some(_) => Err(AppError::NotFound),
            None => Err(AppError::Conflict("error-topic-default")),
        }
    }

    pub async fn rename(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        label: &str,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let old = Topic::own(conn, scope, id).await?;
            let t: Topic = diesel::update(topics::table.find(id))
                .set(topics::label.eq(label))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await
                .map_err(topic_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("topic", id, old.programme_id),
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
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        retired: bool,
        now: DateTime<Utc>,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let old = Topic::own(conn, scope, id).await?;
            let t: Topic = diesel::update(topics::table.find(id))
                .set(topics::retired_at.eq(retired.then_some(now)))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                if retired { "retire" } else { "restore" },
                Subject::of("topic", id, old.programme_id),
                audit::changed(&old, &t),
            )
            .await?;
            Ok(t)
        })
        .await
    }
}

pub(crate) fn topic_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(TOPIC_LABEL_KEY) => AppError::field("label", "error-topic-taken"),
        _ => e.into(),
    }
}
