//! Visits: the rules for a new visit, its topics and referrals, lists and counts.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, FieldErrors, Msg, constraint_name};
use crate::mothers::model::{Mother, MotherStatus};
use crate::schema::{families, mothers, programmes, referrals, topics, visit_topics, visits};

use super::*;

crate::text_enum! {
    /// How a visit was made.
    pub enum VisitKind {
        HomeVisit = "home_visit",
        Phone = "phone",
        /// Going with the family to an office, a doctor, a school.
        Accompaniment = "accompaniment",
        GroupMeeting = "group_meeting",
    }
}

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
    pub kind: VisitKind,
    pub interpreter_used: bool,
    pub topic_ids: Vec<i64>,
    /// Services referred to (each becomes an open referral).
    pub referrals: Vec<Service>,
    pub next_step: String,
    pub note: String,
    /// Save even when the same mother, family, date and kind exist already.
    #[serde(skip)]
    pub confirm_duplicate: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = visits, check_for_backend(diesel::pg::Pg))]
pub(crate) struct VisitRow {
    id: i64,
    programme_id: i64,
    mother_id: i64,
    family_id: Option<i64>,
    visited_on: NaiveDate,
    duration_minutes: i32,
    kind: VisitKind,
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
    pub service: Service,
    pub status: ReferralStatus,
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
    pub kind: VisitKind,
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
        let mother = match Mother::find(conn, scope, crate::ids::MotherId(data.mother_id)).await {
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
                        .is_some_and(|m| m.programme_id.0 != f.programme_id)
                    {
                        errors.insert("family_id", "error-family-other-programme");
                    } else if f.status == FamilyStatus::Closed {
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
                .filter(visits::kind.eq(data.kind))
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
                visits::kind.eq(data.kind),
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
                    referrals::service.eq(*s),
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
            Subject::of("visit", id, Some(m.programme_id.0)),
            changes,
        )
        .await?;
        let mut topic_ids = data.topic_ids.clone();
        topic_ids.sort_unstable();
        topic_ids.dedup();
        Ok(Visit {
            id,
            programme_id: m.programme_id.0,
            mother_id: m.id.0,
            mother_name: m.full_name.clone(),
            family_id: data.family_id,
            family_code: family_code.clone(),
            visited_on: data.visited_on,
            duration_minutes: data.duration_minutes,
            kind: data.kind,
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
                crate::visits::families::resolve_family_code(conn, scope, &mut data).await?;
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
                        crate::visits::families::resolve_family_code(conn, scope, &mut data).await;
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
