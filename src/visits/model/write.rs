//! Writing visits: the row, its topics and referrals, corrections and
//! voiding. Each statement has one shape whatever the values (NULL for
//! `None`, arrays for lists), so that it stays prepared on its pooled
//! connection.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::audit::NewAuditEvent;
use crate::authz::ProgrammeScope;
use crate::crypto::Sealed;
use crate::schema::{referrals, visit_topics, visits};

use super::*;

diesel::define_sql_function! {
    /// PostgreSQL's `unnest`: a row for each element of the array.
    fn unnest(items: diesel::sql_types::Array<diesel::sql_types::BigInt>) -> diesel::sql_types::BigInt;
}

/// A visit's own columns, as an insert and a correction write them (`None`
/// as NULL, so that an insert has one shape and stays prepared).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = visits, treat_none_as_null = true, treat_none_as_default_value = false)]
struct Columns<'a> {
    mother_id: MotherId,
    family_id: Option<FamilyId>,
    visited_on: NaiveDate,
    duration_minutes: i32,
    kind: VisitKind,
    interpreter_used: bool,
    next_step: &'a str,
    #[diesel(serialize_as = Sealed)]
    note: &'a str,
    contact_origin: Option<&'a str>,
}

impl<'a> Columns<'a> {
    fn of(d: &'a VisitData) -> Self {
        Columns {
            mother_id: d.mother_id,
            family_id: d.family_id,
            visited_on: d.visited_on,
            duration_minutes: d.duration_minutes,
            kind: d.kind,
            interpreter_used: d.interpreter_used,
            next_step: &d.next_step,
            note: &d.note,
            contact_origin: d.contact_origin.as_deref(),
        }
    }
}

impl Visit {
    /// Writes a checked visit with its topics and its audit row (whose
    /// `entity_id` becomes the new visit's), in one statement; the visit's
    /// id and creation time.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &VisitData,
        recorded_by: Option<UserId>,
        entered_by_mother: bool,
        audit: &NewAuditEvent<'_>,
    ) -> QueryResult<(VisitId, DateTime<Utc>)> {
        InsertVisit {
            programme_id: programme_id.0,
            data,
            recorded_by: recorded_by.map(|u| u.0),
            entered_by_mother,
            topic_ids: data.topic_ids.iter().map(|t| t.0).collect(),
            note: Sealed::from(&data.note),
            audit,
        }
        .get_result(conn)
        .await
    }

    /// Inserts many checked visits of one programme, each with its external
    /// reference (an import); their ids by reference.
    pub async fn insert_many(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        rows: &[(&VisitData, &str)],
        recorded_by: Option<UserId>,
    ) -> QueryResult<std::collections::HashMap<String, VisitId>> {
        let values: Vec<_> = rows
            .iter()
            .map(|(d, r)| {
                (
                    visits::programme_id.eq(programme_id),
                    Columns::of(d),
                    visits::recorded_by.eq(recorded_by),
                    visits::external_ref.eq(*r),
                )
            })
            .collect();
        let got: Vec<(VisitId, Option<String>)> = diesel::insert_into(visits::table)
            .values(values)
            .returning((visits::id, visits::external_ref))
            .get_results(conn)
            .await?;
        Ok(got
            .into_iter()
            .filter_map(|(id, r)| r.map(|r| (r, id)))
            .collect())
    }

    /// Links many visits to their topics at once.
    pub async fn link_topics_many(
        conn: &mut AsyncPgConnection,
        links: &[(VisitId, TopicId)],
    ) -> QueryResult<()> {
        if links.is_empty() {
            return Ok(());
        }
        let values: Vec<_> = links
            .iter()
            .map(|(v, t)| (visit_topics::visit_id.eq(*v), visit_topics::topic_id.eq(*t)))
            .collect();
        diesel::insert_into(visit_topics::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(conn)
            .await
            .map(drop)
    }

    /// Opens many referrals at once (visit, service).
    pub async fn insert_referrals_many(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        refs: &[(VisitId, Service)],
    ) -> QueryResult<()> {
        if refs.is_empty() {
            return Ok(());
        }
        let values: Vec<_> = refs
            .iter()
            .map(|(v, s)| {
                (
                    referrals::programme_id.eq(programme_id),
                    referrals::visit_id.eq(*v),
                    referrals::service.eq(s),
                )
            })
            .collect();
        diesel::insert_into(referrals::table)
            .values(values)
            .execute(conn)
            .await
            .map(drop)
    }

    /// Links a visit to its topics (one statement for any number of them:
    /// `SELECT $1, unnest($2)`).
    pub async fn link_topics(
        conn: &mut AsyncPgConnection,
        id: VisitId,
        topic_ids: &[TopicId],
    ) -> QueryResult<()> {
        let ids: Vec<i64> = topic_ids.iter().map(|t| t.0).collect();
        diesel::insert_into(visit_topics::table)
            .values(diesel::select((
                id.0.into_sql::<diesel::sql_types::BigInt>(),
                unnest(ids),
            )))
            .into_columns((visit_topics::visit_id, visit_topics::topic_id))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Opens a referral to each service, made at a visit.
    pub async fn insert_referrals(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        id: VisitId,
        services: &[Service],
    ) -> QueryResult<Vec<Referral>> {
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let refs: Vec<_> = services
            .iter()
            .map(|s| {
                (
                    referrals::programme_id.eq(programme_id),
                    referrals::visit_id.eq(id),
                    referrals::service.eq(s),
                )
            })
            .collect();
        diesel::insert_into(referrals::table)
            .values(refs)
            .returning(Referral::as_returning())
            .get_results(conn)
            .await
    }

    /// Locks a visit's row for the rest of the transaction, if the scope
    /// reaches it (else `NotFound`).
    pub async fn lock(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: VisitId,
    ) -> QueryResult<()> {
        let locked = visits::table
            .find(id)
            .select(visits::programme_id)
            .for_update()
            .first::<ProgrammeId>(conn)
            .await?;
        scope.check(locked)
    }

    /// Writes a visit's corrected fields.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: VisitId,
        data: &VisitData,
    ) -> QueryResult<()> {
        diesel::update(visits::table.find(id))
            .set(Columns::of(data))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Makes a visit's topics exactly `topic_ids` (only the difference is
    /// written).
    pub async fn replace_topics(
        conn: &mut AsyncPgConnection,
        id: VisitId,
        old: &[TopicId],
        topic_ids: &[TopicId],
    ) -> QueryResult<()> {
        let gone: Vec<TopicId> = old
            .iter()
            .filter(|t| !topic_ids.contains(t))
            .copied()
            .collect();
        if !gone.is_empty() {
            diesel::delete(
                visit_topics::table
                    .filter(visit_topics::visit_id.eq(id))
                    .filter(visit_topics::topic_id.eq_any(&gone)),
            )
            .execute(conn)
            .await?;
        }
        let added: Vec<TopicId> = topic_ids
            .iter()
            .filter(|t| !old.contains(t))
            .copied()
            .collect();
        if added.is_empty() {
            return Ok(());
        }
        Visit::link_topics(conn, id, &added).await
    }

    /// Deletes referrals made at a visit that a correction took back.
    pub async fn delete_referrals(
        conn: &mut AsyncPgConnection,
        ids: &[ReferralId],
    ) -> QueryResult<()> {
        diesel::delete(referrals::table.filter(referrals::id.eq_any(ids)))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Voids a visit (when, why, by whom) or restores it (`None`).
    pub async fn set_void(
        conn: &mut AsyncPgConnection,
        id: VisitId,
        void: Option<(DateTime<Utc>, &str, Option<UserId>)>,
    ) -> QueryResult<()> {
        diesel::update(visits::table.find(id))
            .set((
                visits::voided_at.eq(void.map(|v| v.0)),
                visits::void_reason.eq(void.map(|v| v.1)),
                visits::voided_by.eq(void.and_then(|v| v.2)),
            ))
            .execute(conn)
            .await
            .map(drop)
    }
}

/// A new visit, its topics and its audit row as one statement
/// (data-modifying CTEs): one round trip, atomic without a transaction
/// around it. Written out rather than with `sql_query`, which diesel never
/// keeps prepared: this text is the same for every visit, so the statement
/// is prepared once per connection.
struct InsertVisit<'a> {
    programme_id: i64,
    data: &'a VisitData,
    recorded_by: Option<i64>,
    entered_by_mother: bool,
    topic_ids: Vec<i64>,
    /// Sealed as it is written.
    note: Sealed,
    audit: &'a NewAuditEvent<'a>,
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for InsertVisit<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Array, BigInt, Bool, Date, Integer, Jsonb, Nullable, Text};
        let d = self.data;
        out.push_sql(
            "WITH v AS (INSERT INTO visits (programme_id, mother_id, family_id, visited_on, \
             duration_minutes, kind, interpreter_used, next_step, note, contact_origin, \
             recorded_by, entered_by_mother) VALUES (",
        );
        out.push_bind_param::<BigInt, _>(&self.programme_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&d.mother_id.0)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&d.family_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Date, _>(&d.visited_on)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&d.duration_minutes)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(d.kind.as_str())?;
        out.push_sql(", ");
        out.push_bind_param::<Bool, _>(&d.interpreter_used)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&d.next_step)?;
        out.push_sql(", ");
        out.push_bind_param::<diesel::sql_types::Bytea, _>(&self.note)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&d.contact_origin)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.recorded_by)?;
        out.push_sql(", ");
        out.push_bind_param::<Bool, _>(&self.entered_by_mother)?;
        out.push_sql(
            ") RETURNING id, created_at), \
             t AS (INSERT INTO visit_topics (visit_id, topic_id) SELECT v.id, unnest(",
        );
        out.push_bind_param::<Array<BigInt>, _>(&self.topic_ids)?;
        out.push_sql(
            ") FROM v), \
             a AS (INSERT INTO audit_events (actor_id, action, entity, entity_id, programme_id, \
             changes) SELECT ",
        );
        let a = self.audit;
        out.push_bind_param::<Nullable<BigInt>, _>(&a.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(a.action)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(a.entity)?;
        out.push_sql(", v.id, ");
        out.push_bind_param::<Nullable<BigInt>, _>(&a.programme_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Jsonb, _>(&a.changes)?;
        out.push_sql(" FROM v) SELECT id, created_at FROM v");
        Ok(())
    }
}

impl diesel::query_builder::QueryId for InsertVisit<'_> {
    type QueryId = ();
    // Cached by its SQL text, which never changes.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for InsertVisit<'_> {
    type SqlType = (diesel::sql_types::BigInt, diesel::sql_types::Timestamptz);
}
