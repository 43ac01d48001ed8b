//! Families (pseudonymous), visits with their topics and referrals, the
//! topic taxonomy, and events. Queries are scoped to the caller's
//! programmes; personal fields and visit notes are read only for roles that
//! may see them; every change writes an audit row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, FieldErrors, Msg, constraint_name};
use crate::ids::ProgrammeId;
use crate::mothers::model::{Mother, MotherStatus};
use crate::programmes::model::Programme;
use crate::schema::{
    event_mothers, events, families, family_personal, mothers, programmes, referrals, topics,
    visit_topics, visits,
};

fn strings(v: &[String]) -> Vec<Option<String>> {
    v.iter().cloned().map(Some).collect()
}

pub const CONTACT_ORIGINS: [&str; 5] = [
    "own_network",
    "authority",
    "school_daycare",
    "event",
    "other",
];
pub const VISIT_KINDS: [&str; 4] = ["home_visit", "phone", "accompaniment", "group_meeting"];
pub const SERVICES: [&str; 9] = [
    "youth_welfare",
    "school",
    "day_care",
    "health",
    "job_centre",
    "housing",
    "legal_advice",
    "language_course",
    "other",
];
pub const EVENT_KINDS: [&str; 4] = ["event", "workshop", "information_session", "excursion"];

// --------------------------------------------------------------- families

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = families, check_for_backend(diesel::pg::Pg))]
pub(super) struct FamilyRow {
    id: i64,
    programme_id: i64,
    reference_code: String,
    district_id: Option<i64>,
    languages: Vec<Option<String>>,
    children_count: i16,
    children_birth_years: Vec<Option<i16>>,
    contact_origin: String,
    first_contact_on: NaiveDate,
    consent_on: Option<NaiveDate>,
    consent_scope: String,
    consent_recorded_by: Option<i64>,
    primary_mother_id: Option<i64>,
    status: String,
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
    /// `own_network`, `authority`, `school_daycare`, `event` or `other`.
    pub contact_origin: String,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    pub consent_recorded_by: Option<i64>,
    pub primary_mother_id: Option<i64>,
    /// `active` or `closed`.
    pub status: String,
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
    pub contact_origin: String,
    pub first_contact_on: NaiveDate,
    pub consent_on: Option<NaiveDate>,
    pub consent_scope: String,
    pub primary_mother_id: Option<i64>,
}

/// Filters of the family list.
#[derive(Debug, Clone, Default)]
pub struct FamilyFilter {
    pub programme_id: Option<i64>,
    pub status: Option<String>,
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

fn family_error(e: diesel::result::Error) -> AppError {
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
                    families::contact_origin.eq(&data.contact_origin),
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
                    families::contact_origin.eq(&data.contact_origin),
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
            if old.status == "closed" {
                return Err(AppError::Conflict("error-family-closed"));
            }
            let row: FamilyRow = diesel::update(families::table.find(id))
                .set((
                    families::status.eq("closed"),
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

// ----------------------------------------------------------------- topics

/// A visit topic: a default (with a key, translated) or a programme's own.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = topics, check_for_backend(diesel::pg::Pg))]
pub struct Topic {
    pub id: i64,
    pub programme_id: Option<i64>,
    pub key: Option<String>,
    pub label: String,
    pub retired_at: Option<DateTime<Utc>>,
}

pub const TOPIC_LABEL_KEY: &str = "topics_label_key";

impl Topic {
    /// The defaults and the programme's own topics (retired ones too).
    pub async fn for_programme(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<Topic>> {
        topics::table
            .filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq(programme_id)),
            )
            .select(Topic::as_select())
            .order((topics::programme_id.is_not_null(), topics::id))
            .load(conn)
            .await
    }

    /// The topics of several programmes (for lists across programmes).
    pub async fn for_scope(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<Topic>> {
        let mut q = topics::table
            .select(Topic::as_select())
            .order(topics::id)
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq_any(ids)),
            );
        }
        q.load(conn).await
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        programme_id: i64,
        label: &str,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let t: Topic = diesel::insert_into(topics::table)
                .values((
                    topics::programme_id.eq(programme_id),
                    topics::label.eq(label),
                ))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await
                .map_err(topic_error)?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("topic", t.id, Some(programme_id)),
                json!({"label": {"new": label}}),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// A programme's own topic, for renaming and retiring (defaults are fixed).
    pub async fn own(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<Topic> {
        let t: Topic = topics::table
            .find(id)
            .select(Topic::as_select())
            .first(conn)
            .await?;
        match t.programme_id {
            Some(p) if scope.allows(ProgrammeId(p)) => Ok(t),
            Some(_) => Err(AppError::NotFound),
            None => Err(AppError::Conflict("error-topic-default")),
        }
    }

    pub async fn rename(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        label: &str,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let old = Topic::own(conn, scope, id).await?;
            let t: Topic = diesel::update(topics::table.find(id))
                .set(topics::label.eq(label))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await
                .map_err(topic_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("topic", id, old.programme_id),
                audit::changed(&old, &t),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// Retires (`true`) or restores a topic: retired, it is no longer offered
    /// but stays on past visits and in reports.
    pub async fn set_retired(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        retired: bool,
        now: DateTime<Utc>,
    ) -> AppResult<Topic> {
        conn.transaction(async |conn| {
            let old = Topic::own(conn, scope, id).await?;
            let t: Topic = diesel::update(topics::table.find(id))
                .set(topics::retired_at.eq(retired.then_some(now)))
                .returning(Topic::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                if retired { "retire" } else { "restore" },
                Subject::of("topic", id, old.programme_id),
                audit::changed(&old, &t),
            )
            .await?;
            Ok(t)
        })
        .await
    }
}

fn topic_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(TOPIC_LABEL_KEY) => AppError::field("label", "error-topic-taken"),
        _ => e.into(),
    }
}

// ----------------------------------------------------------------- visits

/// A visit's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitData {
    pub mother_id: i64,
    pub family_id: Option<i64>,
    /// A family's reference code, looked up in the mother's programme
    /// when the visit is saved (it then sets `family_id`).
    pub family_code: Option<String>,
    pub visited_on: NaiveDate,
    pub duration_minutes: i32,
    pub kind: String,
    pub interpreter_used: bool,
    pub topic_ids: Vec<i64>,
    /// Services referred to (each becomes an open referral).
    pub referrals: Vec<String>,
    pub next_step: String,
    pub note: String,
    /// Save even when the same mother, family, date and kind exist already.
    #[serde(skip)]
    pub confirm_duplicate: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = visits, check_for_backend(diesel::pg::Pg))]
struct VisitRow {
    id: i64,
    programme_id: i64,
    mother_id: i64,
    family_id: Option<i64>,
    visited_on: NaiveDate,
    duration_minutes: i32,
    kind: String,
    interpreter_used: bool,
    next_step: String,
    note: String,
    created_at: DateTime<Utc>,
}

/// A referral made at a visit.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = referrals, check_for_backend(diesel::pg::Pg))]
pub struct Referral {
    pub id: i64,
    pub programme_id: i64,
    pub visit_id: i64,
    pub service: String,
    /// `open` or `done`.
    pub status: String,
    pub done_on: Option<NaiveDate>,
}

/// A visit with its mother's name, family code, topics and referrals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub programme_id: i64,
    pub mother_id: i64,
    pub mother_name: String,
    pub family_id: Option<i64>,
    pub family_code: Option<String>,
    pub visited_on: NaiveDate,
    pub duration_minutes: i32,
    /// `home_visit`, `phone`, `accompaniment` or `group_meeting`.
    pub kind: String,
    pub interpreter_used: bool,
    pub topic_ids: Vec<i64>,
    pub referrals: Vec<Referral>,
    pub next_step: String,
    /// Only coordinators and admins see the note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Filters of the visit list.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub programme_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub mother_id: Option<i64>,
    pub family_id: Option<i64>,
    pub district_id: Option<i64>,
    pub topic_id: Option<i64>,
    pub page: i64,
}

pub const VISITS_PER_PAGE: i64 = 50;

/// The field errors of one item of a bulk request.
#[derive(Debug, Clone)]
pub struct ItemErrors {
    pub index: usize,
    pub errors: FieldErrors,
}

/// Visit lists count matches up to this many; beyond it they say "more than".
pub const COUNT_LIMIT: i64 = 10_000;

impl Visit {
    /// Checks the rules for a new visit; the first failing rule wins per field.
    /// Returns the mother and the family's reference code.
    async fn check(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        data: &VisitData,
        today: NaiveDate,
    ) -> AppResult<(Mother, Option<String>)> {
        let mut family_code = None;
        let mut errors = FieldErrors::new();
        if data.visited_on > today {
            errors.insert("visited_on", "error-visit-in-future");
        }
        // The family is read share-locked: a closing waits for this visit,
        // or this visit for it (and then sees it). The mother is not: a
        // share lock on her row from every visit she logs (MultiXacts on a
        // hot row) cost a tenth of the visit-logging throughput, and a visit
        // logged while her status changes happened while she still had it.
        let mother = match Mother::find(conn, scope, data.mother_id).await {
            Ok(m) => Some(m),
            Err(diesel::NotFound) => {
                errors.insert("mother_id", "error-mother-unknown");
                None
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(m) = &mother {
            // Whether practice visits are allowed matters only in training.
            let practice = m.status == MotherStatus::InTraining
                && programmes::table
                    .find(m.programme_id)
                    .select(programmes::practice_visits_allowed)
                    .first::<bool>(conn)
                    .await?;
            let may = matches!(m.status, MotherStatus::Certified | MotherStatus::Active)
                || (m.status == MotherStatus::InTraining && practice);
            if !may {
                errors.insert(
                    "mother_id",
                    Msg::new("error-mother-may-not-visit").arg("status", m.status.as_str()),
                );
            }
        }
        if let Some(fid) = data.family_id {
            match Family::find_for_share(conn, scope, fid).await {
                Ok(f) => {
                    family_code = Some(f.reference_code.clone());
                    if mother
                        .as_ref()
                        .is_some_and(|m| m.programme_id != f.programme_id)
                    {
                        errors.insert("family_id", "error-family-other-programme");
                    } else if f.status == "closed" {
                        errors.insert("family_id", "error-family-closed");
                    }
                }
                Err(diesel::NotFound) => {
                    errors.insert("family_id", "error-family-unknown");
                }
                Err(e) => return Err(e.into()),
            }
        }
        if data.topic_ids.is_empty() {
            errors.insert("topic_ids", "error-topics-required");
        } else if let Some(m) = &mother {
            let usable: Vec<i64> = topics::table
                .filter(topics::retired_at.is_null())
                .filter(
                    topics::programme_id
                        .is_null()
                        .or(topics::programme_id.eq(m.programme_id)),
                )
                .select(topics::id)
                .load(conn)
                .await?;
            if data.topic_ids.iter().any(|t| !usable.contains(t)) {
                errors.insert("topic_ids", "error-topic-unknown");
            }
        }
        if let (Some(m), true) = (&mother, errors.is_empty() && !data.confirm_duplicate) {
            let mut same = visits::table
                .filter(visits::mother_id.eq(m.id))
                .filter(visits::visited_on.eq(data.visited_on))
                .filter(visits::kind.eq(data.kind.clone()))
                .into_boxed();
            same = match data.family_id {
                Some(f) => same.filter(visits::family_id.eq(f)),
                None => same.filter(visits::family_id.is_null()),
            };
            let same: i64 = same.count().get_result(conn).await?;
            if same > 0 {
                errors.insert("confirm_duplicate", "error-visit-duplicate");
            }
        }
        match mother {
            Some(m) if errors.is_empty() => Ok((m, family_code)),
            _ => Err(AppError::Validation(errors)),
        }
    }

    /// Inserts a checked visit; the answer is built from what was written
    /// (no second read).
    async fn insert(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        (m, family_code): &(Mother, Option<String>),
        data: &VisitData,
    ) -> AppResult<Visit> {
        let (id, created_at): (i64, DateTime<Utc>) = diesel::insert_into(visits::table)
            .values((
                visits::programme_id.eq(m.programme_id),
                visits::mother_id.eq(data.mother_id),
                visits::family_id.eq(data.family_id),
                visits::visited_on.eq(data.visited_on),
                visits::duration_minutes.eq(data.duration_minutes),
                visits::kind.eq(&data.kind),
                visits::interpreter_used.eq(data.interpreter_used),
                visits::next_step.eq(&data.next_step),
                visits::note.eq(&data.note),
                visits::recorded_by.eq(actor),
            ))
            .returning((visits::id, visits::created_at))
            .get_result(conn)
            .await
            .map_err(|e| match constraint_name(&e) {
                Some("visits_not_in_future") => {
                    AppError::field("visited_on", "error-visit-in-future")
                }
                Some("visits_family_open") => AppError::field("family_id", "error-family-closed"),
                Some("visits_mother_may_visit") => {
                    AppError::field("mother_id", "error-mother-may-not-visit")
                }
                Some("visits_family_fkey") => {
                    AppError::field("family_id", "error-family-other-programme")
                }
                _ => e.into(),
            })?;
        let links: Vec<_> = data
            .topic_ids
            .iter()
            .map(|t| (visit_topics::visit_id.eq(id), visit_topics::topic_id.eq(*t)))
            .collect();
        diesel::insert_into(visit_topics::table)
            .values(links)
            .execute(conn)
            .await?;
        let refs: Vec<_> = data
            .referrals
            .iter()
            .map(|s| {
                (
                    referrals::programme_id.eq(m.programme_id),
                    referrals::visit_id.eq(id),
                    referrals::service.eq(s.clone()),
                )
            })
            .collect();
        let referrals: Vec<Referral> = if refs.is_empty() {
            Vec::new()
        } else {
            diesel::insert_into(referrals::table)
                .values(refs)
                .returning(Referral::as_returning())
                .get_results(conn)
                .await?
        };
        // The note stays out of the log: it may hold personal details.
        let mut changes = audit::created(data);
        if let Some(o) = changes.as_object_mut() {
            o.remove("note");
        }
        audit::record(
            conn,
            actor,
            "create",
            Subject::of("visit", id, Some(m.programme_id)),
            changes,
        )
        .await?;
        let mut topic_ids = data.topic_ids.clone();
        topic_ids.sort_unstable();
        topic_ids.dedup();
        Ok(Visit {
            id,
            programme_id: m.programme_id,
            mother_id: m.id,
            mother_name: m.full_name.clone(),
            family_id: data.family_id,
            family_code: family_code.clone(),
            visited_on: data.visited_on,
            duration_minutes: data.duration_minutes,
            kind: data.kind.clone(),
            interpreter_used: data.interpreter_used,
            topic_ids,
            referrals,
            next_step: data.next_step.clone(),
            note: Some(data.note.clone()),
            created_at,
        })
    }

    /// Records a visit with its topics and referrals, and returns it (with
    /// the note only if `with_note`). `today` (the clock's) bounds its date.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        data: &VisitData,
        with_note: bool,
        today: NaiveDate,
    ) -> AppResult<Visit> {
        let mut v = conn
            .transaction(async |conn| {
                let mut data = data.clone();
                super::families::resolve_family_code(conn, scope, &mut data).await?;
                let checked = Visit::check(conn, scope, &data, today).await?;
                Visit::insert(conn, actor, &checked, &data).await
            })
            .await?;
        if !with_note {
            v.note = None;
        }
        Ok(v)
    }

    /// Records several visits: all or none. Items that failed validation
    /// come in as `Err`; every item is checked, and the errors name each
    /// failing one.
    pub async fn create_bulk(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        items: &[Result<VisitData, FieldErrors>],
        today: NaiveDate,
    ) -> Result<Vec<i64>, BulkError> {
        let result: Result<Vec<i64>, BulkError> = conn
            .transaction(async |conn| {
                let mut ids = Vec::new();
                let mut failed = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let mut data = match item {
                        Ok(d) => d.clone(),
                        Err(errors) => {
                            failed.push(ItemErrors {
                                index,
                                errors: errors.clone(),
                            });
                            continue;
                        }
                    };
                    let resolved =
                        super::families::resolve_family_code(conn, scope, &mut data).await;
                    let checked = match resolved {
                        Ok(()) => Visit::check(conn, scope, &data, today).await,
                        Err(e) => Err(e),
                    };
                    match checked {
                        Ok(m) => {
                            if failed.is_empty() {
                                ids.push(
                                    Visit::insert(conn, actor, &m, &data)
                                        .await
                                        .map_err(BulkError::App)?
                                        .id,
                                );
                            }
                        }
                        Err(AppError::Validation(errors)) => {
                            failed.push(ItemErrors { index, errors })
                        }
                        Err(e) => return Err(BulkError::App(e)),
                    }
                }
                if failed.is_empty() {
                    Ok(ids)
                } else {
                    Err(BulkError::Items(failed))
                }
            })
            .await;
        result
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
        with_note: bool,
    ) -> QueryResult<Visit> {
        let filter = VisitFilter::default();
        let mut found = Visit::load(conn, scope, &filter, Some(id), with_note).await?;
        found.pop().ok_or(diesel::NotFound)
    }

    /// Visits matching `filter`, newest first, a page at a time, and the
    /// total: exact up to `COUNT_LIMIT`, `COUNT_LIMIT + 1` for "more".
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &VisitFilter,
        with_note: bool,
    ) -> QueryResult<(Vec<Visit>, i64)> {
        let total = Visit::count(conn, scope, filter).await?;
        Ok((
            Visit::load(conn, scope, filter, None, with_note).await?,
            total,
        ))
    }

    fn query<'a>(
        scope: &ProgrammeScope,
        f: &VisitFilter,
    ) -> visits::BoxedQuery<'a, diesel::pg::Pg> {
        let mut q = visits::table.into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(visits::programme_id.eq_any(ids));
        }
        if let Some(p) = f.programme_id {
            q = q.filter(visits::programme_id.eq(p));
        }
        if let Some(d) = f.from {
            q = q.filter(visits::visited_on.ge(d));
        }
        if let Some(d) = f.to {
            q = q.filter(visits::visited_on.le(d));
        }
        if let Some(m) = f.mother_id {
            q = q.filter(visits::mother_id.eq(m));
        }
        if let Some(fam) = f.family_id {
            q = q.filter(visits::family_id.eq(fam));
        }
        if let Some(d) = f.district_id {
            let in_district = families::table
                .filter(families::district_id.eq(d))
                .select(families::id.nullable());
            let of_mothers = mothers::table
                .filter(mothers::district_id.eq(d))
                .select(mothers::id);
            q = q.filter(
                visits::family_id.eq_any(in_district).or(visits::family_id
                    .is_null()
                    .and(visits::mother_id.eq_any(of_mothers))),
            );
        }
        if let Some(t) = f.topic_id {
            let with_topic = visit_topics::table
                .filter(visit_topics::topic_id.eq(t))
                .select(visit_topics::visit_id);
            q = q.filter(visits::id.eq_any(with_topic));
        }
        q
    }

    /// How many visits match, counted up to `COUNT_LIMIT + 1` (an exact
    /// count of a million visits costs more than the page itself).
    async fn count(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        f: &VisitFilter,
    ) -> QueryResult<i64> {
        let bounded = Visit::query(scope, f)
            .select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
            .limit(COUNT_LIMIT + 1);
        crate::db::CountRows(bounded).get_result(conn).await
    }

    async fn load(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        f: &VisitFilter,
        id: Option<i64>,
        with_note: bool,
    ) -> QueryResult<Vec<Visit>> {
        let mut q = Visit::query(scope, f);
        if let Some(id) = id {
            q = q.filter(visits::id.eq(id));
        }
        let rows: Vec<VisitRow> = q
            .select(VisitRow::as_select())
            .order((visits::visited_on.desc(), visits::id.desc()))
            .limit(VISITS_PER_PAGE)
            .offset(crate::web::pagination::offset(f.page, VISITS_PER_PAGE))
            .load(conn)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mother_ids: Vec<i64> = rows.iter().map(|r| r.mother_id).collect();
        let family_ids: Vec<i64> = rows.iter().filter_map(|r| r.family_id).collect();
        let names: Vec<(i64, String)> = mothers::table
            .filter(mothers::id.eq_any(&mother_ids))
            .select((mothers::id, mothers::full_name))
            .load(conn)
            .await?;
        let codes: Vec<(i64, String)> = if family_ids.is_empty() {
            Vec::new()
        } else {
            families::table
                .filter(families::id.eq_any(&family_ids))
                .select((families::id, families::reference_code))
                .load(conn)
                .await?
        };
        let links: Vec<(i64, i64)> = visit_topics::table
            .filter(visit_topics::visit_id.eq_any(&ids))
            .select((visit_topics::visit_id, visit_topics::topic_id))
            .order(visit_topics::topic_id)
            .load(conn)
            .await?;
        let refs: Vec<Referral> = referrals::table
            .filter(referrals::visit_id.eq_any(&ids))
            .select(Referral::as_select())
            .order(referrals::id)
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| Visit {
                id: r.id,
                programme_id: r.programme_id,
                mother_id: r.mother_id,
                mother_name: names
                    .iter()
                    .find(|(i, _)| *i == r.mother_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                family_id: r.family_id,
                family_code: r
                    .family_id
                    .and_then(|f| codes.iter().find(|(i, _)| *i == f).map(|(_, c)| c.clone())),
                visited_on: r.visited_on,
                duration_minutes: r.duration_minutes,
                kind: r.kind,
                interpreter_used: r.interpreter_used,
                topic_ids: links
                    .iter()
                    .filter(|(v, _)| *v == r.id)
                    .map(|(_, t)| *t)
                    .collect(),
                referrals: refs
                    .iter()
                    .filter(|x| x.visit_id == r.id)
                    .cloned()
                    .collect(),
                next_step: r.next_step,
                note: with_note.then_some(r.note),
                created_at: r.created_at,
            })
            .collect())
    }

    /// How many visits a mother made.
    pub async fn count_for_mother(
        conn: &mut AsyncPgConnection,
        mother_id: i64,
    ) -> QueryResult<i64> {
        visits::table
            .filter(visits::mother_id.eq(mother_id))
            .count()
            .get_result(conn)
            .await
    }
}

/// Why a bulk request failed.
#[derive(Debug)]
pub enum BulkError {
    /// These items are invalid; nothing was saved.
    Items(Vec<ItemErrors>),
    App(AppError),
}

impl From<diesel::result::Error> for BulkError {
    fn from(e: diesel::result::Error) -> Self {
        BulkError::App(e.into())
    }
}

// -------------------------------------------------------------- referrals

/// An open referral with its visit's context, for the worklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralItem {
    #[serde(flatten)]
    pub referral: Referral,
    pub visited_on: NaiveDate,
    pub mother_id: i64,
    pub mother_name: String,
    pub family_code: Option<String>,
}

impl Referral {
    /// Open referrals, oldest visit first.
    pub async fn open(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<ReferralItem>> {
        let mut q = referrals::table
            .inner_join(visits::table.on(visits::id.eq(referrals::visit_id)))
            .inner_join(mothers::table.on(mothers::id.eq(visits::mother_id)))
            .left_join(families::table.on(families::id.nullable().eq(visits::family_id)))
            .filter(referrals::status.eq("open"))
            .select((
                Referral::as_select(),
                visits::visited_on,
                mothers::id,
                mothers::full_name,
                families::reference_code.nullable(),
            ))
            .order((visits::visited_on, referrals::id))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(referrals::programme_id.eq_any(ids));
        }
        let rows: Vec<(Referral, NaiveDate, i64, String, Option<String>)> = q.load(conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(referral, visited_on, mother_id, mother_name, family_code)| ReferralItem {
                    referral,
                    visited_on,
                    mother_id,
                    mother_name,
                    family_code,
                },
            )
            .collect())
    }

    /// Marks a referral done on `on`.
    pub async fn mark_done(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        on: NaiveDate,
    ) -> AppResult<Referral> {
        conn.transaction(async |conn| {
            // Locked: two "done" at once record it (and its audit row) once.
            let r: Referral = referrals::table
                .find(id)
                .select(Referral::as_select())
                .for_update()
                .first(conn)
                .await?;
            scope.check(ProgrammeId(r.programme_id))?;
            if r.status == "done" {
                return Ok(r);
            }
            let visited_on: NaiveDate = visits::table
                .find(r.visit_id)
                .select(visits::visited_on)
                .first(conn)
                .await?;
            if on < visited_on {
                return Err(AppError::field("done_on", "error-done-before-visit"));
            }
            let new: Referral = diesel::update(referrals::table.find(id))
                .set((referrals::status.eq("done"), referrals::done_on.eq(on)))
                .returning(Referral::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "done",
                Subject::of("referral", id, Some(r.programme_id)),
                audit::changed(&r, &new),
            )
            .await?;
            Ok(new)
        })
        .await
    }
}

// ----------------------------------------------------------------- events

/// A group activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    pub programme_id: i64,
    pub district_id: Option<i64>,
    /// `event`, `workshop`, `information_session` or `excursion`.
    pub kind: String,
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
    pub kind: String,
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
    String,
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
                    events::kind.eq(&data.kind),
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
