//! Mothers (the outreach workers) and their status history: rows and
//! queries. Every query that reads mothers takes a [`ProgrammeScope`], so a
//! mother of another programme is "not found". The changes, with their
//! history rows, rules and audit rows, are in `ops.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::crypto::Sealed;
use crate::db::lower;
use crate::ids::{DistrictId, MotherId, ProgrammeId, UserId};
use crate::schema::{mother_status_changes, mothers, users};

crate::text_enum! {
    /// Where a mother stands.
    pub enum MotherStatus {
        Applicant = "applicant",
        InTraining = "in_training",
        Certified = "certified",
        Active = "active",
        Paused = "paused",
        Left = "left",
    }
}

impl MotherStatus {
    /// Whether a mother of this status may log visits: certified and
    /// active mothers, and those in training where the programme allows
    /// practice visits.
    pub fn may_visit(self, practice_visits_allowed: bool) -> bool {
        matches!(self, MotherStatus::Certified | MotherStatus::Active)
            || (self == MotherStatus::InTraining && practice_visits_allowed)
    }
}

crate::text_enum! {
    /// A mother's gender (the data is neutral: mothers and fathers).
    pub enum Gender {
        Female = "female",
        Male = "male",
        Diverse = "diverse",
        Undisclosed = "undisclosed",
    }
}

crate::text_enum! {
    /// How a mother works for the programme.
    pub enum Engagement {
        Volunteer = "volunteer",
        /// Paid a monthly allowance.
        Allowance = "allowance",
        Employed = "employed",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mothers, check_for_backend(diesel::pg::Pg))]
pub(crate) struct MotherRow {
    id: MotherId,
    programme_id: ProgrammeId,
    district_id: Option<DistrictId>,
    full_name: String,
    phone: Sealed,
    email: Option<Sealed>,
    languages: Vec<Option<String>>,
    country_of_origin: Option<String>,
    gender: Gender,
    engagement: Engagement,
    monthly_allowance_minor: Option<i64>,
    joined_on: NaiveDate,
    /// An unknown status in the database fails the query (500), never a default.
    status: MotherStatus,
    note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    erased_at: Option<DateTime<Utc>>,
    consent_phone_contact: bool,
    consent_photos: bool,
}

/// A mother (or father: the data is neutral) who visits families.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mother {
    #[schema(value_type = i64)]
    pub id: MotherId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = Option<i64>)]
    pub district_id: Option<DistrictId>,
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    pub gender: Gender,
    pub engagement: Engagement,
    /// Monthly allowance in the programme's currency, minor units.
    pub monthly_allowance_minor: Option<i64>,
    pub joined_on: NaiveDate,
    pub status: MotherStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When her personal details were erased (her number stays as her name).
    pub erased_at: Option<DateTime<Utc>>,
    /// She agreed to be contacted by phone (the master-data form).
    pub consent_phone_contact: bool,
    /// She agreed to photos of her being taken and used.
    pub consent_photos: bool,
}

impl From<MotherRow> for Mother {
    fn from(r: MotherRow) -> Self {
        Self {
            id: r.id,
            programme_id: r.programme_id,
            district_id: r.district_id,
            full_name: r.full_name,
            phone: r.phone.into(),
            email: r.email.map(String::from),
            languages: r.languages.into_iter().flatten().collect(),
            country_of_origin: r.country_of_origin,
            gender: r.gender,
            engagement: r.engagement,
            monthly_allowance_minor: r.monthly_allowance_minor,
            joined_on: r.joined_on,
            status: r.status,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
            erased_at: r.erased_at,
            consent_phone_contact: r.consent_phone_contact,
            consent_photos: r.consent_photos,
        }
    }
}

/// The editable fields of a mother, validated (see `input.rs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotherData {
    pub district_id: Option<DistrictId>,
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub languages: Vec<String>,
    pub country_of_origin: Option<String>,
    pub gender: Gender,
    pub engagement: Engagement,
    pub monthly_allowance_minor: Option<i64>,
    pub joined_on: NaiveDate,
    pub note: String,
    /// `None`: keep what was recorded.
    pub consent_phone_contact: Option<bool>,
    pub consent_photos: Option<bool>,
}

/// A status change as kept in the history.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable)]
pub struct StatusChange {
    pub from_status: Option<MotherStatus>,
    pub to_status: MotherStatus,
    pub changed_on: NaiveDate,
    #[schema(value_type = Option<i64>)]
    pub changed_by: Option<UserId>,
    pub changed_by_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A row of the status history, to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = mother_status_changes)]
pub struct NewStatusChange<'a> {
    pub mother_id: MotherId,
    /// `None` for the first row (a new applicant).
    pub from_status: Option<MotherStatus>,
    pub to_status: MotherStatus,
    pub changed_on: NaiveDate,
    pub changed_by: Actor,
    pub reason: &'a str,
}

/// Filters for the list.
#[derive(Debug, Clone, Default)]
pub struct MotherFilter {
    pub programme_id: Option<ProgrammeId>,
    /// Part of the name, any case.
    pub name: Option<String>,
    pub district_id: Option<DistrictId>,
    pub status: Option<MotherStatus>,
    pub language: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

pub const PER_PAGE: i64 = 25;
/// The composite foreign key that keeps a mother's district in her programme.
pub const DISTRICT_FKEY: &str = "mothers_district_fkey";
/// The CHECK that bounds the monthly allowance.
pub const ALLOWANCE_BOUND: &str = "mothers_monthly_allowance_minor_bound";

fn languages_sql(langs: &[String]) -> Vec<Option<String>> {
    langs.iter().cloned().map(Some).collect()
}

impl Mother {
    /// Her name and, if she has one, her district: as a choice in a list,
    /// where two mothers of one name are told apart.
    pub fn label(&self, districts: &[crate::programmes::model::District]) -> String {
        match self
            .district_id
            .and_then(|d| districts.iter().find(|x| x.id == d))
        {
            Some(d) => format!("{} · {}", self.full_name, d.name),
            None => self.full_name.clone(),
        }
    }

    pub(crate) fn subject(id: MotherId, programme_id: ProgrammeId) -> Subject {
        Subject {
            entity: "mother",
            id: Some(id.0),
            programme_id: Some(programme_id.0),
        }
    }

    /// The mothers matching `filter` within `scope`, as a query.
    fn filtered<'a>(
        scope: &ProgrammeScope,
        filter: &MotherFilter,
    ) -> mothers::BoxedQuery<'a, diesel::pg::Pg> {
        let mut q = mothers::table.into_boxed();
        if let ProgrammeScope::Only(ids) = scope {
            q = q.filter(mothers::programme_id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()));
        }
        if let Some(p) = filter.programme_id {
            q = q.filter(mothers::programme_id.eq(p));
        }
        if let Some(n) = &filter.name {
            let pattern = format!(
                "%{}%",
                n.to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            q = q.filter(lower(mothers::full_name).like(pattern));
        }
        if let Some(d) = filter.district_id {
            q = q.filter(mothers::district_id.eq(d));
        }
        if let Some(s) = filter.status {
            q = q.filter(mothers::status.eq(s));
        }
        if let Some(l) = &filter.language {
            q = q.filter(mothers::languages.contains(vec![Some(l.clone())]));
        }
        q
    }

    /// A page of mothers matching `filter`, by name, and the total count.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &MotherFilter,
    ) -> QueryResult<(Vec<Mother>, i64)> {
        let total: i64 = Self::filtered(scope, filter)
            .count()
            .get_result(conn)
            .await?;
        let rows: Vec<MotherRow> = Self::filtered(scope, filter)
            .select(MotherRow::as_select())
            .order((lower(mothers::full_name), mothers::id))
            .limit(filter.per_page)
            .offset(crate::web::pagination::offset(filter.page, filter.per_page))
            .load(conn)
            .await?;
        Ok((rows.into_iter().map(Mother::from).collect(), total))
    }

    /// Every mother matching `filter` (for the forms' choices), in one query.
    pub async fn all(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: MotherFilter,
    ) -> QueryResult<Vec<Mother>> {
        let rows: Vec<MotherRow> = Self::filtered(scope, &filter)
            .select(MotherRow::as_select())
            .order((lower(mothers::full_name), mothers::id))
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Mother::from).collect())
    }

    /// One mother, if in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: MotherId,
    ) -> QueryResult<Mother> {
        let row: MotherRow = mothers::table
            .find(id)
            .select(MotherRow::as_select())
            .first(conn)
            .await?;
        scope.visible(row.programme_id, row).map(Into::into)
    }

    /// The mother, her row locked until the transaction ends, so that a
    /// status change reads the status it replaces (see `ops::set_status`).
    /// Every mother of a programme (an import reads them once).
    pub async fn all_of(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<Mother>> {
        let rows: Vec<MotherRow> = mothers::table
            .filter(mothers::programme_id.eq(programme_id))
            .select(MotherRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Mother::from).collect())
    }

    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: MotherId,
    ) -> QueryResult<Mother> {
        let row: MotherRow = mothers::table
            .find(id)
            .select(MotherRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(row.programme_id, row).map(Into::into)
    }

    /// Inserts a new mother (her status is the column's default, `applicant`).
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &MotherData,
    ) -> QueryResult<Mother> {
        let row: MotherRow = diesel::insert_into(mothers::table)
            .values((
                mothers::programme_id.eq(programme_id),
                mothers::district_id.eq(data.district_id),
                mothers::full_name.eq(&data.full_name),
                mothers::phone.eq(Sealed::from(&data.phone)),
                mothers::email.eq(data.email.as_ref().map(Sealed::from)),
                mothers::languages.eq(languages_sql(&data.languages)),
                mothers::country_of_origin.eq(&data.country_of_origin),
                mothers::gender.eq(data.gender),
                mothers::engagement.eq(data.engagement),
                mothers::monthly_allowance_minor.eq(data.monthly_allowance_minor),
                mothers::joined_on.eq(data.joined_on),
                mothers::note.eq(&data.note),
                mothers::consent_phone_contact.eq(data.consent_phone_contact.unwrap_or(false)),
                mothers::consent_photos.eq(data.consent_photos.unwrap_or(false)),
            ))
            .returning(MotherRow::as_returning())
            .get_result(conn)
            .await?;
        Ok(row.into())
    }

    /// Replaces her editable fields (not her programme or status).
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: MotherId,
        data: &MotherData,
    ) -> QueryResult<Mother> {
        if let Some(c) = data.consent_phone_contact {
            diesel::update(mothers::table.find(id))
                .set(mothers::consent_phone_contact.eq(c))
                .execute(conn)
                .await?;
        }
        if let Some(c) = data.consent_photos {
            diesel::update(mothers::table.find(id))
                .set(mothers::consent_photos.eq(c))
                .execute(conn)
                .await?;
        }
        let row: MotherRow = diesel::update(mothers::table.find(id))
            .set((
                mothers::district_id.eq(data.district_id),
                mothers::full_name.eq(&data.full_name),
                mothers::phone.eq(Sealed::from(&data.phone)),
                mothers::email.eq(data.email.as_ref().map(Sealed::from)),
                mothers::languages.eq(languages_sql(&data.languages)),
                mothers::country_of_origin.eq(&data.country_of_origin),
                mothers::gender.eq(data.gender),
                mothers::engagement.eq(data.engagement),
                mothers::monthly_allowance_minor.eq(data.monthly_allowance_minor),
                mothers::joined_on.eq(data.joined_on),
                mothers::note.eq(&data.note),
            ))
            .returning(MotherRow::as_returning())
            .get_result(conn)
            .await?;
        Ok(row.into())
    }

    /// Sets the status column only (the history row is [`StatusChange::insert`]).
    pub async fn set_status(
        conn: &mut AsyncPgConnection,
        id: MotherId,
        to: MotherStatus,
    ) -> QueryResult<usize> {
        diesel::update(mothers::table.find(id))
            .set(mothers::status.eq(to))
            .execute(conn)
            .await
    }

    /// The status history, oldest first.
    pub async fn history(
        conn: &mut AsyncPgConnection,
        id: MotherId,
    ) -> QueryResult<Vec<StatusChange>> {
        mother_status_changes::table
            .left_join(users::table.on(users::id.nullable().eq(mother_status_changes::changed_by)))
            .filter(mother_status_changes::mother_id.eq(id))
            .select((
                mother_status_changes::from_status,
                mother_status_changes::to_status,
                mother_status_changes::changed_on,
                mother_status_changes::changed_by,
                users::display_name.nullable(),
                mother_status_changes::reason,
                mother_status_changes::created_at,
            ))
            .order((mother_status_changes::changed_on, mother_status_changes::id))
            .load(conn)
            .await
    }
}

impl StatusChange {
    /// Adds a row to a mother's status history.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        change: &NewStatusChange<'_>,
    ) -> QueryResult<usize> {
        diesel::insert_into(mother_status_changes::table)
            .values(change)
            .execute(conn)
            .await
    }
}
