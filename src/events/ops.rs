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
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::visits::model::{ListKind, Topic};

/// Whether `kind` is offered by the programme (or, for a correction, is
/// the event's kind already, though retired since).
async fn check_kind(
    conn: &mut AsyncPgConnection,
    programme_id: ProgrammeId,
    kind: &str,
    old: Option<&str>,
) -> AppResult<()> {
    if old == Some(kind) {
        return Ok(());
    }
    let usable = Topic::usable_codes(conn, ListKind::EventKind, programme_id).await?;
    if usable.iter().any(|k| k == kind) {
        Ok(())
    } else {
        Err(AppError::field("kind", ListKind::EventKind.unknown_key()))
    }
}

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
    check_kind(conn, programme_id, &data.kind, None).await?;
    conn.transaction(async |conn| {
        let id = Event::insert(conn, programme_id, &data)
            .await
            .map_err(field_error)?;
        Event::link_mothers(conn, id, programme_id, &data.mother_ids)
            .await
            .map_err(field_error)?;
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

/// The constraint errors of an event's writes, as field errors.
fn field_error(e: diesel::result::Error) -> AppError {
    match (constraint_name(&e), &e) {
        (Some("events_district_fkey"), _) => {
            AppError::field("district_id", "error-district-unknown")
        }
        (
            _,
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                _,
            ),
        ) => AppError::field("mother_ids", "error-mother-unknown"),
        _ => e.into(),
    }
}

/// Corrects an event: every field (a PATCH merges its fields into the
/// recorded ones first); it stays in its programme. One audit row names
/// the fields that changed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: EventId,
    input: &EventInput,
) -> AppResult<Event> {
    let validated = input.validate();
    conn.transaction(async |conn| {
        Event::lock(conn, &access.scope, id).await?;
        let old = Event::find(conn, &access.scope, id).await?;
        let (programme_id, data) = validated.map_err(AppError::Validation)?;
        if programme_id != old.programme_id {
            return Err(AppError::field(
                "programme_id",
                "error-event-other-programme",
            ));
        }
        check_kind(conn, programme_id, &data.kind, Some(&old.kind)).await?;
        Event::update(conn, id, programme_id, &data)
            .await
            .map_err(field_error)?;
        // With an attendance list, the counts are the list's.
        super::register::recount(conn, id).await?;
        let new = Event::find(conn, &access.scope, id).await?;
        let mut changes = audit::changed(&old.data(), &new.data());
        if let Some(o) = changes.as_object_mut()
            && o.contains_key("note")
        {
            o.insert("note".into(), serde_json::json!({"changed": true}));
        }
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of("event", id.0, Some(programme_id.0)),
            changes,
        )
        .await?;
        Ok(new)
    })
    .await
}

/// Deletes an event recorded by mistake; the audit row keeps what it was.
pub async fn delete(conn: &mut AsyncPgConnection, access: &Access, id: EventId) -> AppResult<()> {
    conn.transaction(async |conn| {
        Event::lock(conn, &access.scope, id).await?;
        let old = Event::find(conn, &access.scope, id).await?;
        Event::delete(conn, id).await?;
        let mut changes = audit::deleted(&old.data());
        if let Some(o) = changes.as_object_mut() {
            o.remove("note");
        }
        let programme: ProgrammeId = old.programme_id;
        audit::record(
            conn,
            access.actor,
            "delete",
            Subject::of("event", id.0, Some(programme.0)),
            changes,
        )
        .await?;
        Ok(())
    })
    .await
}
