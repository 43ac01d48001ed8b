//! HTML pages of families: the paged list (and follow-up list) and the
//! form. A family's page with its visits is a view (`views::family`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::input::FamilyInput;
use super::input::FamilyQuery;
use super::list::FAMILIES_PER_PAGE;
use super::model::{ContactOrigin, Family};
use super::ops;
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::FamilyId;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::reads::ListDb;
use crate::web::{FormErrors, Page, flash, pagination, render, respond};

#[derive(Template)]
#[template(path = "families/list.html")]
pub(crate) struct FamiliesPage {
    page: Page,
    families: Vec<Family>,
    /// How many match, up to [`LIST_COUNT_CAP`];
    total: i64,
    /// and whether more do.
    more: bool,
    page_no: i64,
    per_page: i64,
    query: FamilyQuery,
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl FamiliesPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.total, self.per_page)
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

/// The family list counts no further than this (it then says "more than
/// 10,000": narrow it down), so that with a national programme's hundreds
/// of thousands of families the page stays quick; the API counts all.
const LIST_COUNT_CAP: i64 = 10_000;

pub async fn list_families(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<FamilyQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Response> {
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let (families, total) = match &filter {
        Some(f) => {
            Family::page(
                &mut conn,
                &access.scope,
                f,
                access.sees_personal(),
                state.clock().today(),
                Some(LIST_COUNT_CAP),
            )
            .await?
        }
        None => (Vec::new(), 0),
    };
    let more = total > LIST_COUNT_CAP;
    let total = total.min(LIST_COUNT_CAP);
    super::log_reads(
        &state,
        &access,
        &families,
        crate::audit::access::FAMILY_LIST_FIELDS,
        crate::audit::access::Channel::Page,
    );
    Ok(render(
        pagination::status(&filter_error),
        &FamiliesPage {
            page: page.with_nav("families"),
            families,
            total,
            more,
            page_no: filter.as_ref().map_or(1, |f| f.page),
            per_page: filter.map_or(FAMILIES_PER_PAGE, |f| f.per_page),
            query,
            filter_error,
        },
    ))
}

#[derive(Template)]
#[template(path = "families/form.html")]
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
    let mut districts = District::all(&mut conn, &access.scope).await?;
    let mut mothers = Mother::all(&mut conn, &access.scope, MotherFilter::default()).await?;
    if let Some(f) = &family {
        programmes.retain(|p| p.id == f.programme_id);
        districts.retain(|d| d.programme_id == f.programme_id);
        mothers.retain(|m| m.programme_id == f.programme_id);
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
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, &input, state.clock().today()).await;
    drop(conn);
    respond(
        result,
        |f| {
            flash::redirect(
                &format!("/families/{}", f.id),
                "flash-family-created",
                &f.reference_code,
            )
        },
        async |errors| family_form(&state, &access, page, None, input, errors).await,
    )
    .await
}

pub async fn edit_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    drop(conn);
    super::log_reads(
        &state,
        &access,
        [&family],
        crate::audit::access::FAMILY_FIELDS,
        crate::audit::access::Channel::Page,
    );
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
    Path(id): Path<FamilyId>,
    Form(input): Form<FamilyInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    let result = ops::update(&mut conn, &access, id, &input, state.clock().today()).await;
    drop(conn);
    respond(
        result,
        |f| {
            flash::redirect(
                &format!("/families/{id}"),
                "flash-family-updated",
                &f.reference_code,
            )
        },
        async |errors| family_form(&state, &access, page, Some(family), input, errors).await,
    )
    .await
}
