//! A programme's curriculum: its own topics and its template of modules.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, ResultExt};
use crate::ids::{CurriculumTopicId, ProgrammeId, TemplateModuleId};
use crate::programmes::model::Programme;
use crate::training::input::{ModuleInput, TopicInput};
use crate::training::model::{TOPIC_LABEL_KEY, TemplateModule, Topic};

/// A topic the programme may use (a default or its own, not retired),
/// else a field error.
pub(super) async fn check_topic(
    conn: &mut AsyncPgConnection,
    topic_id: CurriculumTopicId,
    programme_id: ProgrammeId,
) -> AppResult<()> {
    if Topic::usable(conn, topic_id, programme_id).await? {
        Ok(())
    } else {
        Err(AppError::field("topic_id", "error-topic-unknown"))
    }
}

/// Adds a programme's own topic; its label is unique in the programme.
pub async fn create_topic(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    input: &TopicInput,
) -> AppResult<Topic> {
    conn.transaction(async |conn| {
        Programme::find(conn, &access.scope, programme_id).await?;
        let label = input.validate().map_err(AppError::Validation)?;
        let t = Topic::insert(conn, programme_id, &label)
            .await
            .on_constraint(TOPIC_LABEL_KEY, || {
                AppError::field("label", "error-topic-taken")
            })?;
        audit::record(
            conn,
            access.actor,
            "create",
            Topic::subject(t.id, programme_id),
            json!({"label": {"new": label}}),
        )
        .await?;
        Ok(t)
    })
    .await
}

/// Appends a module to the programme's curriculum template. The programme
/// is locked, so that two modules added at once get their own positions.
pub async fn create_template_module(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    input: &ModuleInput,
) -> AppResult<TemplateModule> {
    conn.transaction(async |conn| {
        Programme::find_for_update(conn, &access.scope, programme_id).await?;
        let data = input.validate().map_err(AppError::Validation)?;
        check_topic(conn, data.topic_id, programme_id).await?;
        let position = TemplateModule::next_position(conn, programme_id).await?;
        let m = TemplateModule::insert(conn, programme_id, position, &data).await?;
        audit::record(
            conn,
            access.actor,
            "create",
            TemplateModule::subject(m.id, programme_id),
            audit::created(&data),
        )
        .await?;
        Ok(m)
    })
    .await
}

/// Removes a module from a curriculum template (the courses made from it
/// keep their copies).
pub async fn delete_template_module(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: TemplateModuleId,
) -> AppResult<TemplateModule> {
    conn.transaction(async |conn| {
        let m = TemplateModule::find_for_update(conn, &access.scope, id).await?;
        TemplateModule::delete(conn, id).await?;
        audit::record(
            conn,
            access.actor,
            "delete",
            TemplateModule::subject(id, m.programme_id),
            audit::deleted(&m),
        )
        .await?;
        Ok(m)
    })
    .await
}
