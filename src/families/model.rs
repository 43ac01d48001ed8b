//! Families: pseudonymous households, their personal fields (read only by
//! roles that may see them) and their reference codes: rows and queries.
//! The changes, with their rules and audit rows, are in `ops.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::crypto::Sealed;
use crate::ids::{DistrictId, FamilyId, MotherId, ProgrammeId, UserId};
use crate::schema::{families, family_personal, programmes};

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
    id: FamilyId,
    programme_id: ProgrammeId,
    reference_code: String,
    district_id: Option<DistrictId>,
    languages: Vec<Option<String>>,
    children_count: i16,
    children_birth_years: Vec<Option<i16>>,
    contact_origin: ContactOrigin,
    first_contact_on: NaiveDate,
    consent_on: Option<NaiveDate>,
    consent_scope: String,
    consent_recorded_by: Option<UserId>,
    primary_mother_id: Option<MotherId>,
    status: FamilyStatus,
    closed_on: Option<NaiveDate>,
    closed_reason: Option<String>,
    created_at: DateTime<Utc>,
    erased_at: Option<DateTime<Utc>>,
    consent_contact: bool,
    consent_visits: bool,
    consent_referrals: bool,
    consent_withdrawn_on: Option<NaiveDate>,
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
    #[schema(value_type = i64)]
    pub id: FamilyId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    /// e.g. `BK-0042`, unique in the programme.
    pub reference_code: String,
    #[schema(value_type = Option<i64>)]
    pub district_id: Option<DistrictId>,
    pub languages: Vec<String>,
    pub children_count: i16,
    pub children_birth_years: Vec<i16>,
    pub contact_origin: ContactOrigin,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    #[schema(value_type = Option<i64>)]
    pub consent_recorded_by: Option<UserId>,
    #[schema(value_type = Option<i64>)]
    pub primary_mother_id: Option<MotherId>,
    pub status: FamilyStatus,
    pub closed_on: Option<NaiveDate>,
    pub closed_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When its personal details were erased (the record and its counts stay).
    pub erased_at: Option<DateTime<Utc>>,
    /// Consent to store name, address and phone.
    pub consent_contact: bool,
    /// Consent to record visits with notes and next steps.
    pub consent_visits: bool,
    /// Consent to share referral information with services.
    pub consent_referrals: bool,
    /// When consent was last withdrawn.
    pub consent_withdrawn_on: Option<NaiveDate>,
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
            erased_at: r.erased_at,
            consent_contact: r.consent_contact,
            consent_visits: r.consent_visits,
            consent_referrals: r.consent_referrals,
            consent_withdrawn_on: r.consent_withdrawn_on,
            personal: None,
            last_visit_on: None,
        }
    }
}

/// A family's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyData {
    pub district_id: Option<DistrictId>,
    pub languages: Vec<String>,
    pub children_count: i16,
    pub children_birth_years: Vec<i16>,
    pub contact_origin: ContactOrigin,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    pub consent_contact: bool,
    pub consent_visits: bool,
    pub consent_referrals: bool,
    pub primary_mother_id: Option<MotherId>,
}

/// Filters of the family list.
#[derive(Debug, Clone, Default)]
pub struct FamilyFilter {
    pub programme_id: Option<ProgrammeId>,
    pub status: Option<FamilyStatus>,
    pub mother_id: Option<MotherId>,
    /// Active families with no visit in this many days (the follow-up list).
    pub no_visit_days: Option<i64>,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
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

impl Family {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: FamilyId,
        with_personal: bool,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .first(conn)
            .await?;
        scope.check(row.programme_id)?;
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
        id: FamilyId,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(row.programme_id, row.into())
    }

    /// The families of a programme with these reference codes (or
    /// imported with these references), their rows locked against changes
    /// until the transaction ends (an import's visits), in the order of
    /// their ids; each with its reference.
    pub async fn by_codes_for_visit(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        codes: &[String],
    ) -> QueryResult<Vec<(Family, Option<String>)>> {
        let rows: Vec<(FamilyRow, Option<String>)> = families::table
            .filter(families::programme_id.eq(programme_id))
            .filter(
                families::reference_code
                    .eq_any(codes)
                    .or(families::external_ref.eq_any(codes)),
            )
            .select((FamilyRow::as_select(), families::external_ref))
            .order(families::id)
            .for_no_key_update()
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(r, e)| (Family::from(r), e))
            .collect())
    }

    /// The family, its row locked against changes until the transaction
    /// ends: it cannot be closed while a visit that found it open is
    /// recorded. Not a share lock: the visit's insert moves the family's
    /// last visit date (a trigger), and two visits of one family that both
    /// held a share lock would each wait for the other's to update it.
    pub async fn find_for_visit(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: FamilyId,
    ) -> QueryResult<Family> {
        let row: FamilyRow = families::table
            .find(id)
            .select(FamilyRow::as_select())
            .for_no_key_update()
            .first(conn)
            .await?;
        scope.visible(row.programme_id, row.into())
    }

    /// The next reference number of a programme's families, the programme
    /// row locked until the transaction ends: one number after the other,
    /// also with several coordinators at once.
    pub async fn next_number(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<i32> {
        programmes::table
            .find(programme_id)
            .select(programmes::id)
            .for_update()
            .first::<ProgrammeId>(conn)
            .await?;
        let last: Option<i32> = families::table
            .filter(families::programme_id.eq(programme_id))
            .select(diesel::dsl::max(families::reference_number))
            .first(conn)
            .await?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// Inserts a family with its reference number and code.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        number: i32,
        code: &str,
        data: &FamilyData,
        consent_recorded_by: Option<UserId>,
    ) -> QueryResult<Family> {
        diesel::insert_into(families::table)
            .values((
                families::programme_id.eq(programme_id),
                families::reference_number.eq(number),
                families::reference_code.eq(code),
                FamilyColumns::of(data, consent_recorded_by),
            ))
            .returning(FamilyRow::as_returning())
            .get_result(conn)
            .await
            .map(Family::from)
    }

    /// Writes a family's fields.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: FamilyId,
        data: &FamilyData,
        consent_recorded_by: Option<UserId>,
    ) -> QueryResult<Family> {
        diesel::update(families::table.find(id))
            .set(FamilyColumns::of(data, consent_recorded_by))
            .returning(FamilyRow::as_returning())
            .get_result(conn)
            .await
            .map(Family::from)
    }

    /// Marks a family closed on a day, with a reason.
    pub async fn set_closed(
        conn: &mut AsyncPgConnection,
        id: FamilyId,
        on: NaiveDate,
        reason: &str,
    ) -> QueryResult<Family> {
        diesel::update(families::table.find(id))
            .set((
                families::status.eq(FamilyStatus::Closed),
                families::closed_on.eq(on),
                families::closed_reason.eq(reason),
            ))
            .returning(FamilyRow::as_returning())
            .get_result(conn)
            .await
            .map(Family::from)
    }
}

/// The columns a family's form writes, for inserting and changing alike.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = families, treat_none_as_null = true)]
struct FamilyColumns<'a> {
    district_id: Option<DistrictId>,
    languages: Vec<Option<&'a str>>,
    children_count: i16,
    children_birth_years: Vec<Option<i16>>,
    contact_origin: ContactOrigin,
    first_contact_on: NaiveDate,
    consent_on: Option<NaiveDate>,
    consent_scope: &'a str,
    consent_contact: bool,
    consent_visits: bool,
    consent_referrals: bool,
    consent_recorded_by: Option<UserId>,
    primary_mother_id: Option<MotherId>,
}

impl<'a> FamilyColumns<'a> {
    fn of(data: &'a FamilyData, consent_recorded_by: Option<UserId>) -> Self {
        Self {
            district_id: data.district_id,
            languages: data.languages.iter().map(|l| Some(l.as_str())).collect(),
            children_count: data.children_count,
            children_birth_years: data.children_birth_years.iter().map(|y| Some(*y)).collect(),
            contact_origin: data.contact_origin,
            first_contact_on: data.first_contact_on,
            consent_on: data.consent_on,
            consent_scope: &data.consent_scope,
            consent_contact: data.consent_contact,
            consent_visits: data.consent_visits,
            consent_referrals: data.consent_referrals,
            consent_recorded_by,
            primary_mother_id: data.primary_mother_id,
        }
    }
}

impl Personal {
    pub async fn find(conn: &mut AsyncPgConnection, family_id: FamilyId) -> QueryResult<Personal> {
        let row: Option<(Sealed, Sealed, Sealed)> = family_personal::table
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
                name: name.into(),
                address: address.into(),
                phone: phone.into(),
            })
            .unwrap_or_default())
    }

    /// Removes the personal fields (erasure).
    pub async fn erase(conn: &mut AsyncPgConnection, family_id: FamilyId) -> QueryResult<()> {
        diesel::delete(family_personal::table.find(family_id))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Saves the personal fields of a family of `programme_id`, sealed, with
    /// the name's search index (`crypto::name_index`); all empty deletes
    /// the row.
    pub async fn save(
        conn: &mut AsyncPgConnection,
        family_id: FamilyId,
        programme_id: ProgrammeId,
        p: &Personal,
    ) -> QueryResult<()> {
        if p == &Personal::default() {
            return Self::erase(conn, family_id).await;
        }
        let (name, address, phone) = (
            Sealed::from(&p.name),
            Sealed::from(&p.address),
            Sealed::from(&p.phone),
        );
        let serialization = |e: Box<dyn std::error::Error + Send + Sync>| {
            diesel::result::Error::SerializationError(e)
        };
        let (key, index) = crate::crypto::name_index::of_name(programme_id.0, &p.name)
            .map_err(|e| serialization(Box::new(e)))?;
        let key = i32::try_from(key).map_err(|e| serialization(Box::new(e)))?;
        diesel::insert_into(family_personal::table)
            .values((
                family_personal::family_id.eq(family_id),
                family_personal::name.eq(&name),
                family_personal::address.eq(&address),
                family_personal::phone.eq(&phone),
                family_personal::name_index.eq(&index),
                family_personal::name_index_key.eq(key),
            ))
            .on_conflict(family_personal::family_id)
            .do_update()
            .set((
                family_personal::name.eq(&name),
                family_personal::address.eq(&address),
                family_personal::phone.eq(&phone),
                family_personal::name_index.eq(&index),
                family_personal::name_index_key.eq(key),
                family_personal::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }
}
