//! The use case of events, for the page and the API alike: recording a
//! group activity with its participants and the mothers involved, in one
//! transaction with its audit row.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::input::EventInput;
use super::model::Event;
use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::EventId;
use crate::programmes::model::Programme;

/// Records an event; its id. A programme the caller may not see is an
/// unknown programme (a field error), as are an unknown district or mother.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &EventInput,
) -> AppResult<EventId> {
    let (programme_id, data) = input.validate().map_err(AppError::Validation)?;
    match Programme::find(conn, &access.scope, programme_id).await {
        Err(diesel::NotFound) => {
            return Err(AppError::field("programme_id", "error-programme-unknown"));
        }
        other => other?,
    };
    conn.transaction(async |conn| {
        let id =
            Event::insert(conn, programme_id, &data)
                .await
                .map_err(|e| match constraint_name(&e) {
                    Some("events_district_fkey") => {
                        AppError::field("district_id", "error-district-unknown")
                    }
                    _ => e.into(),
                })?;
        Event::link_mothers(conn, id, programme_id, &data.mother_ids)
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    _,
                ) => AppError::field("mother_ids", "error-mother-unknown"),
                e => e.into(),
            })?;
        audit::record(
            conn,
            access.actor,
            "create",
            Subject::of("event", id.0, Some(programme_id.0)),
            audit::created(&data),
        )
        .await?;
        Ok(id)
    })
    .await
}
