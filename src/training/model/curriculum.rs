//! The curriculum: each programme's training topics and the template of modules a new course starts from.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::schema::{curriculum_template_modules, curriculum_topics};

// ---------------------------------------------------------------- topics

/// A curriculum topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    pub id: i64,
    pub programme_id: Option<i64>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

pub const TOPIC_LABEL_KEY: &str = "curriculum_topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics, defaults first.
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<Topic>> {
        curriculum_topics::table
            .filter(
                curriculum_topics::programme_id
                    .is_null()
                    .or(curriculum_topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .order((
                curriculum_topics::programme_id.is_not_null(),
                curriculum_topics::id,
            ))
            .load(conn)
            .await
    }

    /// Adds a programme's own topic.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        label: &str,
    ) -> QueryResult<Topic> {
        conn.transaction(async |conn| {
            let t: Topic = diesel::insert_into(curriculum_topics::table)
                .values((
                    curriculum_topics::programme_id.eq(programme_id),
                    curriculum_topics::label.eq(label),
                ))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("curriculum_topic", t.id, Some(programme_id)),
                json!({"label": {"new": label}}),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// A topic the programme may use: a default or its own, not retired.
    pub(crate) async fn usable(
        conn: &mut AsyncPgConnection,
        id: i64,
        programme_id: i64,
    ) -> AppResult<()> {
        let ok: Option<Topic> = curriculum_topics::table
            .find(id)
            .filter(curriculum_topics::retired_at.is_null())
            .filter(
                curriculum_topics::programme_id
                    .is_null()
                    .or(curriculum_topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .first(conn)
            .await
            .optional()?;
        match ok {
            Some(_) => Ok(()),
            None => Err(AppError::field("topic_id", "error-topic-unknown")),
        }
    }
}

// ------------------------------------------------------------- template

/// One module of a programme's curriculum template.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_template_modules, check_for_backend(diesel::pg::Pg))]
pub struct TemplateModule {
    pub id: i64,
    pub programme_id: i64,
    pub position: i32,
    pub title: String,
    pub topic_id: i64,
    pub minutes: i32,
}

/// A module's validated fields (template or course).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleData {
    pub title: String,
    pub topic_id: i64,
    /// `None`: not scheduled yet.
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    pub interpreter_languages: Vec<String>,
}

impl TemplateModule {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<TemplateModule>> {
        curriculum_template_modules::table
            .filter(curriculum_template_modules::programme_id.eq(programme_id))
            .select(TemplateModule::as_select())
            .order((
                curriculum_template_modules::position,
                curriculum_template_modules::id,
            ))
            .load(conn)
            .await
    }

    /// Appends a module to the template.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        data: &ModuleData,
    ) -> AppResult<TemplateModule> {
        conn.transaction(async |conn| {
            Topic::usable(conn, data.topic_id, programme_id).await?;
            let next: Option<i32> = curriculum_template_modules::table
                .filter(curriculum_template_modules::programme_id.eq(programme_id))
                .select(diesel::dsl::max(curriculum_template_modules::position))
                .first(conn)
                .await?;
            let m: TemplateModule = diesel::insert_into(curriculum_template_modules::table)
                .values((
                    curriculum_template_modules::programme_id.eq(programme_id),
                    curriculum_template_modules::position.eq(next.unwrap_or(0) + 1),
                    curriculum_template_modules::title.eq(&data.title),
                    curriculum_template_modules::topic_id.eq(data.topic_id),
                    curriculum_template_modules::minutes.eq(data.minutes),
                ))
                .returning(TemplateModule::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("template_module", m.id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    pub async fn delete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<TemplateModule> {
        conn.transaction(async |conn| {
            let m: TemplateModule = curriculum_template_modules::table
                .find(id)
                .select(TemplateModule::as_select())
                .first(conn)
                .await?;
            scope.check(ProgrammeId(m.programme_id))?;
            diesel::delete(curriculum_template_modules::table.find(id))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "delete",
                Subject::of("template_module", id, Some(m.programme_id)),
                audit::deleted(&m),
            )
            .await?;
            Ok(m)
        })
        .await
    }
}
