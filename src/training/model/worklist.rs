//! What a trainer has to do next: the coming modules, the modules held
//! without attendance taken, and the mothers below their course's
//! attendance share so far. Bounded lists, for the trainer's home page.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::authz::ProgrammeScope;

/// A module with its course.
#[derive(Debug, Clone, QueryableByName)]
pub struct ModuleItem {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Nullable<Date>)]
    pub held_on: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    pub course_id: i64,
    #[diesel(sql_type = Text)]
    pub course_name: String,
}

/// A mother of an open enrolment below the share of modules her course
/// asks for, counted over the modules held so far.
#[derive(Debug, Clone, QueryableByName)]
pub struct BelowShare {
    #[diesel(sql_type = BigInt)]
    pub mother_id: i64,
    #[diesel(sql_type = Text)]
    pub mother_name: String,
    #[diesel(sql_type = BigInt)]
    pub course_id: i64,
    #[diesel(sql_type = Text)]
    pub course_name: String,
    #[diesel(sql_type = BigInt)]
    pub attended: i64,
    #[diesel(sql_type = BigInt)]
    pub held: i64,
    #[diesel(sql_type = Integer)]
    pub needed_percent: i32,
}

/// `NULL` (every programme) or the scope's programmes, for `$1`.
fn programmes(scope: &ProgrammeScope) -> Option<Vec<i64>> {
    scope.ids().map(|ids| ids.to_vec())
}

const IN_SCOPE: &str = "($1::bigint[] IS NULL OR c.programme_id = ANY($1))";

/// The next modules from `today` on, soonest first.
pub async fn coming_modules(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<ModuleItem>> {
    diesel::sql_query(format!(
        "SELECT m.id, m.title, m.held_on, c.id AS course_id, c.name AS course_name
         FROM course_modules m JOIN courses c ON c.id = m.course_id
         WHERE {IN_SCOPE} AND m.held_on >= $2
         ORDER BY m.held_on, m.id LIMIT $3"
    ))
    .bind::<Nullable<Array<BigInt>>, _>(programmes(scope))
    .bind::<Date, _>(today)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Modules held before `today`, in courses with mothers enrolled, whose
/// attendance nobody has taken; the latest first.
pub async fn modules_without_attendance(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<ModuleItem>> {
    diesel::sql_query(format!(
        "SELECT m.id, m.title, m.held_on, c.id AS course_id, c.name AS course_name
         FROM course_modules m JOIN courses c ON c.id = m.course_id
         WHERE {IN_SCOPE} AND m.held_on < $2
           AND EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.module_id = m.id)
         ORDER BY m.held_on DESC, m.id LIMIT $3"
    ))
    .bind::<Nullable<Array<BigInt>>, _>(programmes(scope))
    .bind::<Date, _>(today)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Mothers still enrolled who attended less than their programme's share
/// of the modules held so far; the furthest below first.
pub async fn below_share(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<BelowShare>> {
    diesel::sql_query(format!(
        "SELECT e.mother_id, mo.full_name AS mother_name, c.id AS course_id,
                c.name AS course_name, x.attended, x.held,
                p.completion_threshold_percent::int AS needed_percent
         FROM enrolments e
         JOIN courses c ON c.id = e.course_id
         JOIN programmes p ON p.id = c.programme_id
         JOIN mothers mo ON mo.id = e.mother_id
         CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE m.held_on <= $2) AS held,
                    count(a.module_id) FILTER (WHERE a.status = 'present') AS attended
             FROM course_modules m
             LEFT JOIN attendance a ON a.module_id = m.id AND a.enrolment_id = e.id
             WHERE m.course_id = c.id) x
         WHERE {IN_SCOPE} AND e.status = 'enrolled' AND x.held > 0
           AND x.attended * 100 < p.completion_threshold_percent * x.held
         ORDER BY x.attended::float / x.held, mo.full_name LIMIT $3"
    ))
    .bind::<Nullable<Array<BigInt>>, _>(programmes(scope))
    .bind::<Date, _>(today)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}
