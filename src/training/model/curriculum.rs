//! The curriculum: each programme's training topics and the template of
//! modules a new course starts from.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{CurriculumTopicId, ProgrammeId, TemplateModuleId};
use crate::schema::{curriculum_template_modules, curriculum_topics};

// ---------------------------------------------------------------- topics

/// A curriculum topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    #[schema(value_type = i64)]
    pub id: CurriculumTopicId,
    #[schema(value_type = Option<i64>)]
    pub programme_id: Option<ProgrammeId>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

/// The unique index on a programme's topic labels.
pub const TOPIC_LABEL_KEY: &str = "curriculum_topics_label_key";

impl Topic {
    pub(crate) fn subject(id: CurriculumTopicId, programme_id: ProgrammeId) -> Subject {
        Subject::of("curriculum_topic", id.0, Some(programme_id.0))
    }

    /// The defaults and the programme's own topics, defaults first.
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
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
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        label: &str,
    ) -> QueryResult<Topic> {
        diesel::insert_into(curriculum_topics::table)
            .values((
                curriculum_topics::programme_id.eq(programme_id),
                curriculum_topics::label.eq(label),
            ))
            .returning(Topic::as_returning())
            .get_result(conn)
            .await
    }

    /// Whether the programme may use the topic: a default or its own, not
    /// retired.
    pub async fn usable(
        conn: &mut AsyncPgConnection,
        id: CurriculumTopicId,
        programme_id: ProgrammeId,
    ) -> QueryResult<bool> {
        let found: Option<CurriculumTopicId> = curriculum_topics::table
            .find(id)
            .filter(curriculum_topics::retired_at.is_null())
            .filter(
                curriculum_topics::programme_id
                    .is_null()
                    .or(curriculum_topics::programme_id.eq(programme_id)),
            )
            .select(curriculum_topics::id)
            .first(conn)
            .await
            .optional()?;
        Ok(found.is_some())
    }
}

// ------------------------------------------------------------- template

/// One module of a programme's curriculum template.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = curriculum_template_modules, check_for_backend(diesel::pg::Pg))]
pub struct TemplateModule {
    #[schema(value_type = i64)]
    pub id: TemplateModuleId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    pub position: i32,
    pub title: String,
    #[schema(value_type = i64)]
    pub topic_id: CurriculumTopicId,
    pub minutes: i32,
}

/// A module's validated fields (template or course).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleData {
    pub title: String,
    pub topic_id: CurriculumTopicId,
    /// `None`: not scheduled yet.
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    pub interpreter_languages: Vec<String>,
}

impl TemplateModule {
    pub(crate) fn subject(id: TemplateModuleId, programme_id: ProgrammeId) -> Subject {
        Subject::of("template_module", id.0, Some(programme_id.0))
    }

    /// The programme's template, in order.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
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

    /// One template module, if its programme is in `scope`, locked for the
    /// rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: TemplateModuleId,
    ) -> QueryResult<TemplateModule> {
        let m: TemplateModule = curriculum_template_modules::table
            .find(id)
            .select(TemplateModule::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(m.programme_id, m)
    }

    /// The position after the template's last module.
    pub async fn next_position(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<i32> {
        let last: Option<i32> = curriculum_template_modules::table
            .filter(curriculum_template_modules::programme_id.eq(programme_id))
            .select(diesel::dsl::max(curriculum_template_modules::position))
            .first(conn)
            .await?;
        Ok(last.unwrap_or(0) + 1)
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        position: i32,
        data: &ModuleData,
    ) -> QueryResult<TemplateModule> {
        diesel::insert_into(curriculum_template_modules::table)
            .values((
                curriculum_template_modules::programme_id.eq(programme_id),
                curriculum_template_modules::position.eq(position),
                curriculum_template_modules::title.eq(&data.title),
                curriculum_template_modules::topic_id.eq(data.topic_id),
                curriculum_template_modules::minutes.eq(data.minutes),
            ))
            .returning(TemplateModule::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: TemplateModuleId) -> QueryResult<usize> {
        diesel::delete(curriculum_template_modules::table.find(id))
            .execute(conn)
            .await
    }
}
