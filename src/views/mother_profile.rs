//! A mother's profile: her record with what the other domains know of her
//! (courses and training hours, her families, her visit count), as a page
//! with the status form and as `GET /api/v1/mothers/{id}`. A read model
//! across domains, so it sits above them (mothers know nothing of training
//! or visits). The status change itself is `mothers::ops::change_status`;
//! its handlers here are thin.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit;
use crate::audit::access::{Channel, FAMILY_LIST_FIELDS, MOTHER_FIELDS};
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::families::model::Family;
use crate::ids::MotherId;
use crate::money;
use crate::mothers::input::StatusInput;
use crate::mothers::model::{Mother, MotherStatus, StatusChange};
use crate::mothers::ops;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::training::model::{Enrolment, MotherCourse, hours, training_minutes};
use crate::visits::model::Visit;
use crate::web::extract::{Form, Json, Path};
use crate::web::history::{HistoryLine, described};
use crate::web::{FormErrors, Page, flash, render, respond};

const TAG: &str = "mothers";

/// A mother with her training and status history.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotherDetail {
    #[serde(flatten)]
    pub mother: Mother,
    pub courses: Vec<MotherCourse>,
    /// Minutes of the modules she attended.
    pub training_minutes: i64,
    pub status_history: Vec<StatusChange>,
    /// The families she visits (her own, and those she has visited); empty
    /// for trainers (need to know).
    pub families: Vec<Family>,
    /// How many visits she has made.
    pub visit_count: i64,
}

#[utoipa::path(get, path = "/api/v1/mothers/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = MotherDetail), (status = 404, body = ErrorResponse)))]
pub async fn get(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
) -> AppResult<Json<MotherDetail>> {
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    crate::mothers::log_reads(&state, &access, [&mother], MOTHER_FIELDS, Channel::Api);
    Ok(Json(MotherDetail {
        courses: Enrolment::for_mother(&mut conn, id).await?,
        training_minutes: training_minutes(&mut conn, id.0).await?,
        status_history: Mother::history(&mut conn, id).await?,
        families: families_of(&state, &mut conn, &access, id, Channel::Api).await?,
        visit_count: Visit::count_for_mother(&mut conn, id.0).await?,
        mother,
    }))
}

/// The families she visits, as the caller may see them; none for trainers
/// (need to know).
async fn families_of(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    id: MotherId,
    channel: Channel,
) -> AppResult<Vec<Family>> {
    if !access.role.can(crate::authz::Permission::ReadFamilies) {
        return Ok(Vec::new());
    }
    let families =
        Family::caseload(conn, &access.scope, id.0, false, access.sees_personal()).await?;
    crate::families::log_reads(state, access, &families, FAMILY_LIST_FIELDS, channel);
    Ok(families)
}

/// Changes a mother's status; the history keeps the date and who did it.
#[utoipa::path(post, path = "/api/v1/mothers/{id}/status", tag = TAG, request_body = StatusInput,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = Mother), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn change_status(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
    Json(input): Json<StatusInput>,
) -> AppResult<Json<Mother>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::change_status(&mut conn, &access, id, &input).await?,
    ))
}

#[derive(Template)]
#[template(path = "mothers/show.html")]
struct ShowPage {
    page: Page,
    mother: Mother,
    programme: Programme,
    district: Option<String>,
    courses: Vec<MotherCourse>,
    training_hours: String,
    history: Vec<StatusChange>,
    families: Vec<Family>,
    visit_count: i64,
    statuses: [MotherStatus; 6],
    status_input: StatusInput,
    errors: FormErrors,
    /// The record's change history, for those who see personal details.
    changes: Vec<HistoryLine>,
    /// Her own account, once she is invited (for those who edit mothers).
    account: Option<crate::auth::User>,
}

impl ShowPage {
    fn allowance(&self) -> Option<String> {
        self.mother.monthly_allowance_minor.map(|a| {
            format!(
                "{} {}",
                money::format(a, money::exponent(&self.programme.currency)),
                self.programme.currency
            )
        })
    }

    fn course_hours(&self, c: &MotherCourse) -> String {
        hours(c.summary.minutes_attended)
    }
}

async fn show_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: MotherId,
    status_input: StatusInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    crate::mothers::log_reads(state, access, [&mother], MOTHER_FIELDS, Channel::Page);
    let programme = Programme::find(&mut conn, &access.scope, mother.programme_id).await?;
    let page = crate::programmes::html::within(&mut conn, access, page, programme.id).await?;
    let district = match mother.district_id {
        Some(d) => District::list(&mut conn, &access.scope, programme.id, true)
            .await?
            .into_iter()
            .find(|x| x.id == d)
            .map(|x| x.name),
        None => None,
    };
    let courses = Enrolment::for_mother(&mut conn, id).await?;
    let minutes = training_minutes(&mut conn, id.0).await?;
    let history = Mother::history(&mut conn, id).await?;
    let families = families_of(state, &mut conn, access, id, Channel::Page).await?;
    let visit_count = Visit::count_for_mother(&mut conn, id.0).await?;
    let changes = if access.sees_personal() {
        {
            let entries = audit::history(&mut conn, &[("mother", &[id.0])]).await?;
            described(&mut conn, &page, &entries).await?
        }
    } else {
        Vec::new()
    };
    let account = if access.role.can(crate::authz::Permission::EditMothers) {
        crate::auth::User::of_mother(&mut conn, id.0).await?
    } else {
        None
    };
    Ok(render(
        errors.status(),
        &ShowPage {
            account,
            page: page.with_nav("mothers"),
            mother,
            programme,
            district,
            courses,
            training_hours: hours(minutes),
            history,
            families,
            visit_count,
            statuses: MotherStatus::ALL,
            status_input,
            errors,
            changes,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    let input = StatusInput {
        changed_on: state.clock().today().to_string(),
        ..Default::default()
    };
    show_page(&state, &access, page, id, input, FormErrors::default()).await
}

pub async fn change_status_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
    Form(input): Form<StatusInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::change_status(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/mothers/{id}"),
                "flash-mother-status-changed",
                &m.full_name,
            )
        },
        async |errors| show_page(&state, &access, page, id, input, errors).await,
    )
    .await
}
