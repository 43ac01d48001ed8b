//! Events: group activities with their participants.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{DistrictId, EventId, ProgrammeId};
use crate::schema::{event_mothers, events};

/// What kind of group activity an event is, as stored: the code of an
/// entry of the programme's list of event kinds (a default's key such as
/// `workshop`, or an own kind's id). See [`crate::visits::model::ListKind`].
pub type EventKind = String;

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

/// An event's own columns, as an insert and a correction write them.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_null = true)]
struct Columns<'a> {
    district_id: Option<DistrictId>,
    kind: &'a str,
    title: &'a str,
    held_on: NaiveDate,
    migrant_participants: i32,
    local_participants: i32,
    interpreter_languages: Vec<Option<String>>,
    note: &'a str,
}

impl<'a> Columns<'a> {
    fn of(d: &'a EventData) -> Self {
        Columns {
            district_id: d.district_id,
            kind: &d.kind,
            title: &d.title,
            held_on: d.held_on,
            migrant_participants: d.migrant_participants,
            local_participants: d.local_participants,
            interpreter_languages: d.interpreter_languages.iter().cloned().map(Some).collect(),
            note: &d.note,
        }
    }
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
        Event::load(conn, scope, programme_id, None).await
    }

    /// One event, if the scope reaches it.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: EventId,
    ) -> QueryResult<Event> {
        Event::load(conn, scope, None, Some(id))
            .await?
            .pop()
            .ok_or(diesel::NotFound)
    }

    /// Locks an event's row for the rest of the transaction, if the scope
    /// reaches it (else `NotFound`).
    pub async fn lock(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: EventId,
    ) -> QueryResult<()> {
        let programme: ProgrammeId = events::table
            .find(id)
            .select(events::programme_id)
            .for_update()
            .first(conn)
            .await?;
        scope.check(programme)
    }

    /// Writes an event's corrected fields and its mothers.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: EventId,
        programme_id: ProgrammeId,
        data: &EventData,
    ) -> QueryResult<()> {
        diesel::update(events::table.find(id))
            .set(Columns::of(data))
            .execute(conn)
            .await?;
        diesel::delete(event_mothers::table.filter(event_mothers::event_id.eq(id)))
            .execute(conn)
            .await?;
        Event::link_mothers(conn, id, programme_id, &data.mother_ids).await
    }

    /// Deletes an event (its mothers' links go with it).
    pub async fn delete(conn: &mut AsyncPgConnection, id: EventId) -> QueryResult<()> {
        diesel::delete(events::table.find(id))
            .execute(conn)
            .await
            .map(drop)
    }

    /// The fields as validated input has them (for the audit diff).
    pub fn data(&self) -> EventData {
        EventData {
            district_id: self.district_id,
            kind: self.kind.clone(),
            title: self.title.clone(),
            held_on: self.held_on,
            migrant_participants: self.migrant_participants,
            local_participants: self.local_participants,
            interpreter_languages: self.interpreter_languages.clone(),
            mother_ids: self.mother_ids.clone(),
            note: self.note.clone(),
        }
    }

    async fn load(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<ProgrammeId>,
        id: Option<EventId>,
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
        if let Some(id) = id {
            q = q.filter(events::id.eq(id));
        }
        let rows: Vec<EventRow> = q.load(conn).await?;
        let ids: Vec<EventId> = rows.iter().map(|r| r.0).collect();
        let links: Vec<(EventId, i64)> = event_mothers::table
            .filter(event_mothers::event_id.eq_any(&ids))
            .select((event_mothers::event_id, event_mothers::mother_id))
            .order(event_mothers::mother_id)
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
            .values((events::programme_id.eq(programme_id), Columns::of(data)))
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
