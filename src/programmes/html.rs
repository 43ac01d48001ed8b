//! HTML pages for programmes and districts. Thin: extract, call `ops`,
//! render or redirect (Post/Redirect/Get with a flash message).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::input::WorkerWordInput;
use super::input::{DistrictInput, ProgrammeInput};
use super::model::{District, Programme, WorkerWord};
use super::ops::{self, DeleteOutcome};
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{DistrictId, ProgrammeId};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    archived: bool,
}

#[derive(Template)]
#[template(path = "programmes/list.html")]
struct ListPage {
    page: Page,
    programmes: Vec<Programme>,
    show_archived: bool,
}

pub async fn list(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programmes = Programme::list(&mut conn, &access.scope, q.archived).await?;
    Ok(render(
        StatusCode::OK,
        &ListPage {
            page: page.with_nav("programmes"),
            programmes,
            show_archived: q.archived,
        },
    ))
}

#[derive(Template)]
#[template(path = "programmes/form.html")]
struct FormPage {
    page: Page,
    /// `None` for a new programme.
    programme: Option<Programme>,
    input: ProgrammeInput,
    errors: FormErrors,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.programme {
            Some(p) => format!("/programmes/{}", p.id),
            None => "/programmes".to_owned(),
        }
    }
}

fn form_page(
    page: Page,
    programme: Option<Programme>,
    input: ProgrammeInput,
    errors: FormErrors,
) -> Response {
    let status = errors.status();
    render(
        status,
        &FormPage {
            page: page.with_nav("programmes"),
            programme,
            input,
            errors,
        },
    )
}

pub async fn new_form(State(state): State<AppState>, page: Page) -> Response {
    let input = ProgrammeInput {
        start_date: state.clock().today().to_string(),
        default_language: page.tr.lang(),
        ..ProgrammeInput::default()
    };
    form_page(page, None, input, FormErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<ProgrammeInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, &input).await;
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{}", p.id),
                "flash-programme-created",
                &p.name,
            )
        },
        async |errors| Ok(form_page(page, None, input, errors)),
    )
    .await
}

#[derive(Template)]
#[template(path = "programmes/show.html")]
struct ShowPage {
    page: Page,
    programme: Programme,
    /// The words it has set for its workers, by language.
    words: Vec<WorkerWord>,
    districts: Vec<District>,
    district_input: DistrictInput,
    district_errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    district_input: DistrictInput,
    district_errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let districts = District::list(&mut conn, &access.scope, id, true).await?;
    let words = WorkerWord::of(&mut conn, id).await?;
    let status = district_errors.status();
    let page = page
        .with_nav("programmes")
        .for_programme(&programme.default_language, WorkerWord::for_tr(&words));
    Ok(render(
        status,
        &ShowPage {
            page,
            programme,
            words,
            districts,
            district_input,
            district_errors,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    show_page(
        &state,
        &access,
        page,
        id,
        DistrictInput::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = Programme::find(&mut conn, &access.scope, id).await?;
    let input = ProgrammeInput::from(&p);
    Ok(form_page(page, Some(p), input, FormErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(input): Form<ProgrammeInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let existing = Programme::find(&mut conn, &access.scope, id).await?;
    let result = ops::update(&mut conn, &access, id, &input).await;
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{}", p.id),
                "flash-programme-updated",
                &p.name,
            )
        },
        async |errors| Ok(form_page(page, Some(existing), input, errors)),
    )
    .await
}

#[derive(Template)]
#[template(path = "programmes/worker_words.html")]
struct WorkerWordsPage {
    page: Page,
    programme: Programme,
    /// One entry per interface language, as typed.
    input: Vec<WorkerWordInput>,
    errors: FormErrors,
}

/// One word's field: its id (and name), label, value as typed, and the
/// language's usual word (the placeholder).
struct WordField {
    id: String,
    label: String,
    value: String,
    usual: String,
}

impl WorkerWordsPage {
    /// A language's two fields, singular and plural.
    fn fields(&self, w: &WorkerWordInput) -> [WordField; 2] {
        let usual = crate::web::i18n::Tr::negotiate(Some(&w.language), None, None);
        let (one, other) = usual.worker_words();
        let field = |kind: &str, value: &str, usual: &str| WordField {
            id: format!("worker_{kind}_{}", w.language),
            label: self.page.t(&format!("field-worker-{kind}")),
            value: value.to_owned(),
            usual: usual.to_owned(),
        };
        [field("one", &w.one, one), field("other", &w.other, other)]
    }
}

pub async fn worker_words_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let words = WorkerWord::of(&mut conn, id).await?;
    Ok(render(
        StatusCode::OK,
        &WorkerWordsPage {
            page: page.with_nav("programmes"),
            programme,
            input: WorkerWordInput::for_form(&words),
            errors: FormErrors::default(),
        },
    ))
}

pub async fn set_worker_words(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(fields): Form<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let input = WorkerWordInput::from_form(&fields);
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let result = ops::set_worker_words(&mut conn, &access, id, &input).await;
    respond(
        result,
        |_| {
            flash::redirect(
                &format!("/programmes/{id}"),
                "flash-worker-words-saved",
                &programme.name,
            )
        },
        async |errors| {
            Ok(render(
                errors.status(),
                &WorkerWordsPage {
                    page: page.with_nav("programmes"),
                    programme: programme.clone(),
                    input,
                    errors,
                },
            ))
        },
    )
    .await
}

async fn set_archived(
    state: &AppState,
    access: &Access,
    id: ProgrammeId,
    archived: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = ops::set_archived(&mut conn, access, id, archived, state.clock().now()).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}", p.id),
        if archived {
            "flash-programme-archived"
        } else {
            "flash-programme-restored"
        },
        &p.name,
    ))
}

pub async fn archive(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    set_archived(&state, &access, id, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    set_archived(&state, &access, id, false).await
}

pub async fn delete(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Ok(match ops::delete(&mut conn, &access, id).await? {
        (p, DeleteOutcome::Deleted) => {
            flash::redirect("/programmes", "flash-programme-deleted", &p.name)
        }
        (p, DeleteOutcome::HasData) => flash::redirect(
            &format!("/programmes/{id}"),
            "flash-programme-has-data",
            &p.name,
        ),
    })
}

pub async fn create_district(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(input): Form<DistrictInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create_district(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |d| {
            flash::redirect(
                &format!("/programmes/{id}"),
                "flash-district-created",
                &d.name,
            )
        },
        async |errors| show_page(&state, &access, page, id, input, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "programmes/district_form.html")]
struct DistrictFormPage {
    page: Page,
    programme: Programme,
    district: District,
    input: DistrictInput,
    errors: FormErrors,
}

async fn district_form_page(
    state: &AppState,
    access: &Access,
    page: Page,
    district: District,
    input: DistrictInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, district.programme_id).await?;
    let words = WorkerWord::for_tr(&WorkerWord::of(&mut conn, programme.id).await?);
    let status = errors.status();
    Ok(render(
        status,
        &DistrictFormPage {
            page: page
                .with_nav("programmes")
                .for_programme(&programme.default_language, words),
            programme,
            district,
            input,
            errors,
        },
    ))
}

pub async fn edit_district_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<DistrictId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let district = District::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let input = DistrictInput {
        name: district.name.clone(),
    };
    district_form_page(
        &state,
        &access,
        page,
        district,
        input,
        FormErrors::default(),
    )
    .await
}

pub async fn update_district(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<DistrictId>,
    Form(input): Form<DistrictInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let district = District::find(&mut conn, &access.scope, id).await?;
    let result = ops::update_district(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |d| {
            flash::redirect(
                &format!("/programmes/{}", d.programme_id),
                "flash-district-updated",
                &d.name,
            )
        },
        async |errors| district_form_page(&state, &access, page, district, input, errors).await,
    )
    .await
}

async fn set_district_archived(
    state: &AppState,
    access: &Access,
    id: DistrictId,
    archived: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let d =
        ops::set_district_archived(&mut conn, access, id, archived, state.clock().now()).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}", d.programme_id),
        if archived {
            "flash-district-archived"
        } else {
            "flash-district-restored"
        },
        &d.name,
    ))
}

pub async fn archive_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
) -> AppResult<Response> {
    set_district_archived(&state, &access, id, true).await
}

pub async fn restore_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
) -> AppResult<Response> {
    set_district_archived(&state, &access, id, false).await
}

/// A page about one programme's records (its report, a funder report, a
/// mother's profile): the programme's default language where the user
/// chose none, and its own words for its workers. Staff of one programme
/// have these already; administrators and staff of several get them here.
pub async fn within(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    page: Page,
    id: ProgrammeId,
) -> AppResult<Page> {
    let programme = Programme::find(conn, &access.scope, id).await?;
    let words = WorkerWord::of(conn, id).await?;
    Ok(page.for_programme(&programme.default_language, WorkerWord::for_tr(&words)))
}
