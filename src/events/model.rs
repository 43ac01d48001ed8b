//! Events: group activities with their participants.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{DistrictId, EventId, ProgrammeId};
use crate::schema::{event_mothers, events};

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
    #[schema(value_type = i64)]
    pub id: EventId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = Option<i64>)]
    pub district_id: Option<DistrictId>,
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
    pub district_id: Option<DistrictId>,
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
    EventId,
    ProgrammeId,
    Option<DistrictId>,
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
        programme_id: Option<ProgrammeId>,
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
        let ids: Vec<EventId> = rows.iter().map(|r| r.0).collect();
        let links: Vec<(EventId, i64)> = event_mothers::table
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

    /// Inserts an event; its id.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &EventData,
    ) -> QueryResult<EventId> {
        diesel::insert_into(events::table)
            .values((
                events::programme_id.eq(programme_id),
                events::district_id.eq(data.district_id),
                events::kind.eq(data.kind),
                events::title.eq(&data.title),
                events::held_on.eq(data.held_on),
                events::migrant_participants.eq(data.migrant_participants),
                events::local_participants.eq(data.local_participants),
                events::interpreter_languages.eq(data
                    .interpreter_languages
                    .iter()
                    .cloned()
                    .map(Some)
                    .collect::<Vec<_>>()),
                events::note.eq(&data.note),
            ))
            .returning(events::id)
            .get_result(conn)
            .await
    }

    /// Links the mothers involved to an event.
    pub async fn link_mothers(
        conn: &mut AsyncPgConnection,
        id: EventId,
        programme_id: ProgrammeId,
        mother_ids: &[i64],
    ) -> QueryResult<()> {
        let links: Vec<_> = mother_ids
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
            .map(drop)
    }
}
