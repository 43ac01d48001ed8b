//! Families: list, form, timeline, closing.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::mothers::model::Mother;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::visits::api::FamilyQuery;
use crate::visits::families::FAMILIES_PER_PAGE;
use crate::visits::form::{CloseInput, FamilyInput};
use crate::visits::model::{ContactOrigin, Family, Topic, Visit};
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, pagination, render};

use super::*;

#[derive(Template)]
#[template(path = "visits/families.html")]
pub(crate) struct FamiliesPage {
    page: Page,
    families: Vec<Family>,
    total: i64,
    page_no: i64,
    query: FamilyQuery,
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl FamiliesPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.total, FAMILIES_PER_PAGE)
    }

    fn page_link(&self, n: i64) -> String {
        let q = FamilyQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "/families?{}",
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    /// The follow-up list's number of days, if this is it.
    fn no_visit_days(&self) -> Option<&str> {
        self.query
            .no_visit_days
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
    }
}

pub async fn list_families(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<FamilyQuery>,
) -> AppResult<Response> {
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let mut conn = state.db().await?;
    let (families, total) = match &filter {
        Some(f) => {
            Family::page(
                &mut conn,
                &access.scope,
                f,
                access.sees_personal(),
                state.clock().today(),
            )
            .await?
        }
        None => (Vec::new(), 0),
    };
    Ok(render(
        pagination::status(&filter_error),
        &FamiliesPage {
            page: page.with_nav("families"),
            families,
            total,
            page_no: filter.map_or(1, |f| f.page),
            query,
            filter_error,
        },
    ))
}

#[derive(Template)]
#[template(path = "visits/family_form.html")]
pub(crate) struct FamilyFormPage {
    page: Page,
    family: Option<Family>,
    input: FamilyInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<District>,
    mothers: Vec<Mother>,
    origins: [ContactOrigin; 5],
}

impl FamilyFormPage {
    fn action(&self) -> String {
        match &self.family {
            Some(f) => format!("/families/{}", f.id),
            None => "/families".to_owned(),
        }
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub(crate) async fn family_form(
    state: &AppState,
    access: &Access,
    page: Page,
    family: Option<Family>,
    input: FamilyInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mut programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let mut districts = all_districts(&mut conn, &access.scope).await?;
    let mut mothers = all_mothers(&mut conn, &access.scope).await?;
    if let Some(f) = &family {
        programmes.retain(|p| p.id.0 == f.programme_id);
        districts.retain(|d| d.programme_id.0 == f.programme_id);
        mothers.retain(|m| m.programme_id.0 == f.programme_id);
    }
    Ok(render(
        errors.status(),
        &FamilyFormPage {
            page: page.with_nav("families"),
            family,
            input,
            errors,
            programmes,
            districts,
            mothers,
            origins: ContactOrigin::ALL,
        },
    ))
}

pub async fn new_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = FamilyInput {
        first_contact_on: state.clock().today().to_string(),
        contact_origin: ContactOrigin::OwnNetwork.to_string(),
        ..Default::default()
    };
    family_form(&state, &access, page, None, input, FormErrors::default()).await
}

pub async fn create_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<FamilyInput>,
) -> AppResult<Response> {
    let result = match (
        input.programme(),
        input.validate(access.sees_personal(), state.clock().today()),
    ) {
        (None, _) => Err(AppError::field("programme_id", "error-programme-unknown")),
        (_, Err(e)) => Err(AppError::Validation(e)),
        (Some(p), Ok((data, personal))) => {
            let mut conn = state.db().await?;
            Family::create(
                &mut conn,
                access.actor,
                &access.scope,
                p,
                &data,
                personal.as_ref(),
            )
            .await
        }
    };
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{}", f.id),
            "flash-family-created",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let e = FieldErrors::from([("programme_id", "error-programme-unknown")]);
            family_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    drop(conn);
    let input = FamilyInput::from_family(&family);
    family_form(
        &state,
        &access,
        page,
        Some(family),
        input,
        FormErrors::default(),
    )
    .await
}

pub async fn update_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<FamilyInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    let result = match input.validate(access.sees_personal(), state.clock().today()) {
        Ok((data, personal)) => {
            Family::update(
                &mut conn,
                access.actor,
                &access.scope,
                id,
                &data,
                personal.as_ref(),
            )
            .await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-updated",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_form(&state, &access, page, Some(family), input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "visits/family.html")]
pub(crate) struct FamilyPage {
    page: Page,
    family: Family,
    programme: Programme,
    district: Option<String>,
    primary_mother: Option<String>,
    visits: Vec<Visit>,
    topics: Vec<Topic>,
    close: CloseInput,
    errors: FormErrors,
}

impl FamilyPage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, *id)
    }
}

pub(crate) async fn family_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    close: CloseInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    let programme = Programme::find(
        &mut conn,
        &access.scope,
        crate::ids::ProgrammeId(family.programme_id),
    )
    .await?;
    let district = match family.district_id {
        Some(d) => all_districts(&mut conn, &access.scope)
            .await?
            .into_iter()
            .find(|x| x.id.0 == d)
            .map(|x| x.name),
        None => None,
    };
    let primary_mother = match family.primary_mother_id {
        Some(m) => Some(
            Mother::find(&mut conn, &access.scope, crate::ids::MotherId(m))
                .await?
                .full_name,
        ),
        None => None,
    };
    let filter = crate::visits::model::VisitFilter {
        family_id: Some(id),
        page: 1,
        ..Default::default()
    };
    let (visits, _) =
        Visit::list(&mut conn, &access.scope, &filter, access.sees_personal()).await?;
    let topics = Topic::for_programme(&mut conn, family.programme_id).await?;
    Ok(render(
        errors.status(),
        &FamilyPage {
            page: page.with_nav("families"),
            family,
            programme,
            district,
            primary_mother,
            visits,
            topics,
            close,
            errors,
        },
    ))
}

pub async fn show_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let close = CloseInput {
        closed_on: state.clock().today().to_string(),
        ..Default::default()
    };
    family_page(&state, &access, page, id, close, FormErrors::default()).await
}

pub async fn close_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Family::find(&mut conn, &access.scope, id, false).await?;
    let result = match input.validate() {
        Ok((on, reason)) => {
            Family::close(&mut conn, access.actor, &access.scope, id, on, &reason).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-closed",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_page(&state, &access, page, id, input, FormErrors(e)).await
        }
        Err(AppError::Conflict(_)) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-already-closed",
            "",
        )),
        Err(e) => Err(e),
    }
}
