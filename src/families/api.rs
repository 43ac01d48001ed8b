//! JSON routes for families: the paged list, one family, recording,
//! changing and closing one.

use axum::extract::State;

use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::state::AppState;
use crate::web::bulk::{One, OneOrMany, create_all};
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::Paged;
use crate::web::patch::{Table, patch};
use crate::web::reads::ListDb;

use super::input::{CloseInput, FamilyInput, FamilyQuery};
use super::model::Family;
use super::ops;
use crate::ids::FamilyId;

const TAG: &str = "families";

/// Families the caller may see, by programme and reference code, a page
/// at a time; name, address and phone only for coordinators and admins.
#[utoipa::path(get, path = "/api/v1/families", tag = TAG, params(FamilyQuery),
    responses((status = 200, body = Paged<Family>), (status = 422, body = ErrorResponse)))]
pub async fn list_families(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FamilyQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Json<Paged<Family>>> {
    let filter = q.filter()?;
    let (items, total) = Family::page(
        &mut conn,
        &access.scope,
        &filter,
        access.sees_personal(),
        state.clock().today(),
        None,
    )
    .await?;
    super::log_reads(
        &state,
        &access,
        &items,
        crate::audit::access::FAMILY_LIST_FIELDS,
        crate::audit::access::Channel::Api,
    );
    Ok(Json(Paged::new(items, total, filter.page, filter.per_page)))
}

/// Records a family; its reference code is generated: 201 with the record
/// and its `Location`. An array of families is all or none: 201 with
/// `{"items": [...]}`, or 422 naming each failing item by its index.
#[utoipa::path(post, path = "/api/v1/families", tag = TAG, request_body = FamilyInput,
    responses((status = 201, body = Family), (status = 422, body = ErrorResponse)))]
pub async fn create_family(
    State(state): State<AppState>,
    access: Access,
    tr: crate::web::Tr,
    headers: axum::http::HeaderMap,
    Json(body): Json<OneOrMany<FamilyInput>>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    match body {
        OneOrMany::One(input) => {
            let f = ops::create(&mut conn, &access, &input, today).await?;
            Ok(created(format!("/api/v1/families/{}", f.id), f))
        }
        OneOrMany::Many(items) => {
            let request_id = crate::web::request_id(&headers);
            create_all(
                &mut conn,
                &tr,
                request_id,
                &(access, today),
                &items,
                create_one,
            )
            .await
        }
    }
}

fn create_one<'a>(
    conn: &'a mut diesel_async::AsyncPgConnection,
    (access, today): &'a (Access, chrono::NaiveDate),
    input: &'a FamilyInput,
) -> One<'a, Family> {
    Box::pin(ops::create(conn, access, input, *today))
}

#[utoipa::path(get, path = "/api/v1/families/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse)))]
pub async fn get_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    super::log_reads(
        &state,
        &access,
        [&family],
        crate::audit::access::FAMILY_FIELDS,
        crate::audit::access::Channel::Api,
    );
    Ok(Json(family))
}

#[utoipa::path(put, path = "/api/v1/families/{id}", tag = TAG, request_body = FamilyInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
    Json(input): Json<FamilyInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    Ok(Json(
        ops::update(&mut conn, &access, id, &input, today).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/families/{id}", tag = TAG, request_body = FamilyInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    let ctx = (access, id, state.clock().today());
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Families,
            id.0,
            body,
            |c, (a, id, _)| {
                Box::pin(async move {
                    let f = Family::find(c, &a.scope, *id, true).await?;
                    Ok(FamilyInput::from_family(&f))
                })
            },
            |c, (a, id, today), input| Box::pin(ops::update(c, a, *id, input, *today)),
        )
        .await?,
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
    Path(id): Path<FamilyId>,
    Json(input): Json<CloseInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::close(&mut conn, &access, id, &input).await?))
}
