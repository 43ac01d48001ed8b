//! Families: pseudonymous households, their personal fields (read only by roles that may see them) and their reference codes.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::schema::{families, family_personal, programmes};

use super::*;

crate::text_enum! {
    /// How the first contact with a family came about.
    pub enum ContactOrigin {
        OwnNetwork = "own_network",
        Authority = "authority",
        SchoolDaycare = "school_daycare",
        Event = "event",
        Other = "other",
    }
}

crate::text_enum! {
    /// Whether a family is still visited.
    pub enum FamilyStatus {
        Active = "active",
        /// Closed with a date and reason: no new visits.
        Closed = "closed",
    }
}

impl FamilyStatus {
    pub fn is_active(self) -> bool {
        self == FamilyStatus::Active
    }

    pub fn is_closed(self) -> bool {
        self == FamilyStatus::Closed
    }
}

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = families, check_for_backend(diesel::pg::Pg))]
pub(crate) struct FamilyRow {
    id: i64,
    programme_id: i64,
    reference_code: String,
    district_id: Option<i64>,
    languages: Vec<Option<String>>,
    children_count: i16,
    children_birth_years: Vec<Option<i16>>,
    contact_origin: ContactOrigin,
    first_contact_on: NaiveDate,
    consent_on: Option<NaiveDate>,
    consent_scope: String,
    consent_recorded_by: Option<i64>,
    primary_mother_id: Option<i64>,
    status: FamilyStatus,
    closed_on: Option<NaiveDate>,
    closed_reason: Option<String>,
    created_at: DateTime<Utc>,
}

/// A family's personal fields: only for coordinators and admins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Personal {
    pub name: String,
    pub address: String,
    pub phone: String,
}

/// A family, pseudonymous: `personal` is absent for roles that may not see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Family {
    pub id: i64,
    pub programme_id: i64,
    /// e.g. `BK-0042`, unique in the programme.
    pub reference_code: String,
    pub district_id: Option<i64>,
    pub languages: Vec<String>,
    pub children_count: i16,
    pub children_birth_years: Vec<i16>,
    pub contact_origin: ContactOrigin,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    pub consent_recorded_by: Option<i64>,
    pub primary_mother_id: Option<i64>,
    pub status: FamilyStatus,
    pub closed_on: Option<NaiveDate>,
    pub closed_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Name, address, phone: only for coordinators and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal: Option<Personal>,
    /// The last visit's date (in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_visit_on: Option<NaiveDate>,
}

impl From<FamilyRow> for Family {
    fn from(r: FamilyRow) -> Self {
        Self {
            id: r.id,
            programme_id: r.programme_id,
            reference_code: r.reference_code,
            district_id: r.district_id,
            languages: r.languages.into_iter().flatten().collect(),
            children_count: r.children_count,
            children_birth_years: r.children_birth_years.into_iter().flatten().collect(),
            contact_origin: r.contact_origin,
            first_contact_on: r.first_contact_on,
            consent_on: r.consent_on,
            consent_scope: r.consent_scope,
            consent_recorded_by: r.consent_recorded_by,
            primary_mother_id: r.primary_mother_id,
            status: r.status,
            closed_on: r.closed_on,
            closed_reason: r.closed_reason,
            created_at: r.created_at,
            personal: None,
            last_visit_on: None,
        }
    }
}

/// A family's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyData {
    pub district_id: Option<i64>,
    pub languages: Vec<String>,
    pub children_count: i16,
    pub children_birth_years: Vec<i16>,
    pub contact_origin: ContactOrigin,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    pub primary_mother_id: Option<i64>,
}

/// Filters of the family list.
#[derive(Debug, Clone, Default)]
pub struct FamilyFilter {
    pub programme_id: Option<i64>,
    pub status: Option<FamilyStatus>,
    pub mother_id: Option<i64>,
    /// Active families with no visit in this many days (the follow-up list).
    pub no_visit_days: Option<i64>,
    /// From 1.
    pub page: i64,
}

/// The letters before a family's number: the initials of the programme's
/// name (`Bydelsmødre København` -> `BK`).
pub fn code_prefix(programme_name: &str) -> String {
    let p: String = programme_name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'Æ' => 'A',
            'Ø' => 'O',
            'Å' | 'Ä' => 'A',
            'Ö' => 'O',
            'Ü' => 'U',
            other => other,
        })
        .filter(char::is_ascii_uppercase)
        .take(3)
        .collect();
    if p.is_empty() { "F".to_owned() } else { p }
}

pub(crate) fn family_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("families_district_fkey") => AppError::field("district_id", "error-district-unknown"),
        Some("families_mother_fkey") => {
            AppError::field("primary_mother_id", "error-mother-unknown")
        }
        _ => e.into(),
    }
}

impl Family {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
        with_personal: bool,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .first(conn)
            .await?;
        scope.check(ProgrammeId(row.programme_id))?;
        let mut f: Family = row.into();
        if with_personal {
            f.personal = Some(Personal::find(conn, id).await?);
        }
        Ok(f)
    }

    /// The family, its row locked until the transaction ends: the state a
    /// change checks is the state it changes (two closes close once).
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(row.programme_id), row.into())
    }

    /// The family, its row share-locked until the transaction ends: it
    /// cannot be closed while a visit that found it open is recorded.
    pub async fn find_for_share(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .for_share()
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(row.programme_id), row.into())
    }

    /// Records a family with the next reference code of its programme.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &FamilyData,
        personal: Option<&Personal>,
    ) -> AppResult<Family> {
        let programme = Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        conn.transaction(async |conn| {
            // One number after the other, also with several coordinators at once.
            programmes::table
                .find(programme_id)
                .select(programmes::id)
                .for_update()
                .first::<i64>(conn)
                .await?;
            let last: Option<i32> = families::table
                .filter(families::programme_id.eq(programme_id))
                .select(diesel::dsl::max(families::reference_number))
                .first(conn)
                .await?;
            let number = last.unwrap_or(0) + 1;
            let code = format!("{}-{number:04}", code_prefix(&programme.name));
            let row: FamilyRow = diesel::insert_into(families::table)
                .values((
                    families::programme_id.eq(programme_id),
                    families::reference_number.eq(number),
                    families::reference_code.eq(&code),
                    families::district_id.eq(data.district_id),
                    families::languages.eq(strings(&data.languages)),
                    families::children_count.eq(data.children_count),
                    families::children_birth_years.eq(data
                        .children_birth_years
                        .iter()
                        .map(|y| Some(*y))
                        .collect::<Vec<_>>()),
                    families::contact_origin.eq(data.contact_origin),
                    families::first_contact_on.eq(data.first_contact_on),
                    families::consent_on.eq(data.consent_on),
                    families::consent_scope.eq(&data.consent_scope),
                    families::consent_recorded_by.eq(data.consent_on.and(actor)),
                    families::primary_mother_id.eq(data.primary_mother_id),
                ))
                .returning(FamilyRow::as_returning())
                .get_result(conn)
                .await
                .map_err(family_error)?;
            if let Some(p) = personal {
                Personal::save(conn, row.id, p).await?;
            }
            // The log has the pseudonymous fields only, never personal data.
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("family", row.id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(row.into())
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &FamilyData,
        personal: Option<&Personal>,
    ) -> AppResult<Family> {
        conn.transaction(async |conn| {
            let old = Family::find_for_update(conn, scope, id).await?;
            let consent_by = if data.consent_on.is_some() && data.consent_on != old.consent_on {
                actor
            } else {
                old.consent_recorded_by
            };
            let row: FamilyRow = diesel::update(families::table.find(id))
                .set((
                    families::district_id.eq(data.district_id),
                    families::languages.eq(strings(&data.languages)),
                    families::children_count.eq(data.children_count),
                    families::children_birth_years.eq(data
                        .children_birth_years
                        .iter()
                        .map(|y| Some(*y))
                        .collect::<Vec<_>>()),
                    families::contact_origin.eq(data.contact_origin),
                    families::first_contact_on.eq(data.first_contact_on),
                    families::consent_on.eq(data.consent_on),
                    families::consent_scope.eq(&data.consent_scope),
                    families::consent_recorded_by.eq(consent_by),
                    families::primary_mother_id.eq(data.primary_mother_id),
                ))
                .returning(FamilyRow::as_returning())
                .get_result(conn)
                .await
                .map_err(family_error)?;
            let mut changes = audit::changed(&old, &Family::from(row.clone()));
            if let Some(p) = personal {
                if Personal::find(conn, id).await? != *p {
                    // Which personal fields changed, never their values.
                    changes["personal"] = json!({"changed": true});
                }
                Personal::save(conn, id, p).await?;
            }
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("family", id, Some(old.programme_id)),
                changes,
            )
            .await?;
            Ok(row.into())
        })
        .await
    }

    /// Closes a family with a date and reason (no new visits after that).
    pub async fn close(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<Family> {
        conn.transaction(async |conn| {
            let old = Family::find_for_update(conn, scope, id).await?;
            if old.status == FamilyStatus::Closed {
                return Err(AppError::Conflict("error-family-closed"));
            }
            let row: FamilyRow = diesel::update(families::table.find(id))
                .set((
                    families::status.eq(FamilyStatus::Closed),
                    families::closed_on.eq(on),
                    families::closed_reason.eq(reason),
                ))
                .returning(FamilyRow::as_returning())
                .get_result(conn)
                .await?;
            let new: Family = row.into();
            audit::record(
                conn,
                actor,
                "close",
                Subject::of("family", id, Some(old.programme_id)),
                audit::changed(&old, &new),
            )
            .await?;
            Ok(new)
        })
        .await
    }
}

impl Personal {
    async fn find(conn: &mut AsyncPgConnection, family_id: i64) -> QueryResult<Personal> {
        let row: Option<(String, String, String)> = family_personal::table
            .find(family_id)
            .select((
                family_personal::name,
                family_personal::address,
                family_personal::phone,
            ))
            .first(conn)
            .await
            .optional()?;
        Ok(row
            .map(|(name, address, phone)| Personal {
                name,
                address,
                phone,
            })
            .unwrap_or_default())
    }

    /// Saves the personal fields; all empty deletes the row (erasure).
    async fn save(conn: &mut AsyncPgConnection, family_id: i64, p: &Personal) -> QueryResult<()> {
        if p == &Personal::default() {
            diesel::delete(family_personal::table.find(family_id))
                .execute(conn)
                .await?;
            return Ok(());
        }
        diesel::insert_into(family_personal::table)
            .values((
                family_personal::family_id.eq(family_id),
                family_personal::name.eq(&p.name),
                family_personal::address.eq(&p.address),
                family_personal::phone.eq(&p.phone),
            ))
            .on_conflict(family_personal::family_id)
            .do_update()
            .set((
                family_personal::name.eq(&p.name),
                family_personal::address.eq(&p.address),
                family_personal::phone.eq(&p.phone),
                family_personal::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }
}
