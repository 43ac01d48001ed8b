//! Reading the access log (written by `audit::access`): one record's reads,
//! and the filtered list of all reads, for administrators.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::authz::ProgrammeScope;
use crate::error::AppError;
use crate::schema::{access_log, users};
use crate::web::input::{opt, param, param_date};
use crate::web::pagination;

/// An entry's columns, with the reader's name.
#[allow(clippy::type_complexity)]
fn columns() -> (
    access_log::id,
    access_log::occurred_at,
    access_log::user_id,
    diesel::dsl::Nullable<users::display_name>,
    access_log::programme_id,
    access_log::subject,
    access_log::subject_id,
    access_log::fields,
    access_log::channel,
) {
    (
        access_log::id,
        access_log::occurred_at,
        access_log::user_id,
        users::display_name.nullable(),
        access_log::programme_id,
        access_log::subject,
        access_log::subject_id,
        access_log::fields,
        access_log::channel,
    )
}

/// Entries per page.
pub const PER_PAGE: i64 = 100;

/// One read of a person's details.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct AccessEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// Who read them (empty once their account is deleted).
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub programme_id: i64,
    /// `family` or `mother`.
    pub subject: String,
    pub subject_id: i64,
    /// The fields shown: `name`, `address`, `phone`, `visit_notes`,
    /// `full_name`, `email`, `note`.
    pub fields: Vec<String>,
    /// `page`, `api` or `export`.
    pub channel: String,
}

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub subject: Option<&'static str>,
    pub subject_id: Option<i64>,
    pub programme_id: Option<i64>,
    pub user_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: i64,
    pub per_page: i64,
}

/// The list's query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AccessQuery {
    /// `family` or `mother`.
    pub subject: Option<String>,
    /// The record's id (with `subject`).
    pub subject_id: Option<String>,
    pub programme: Option<String>,
    /// Who read.
    pub user: Option<String>,
    #[param(format = Date)]
    pub from: Option<String>,
    #[param(format = Date)]
    pub to: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl AccessQuery {
    pub fn filter(&self) -> Result<AccessFilter, AppError> {
        let subject = match opt(&self.subject) {
            None => None,
            Some("family") => Some("family"),
            Some("mother") => Some("mother"),
            Some(_) => return Err(AppError::field("subject", "error-choose-one")),
        };
        let per_page = pagination::parse_per_page(self.per_page.as_deref(), PER_PAGE)?;
        Ok(AccessFilter {
            subject,
            subject_id: param(&self.subject_id, "subject_id")?,
            programme_id: param(&self.programme, "programme")?,
            user_id: param(&self.user, "user")?,
            from: param_date(&self.from, "from")?,
            to: param_date(&self.to, "to")?,
            page: pagination::parse_page(self.page.as_deref(), per_page)?,
            per_page,
        })
    }
}

impl AccessEntry {
    /// A page of reads the caller may see, newest first, and how many match.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        f: &AccessFilter,
    ) -> QueryResult<(Vec<AccessEntry>, i64)> {
        let filtered = || {
            let mut q = access_log::table.into_boxed();
            if let Some(ids) = scope.ids() {
                q = q.filter(access_log::programme_id.eq_any(ids));
            }
            if let Some(s) = f.subject {
                q = q.filter(access_log::subject.eq(s));
            }
            if let Some(i) = f.subject_id {
                q = q.filter(access_log::subject_id.eq(i));
            }
            if let Some(p) = f.programme_id {
                q = q.filter(access_log::programme_id.eq(p));
            }
            if let Some(u) = f.user_id {
                q = q.filter(access_log::user_id.eq(u));
            }
            if let Some(d) = f.from {
                q = q.filter(
                    access_log::occurred_at.ge(d.and_time(chrono::NaiveTime::MIN).and_utc()),
                );
            }
            if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
                q = q.filter(
                    access_log::occurred_at.lt(d.and_time(chrono::NaiveTime::MIN).and_utc()),
                );
            }
            q
        };
        let total: i64 = filtered().count().get_result(conn).await?;
        let ids: Vec<i64> = filtered()
            .select(access_log::id)
            .order((access_log::occurred_at.desc(), access_log::id.desc()))
            .limit(f.per_page)
            .offset(pagination::offset(f.page, f.per_page))
            .load(conn)
            .await?;
        let items = access_log::table
            .left_join(users::table)
            .filter(access_log::id.eq_any(&ids))
            .select(columns())
            .order((access_log::occurred_at.desc(), access_log::id.desc()))
            .load(conn)
            .await?;
        Ok((items, total))
    }

    /// The records' names for a page: a family's reference code, a mother's
    /// name, by (kind, id).
    pub async fn labels(
        conn: &mut AsyncPgConnection,
        entries: &[AccessEntry],
    ) -> QueryResult<std::collections::HashMap<(String, i64), String>> {
        use crate::schema::{families, mothers};
        let ids = |kind: &str| -> Vec<i64> {
            entries
                .iter()
                .filter(|e| e.subject == kind)
                .map(|e| e.subject_id)
                .collect()
        };
        let f: Vec<(i64, String)> = families::table
            .filter(families::id.eq_any(ids("family")))
            .select((families::id, families::reference_code))
            .load(conn)
            .await?;
        let m: Vec<(i64, String)> = mothers::table
            .filter(mothers::id.eq_any(ids("mother")))
            .select((mothers::id, mothers::full_name))
            .load(conn)
            .await?;
        Ok(f.into_iter()
            .map(|(i, l)| (("family".to_owned(), i), l))
            .chain(m.into_iter().map(|(i, l)| (("mother".to_owned(), i), l)))
            .collect())
    }

    /// Every read of one record (for its export).
    pub async fn of(
        conn: &mut AsyncPgConnection,
        subject: &'static str,
        id: i64,
    ) -> QueryResult<Vec<AccessEntry>> {
        access_log::table
            .left_join(users::table)
            .filter(access_log::subject.eq(subject))
            .filter(access_log::subject_id.eq(id))
            .select(columns())
            .order((access_log::occurred_at.desc(), access_log::id.desc()))
            .load(conn)
            .await
    }
}
