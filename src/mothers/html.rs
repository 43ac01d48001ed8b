//! HTML pages for mothers: list and form (her profile, which shows what
//! other domains know of her, is in `views::mother_profile`). Thin:
//! extract, call `ops`, render or redirect.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use diesel_async::AsyncPgConnection;

use super::input::{MotherInput, MotherQuery};
use super::model::{Engagement, Gender, Mother, MotherStatus, PER_PAGE};
use super::ops;
use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::AppResult;
use crate::ids::{DistrictId, MotherId};
use crate::money;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::reads::ListDb;
use crate::web::{FormErrors, Page, flash, pagination, render, respond};

/// The programmes and districts the caller can choose from.
async fn choices(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<(Vec<Programme>, Vec<(District, String)>)> {
    let programmes = Programme::list(conn, scope, false).await?;
    let mut districts = Vec::new();
    for p in &programmes {
        for d in District::list(conn, scope, p.id, false).await? {
            districts.push((d, p.name.clone()));
        }
    }
    Ok((programmes, districts))
}

#[derive(Template)]
#[template(path = "mothers/list.html")]
struct ListPage {
    page: Page,
    mothers: Vec<Mother>,
    total: i64,
    page_no: i64,
    per_page: i64,
    query: MotherQuery,
    programmes: Vec<Programme>,
    districts: Vec<(District, String)>,
    statuses: [MotherStatus; 6],
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl ListPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.total, self.per_page)
    }

    fn page_link(&self, n: i64) -> String {
        let q = MotherQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "/mothers?{}",
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    fn selected(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn district_name(&self, id: &Option<DistrictId>) -> String {
        id.and_then(|id| self.districts.iter().find(|(d, _)| d.id == id))
            .map(|(d, _)| d.name.clone())
            .unwrap_or_default()
    }
}

pub async fn list(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<MotherQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Response> {
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let (mothers, total) = match &filter {
        Some(f) => Mother::list(&mut conn, &access.scope, f).await?,
        None => (Vec::new(), 0),
    };
    super::log_reads(
        &state,
        &access,
        &mothers,
        crate::audit::access::MOTHER_LIST_FIELDS,
        crate::audit::access::Channel::Page,
    );
    let (programmes, districts) = choices(&mut conn, &access.scope).await?;
    Ok(render(
        pagination::status(&filter_error),
        &ListPage {
            page: page.with_nav("mothers"),
            mothers,
            total,
            page_no: filter.as_ref().map_or(1, |f| f.page),
            per_page: filter.map_or(PER_PAGE, |f| f.per_page),
            filter_error,
            query,
            programmes,
            districts,
            statuses: MotherStatus::ALL,
        },
    ))
}

#[derive(Template)]
#[template(path = "mothers/form.html")]
struct FormPage {
    page: Page,
    mother: Option<Mother>,
    input: MotherInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<(District, String)>,
    genders: [Gender; 4],
    engagements: [Engagement; 3],
}

impl FormPage {
    fn action(&self) -> String {
        match &self.mother {
            Some(m) => format!("/mothers/{}", m.id),
            None => "/mothers".to_owned(),
        }
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }
}

async fn form_page(
    state: &AppState,
    access: &Access,
    page: Page,
    mother: Option<Mother>,
    input: MotherInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (programmes, districts) = choices(&mut conn, &access.scope).await?;
    let districts = match &mother {
        Some(m) => districts
            .into_iter()
            .filter(|(d, _)| d.programme_id == m.programme_id)
            .collect(),
        None => districts,
    };
    Ok(render(
        errors.status(),
        &FormPage {
            page: page.with_nav("mothers"),
            mother,
            input,
            errors,
            programmes,
            districts,
            genders: Gender::ALL,
            engagements: Engagement::ALL,
        },
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = MotherInput {
        joined_on: state.clock().today().to_string(),
        gender: Gender::Female.to_string(),
        engagement: Engagement::Volunteer.to_string(),
        ..Default::default()
    };
    form_page(&state, &access, page, None, input, FormErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<MotherInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/mothers/{}", m.id),
                "flash-mother-created",
                &m.full_name,
            )
        },
        async |errors| form_page(&state, &access, page, None, input, errors).await,
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(&mut conn, &access.scope, mother.programme_id).await?;
    drop(conn);
    super::log_reads(
        &state,
        &access,
        [&mother],
        crate::audit::access::MOTHER_FIELDS,
        crate::audit::access::Channel::Page,
    );
    let input = MotherInput::from_mother(&mother, money::exponent(&programme.currency));
    form_page(
        &state,
        &access,
        page,
        Some(mother),
        input,
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<MotherId>,
    Form(input): Form<MotherInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let result = ops::update(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/mothers/{id}"),
                "flash-mother-updated",
                &m.full_name,
            )
        },
        async |errors| form_page(&state, &access, page, Some(mother), input, errors).await,
    )
    .await
}
