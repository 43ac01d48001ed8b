//! The home page at `/`: what each role needs first. A coordinator logs a
//! visit and sees who waits (families without a visit, open referrals,
//! this month's visits per mother); a trainer the coming modules, the
//! attendance not yet taken and the mothers below their course's share; a
//! manager this year against last and each grant's spending; an
//! administrator the accounts, tokens, the latest changes and the
//! database. Every figure links to the list behind it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};

use crate::audit;
use crate::authz::{Access, Role};
use crate::db::DbStats;
use crate::error::AppResult;
use crate::families::model::{Family, FamilyFilter};
use crate::funding::model::{Grant, GrantDetail};
use crate::ids::MotherId;
use crate::money;
use crate::reports::headline::{headline, visits_by_mother};
use crate::state::AppState;
use crate::training::model::worklist::{self, BelowShare, ModuleItem};
use crate::visits::model::{AwaitingReview, Referral, Visit};
use crate::web::history::{HistoryLine, described};
use crate::web::{Page, render};

/// How many entries each list of the home page shows.
const SHOWN: i64 = 10;

pub struct CoordinatorHome {
    no_visit_30: Capped,
    no_visit_90: Capped,
    open_referrals: Capped,
    visits_this_month: i64,
    by_mother: Vec<(MotherId, String, i64)>,
    /// Contacts mothers entered themselves, not yet reviewed: how many,
    /// and the oldest.
    awaiting_review: i64,
    to_review: Vec<AwaitingReview>,
}

/// The coordinator's counts go no further than this: beyond it the page
/// says "10,000+", and the counts stay quick with a national programme's
/// hundreds of thousands of families.
const HOME_CAP: i64 = 10_000;

/// A count as the home page shows it: at most the cap, and whether it
/// went past it (shown with a "+").
pub struct Capped {
    n: i64,
    over: bool,
}

impl Capped {
    fn of(n: i64) -> Self {
        Self {
            n: n.min(HOME_CAP),
            over: n > HOME_CAP,
        }
    }
}

pub struct TrainerHome {
    coming: Vec<ModuleItem>,
    untaken: Vec<ModuleItem>,
    below: Vec<BelowShare>,
}

/// One figure this year and last.
pub struct YearRow {
    label: &'static str,
    this: i64,
    last: i64,
}

pub struct ManagerHome {
    year: i32,
    rows: Vec<YearRow>,
    grants: Vec<GrantDetail>,
}

pub struct AdminHome {
    users: i64,
    active_tokens: i64,
    latest: Vec<HistoryLine>,
    db: Option<DbStats>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    month_from: String,
    today: String,
    coordinator: Option<CoordinatorHome>,
    trainer: Option<TrainerHome>,
    manager: Option<ManagerHome>,
    admin: Option<AdminHome>,
}

impl HomePage {
    fn money(&self, minor: &i64, currency: &str) -> String {
        money::display(*minor, currency, &self.page.tr.lang())
    }

    /// The share of a grant spent, in whole per cent.
    fn spent_percent(&self, g: &GrantDetail) -> i64 {
        if g.grant.amount_minor <= 0 {
            return 0;
        }
        g.spent_minor * 100 / g.grant.amount_minor
    }

    fn percent(&self, b: &BelowShare) -> i64 {
        b.attended * 100 / b.held.max(1)
    }
}

fn month_start(today: NaiveDate) -> NaiveDate {
    today.with_day(1).unwrap_or(today)
}

async fn coordinator(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    today: NaiveDate,
) -> AppResult<CoordinatorHome> {
    let no_visit = |days: i64| FamilyFilter {
        no_visit_days: Some(days),
        page: 1,
        ..FamilyFilter::default()
    };
    let scope = &access.scope;
    let no_visit_30 =
        Capped::of(Family::count_up_to(conn, scope, &no_visit(30), today, Some(HOME_CAP)).await?);
    let no_visit_90 =
        Capped::of(Family::count_up_to(conn, scope, &no_visit(90), today, Some(HOME_CAP)).await?);
    let open_referrals = Capped::of(Referral::count_open_up_to(conn, scope, HOME_CAP).await?);
    let programmes: Vec<i64> = match scope.ids() {
        Some(ids) => ids,
        None => crate::programmes::model::Programme::list(conn, scope, true)
            .await?
            .iter()
            .map(|p| p.id.0)
            .collect(),
    };
    let by_mother = visits_by_mother(conn, &programmes, month_start(today)).await?;
    let (awaiting_review, to_review) = Visit::awaiting_review(conn, scope, 10).await?;
    Ok(CoordinatorHome {
        awaiting_review,
        to_review,
        no_visit_30,
        no_visit_90,
        open_referrals,
        visits_this_month: by_mother.iter().map(|m| m.2).sum(),
        by_mother,
    })
}

async fn trainer(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    today: NaiveDate,
) -> AppResult<TrainerHome> {
    let scope = &access.scope;
    Ok(TrainerHome {
        coming: worklist::coming_modules(conn, scope, today, SHOWN).await?,
        untaken: worklist::modules_without_attendance(conn, scope, today, SHOWN).await?,
        below: worklist::below_share(conn, scope, today, 2 * SHOWN).await?,
    })
}

async fn manager(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    today: NaiveDate,
) -> AppResult<ManagerHome> {
    let programmes: Vec<i64> =
        crate::programmes::model::Programme::list(conn, &access.scope, false)
            .await?
            .iter()
            .map(|p| p.id.0)
            .collect();
    let year = today.year();
    let this = headline(conn, &programmes, year).await?;
    let last = headline(conn, &programmes, year - 1).await?;
    let rows = vec![
        YearRow {
            label: "home-visits",
            this: this.visits,
            last: last.visits,
        },
        YearRow {
            label: "home-families-reached",
            this: this.families_reached,
            last: last.families_reached,
        },
        YearRow {
            label: "home-mothers-trained",
            this: this.mothers_trained,
            last: last.mothers_trained,
        },
    ];
    // The grants running now, those with warnings first.
    let mut grants = Grant::list_running(conn, &access.scope, today).await?;
    grants.sort_by_key(|g| (g.warnings.is_empty(), g.grant.ends_on));
    Ok(ManagerHome { year, rows, grants })
}

async fn admin(
    conn: &mut diesel_async::AsyncPgConnection,
    page: &Page,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<AdminHome> {
    let users = crate::auth::User::count(conn).await?;
    let active_tokens = crate::auth::model::ApiToken::list(conn)
        .await?
        .iter()
        .filter(|(t, _, _)| t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now))
        .count() as i64;
    let entries = audit::latest(conn, SHOWN).await?;
    let latest = described(conn, page, &entries).await?;
    // The page still shows when the statistics cannot be read.
    let db = DbStats::read(conn).await.ok();
    Ok(AdminHome {
        users,
        active_tokens,
        latest,
        db,
    })
}

pub async fn home(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let today = state.clock().today();
    let mut conn = state.db().await?;
    let mut home = HomePage {
        month_from: month_start(today).to_string(),
        today: today.to_string(),
        coordinator: None,
        trainer: None,
        manager: None,
        admin: None,
        page: page.clone().with_nav("home"),
    };
    match access.role {
        Role::Coordinator => home.coordinator = Some(coordinator(&mut conn, &access, today).await?),
        Role::Trainer => home.trainer = Some(trainer(&mut conn, &access, today).await?),
        Role::Manager => home.manager = Some(manager(&mut conn, &access, today).await?),
        Role::Admin => home.admin = Some(admin(&mut conn, &page, state.clock().now()).await?),
        // A mother's home is her own page.
        Role::Mother => {
            return Ok(axum::response::IntoResponse::into_response(
                axum::response::Redirect::to("/my"),
            ));
        }
    }
    Ok(render(StatusCode::OK, &home))
}
