//! Lists of families, each one query in SQL: the paged family list (and
//! the follow-up list), a mother's caseload (the visit form's choices and
//! her profile), and a family found by its reference code.

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{Array, BigInt, Bytea, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::model::{Family, FamilyFilter, FamilyRow, FamilyStatus, Personal};
use crate::authz::ProgrammeScope;
use crate::crypto::Sealed;
use crate::ids::{FamilyId, ProgrammeId};
use crate::schema::families;
use crate::web::pagination;

/// Families per page of the family list.
pub const FAMILIES_PER_PAGE: i64 = 50;

/// A mother's caseload offered in the visit form (and on her profile):
/// at most this many families, the most recently visited first.
pub const CASELOAD_LIMIT: i64 = 200;

/// The visit form's family search shows at most this many matches.
pub const SEARCH_LIMIT: i64 = 50;

/// A family with the figures a list shows, as the list query returns it.
#[derive(QueryableByName)]
struct ListRow {
    #[diesel(embed)]
    family: FamilyRow,
    #[diesel(sql_type = Nullable<Date>)]
    last_visit_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Bytea>)]
    personal_name: Option<Sealed>,
    #[diesel(sql_type = Nullable<Bytea>)]
    personal_address: Option<Sealed>,
    #[diesel(sql_type = Nullable<Bytea>)]
    personal_phone: Option<Sealed>,
}

impl ListRow {
    fn into_family(self, with_personal: bool) -> Family {
        let mut f: Family = self.family.into();
        f.last_visit_on = self.last_visit_on;
        if with_personal {
            f.personal = Some(Personal {
                name: self.personal_name.unwrap_or_default().into(),
                address: self.personal_address.unwrap_or_default().into(),
                phone: self.personal_phone.unwrap_or_default().into(),
            });
        }
        f
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A value bound to a placeholder of a list query.
enum Bind {
    Id(i64),
    Ids(Vec<i64>),
    Status(FamilyStatus),
    Date(NaiveDate),
    Text(String),
}

/// The `WHERE` clause of a list query over `families f`, with its values.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// Adds a clause; `$` in it stands for the placeholder of `value`.
    fn add(&mut self, clause: &str, value: Bind) {
        self.binds.push(value);
        let n = format!("${}", self.binds.len());
        self.clauses.push(clause.replace('$', &n));
    }

    /// Adds a clause with two values, `$a` and `$b` in it.
    fn add_two(&mut self, clause: &str, a: Bind, b: Bind) {
        self.binds.push(a);
        let na = format!("${}", self.binds.len());
        self.binds.push(b);
        let nb = format!("${}", self.binds.len());
        self.clauses
            .push(clause.replace("$a", &na).replace("$b", &nb));
    }

    fn add_plain(&mut self, clause: &str) {
        self.clauses.push(clause.to_owned());
    }

    /// The user's programmes and the filter.
    fn families(scope: &ProgrammeScope, filter: &FamilyFilter, today: NaiveDate) -> Where {
        let mut w = Where::default();
        if let Some(ids) = scope.ids() {
            w.add("f.programme_id = ANY($)", Bind::Ids(ids.to_vec()));
        }
        if let Some(p) = filter.programme_id {
            w.add("f.programme_id = $", Bind::Id(p.0));
        }
        if let Some(s) = filter.status {
            w.add("f.status = $", Bind::Status(s));
        }
        if let Some(m) = filter.mother_id {
            // Her families: those she visited and those she is the first
            // contact of, each found by its index.
            w.add(
                "f.id IN (SELECT v.family_id FROM visits v \
                 WHERE v.mother_id = $ AND v.family_id IS NOT NULL AND v.voided_at IS NULL \
                 UNION SELECT pf.id FROM families pf WHERE pf.primary_mother_id = $)",
                Bind::Id(m.0),
            );
        }
        if let Some(days) = filter.no_visit_days {
            // No visit in the last `days` days: none on or after today - days.
            let since = chrono::Duration::try_days(days)
                .and_then(|d| today.checked_sub_signed(d))
                .unwrap_or(NaiveDate::MIN);
            // The family's last visit date, kept by a trigger on visits,
            // is a range of `families_follow_up_idx`.
            w.add_plain("f.status = 'active'");
            w.add(
                "(f.last_visit_on < $ OR f.last_visit_on IS NULL)",
                Bind::Date(since),
            );
        }
        w
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "TRUE".to_owned()
        } else {
            self.clauses.join(" AND ")
        }
    }

    fn bind<'a>(
        self,
        mut q: BoxedSqlQuery<'a, Pg, diesel::query_builder::SqlQuery>,
    ) -> BoxedSqlQuery<'a, Pg, diesel::query_builder::SqlQuery> {
        for b in self.binds {
            q = match b {
                Bind::Id(v) => q.bind::<BigInt, _>(v),
                Bind::Ids(v) => q.bind::<Array<BigInt>, _>(v),
                Bind::Status(v) => q.bind::<Text, _>(v),
                Bind::Date(v) => q.bind::<Date, _>(v),
                Bind::Text(v) => q.bind::<Text, _>(v),
            };
        }
        q
    }
}

/// The list's columns besides the family's own (whose last visit date is
/// one of them): for roles that see them, the personal fields.
fn figures(with_personal: bool) -> &'static str {
    if with_personal {
        "p.name AS personal_name, p.address AS personal_address, p.phone AS personal_phone"
    } else {
        "NULL::bytea AS personal_name, NULL::bytea AS personal_address, NULL::bytea AS personal_phone"
    }
}

fn personal_join(with_personal: bool) -> &'static str {
    if with_personal {
        "LEFT JOIN family_personal p ON p.family_id = f.id"
    } else {
        ""
    }
}

impl Family {
    /// How many families match `filter`.
    pub async fn count(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &FamilyFilter,
        today: NaiveDate,
    ) -> QueryResult<i64> {
        Family::count_up_to(conn, scope, filter, today, None).await
    }

    /// How many families match `filter`, counting no further than `cap`
    /// (a figure above it reads `cap + 1`; `None`: all): for the pages'
    /// figures, which then stay quick with hundreds of thousands of
    /// families.
    pub async fn count_up_to(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &FamilyFilter,
        today: NaiveDate,
        cap: Option<i64>,
    ) -> QueryResult<i64> {
        let w = Where::families(scope, filter, today);
        let count_sql = match cap {
            Some(cap) => format!(
                "SELECT count(*) AS n FROM (SELECT 1 FROM families f WHERE {} LIMIT {}) x",
                w.sql(),
                cap.max(0) + 1
            ),
            None => format!("SELECT count(*) AS n FROM families f WHERE {}", w.sql()),
        };
        Ok(w.bind(diesel::sql_query(count_sql).into_boxed())
            .get_result::<Count>(conn)
            .await?
            .n)
    }

    /// One page of the families matching `filter`, by programme and
    /// reference number, each with its last visit, and how many match
    /// (counting no further than `count_cap`, as `count_up_to`).
    pub async fn page(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &FamilyFilter,
        with_personal: bool,
        today: NaiveDate,
        count_cap: Option<i64>,
    ) -> QueryResult<(Vec<Family>, i64)> {
        let total = Family::count_up_to(conn, scope, filter, today, count_cap).await?;
        let w = Where::families(scope, filter, today);
        let sql = format!(
            "SELECT f.*, {figures} FROM (\
               SELECT f.* FROM families f WHERE {wh} \
               ORDER BY f.programme_id, f.reference_number LIMIT {limit} OFFSET {offset}\
             ) f {join} ORDER BY f.programme_id, f.reference_number",
            figures = figures(with_personal),
            wh = w.sql(),
            limit = filter.per_page,
            offset = pagination::offset(filter.page, filter.per_page),
            join = personal_join(with_personal),
        );
        let rows: Vec<ListRow> = w
            .bind(diesel::sql_query(sql).into_boxed())
            .load(conn)
            .await?;
        Ok((
            rows.into_iter()
                .map(|r| r.into_family(with_personal))
                .collect(),
            total,
        ))
    }

    /// A mother's families (those she visited and those she is the first
    /// contact of), the ones she visited last first, at most
    /// [`CASELOAD_LIMIT`]; `active_only` for the visit form.
    pub async fn caseload(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        mother_id: i64,
        active_only: bool,
        with_personal: bool,
    ) -> QueryResult<Vec<Family>> {
        let mut w = Where::default();
        // $1 in the query below.
        w.binds.push(Bind::Id(mother_id));
        if let Some(ids) = scope.ids() {
            w.add("f.programme_id = ANY($)", Bind::Ids(ids.to_vec()));
        }
        if active_only {
            w.add_plain("f.status = 'active'");
        }
        let sql = format!(
            "SELECT f.*, {figures} FROM (\
               SELECT id, max(her_last) AS her_last FROM (\
                 SELECT v.family_id AS id, max(v.visited_on) AS her_last FROM visits v \
                 WHERE v.mother_id = $1 AND v.family_id IS NOT NULL AND v.voided_at IS NULL GROUP BY v.family_id \
                 UNION ALL \
                 SELECT pf.id, NULL::date FROM families pf WHERE pf.primary_mother_id = $1\
               ) mine GROUP BY id\
             ) c JOIN families f ON f.id = c.id {join} \
             WHERE {wh} \
             ORDER BY c.her_last DESC NULLS LAST, f.programme_id, f.reference_number \
             LIMIT {limit}",
            figures = figures(with_personal),
            join = personal_join(with_personal),
            wh = w.sql(),
            limit = CASELOAD_LIMIT,
        );
        let rows: Vec<ListRow> = w
            .bind(diesel::sql_query(sql).into_boxed())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_family(with_personal))
            .collect())
    }

    /// The active families of `programme_id` whose name `q` is looking
    /// for: every word of `q` begins a word of the name, any case. Names
    /// are sealed (`crypto`): the database finds the candidates by the
    /// name index (`crypto::name_index`, a GIN index), and their names are
    /// opened and checked here.
    async fn named(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        q: &str,
    ) -> QueryResult<Vec<i64>> {
        #[derive(QueryableByName)]
        struct Named {
            #[diesel(sql_type = BigInt)]
            id: i64,
            #[diesel(sql_type = Bytea)]
            name: Sealed,
        }
        let sets = crate::crypto::name_index::of_query(programme_id.0, q);
        if sets.is_empty() {
            return Ok(Vec::new());
        }
        // One set of hashes for each key this process holds (during a
        // rotation, some names are indexed under the old one).
        let any = (0..sets.len())
            .map(|i| format!("p.name_index @> ${}", i + 2))
            .collect::<Vec<_>>()
            .join(" OR ");
        let mut query = diesel::sql_query(format!(
            "SELECT p.family_id AS id, p.name FROM family_personal p \
             JOIN families f ON f.id = p.family_id \
             WHERE f.programme_id = $1 AND f.status = 'active' AND ({any})"
        ))
        .into_boxed::<Pg>()
        .bind::<BigInt, _>(programme_id.0);
        for set in sets {
            query = query.bind::<Array<BigInt>, _>(set);
        }
        let found: Vec<Named> = query.load(conn).await?;
        Ok(found
            .into_iter()
            .filter(|f| crate::crypto::name_index::matches(&f.name.0, q))
            .map(|f| f.id)
            .collect())
    }

    /// The open families of a programme whose reference code contains `q`
    /// (any case) or, for those who see names, whose name does: the
    /// visit form's search, at most [`SEARCH_LIMIT`], by reference number.
    pub async fn search(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: ProgrammeId,
        q: &str,
        with_personal: bool,
    ) -> QueryResult<Vec<Family>> {
        if scope.check(programme_id).is_err() {
            return Ok(Vec::new());
        }
        let mut w = Where::default();
        w.add("f.programme_id = $", Bind::Id(programme_id.0));
        w.add_plain("f.status = 'active'");
        let pattern = format!(
            "%{}%",
            q.trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        if with_personal {
            let named = Self::named(conn, programme_id, q).await?;
            w.add_two(
                "(f.reference_code ILIKE $a OR f.id = ANY($b))",
                Bind::Text(pattern),
                Bind::Ids(named),
            );
        } else {
            w.add("f.reference_code ILIKE $", Bind::Text(pattern));
        }
        let sql = format!(
            "SELECT f.*, {figures} FROM (SELECT f.* FROM families f WHERE {wh} \
               ORDER BY f.reference_number LIMIT {limit}) f {join} \
             ORDER BY f.reference_number",
            figures = figures(with_personal),
            wh = w.sql(),
            limit = SEARCH_LIMIT,
            join = personal_join(with_personal),
        );
        let rows: Vec<ListRow> = w
            .bind(diesel::sql_query(sql).into_boxed())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_family(with_personal))
            .collect())
    }

    /// The id of the family with reference code `code` (any case, spaces
    /// around ignored) in `programme_id`, if the user may see it.
    pub async fn id_by_code(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: ProgrammeId,
        code: &str,
    ) -> QueryResult<Option<FamilyId>> {
        if scope.check(programme_id).is_err() {
            return Ok(None);
        }
        families::table
            .filter(families::programme_id.eq(programme_id))
            .filter(families::reference_code.eq(code.trim().to_uppercase()))
            .select(families::id)
            .first(conn)
            .await
            .optional()
    }
}
