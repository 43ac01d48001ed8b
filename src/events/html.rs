//! HTML pages of events: the list, and the form to record one (a page of
//! its own: below a long list it was out of sight).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::input::EventInput;
use super::model::Event;
use super::ops;
use crate::audit;
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{DistrictId, EventId};
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::visits::html::{code_label, entry_label};
use crate::visits::model::{ListKind, Topic};
use crate::web::extract::{Form, Path};
use crate::web::history::{HistoryLine, described};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "events/list.html")]
struct EventsPage {
    page: Page,
    events: Vec<Event>,
    districts: Vec<District>,
    kinds: Vec<Topic>,
}

impl EventsPage {
    fn kind(&self, code: &str) -> String {
        code_label(&self.page, ListKind::EventKind, &self.kinds, code)
    }

    fn district(&self, id: &Option<DistrictId>) -> String {
        id.and_then(|d| self.districts.iter().find(|x| x.id == d))
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }
}

/// The events, newest first; the form to record one is a page of its own.
pub async fn events(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let events = Event::list(&mut conn, &access.scope, None).await?;
    let districts = District::all(&mut conn, &access.scope).await?;
    let kinds = Topic::of_list_in(&mut conn, ListKind::EventKind, &access.scope).await?;
    Ok(render(
        StatusCode::OK,
        &EventsPage {
            page: page.with_nav("events"),
            events,
            districts,
            kinds,
        },
    ))
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct EventFormPage {
    page: Page,
    input: EventInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<District>,
    mothers: Vec<Mother>,
    /// The kinds offered (not retired).
    kinds: Vec<Topic>,
    /// The event being corrected (`None`: a new one), and its history.
    editing: Option<EventId>,
    changes: Vec<HistoryLine>,
}

impl EventFormPage {
    fn kind(&self, k: &Topic) -> String {
        entry_label(&self.page, k)
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }
}

async fn event_form(
    state: &AppState,
    access: &Access,
    page: Page,
    input: EventInput,
    errors: FormErrors,
    editing: Option<EventId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let changes = match editing {
        Some(id) if access.sees_personal() => {
            let entries = audit::history(&mut conn, &[("event", &[id.0])]).await?;
            described(&mut conn, &page, &entries).await?
        }
        _ => Vec::new(),
    };
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let districts = District::all(&mut conn, &access.scope).await?;
    let mothers = Mother::all(&mut conn, &access.scope, MotherFilter::default()).await?;
    let kinds = Topic::of_list_in(&mut conn, ListKind::EventKind, &access.scope)
        .await?
        .into_iter()
        .filter(|k| k.is_usable() || k.code() == input.kind)
        .collect();
    Ok(render(
        errors.status(),
        &EventFormPage {
            page: page.with_nav("events"),
            input,
            errors,
            programmes,
            districts,
            mothers,
            kinds,
            editing,
            changes,
        },
    ))
}

pub async fn new_event(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = EventInput {
        held_on: state.clock().today().to_string(),
        kind: "event".to_owned(),
        ..Default::default()
    };
    event_form(&state, &access, page, input, FormErrors::default(), None).await
}

pub async fn create_event(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<EventInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect("/events", "flash-event-created", &input.title),
        async |errors| event_form(&state, &access, page, input.clone(), errors, None).await,
    )
    .await
}

/// The event form, filled with what was recorded, with its history and
/// the button to delete it.
pub async fn edit_event(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EventId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let e = Event::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let input = EventInput::of(&e);
    event_form(
        &state,
        &access,
        page,
        input,
        FormErrors::default(),
        Some(id),
    )
    .await
}

pub async fn update_event(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EventId>,
    Form(input): Form<EventInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::update(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |e| flash::redirect("/events", "flash-event-corrected", &e.title),
        async |errors| event_form(&state, &access, page, input.clone(), errors, Some(id)).await,
    )
    .await
}

pub async fn delete_event(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    ops::delete(&mut conn, &access, id).await?;
    Ok(flash::redirect("/events", "flash-event-deleted", ""))
}
