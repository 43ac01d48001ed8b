//! A programme's optional participant register: pseudonymous people (a
//! code the programme chooses, never a name), local or migrant, with their
//! country of origin and age band, and which events each attended. With a
//! register, reports count distinct people (Darmstadt: 52, from 11
//! countries) instead of summing per-event counts, and an event's counts
//! follow its attendance list. Rows and use cases in one place: each write
//! is one transaction with its audit row.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::Event;
use crate::audit::{self, Subject};
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, FieldErrors, Msg, constraint_name};
use crate::ids::{EventId, ParticipantId, ProgrammeId};
use crate::programmes::model::Programme;
use crate::schema::{event_participants as attended, events, participants};
use crate::web::input::{opt, text};

crate::text_enum! {
    /// Whether a participant is local or has a migration background.
    pub enum Origin {
        Local = "local",
        Migrant = "migrant",
    }
}

crate::text_enum! {
    /// A participant's age band (never a birth date).
    pub enum AgeBand {
        Under18 = "under_18",
        From18To29 = "18_29",
        From30To44 = "30_44",
        From45To64 = "45_64",
        From65 = "65_plus",
    }
}

/// A registered participant.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Queryable)]
pub struct Participant {
    #[schema(value_type = i64)]
    pub id: ParticipantId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    /// The programme's pseudonym for the person (unique in the programme).
    pub code: String,
    pub origin: Origin,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    pub age_band: Option<AgeBand>,
}

/// A participant as typed or sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ParticipantInput {
    #[schema(required = true, min_length = 1, max_length = 40)]
    pub code: String,
    #[schema(required = true, value_type = Origin)]
    pub origin: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    #[schema(value_type = Option<AgeBand>)]
    pub age_band: Option<String>,
}

/// A participant's validated fields (also the audit's view of them).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = participants, treat_none_as_null = true)]
pub struct ParticipantData {
    pub code: String,
    pub origin: Origin,
    pub country: Option<String>,
    pub age_band: Option<AgeBand>,
}

impl ParticipantInput {
    pub fn of(p: &Participant) -> ParticipantInput {
        ParticipantInput {
            code: p.code.clone(),
            origin: p.origin.to_string(),
            country: p.country.clone(),
            age_band: p.age_band.map(|a| a.to_string()),
        }
    }

    pub fn validate(&self) -> Result<ParticipantData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = text(&self.code, "code", 40, true, &mut errors);
        let origin = Origin::parse(self.origin.trim());
        if origin.is_none() {
            errors.insert("origin", Msg::choice_of("error-choose-one", &Origin::ALL));
        }
        let country = opt(&self.country).map(str::to_ascii_uppercase);
        if let Some(c) = &country
            && rust_iso3166::from_alpha2(c).is_none()
        {
            errors.insert("country", "error-country-unknown");
        }
        let age_band = opt(&self.age_band).map(AgeBand::parse);
        if age_band == Some(None) {
            errors.insert(
                "age_band",
                Msg::choice_of("error-choose-one", &AgeBand::ALL),
            );
        }
        match origin {
            Some(origin) if errors.is_empty() => Ok(ParticipantData {
                code,
                origin,
                country,
                age_band: age_band.flatten(),
            }),
            _ => Err(errors),
        }
    }
}

impl Participant {
    pub fn data(&self) -> ParticipantData {
        ParticipantData {
            code: self.code.clone(),
            origin: self.origin,
            country: self.country.clone(),
            age_band: self.age_band,
        }
    }

    /// A programme's register, by code.
    pub async fn of_programme(
        conn: &mut AsyncPgConnection,
        programme: ProgrammeId,
    ) -> QueryResult<Vec<Participant>> {
        participants::table
            .filter(participants::programme_id.eq(programme))
            .order(participants::code)
            .select(COLUMNS)
            .load(conn)
            .await
    }

    /// These participants of a programme, held (`FOR SHARE`) until the
    /// transaction ends: not removed nor changed while a partnership or an
    /// attendance list that names them is saved.
    pub async fn hold(
        conn: &mut AsyncPgConnection,
        programme: ProgrammeId,
        ids: &[i64],
    ) -> QueryResult<Vec<Participant>> {
        participants::table
            .filter(participants::programme_id.eq(programme))
            .filter(participants::id.eq_any(ids))
            .order(participants::code)
            .select(COLUMNS)
            .for_share()
            .load(conn)
            .await
    }

    /// One participant, if the scope reaches it.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: ParticipantId,
    ) -> QueryResult<Participant> {
        let p: Participant = participants::table
            .find(id)
            .select(COLUMNS)
            .first(conn)
            .await?;
        scope.visible(p.programme_id, p)
    }
}

const COLUMNS: (
    participants::id,
    participants::programme_id,
    participants::code,
    participants::origin,
    participants::country,
    participants::age_band,
) = (
    participants::id,
    participants::programme_id,
    participants::code,
    participants::origin,
    participants::country,
    participants::age_band,
);

fn code_taken(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("participants_programme_id_code_key") => {
            AppError::field("code", "error-participant-code-taken")
        }
        _ => e.into(),
    }
}

/// Registers a participant in a programme the caller may see.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme: ProgrammeId,
    input: &ParticipantInput,
) -> AppResult<Participant> {
    Programme::find(conn, &access.scope, programme).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let id: ParticipantId = diesel::insert_into(participants::table)
            .values((participants::programme_id.eq(programme), &data))
            .returning(participants::id)
            .get_result(conn)
            .await
            .map_err(code_taken)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Subject::of("participant", id.0, Some(programme.0)),
            audit::created(&data),
        )
        .await?;
        Ok(Participant::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Corrects a participant (the whole record; a PATCH merges first).
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ParticipantId,
    input: &ParticipantInput,
) -> AppResult<Participant> {
    let validated = input.validate();
    conn.transaction(async |conn| {
        let old = lock(conn, &access.scope, id).await?;
        let data = validated.map_err(AppError::Validation)?;
        if data.origin != old.origin && in_partnership(conn, id).await? {
            return Err(AppError::field("origin", "error-participant-paired"));
        }
        diesel::update(participants::table.find(id))
            .set(&data)
            .execute(conn)
            .await
            .map_err(code_taken)?;
        if data != old.data() {
            audit::record(
                conn,
                access.actor,
                "update",
                Subject::of("participant", id.0, Some(old.programme_id.0)),
                audit::changed(&old.data(), &data),
            )
            .await?;
        }
        Ok(Participant::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Removes a participant registered by mistake, with their attendance and
/// partnerships; the events keep their counts.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ParticipantId,
) -> AppResult<()> {
    conn.transaction(async |conn| {
        let old = lock(conn, &access.scope, id).await?;
        diesel::delete(participants::table.find(id))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            access.actor,
            "delete",
            Subject::of("participant", id.0, Some(old.programme_id.0)),
            audit::deleted(&old.data()),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Whether a participant is a partner in any partnership (a local and a
/// migrant: the origin is then fixed).
async fn in_partnership(conn: &mut AsyncPgConnection, id: ParticipantId) -> QueryResult<bool> {
    use crate::schema::partnerships as pa;
    diesel::select(diesel::dsl::exists(
        pa::table.filter(pa::local_id.eq(id.0).or(pa::migrant_id.eq(id.0))),
    ))
    .get_result(conn)
    .await
}

async fn lock(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    id: ParticipantId,
) -> AppResult<Participant> {
    participants::table
        .find(id)
        .select(participants::id)
        .for_update()
        .first::<ParticipantId>(conn)
        .await?;
    Ok(Participant::find(conn, scope, id).await?)
}

/// With anyone on an event's attendance list, sets its local and migrant
/// counts from the list (after a correction of the event typed others);
/// without a list, leaves them as typed.
pub async fn recount(conn: &mut AsyncPgConnection, event: EventId) -> QueryResult<()> {
    let origins: Vec<Origin> = attended::table
        .inner_join(participants::table)
        .filter(attended::event_id.eq(event))
        .select(participants::origin)
        .load(conn)
        .await?;
    if origins.is_empty() {
        return Ok(());
    }
    let local = origins.iter().filter(|o| **o == Origin::Local).count() as i32;
    diesel::update(events::table.find(event))
        .set((
            events::local_participants.eq(local),
            events::migrant_participants.eq(origins.len() as i32 - local),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Who attended an event, from the register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Attendance {
    /// Registered participants who attended.
    #[schema(value_type = Vec<i64>)]
    pub participant_ids: Vec<i64>,
}

/// An event's registered participants, by code.
pub async fn attendance(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    event: EventId,
) -> AppResult<Vec<Participant>> {
    Event::find(conn, scope, event).await?;
    Ok(attended::table
        .inner_join(participants::table)
        .filter(attended::event_id.eq(event))
        .order(participants::code)
        .select(COLUMNS)
        .load(conn)
        .await?)
}

/// Sets who attended an event (the whole list). With anyone on it, the
/// event's local and migrant counts become the list's; an empty list
/// leaves the counts as typed.
pub async fn set_attendance(
    conn: &mut AsyncPgConnection,
    access: &Access,
    event: EventId,
    input: &Attendance,
) -> AppResult<Vec<Participant>> {
    let mut ids = input.participant_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    conn.transaction(async |conn| {
        Event::lock(conn, &access.scope, event).await?;
        let ev = Event::find(conn, &access.scope, event).await?;
        let register = Participant::of_programme(conn, ev.programme_id).await?;
        let chosen: Vec<&Participant> = register.iter().filter(|p| ids.contains(&p.id.0)).collect();
        if chosen.len() != ids.len() {
            return Err(AppError::field(
                "participant_ids",
                "error-participant-unknown",
            ));
        }
        let before: Vec<i64> = attended::table
            .filter(attended::event_id.eq(event))
            .order(attended::participant_id)
            .select(attended::participant_id)
            .load(conn)
            .await?;
        if before == ids {
            return attendance(conn, &access.scope, event).await;
        }
        diesel::delete(attended::table.filter(attended::event_id.eq(event)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = ids
            .iter()
            .map(|p| {
                (
                    attended::event_id.eq(event),
                    attended::participant_id.eq(*p),
                    attended::programme_id.eq(ev.programme_id),
                )
            })
            .collect();
        diesel::insert_into(attended::table)
            .values(rows)
            .execute(conn)
            .await?;
        let mut changes = audit::changed(
            &serde_json::json!({"participant_ids": before}),
            &serde_json::json!({"participant_ids": ids}),
        );
        if !ids.is_empty() {
            recount(conn, event).await?;
            let local = chosen.iter().filter(|p| p.origin == Origin::Local).count() as i32;
            let migrant = chosen.len() as i32 - local;
            let counts = audit::changed(
                &serde_json::json!({"local_participants": ev.local_participants,
                                    "migrant_participants": ev.migrant_participants}),
                &serde_json::json!({"local_participants": local,
                                    "migrant_participants": migrant}),
            );
            if let (Some(c), Some(more)) = (changes.as_object_mut(), counts.as_object()) {
                c.extend(more.clone());
            }
        }
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of("event", event.0, Some(ev.programme_id.0)),
            changes,
        )
        .await?;
        attendance(conn, &access.scope, event).await
    })
    .await
}
