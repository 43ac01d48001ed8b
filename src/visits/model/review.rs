//! Visits a mother entered herself: marked as hers, waiting for her
//! coordinator's review; and what her own pages read of her visits.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{FamilyId, MotherId, UserId, Visit, VisitId};
use crate::authz::ProgrammeScope;
use crate::schema::{mothers, visits};

/// A visit waiting for review, for the coordinator's home page.
#[derive(Debug, Clone, Queryable)]
pub struct AwaitingReview {
    pub id: VisitId,
    pub visited_on: NaiveDate,
    pub mother_name: String,
}

impl Visit {
    /// Whether a family is in a mother's caseload: hers as primary mother,
    /// or one she has visited.
    pub async fn in_caseload(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
        family_id: FamilyId,
    ) -> QueryResult<bool> {
        use crate::schema::families;
        let primary: i64 = families::table
            .filter(families::id.eq(family_id))
            .filter(families::primary_mother_id.eq(mother_id))
            .count()
            .get_result(conn)
            .await?;
        if primary > 0 {
            return Ok(true);
        }
        let visited: i64 = visits::table
            .filter(visits::family_id.eq(family_id))
            .filter(visits::mother_id.eq(mother_id))
            .count()
            .get_result(conn)
            .await?;
        Ok(visited > 0)
    }

    /// A mother's visits from `from` on (this month's count on her page).
    pub async fn count_for_mother_since(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
        from: NaiveDate,
    ) -> QueryResult<i64> {
        visits::table
            .filter(visits::mother_id.eq(mother_id))
            .filter(visits::visited_on.ge(from))
            .filter(visits::voided_at.is_null())
            .count()
            .get_result(conn)
            .await
    }

    /// A mother's latest next steps (her own notes of what happens next):
    /// the day, the family's code (none for an anonymous contact) and the
    /// step, newest first.
    pub async fn next_steps_of(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
        limit: i64,
    ) -> QueryResult<Vec<(NaiveDate, Option<String>, String)>> {
        use crate::schema::families;
        visits::table
            .left_join(families::table.on(families::id.nullable().eq(visits::family_id)))
            .filter(visits::mother_id.eq(mother_id))
            .filter(visits::voided_at.is_null())
            .filter(visits::next_step.ne(""))
            .order((visits::visited_on.desc(), visits::id.desc()))
            .limit(limit)
            .select((
                visits::visited_on,
                families::reference_code.nullable(),
                visits::next_step,
            ))
            .load(conn)
            .await
    }

    /// Marks a visit reviewed (when it waits for review).
    pub async fn mark_reviewed(
        conn: &mut AsyncPgConnection,
        id: VisitId,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(
            visits::table
                .find(id)
                .filter(visits::entered_by_mother)
                .filter(visits::reviewed_at.is_null()),
        )
        .set((
            visits::reviewed_at.eq(at),
            visits::reviewed_by.eq(by.map(|u| u.0)),
        ))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The visits mothers entered themselves that wait for review, oldest
    /// first: how many, and the first `limit`.
    pub async fn awaiting_review(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        limit: i64,
    ) -> QueryResult<(i64, Vec<AwaitingReview>)> {
        let query = || {
            let mut q = visits::table
                .inner_join(mothers::table.on(mothers::id.eq(visits::mother_id)))
                .filter(visits::entered_by_mother)
                .filter(visits::reviewed_at.is_null())
                .filter(visits::voided_at.is_null())
                .into_boxed();
            if let Some(ids) = scope.ids() {
                q = q.filter(visits::programme_id.eq_any(ids));
            }
            q
        };
        let count: i64 = query().count().get_result(conn).await?;
        let rows = query()
            .order((visits::visited_on, visits::id))
            .limit(limit)
            .select((visits::id, visits::visited_on, mothers::full_name))
            .load(conn)
            .await?;
        Ok((count, rows))
    }

    /// For each family of hers, the next step she wrote at her latest visit
    /// that has one (what the next visit is for).
    pub async fn next_step_by_family(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
    ) -> QueryResult<Vec<(FamilyId, String)>> {
        let rows: Vec<(Option<FamilyId>, String)> = visits::table
            .filter(visits::mother_id.eq(mother_id))
            .filter(visits::family_id.is_not_null())
            .filter(visits::voided_at.is_null())
            .filter(visits::next_step.ne(""))
            .distinct_on(visits::family_id)
            .order((
                visits::family_id,
                visits::visited_on.desc(),
                visits::id.desc(),
            ))
            .select((visits::family_id, visits::next_step))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(f, step)| f.map(|f| (f, step)))
            .collect())
    }

    /// Her latest contacts, newest first: the day, the family's code (none
    /// for an anonymous contact) and the kind.
    pub async fn recent_of(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
        limit: i64,
    ) -> QueryResult<Vec<(NaiveDate, Option<String>, super::VisitKind)>> {
        use crate::schema::families;
        visits::table
            .left_join(families::table.on(families::id.nullable().eq(visits::family_id)))
            .filter(visits::mother_id.eq(mother_id))
            .filter(visits::voided_at.is_null())
            .order((visits::visited_on.desc(), visits::id.desc()))
            .limit(limit)
            .select((
                visits::visited_on,
                families::reference_code.nullable(),
                visits::kind,
            ))
            .load(conn)
            .await
    }
}
