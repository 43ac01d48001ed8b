//! A programme's own texts for its good-practice profile (the
//! Intercultural Cities / Cities of Migration template): its goal, how it
//! works, who benefits and how it is evaluated. Kept on the programme,
//! replaced whole, with an audit row; the figures come from the reports.

use axum::extract::State;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::Programme;
use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse, FieldErrors};
use crate::ids::ProgrammeId;
use crate::schema::programme_profiles as profiles;
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::input::long_text;

/// The longest text of a profile (characters).
pub const MAX_TEXT: usize = 4000;

/// The programme's own texts (empty: not written yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Queryable)]
#[serde(default)]
pub struct ProfileTexts {
    /// What the programme wants to achieve.
    #[schema(max_length = 4000)]
    pub goal: String,
    /// How it works: recruitment, training, visits, partners.
    #[schema(max_length = 4000)]
    pub approach: String,
    /// Who benefits: the families, the mothers, the city.
    #[schema(max_length = 4000)]
    pub beneficiaries: String,
    /// How it is evaluated, and by whom.
    #[schema(max_length = 4000)]
    pub evaluation: String,
}

impl ProfileTexts {
    /// A programme's texts (empty ones when none were written).
    pub async fn of(conn: &mut AsyncPgConnection, programme: ProgrammeId) -> QueryResult<Self> {
        Ok(profiles::table
            .find(programme)
            .select((
                profiles::goal,
                profiles::approach,
                profiles::beneficiaries,
                profiles::evaluation,
            ))
            .first(conn)
            .await
            .optional()?
            .unwrap_or_default())
    }

    fn checked(&self) -> Result<ProfileTexts, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text =
            |v: &str, field| long_text(&Some(v.to_owned()), field, MAX_TEXT, &mut errors);
        let t = ProfileTexts {
            goal: text(&self.goal, "goal"),
            approach: text(&self.approach, "approach"),
            beneficiaries: text(&self.beneficiaries, "beneficiaries"),
            evaluation: text(&self.evaluation, "evaluation"),
        };
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors)
        }
    }
}

/// Replaces a programme's texts, in one transaction with its audit row.
pub async fn save(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme: ProgrammeId,
    input: &ProfileTexts,
) -> AppResult<ProfileTexts> {
    let texts = input.checked().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        Programme::find_for_update(conn, &access.scope, programme).await?;
        let old = ProfileTexts::of(conn, programme).await?;
        if old == texts {
            return Ok(texts);
        }
        let values = (
            profiles::goal.eq(&texts.goal),
            profiles::approach.eq(&texts.approach),
            profiles::beneficiaries.eq(&texts.beneficiaries),
            profiles::evaluation.eq(&texts.evaluation),
            profiles::updated_at.eq(diesel::dsl::now),
        );
        diesel::insert_into(profiles::table)
            .values((profiles::programme_id.eq(programme), values))
            .on_conflict(profiles::programme_id)
            .do_update()
            .set(values)
            .execute(conn)
            .await?;
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of("programme_profile", programme.0, Some(programme.0)),
            audit::changed(&old, &texts),
        )
        .await?;
        Ok(texts)
    })
    .await
}

/// The programme's texts for its good-practice profile.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/profile", tag = "programmes",
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = ProfileTexts), (status = 404, body = ErrorResponse)))]
pub async fn get_texts(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<ProfileTexts>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(ProfileTexts::of(&mut conn, id).await?))
}

/// Replaces the texts (`goal`, `approach`, `beneficiaries`, `evaluation`;
/// each at most 4000 characters, a field left out is emptied).
#[utoipa::path(put, path = "/api/v1/programmes/{id}/profile", tag = "programmes",
    request_body = ProfileTexts,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = ProfileTexts), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn put_texts(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<ProfileTexts>,
) -> AppResult<Json<ProfileTexts>> {
    let mut conn = state.db().await?;
    Ok(Json(save(&mut conn, &access, id, &input).await?))
}

#[derive(askama::Template)]
#[template(path = "programmes/profile_form.html")]
struct FormPage {
    page: crate::web::Page,
    programme: Programme,
    texts: ProfileTexts,
    errors: crate::web::FormErrors,
}

impl FormPage {
    fn fields(&self) -> [(&'static str, &str); 4] {
        let t = &self.texts;
        [
            ("goal", t.goal.as_str()),
            ("approach", t.approach.as_str()),
            ("beneficiaries", t.beneficiaries.as_str()),
            ("evaluation", t.evaluation.as_str()),
        ]
    }
}

async fn show_form(
    state: &AppState,
    access: &Access,
    page: crate::web::Page,
    id: ProgrammeId,
    typed: Option<ProfileTexts>,
    errors: crate::web::FormErrors,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let texts = match typed {
        Some(t) => t,
        None => ProfileTexts::of(&mut conn, id).await?,
    };
    Ok(crate::web::render(
        errors.status(),
        &FormPage {
            page: page.with_nav("programmes"),
            programme,
            texts,
            errors,
        },
    ))
}

/// The form of the programme's texts (`/programmes/{id}/profile`).
pub async fn form(
    State(state): State<AppState>,
    access: Access,
    page: crate::web::Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<axum::response::Response> {
    let none = crate::web::FormErrors::default();
    show_form(&state, &access, page, id, None, none).await
}

pub async fn save_form(
    State(state): State<AppState>,
    access: Access,
    page: crate::web::Page,
    Path(id): Path<ProgrammeId>,
    crate::web::extract::Form(typed): crate::web::extract::Form<ProfileTexts>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let result = save(&mut conn, &access, id, &typed).await;
    drop(conn);
    crate::web::respond(
        result,
        |_| {
            crate::web::flash::redirect(
                &format!("/programmes/{id}/profile"),
                "flash-profile-saved",
                "",
            )
        },
        async |errors| show_form(&state, &access, page, id, Some(typed), errors).await,
    )
    .await
}
