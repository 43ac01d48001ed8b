//! JSON routes for mothers: thin, over the same `ops` as the HTML pages
//! (her profile and status change are in `views::mother_profile`).

use axum::extract::State;

use super::input::{MotherInput, MotherQuery};
use super::model::Mother;
use super::ops;
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::MotherId;
use crate::money;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::bulk::{One, OneOrMany, create_all};
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::Paged;
use crate::web::patch::{Table, patch};
use crate::web::reads::ListDb;

const TAG: &str = "mothers";

/// Mothers the caller may see, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/mothers", tag = TAG, params(MotherQuery),
    responses((status = 200, body = Paged<Mother>), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<MotherQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Json<Paged<Mother>>> {
    let filter = q.filter()?;
    let (items, total) = Mother::list(&mut conn, &access.scope, &filter).await?;
    super::log_reads(
        &state,
        &access,
        &items,
        crate::audit::access::MOTHER_LIST_FIELDS,
        crate::audit::access::Channel::Api,
    );
    Ok(Json(Paged::new(items, total, filter.page, filter.per_page)))
}

/// Records a new mother (as an applicant): 201 with her record and its
/// `Location`. An array of mothers is all or none: 201 with
/// `{"items": [...]}`, or 422 naming each failing item by its index.
#[utoipa::path(post, path = "/api/v1/mothers", tag = TAG, request_body = MotherInput,
    responses((status = 201, body = Mother), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    tr: crate::web::Tr,
    headers: axum::http::HeaderMap,
    Json(body): Json<OneOrMany<MotherInput>>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    match body {
        OneOrMany::One(input) => {
            let m = ops::create(&mut conn, &access, &input).await?;
            Ok(created(format!("/api/v1/mothers/{}", m.id), m))
        }
        OneOrMany::Many(items) => {
            let request_id = crate::web::request_id(&headers);
            create_all(&mut conn, &tr, request_id, &access, &items, create_one).await
        }
    }
}

fn create_one<'a>(
    conn: &'a mut diesel_async::AsyncPgConnection,
    access: &'a Access,
    input: &'a MotherInput,
) -> One<'a, Mother> {
    Box::pin(ops::create(conn, access, input))
}

/// Replaces a mother's fields (not her programme or status).
#[utoipa::path(put, path = "/api/v1/mothers/{id}", tag = TAG, request_body = MotherInput,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = Mother), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
    Json(input): Json<MotherInput>,
) -> AppResult<Json<Mother>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::update(&mut conn, &access, id, &input).await?))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/mothers/{id}", tag = TAG, request_body = MotherInput,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = Mother), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_mother(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Mother>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Mothers,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    let m = Mother::find(c, &a.scope, *id).await?;
                    let p = Programme::find(c, &a.scope, m.programme_id).await?;
                    Ok(MotherInput::from_mother(&m, money::exponent(&p.currency)))
                })
            },
            |c, (a, id), input| Box::pin(ops::update(c, a, *id, input)),
        )
        .await?,
    ))
}
