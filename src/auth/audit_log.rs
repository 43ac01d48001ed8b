//! Reading the audit log: a page and `GET /api/v1/audit`, for admins,
//! filtered by user, entity and date, newest first, a page at a time.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::User;
use crate::audit::HistoryEntry;
use crate::error::{AppError, AppResult};
use crate::schema::{audit_events, users};
use crate::state::AppState;
use crate::web::extract::{Json, Query};
use crate::web::history::{HistoryLine, described};
use crate::web::pagination::Paged;
use crate::web::{Page, pagination, render};

pub const PER_PAGE: i64 = 50;

/// Filters, as given in the query string (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// The acting user's id.
    pub user: Option<String>,
    /// `programme`, `district`, `user`, `api_token`, ...
    pub entity: Option<String>,
    /// First day, `YYYY-MM-DD` (inclusive).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

/// The filters, checked.
struct ValidFilter {
    user: Option<i64>,
    entity: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: i64,
    per_page: i64,
}

impl TryFrom<&AuditFilter> for ValidFilter {
    type Error = AppError;

    fn try_from(f: &AuditFilter) -> Result<Self, AppError> {
        fn opt(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let date =
            |s: &Option<String>, field: &'static str| -> Result<Option<NaiveDate>, AppError> {
                opt(s)
                    .map(|v| {
                        NaiveDate::parse_from_str(v, "%Y-%m-%d")
                            .map_err(|_| AppError::field(field, "error-date-invalid"))
                    })
                    .transpose()
            };
        let per_page = pagination::parse_per_page(opt(&f.per_page), PER_PAGE)?;
        Ok(Self {
            user: opt(&f.user)
                .map(|v| {
                    v.parse()
                        .map_err(|_| AppError::field("user", "error-user-unknown"))
                })
                .transpose()?,
            entity: opt(&f.entity).map(str::to_owned),
            from: date(&f.from, "from")?,
            to: date(&f.to, "to")?,
            page: pagination::parse_page(opt(&f.page), per_page)?,
            per_page,
        })
    }
}

/// One audit row, with the acting user's name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub programme_id: Option<i64>,
    /// The changed fields: `{"field": {"old": ..., "new": ...}}`.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// A page of the log.
pub type AuditPage = Paged<AuditEvent>;

type Row = (
    i64,
    DateTime<Utc>,
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<i64>,
    serde_json::Value,
);

async fn query(conn: &mut AsyncPgConnection, f: &ValidFilter) -> QueryResult<AuditPage> {
    let filtered = || {
        let mut q = audit_events::table
            .left_join(users::table.on(users::id.nullable().eq(audit_events::actor_id)))
            .into_boxed();
        if let Some(u) = f.user {
            q = q.filter(audit_events::actor_id.eq(u));
        }
        if let Some(e) = &f.entity {
            q = q.filter(audit_events::entity.eq(e.clone()));
        }
        if let Some(d) = f.from {
            q = q
                .filter(audit_events::occurred_at.ge(d.and_time(chrono::NaiveTime::MIN).and_utc()));
        }
        if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
            q = q
                .filter(audit_events::occurred_at.lt(d.and_time(chrono::NaiveTime::MIN).and_utc()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn).await?;
    let rows: Vec<Row> = filtered()
        .select((
            audit_events::id,
            audit_events::occurred_at,
            audit_events::actor_id,
            users::display_name.nullable(),
            audit_events::action,
            audit_events::entity,
            audit_events::entity_id,
            audit_events::programme_id,
            audit_events::changes,
        ))
        .order(audit_events::id.desc())
        .limit(f.per_page)
        .offset(pagination::offset(f.page, f.per_page))
        .load(conn)
        .await?;
    Ok(AuditPage {
        items: rows
            .into_iter()
            .map(|r| AuditEvent {
                id: r.0,
                occurred_at: r.1,
                actor_id: r.2,
                actor_name: r.3,
                action: r.4,
                entity: r.5,
                entity_id: r.6,
                programme_id: r.7,
                changes: r.8,
            })
            .collect(),
        page: f.page,
        per_page: f.per_page,
        total,
    })
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Paged<AuditEvent>),
              (status = 403, body = crate::error::ErrorResponse),
              (status = 422, body = crate::error::ErrorResponse)))]
pub async fn api_list(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
) -> AppResult<Json<AuditPage>> {
    let f = ValidFilter::try_from(&filter)?;
    let mut conn = state.db().await?;
    Ok(Json(query(&mut conn, &f).await?))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditLogPage {
    page: Page,
    filter: AuditFilter,
    result: AuditPage,
    users: Vec<User>,
    /// A filter value that did not read, translated.
    error: Option<String>,
    /// The page's entries in words, with links to their records.
    lines: Vec<HistoryLine>,
    entities: [&'static str; 24],
}

/// Every kind of record the log names (the filter's choices).
const ENTITIES: [&str; 24] = [
    "programme",
    "district",
    "user",
    "api_token",
    "mother",
    "family",
    "visit",
    "referral",
    "topic",
    "service",
    "event_kind",
    "visit_plan",
    "event",
    "course",
    "course_module",
    "enrolment",
    "curriculum_topic",
    "template_module",
    "funder",
    "grant",
    "expense",
    "allowance_run",
    "second_factor_roles",
    "data_key",
];

/// An audit row as a history entry, to be put in words.
fn entry(e: &AuditEvent) -> HistoryEntry {
    HistoryEntry {
        at: e.occurred_at,
        actor: e.actor_name.clone(),
        action: e.action.clone(),
        entity: e.entity.clone(),
        entity_id: e.entity_id,
        fields: crate::audit::fields(&e.changes),
    }
}

impl AuditLogPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.result.total, self.result.per_page)
    }

    /// The query string for another page with the same filters.
    fn page_link(&self, page: i64) -> String {
        let f = AuditFilter {
            page: Some(page.to_string()),
            ..self.filter.clone()
        };
        format!(
            "/admin/audit?{}",
            serde_html_form::to_string(&f).unwrap_or_default()
        )
    }

    fn selected_user(&self, id: &crate::ids::UserId) -> bool {
        self.filter.user.as_deref() == Some(id.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    Query(filter): Query<AuditFilter>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let users = User::list(&mut conn).await?;
    let (valid, error) = pagination::read_filter(&page, ValidFilter::try_from(&filter))?;
    let result = match &valid {
        Some(f) => query(&mut conn, f).await?,
        None => AuditPage {
            items: vec![],
            page: 1,
            per_page: PER_PAGE,
            total: 0,
        },
    };
    let status = pagination::status(&error);
    let entries: Vec<HistoryEntry> = result.items.iter().map(entry).collect();
    Ok(render(
        status,
        &AuditLogPage {
            lines: described(&mut conn, &page, &entries).await?,
            entities: ENTITIES,
            page: page.with_nav("audit"),
            filter,
            result,
            users,
            error,
        },
    ))
}
