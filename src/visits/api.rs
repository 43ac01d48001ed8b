//! JSON routes for families, visits (one or a bulk array), referrals,
//! topics and events.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::families::FAMILIES_PER_PAGE;
use super::form::{CloseInput, DoneInput, EventInput, FamilyInput, LabelInput, VisitInput};
use super::model::{
    BulkError, COUNT_LIMIT, Event, Family, FamilyFilter, FamilyStatus, Referral, ReferralItem,
    Topic, VISITS_PER_PAGE, Visit, VisitFilter,
};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::i18n::Tr;
use crate::web::pagination;

const TAG: &str = "visits";

#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FamilyQuery {
    pub programme: Option<String>,
    /// `active` or `closed`.
    pub status: Option<String>,
    /// Families she is the primary mother of or has visited.
    pub mother: Option<String>,
    /// Active families with no visit in this many days (follow-up list).
    pub no_visit_days: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
}

impl FamilyQuery {
    /// The filter, or a field error naming the parameter that does not read.
    pub fn filter(&self) -> Result<FamilyFilter, AppError> {
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let num = |v: &Option<String>, f: &'static str| {
            opt(v)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| AppError::field(f, "error-number"))
                })
                .transpose()
        };
        let status = opt(&self.status)
            .map(|s| FamilyStatus::parse(s).ok_or(AppError::field("status", "error-choose-one")))
            .transpose()?;
        Ok(FamilyFilter {
            programme_id: num(&self.programme, "programme")?,
            status,
            mother_id: num(&self.mother, "mother")?,
            no_visit_days: num(&self.no_visit_days, "no_visit_days")?,
            page: pagination::parse_page(self.page.as_deref(), FAMILIES_PER_PAGE)?,
        })
    }
}

/// A page of families.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyPage {
    pub items: Vec<Family>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// Families the caller may see, by programme and reference code, a page
/// at a time; name, address and phone only for coordinators and admins.
#[utoipa::path(get, path = "/api/v1/families", tag = TAG, params(FamilyQuery),
    responses((status = 200, body = FamilyPage), (status = 422, body = ErrorResponse)))]
pub async fn list_families(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FamilyQuery>,
) -> AppResult<Json<FamilyPage>> {
    let filter = q.filter()?;
    let mut conn = state.db().await?;
    let (items, total) = Family::page(
        &mut conn,
        &access.scope,
        &filter,
        access.sees_personal(),
        state.clock().today(),
    )
    .await?;
    Ok(Json(FamilyPage {
        items,
        page: filter.page,
        per_page: FAMILIES_PER_PAGE,
        total,
    }))
}

/// Records a family; its reference code is generated.
#[utoipa::path(post, path = "/api/v1/families", tag = TAG, request_body = FamilyInput,
    responses((status = 201, body = Family), (status = 422, body = ErrorResponse)))]
pub async fn create_family(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<FamilyInput>,
) -> AppResult<(StatusCode, Json<Family>)> {
    let programme = input
        .programme()
        .ok_or(AppError::field("programme_id", "error-programme-unknown"))?;
    let (data, personal) = input
        .validate(access.sees_personal(), state.clock().today())
        .map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let f = Family::create(
        &mut conn,
        access.actor,
        &access.scope,
        programme,
        &data,
        personal.as_ref(),
    )
    .await
    .map_err(|e| match e {
        AppError::NotFound => AppError::field("programme_id", "error-programme-unknown"),
        e => e,
    })?;
    let f = Family::find(&mut conn, &access.scope, f.id, access.sees_personal()).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

#[utoipa::path(get, path = "/api/v1/families/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse)))]
pub async fn get_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/families/{id}", tag = TAG, request_body = FamilyInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<FamilyInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Family::find(&mut conn, &access.scope, id, false).await?;
    let (data, personal) = input
        .validate(access.sees_personal(), state.clock().today())
        .map_err(AppError::Validation)?;
    Family::update(
        &mut conn,
        access.actor,
        &access.scope,
        id,
        &data,
        personal.as_ref(),
    )
    .await?;
    Ok(Json(
        Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?,
    ))
}

/// Closes a family with a date and reason.
#[utoipa::path(post, path = "/api/v1/families/{id}/close", tag = TAG, request_body = CloseInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn close_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<CloseInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Family::find(&mut conn, &access.scope, id, false).await?;
    let (on, reason) = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Family::close(&mut conn, access.actor, &access.scope, id, on, &reason).await?,
    ))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    pub programme: Option<String>,
    #[param(format = Date)]
    pub from: Option<String>,
    #[param(format = Date)]
    pub to: Option<String>,
    pub mother: Option<String>,
    pub family: Option<String>,
    pub district: Option<String>,
    pub topic: Option<String>,
    pub page: Option<String>,
}

impl VisitQuery {
    pub fn filter(&self) -> Result<VisitFilter, AppError> {
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let num = |v: &Option<String>, f: &'static str| {
            opt(v)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| AppError::field(f, "error-number"))
                })
                .transpose()
        };
        let day = |v: &Option<String>, f: &'static str| {
            opt(v)
                .map(|s| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| AppError::field(f, "error-date-invalid"))
                })
                .transpose()
        };
        Ok(VisitFilter {
            programme_id: num(&self.programme, "programme")?,
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
            mother_id: num(&self.mother, "mother")?,
            family_id: num(&self.family, "family")?,
            district_id: num(&self.district, "district")?,
            topic_id: num(&self.topic, "topic")?,
            page: pagination::parse_page(self.page.as_deref(), VISITS_PER_PAGE)?,
        })
    }
}

/// A page of visits.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitPage {
    pub items: Vec<Visit>,
    pub page: i64,
    pub per_page: i64,
    /// Matching visits, counted up to 10,000.
    pub total: i64,
    /// `true`: more than `total` visits match (narrow the filter to page further).
    pub total_capped: bool,
}

/// Visits by date range, mother, family, district and topic, newest first.
#[utoipa::path(get, path = "/api/v1/visits", tag = TAG, params(VisitQuery),
    responses((status = 200, body = VisitPage), (status = 422, body = ErrorResponse)))]
pub async fn list_visits(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<VisitQuery>,
) -> AppResult<Json<VisitPage>> {
    let filter = q.filter()?;
    let mut conn = state.db().await?;
    let (items, total) =
        Visit::list(&mut conn, &access.scope, &filter, access.sees_personal()).await?;
    Ok(Json(VisitPage {
        items,
        page: filter.page,
        per_page: VISITS_PER_PAGE,
        total: total.min(COUNT_LIMIT),
        total_capped: total > COUNT_LIMIT,
    }))
}

/// One visit, or an array of visits (paper forms entered later). An array
/// is all or nothing: if any item fails, nothing is saved and the answer
/// (422) lists each failing item by its index with its field errors.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum VisitBody {
    Many(Vec<VisitInput>),
    One(Box<VisitInput>),
}

/// Records a visit (201 with the visit) or a bulk array (201 with the ids).
/// The same mother, family, date and kind a second time answers 422 with
/// the field `confirm_duplicate`; send `"confirm_duplicate": "true"` to save.
#[utoipa::path(post, path = "/api/v1/visits", tag = TAG, request_body = VisitBody,
    responses((status = 201, body = Visit), (status = 422, body = ErrorResponse)))]
pub async fn create_visit(
    State(state): State<AppState>,
    access: Access,
    tr: Tr,
    Json(body): Json<VisitBody>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    match body {
        VisitBody::One(input) => {
            let data = input.validate().map_err(AppError::Validation)?;
            let v = Visit::create(
                &mut conn,
                access.actor,
                &access.scope,
                &data,
                access.sees_personal(),
                state.clock().today(),
            )
            .await?;
            Ok((StatusCode::CREATED, Json(v)).into_response())
        }
        VisitBody::Many(items) => {
            let data: Vec<_> = items.iter().map(VisitInput::validate).collect();
            let today = state.clock().today();
            let result =
                Visit::create_bulk(&mut conn, access.actor, &access.scope, &data, today).await;
            match result {
                Ok(ids) => Ok((StatusCode::CREATED, Json(json!({ "ids": ids }))).into_response()),
                Err(BulkError::App(e)) => Err(e),
                Err(BulkError::Items(items)) => {
                    let items: Vec<_> = items
                        .iter()
                        .map(|i| {
                            let fields: serde_json::Map<String, serde_json::Value> = i
                                .errors
                                .iter()
                                .map(|(f, m)| ((*f).to_owned(), json!(tr.msg(m))))
                                .collect();
                            json!({"index": i.index, "fields": fields})
                        })
                        .collect();
                    Ok((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        Json(json!({"error": {
                            "code": "validation_failed",
                            "message": tr.t("error-bulk-failed"),
                            "items": items,
                        }})),
                    )
                        .into_response())
                }
            }
        }
    }
}

#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = ErrorResponse)))]
pub async fn get_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Visit::find(&mut conn, &access.scope, id, access.sees_personal()).await?,
    ))
}

/// Open referrals, oldest visit first (the worklist).
#[utoipa::path(get, path = "/api/v1/referrals", tag = TAG,
    responses((status = 200, body = [ReferralItem])))]
pub async fn open_referrals(
    State(state): State<AppState>,
    access: Access,
) -> AppResult<Json<Vec<ReferralItem>>> {
    let mut conn = state.db().await?;
    Ok(Json(Referral::open(&mut conn, &access.scope).await?))
}

/// Marks a referral done (today unless a date is given).
#[utoipa::path(post, path = "/api/v1/referrals/{id}/done", tag = TAG, request_body = DoneInput,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Referral), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn referral_done(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<DoneInput>,
) -> AppResult<Json<Referral>> {
    let on = input
        .validate(state.clock().today())
        .map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    Ok(Json(
        Referral::mark_done(&mut conn, access.actor, &access.scope, id, on).await?,
    ))
}

/// The visit topics of a programme: defaults and its own, retired ones too.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/topics", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = [Topic]), (status = 404, body = ErrorResponse)))]
pub async fn list_topics(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Topic>>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    Ok(Json(Topic::for_programme(&mut conn, id).await?))
}

/// Adds a programme's own visit topic.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/topics", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Topic), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<LabelInput>,
) -> AppResult<(StatusCode, Json<Topic>)> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let label = input.validate().map_err(AppError::Validation)?;
    Ok((
        StatusCode::CREATED,
        Json(Topic::create(&mut conn, access.actor, id, &label).await?),
    ))
}

/// Renames a programme's own topic (defaults cannot be renamed: 409).
#[utoipa::path(put, path = "/api/v1/topics/{id}", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn rename_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<LabelInput>,
) -> AppResult<Json<Topic>> {
    let mut conn = state.db().await?;
    Topic::own(&mut conn, &access.scope, id).await?;
    let label = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Topic::rename(&mut conn, access.actor, &access.scope, id, &label).await?,
    ))
}

/// Retires a programme's own topic: no longer offered, kept on past visits.
#[utoipa::path(post, path = "/api/v1/topics/{id}/retire", tag = TAG,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn retire_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Topic>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Topic::set_retired(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            true,
            state.clock().now(),
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub programme: Option<i64>,
}

/// Events (group activities), newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = TAG, params(EventQuery),
    responses((status = 200, body = [Event])))]
pub async fn list_events(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<EventQuery>,
) -> AppResult<Json<Vec<Event>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Event::list(&mut conn, &access.scope, q.programme).await?,
    ))
}

/// Records an event with its participants and the mothers involved.
#[utoipa::path(post, path = "/api/v1/events", tag = TAG, request_body = EventInput,
    responses((status = 201, body = Object), (status = 422, body = ErrorResponse)))]
pub async fn create_event(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<EventInput>,
) -> AppResult<(StatusCode, Json<serde_json::Value>)> {
    let (programme, data) = input.validate().map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let id = Event::create(&mut conn, access.actor, &access.scope, programme, &data)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::field("programme_id", "error-programme-unknown"),
            e => e,
        })?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}
