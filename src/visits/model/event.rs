//! Events: group activities with their participants.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::schema::{event_mothers, events};

use super::*;

crate::text_enum! {
    /// What kind of group activity an event is.
    pub enum EventKind {
        Event = "event",
        Workshop = "workshop",
        InformationSession = "information_session",
        Excursion = "excursion",
    }
}

/// A group activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    pub programme_id: i64,
    pub district_id: Option<i64>,
    pub kind: EventKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub migrant_participants: i32,
    pub local_participants: i32,
    pub interpreter_languages: Vec<String>,
    pub mother_ids: Vec<i64>,
    pub note: String,
}

/// An event's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventData {
    pub district_id: Option<i64>,
    pub kind: EventKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub migrant_participants: i32,
    pub local_participants: i32,
    pub interpreter_languages: Vec<String>,
    pub mother_ids: Vec<i64>,
    pub note: String,
}

type EventRow = (
    i64,
    i64,
    Option<i64>,
    EventKind,
    String,
    NaiveDate,
    i32,
    i32,
    Vec<Option<String>>,
    String,
);

impl Event {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
    ) -> QueryResult<Vec<Event>> {
        let mut q = events::table
            .select((
                events::id,
                events::programme_id,
                events::district_id,
                events::kind,
                events::title,
                events::held_on,
                events::migrant_participants,
                events::local_participants,
                events::interpreter_languages,
                events::note,
            ))
            .order((events::held_on.desc(), events::id.desc()))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(events::programme_id.eq_any(ids));
        }
        if let Some(p) = programme_id {
            q = q.filter(events::programme_id.eq(p));
        }
        let rows: Vec<EventRow> = q.load(conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let links: Vec<(i64, i64)> = event_mothers::table
            .filter(event_mothers::event_id.eq_any(&ids))
            .select((event_mothers::event_id, event_mothers::mother_id))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| Event {
                mother_ids: links
                    .iter()
                    .filter(|(e, _)| *e == r.0)
                    .map(|(_, m)| *m)
                    .collect(),
                id: r.0,
                programme_id: r.1,
                district_id: r.2,
                kind: r.3,
                title: r.4,
                held_on: r.5,
                migrant_participants: r.6,
                local_participants: r.7,
                interpreter_languages: r.8.into_iter().flatten().collect(),
                note: r.9,
            })
            .collect())
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &EventData,
    ) -> AppResult<i64> {
        Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        conn.transaction(async |conn| {
            let id: i64 = diesel::insert_into(events::table)
                .values((
                    events::programme_id.eq(programme_id),
                    events::district_id.eq(data.district_id),
                    events::kind.eq(data.kind),
                    events::title.eq(&data.title),
                    events::held_on.eq(data.held_on),
                    events::migrant_participants.eq(data.migrant_participants),
                    events::local_participants.eq(data.local_participants),
                    events::interpreter_languages.eq(strings(&data.interpreter_languages)),
                    events::note.eq(&data.note),
                ))
                .returning(events::id)
                .get_result(conn)
                .await
                .map_err(|e| match constraint_name(&e) {
                    Some("events_district_fkey") => {
                        AppError::field("district_id", "error-district-unknown")
                    }
                    _ => e.into(),
                })?;
            let links: Vec<_> = data
                .mother_ids
                .iter()
                .map(|m| {
                    (
                        event_mothers::event_id.eq(id),
                        event_mothers::mother_id.eq(*m),
                        event_mothers::programme_id.eq(programme_id),
                    )
                })
                .collect();
            diesel::insert_into(event_mothers::table)
                .values(links)
                .execute(conn)
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
                actor,
                "create",
                Subject::of("event", id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(id)
        })
        .await
    }
}
