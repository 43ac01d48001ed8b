//! Integration partnerships: a local and a migrant participant of the
//! register paired for a while (Darmstadt: 9), with start and end dates.
//! Rows and use cases in one place, each write with its audit row.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::register::{Origin, Participant};
use crate::audit::{self, Subject};
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ids::{ParticipantId, PartnershipId, ProgrammeId};
use crate::programmes::model::Programme;
use crate::schema::partnerships;
use crate::web::input::{date, number, opt};

/// A local and a migrant participant paired.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, Queryable)]
pub struct Partnership {
    #[schema(value_type = i64)]
    pub id: PartnershipId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = i64)]
    pub local_id: ParticipantId,
    #[schema(value_type = i64)]
    pub migrant_id: ParticipantId,
    pub started_on: NaiveDate,
    /// `null` while it lasts.
    pub ended_on: Option<NaiveDate>,
}

/// A partnership as typed or sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PartnershipInput {
    /// A participant of the register whose origin is `local`.
    #[schema(required = true, value_type = i64, format = Int64)]
    pub local_id: String,
    /// A participant of the register whose origin is `migrant`.
    #[schema(required = true, value_type = i64, format = Int64)]
    pub migrant_id: String,
    #[schema(required = true, format = Date)]
    pub started_on: String,
    #[schema(format = Date)]
    pub ended_on: Option<String>,
}

/// A partnership's validated fields (the audit's view too).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = partnerships, treat_none_as_null = true)]
pub struct PartnershipData {
    pub local_id: ParticipantId,
    pub migrant_id: ParticipantId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl PartnershipInput {
    pub fn of(p: &Partnership) -> PartnershipInput {
        PartnershipInput {
            local_id: p.local_id.to_string(),
            migrant_id: p.migrant_id.to_string(),
            started_on: p.started_on.to_string(),
            ended_on: p.ended_on.map(|d| d.to_string()),
        }
    }

    fn validate(&self) -> Result<PartnershipData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let local = number::<i64>(&self.local_id, "local_id", &mut errors);
        if local.is_none() && errors.get("local_id").is_none() {
            errors.insert("local_id", "error-required");
        }
        let migrant = number::<i64>(&self.migrant_id, "migrant_id", &mut errors);
        if migrant.is_none() && errors.get("migrant_id").is_none() {
            errors.insert("migrant_id", "error-required");
        }
        let started_on = date(&self.started_on, "started_on", true, &mut errors);
        let ended_on = date(
            opt(&self.ended_on).unwrap_or(""),
            "ended_on",
            false,
            &mut errors,
        );
        if let (Some(s), Some(e)) = (started_on, ended_on)
            && e < s
        {
            errors.insert("ended_on", "error-end-before-start");
        }
        match (local, migrant, started_on) {
            (Some(l), Some(m), Some(started_on)) if errors.is_empty() => Ok(PartnershipData {
                local_id: ParticipantId(l),
                migrant_id: ParticipantId(m),
                started_on,
                ended_on,
            }),
            _ => Err(errors),
        }
    }
}

impl Partnership {
    pub fn data(&self) -> PartnershipData {
        PartnershipData {
            local_id: self.local_id,
            migrant_id: self.migrant_id,
            started_on: self.started_on,
            ended_on: self.ended_on,
        }
    }

    /// A programme's partnerships, newest first.
    pub async fn of_programme(
        conn: &mut AsyncPgConnection,
        programme: ProgrammeId,
    ) -> QueryResult<Vec<Partnership>> {
        partnerships::table
            .filter(partnerships::programme_id.eq(programme))
            .order((partnerships::started_on.desc(), partnerships::id.desc()))
            .select(COLUMNS)
            .load(conn)
            .await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: PartnershipId,
    ) -> QueryResult<Partnership> {
        let p: Partnership = partnerships::table
            .find(id)
            .select(COLUMNS)
            .first(conn)
            .await?;
        scope.visible(p.programme_id, p)
    }
}

const COLUMNS: (
    partnerships::id,
    partnerships::programme_id,
    partnerships::local_id,
    partnerships::migrant_id,
    partnerships::started_on,
    partnerships::ended_on,
) = (
    partnerships::id,
    partnerships::programme_id,
    partnerships::local_id,
    partnerships::migrant_id,
    partnerships::started_on,
    partnerships::ended_on,
);

/// Whether the two participants are of the programme, one local and one
/// migrant; both held until the transaction ends.
async fn check_pair(
    conn: &mut AsyncPgConnection,
    programme: ProgrammeId,
    data: &PartnershipData,
) -> AppResult<()> {
    let register =
        Participant::hold(conn, programme, &[data.local_id.0, data.migrant_id.0]).await?;
    let origin = |id: ParticipantId| register.iter().find(|p| p.id == id).map(|p| p.origin);
    let mut errors = FieldErrors::new();
    if origin(data.local_id) != Some(Origin::Local) {
        errors.insert("local_id", "error-partnership-local");
    }
    if origin(data.migrant_id) != Some(Origin::Migrant) {
        errors.insert("migrant_id", "error-partnership-migrant");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Records a partnership in a programme the caller may see.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme: ProgrammeId,
    input: &PartnershipInput,
) -> AppResult<Partnership> {
    Programme::find(conn, &access.scope, programme).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        check_pair(conn, programme, &data).await?;
        let id: PartnershipId = diesel::insert_into(partnerships::table)
            .values((partnerships::programme_id.eq(programme), &data))
            .returning(partnerships::id)
            .get_result(conn)
            .await?;
        audit::record(
            conn,
            access.actor,
            "create",
            Subject::of("partnership", id.0, Some(programme.0)),
            audit::created(&data),
        )
        .await?;
        Ok(Partnership::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Corrects a partnership, or ends it (the whole record; a PATCH merges
/// first).
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: PartnershipId,
    input: &PartnershipInput,
) -> AppResult<Partnership> {
    let validated = input.validate();
    conn.transaction(async |conn| {
        let old = lock(conn, &access.scope, id).await?;
        let data = validated.map_err(AppError::Validation)?;
        check_pair(conn, old.programme_id, &data).await?;
        diesel::update(partnerships::table.find(id))
            .set(&data)
            .execute(conn)
            .await?;
        if data != old.data() {
            audit::record(
                conn,
                access.actor,
                "update",
                Subject::of("partnership", id.0, Some(old.programme_id.0)),
                audit::changed(&old.data(), &data),
            )
            .await?;
        }
        Ok(Partnership::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Removes a partnership recorded by mistake.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: PartnershipId,
) -> AppResult<()> {
    conn.transaction(async |conn| {
        let old = lock(conn, &access.scope, id).await?;
        diesel::delete(partnerships::table.find(id))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            access.actor,
            "delete",
            Subject::of("partnership", id.0, Some(old.programme_id.0)),
            audit::deleted(&old.data()),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn lock(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    id: PartnershipId,
) -> AppResult<Partnership> {
    partnerships::table
        .find(id)
        .select(partnerships::id)
        .for_update()
        .first::<PartnershipId>(conn)
        .await?;
    Ok(Partnership::find(conn, scope, id).await?)
}
