//! Retention: each programme says how long the personal details of closed
//! families and of mothers who left are kept (`programmes.retention_months`;
//! none keeps them until erased by hand). What is due is erased like any
//! erasure (reason `retention`): by a daily job that one instance runs at a
//! time (a PostgreSQL advisory lock), by `neighbourhood-mothers retention
//! --apply`, and shown beforehand to administrators (`/retention`) and by
//! `--dry-run`.

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::erase::{self, EraseInput};
use crate::authz::{Access, ProgrammeScope, Role};
use crate::error::AppResult;
use crate::ids::{FamilyId, MotherId};

/// A person whose details are due for erasure (or soon will be).
#[derive(Debug, Clone, Serialize, ToSchema, diesel::QueryableByName)]
pub struct Due {
    /// `family` or `mother`.
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub programme_id: i64,
    #[diesel(sql_type = Text)]
    pub programme_name: String,
    /// The family's reference code, or the mother's number.
    #[diesel(sql_type = Text)]
    pub label: String,
    /// Since when the clock runs: the family's closing, the mother's leaving.
    #[diesel(sql_type = Date)]
    pub since: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub retention_months: i32,
    /// The day the details are erased.
    #[diesel(sql_type = Date)]
    pub due_on: NaiveDate,
}

const DUE_SQL: &str = "
    SELECT * FROM (
        SELECT 'family' AS subject, f.id, f.programme_id, p.name AS programme_name,
               f.reference_code AS label, f.closed_on AS since, p.retention_months,
               (f.closed_on + make_interval(months => p.retention_months))::date AS due_on
        FROM families f JOIN programmes p ON p.id = f.programme_id
        WHERE f.status = 'closed' AND f.erased_at IS NULL AND p.retention_months IS NOT NULL
        UNION ALL
        SELECT 'mother', m.id, m.programme_id, p.name, '#' || m.id, l.left_on, p.retention_months,
               (l.left_on + make_interval(months => p.retention_months))::date
        FROM mothers m JOIN programmes p ON p.id = m.programme_id
        CROSS JOIN LATERAL (SELECT max(changed_on) AS left_on FROM mother_status_changes s
                            WHERE s.mother_id = m.id AND s.to_status = 'left') l
        WHERE m.status = 'left' AND m.erased_at IS NULL AND p.retention_months IS NOT NULL
              AND l.left_on IS NOT NULL
    ) d
    WHERE d.due_on <= $1 AND ($2::bigint[] IS NULL OR d.programme_id = ANY($2::bigint[]))
    ORDER BY d.due_on, d.subject, d.id";

/// Who is due for erasure on or before `until`, in the caller's programmes.
pub async fn due(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    until: NaiveDate,
) -> AppResult<Vec<Due>> {
    Ok(diesel::sql_query(DUE_SQL)
        .bind::<Date, _>(until)
        .bind::<Nullable<Array<BigInt>>, _>(scope.ids())
        .load(conn)
        .await?)
}

/// The system, erasing on the programmes' behalf (audit actor: none).
fn system() -> Access {
    Access {
        actor: None,
        scope: ProgrammeScope::All,
        role: Role::Admin,
        mother_id: None,
    }
}

/// Erases everyone due on `today`; how many were erased.
pub async fn apply(conn: &mut AsyncPgConnection, today: NaiveDate) -> AppResult<usize> {
    let input = EraseInput {
        reason: Some(erase::ErasureReason::Retention.as_str().to_owned()),
    };
    let access = system();
    let mut n = 0;
    for d in due(conn, &ProgrammeScope::All, today).await? {
        let result = if d.subject == "family" {
            erase::erase_family(conn, &access, FamilyId(d.id), &input)
                .await
                .map(drop)
        } else {
            erase::erase_mother(conn, &access, MotherId(d.id), &input)
                .await
                .map(drop)
        };
        match result {
            Ok(()) => n += 1,
            // Erased meanwhile by someone else: nothing left to do.
            Err(crate::error::AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The advisory lock that makes one instance the retention job's leader.
pub const LEADER_LOCK: i64 = 0x6e6d_7265_7465_6e74; // "nmretent"

/// Runs [`apply`] if no other instance is running it now; `None` when
/// another instance held the lock.
pub async fn run_as_leader(
    conn: &mut AsyncPgConnection,
    today: NaiveDate,
) -> AppResult<Option<usize>> {
    #[derive(diesel::QueryableByName)]
    struct Got {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        got: bool,
    }
    let got: Got = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS got")
        .bind::<BigInt, _>(LEADER_LOCK)
        .get_result(conn)
        .await?;
    if !got.got {
        return Ok(None);
    }
    let result = apply(conn, today).await;
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(LEADER_LOCK)
        .execute(conn)
        .await?;
    result.map(Some)
}
