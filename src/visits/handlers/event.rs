//! Events: group activities.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::mothers::model::Mother;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::visits::form::EventInput;
use crate::visits::model::{Event, EventKind};
use crate::web::extract::Form;
use crate::web::{FormErrors, Page, flash, render};

use super::*;

#[derive(Template)]
#[template(path = "visits/events.html")]
pub(crate) struct EventsPage {
    page: Page,
    events: Vec<Event>,
    input: EventInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<District>,
    mothers: Vec<Mother>,
    kinds: [EventKind; 4],
}

impl EventsPage {
    fn district(&self, id: &Option<i64>) -> String {
        id.and_then(|d| self.districts.iter().find(|x| x.id.0 == d))
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }
}

pub(crate) async fn events_page(
    state: &AppState,
    access: &Access,
    page: Page,
    input: EventInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let events = Event::list(&mut conn, &access.scope, None).await?;
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let districts = all_districts(&mut conn, &access.scope).await?;
    let mothers = all_mothers(&mut conn, &access.scope).await?;
    Ok(render(
        errors.status(),
        &EventsPage {
            page: page.with_nav("events"),
            events,
            input,
            errors,
            programmes,
            districts,
            mothers,
            kinds: EventKind::ALL,
        },
    ))
}

pub async fn events(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = EventInput {
        held_on: state.clock().today().to_string(),
        kind: EventKind::Event.to_string(),
        ..Default::default()
    };
    events_page(&state, &access, page, input, FormErrors::default()).await
}

pub async fn create_event(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<EventInput>,
) -> AppResult<Response> {
    let result = match input.validate() {
        Ok((p, data)) => {
            let mut conn = state.db().await?;
            Event::create(&mut conn, access.actor, &access.scope, p, &data).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(_) => Ok(flash::redirect(
            "/events",
            "flash-event-created",
            &input.title,
        )),
        Err(AppError::Validation(e)) => {
            events_page(&state, &access, page, input, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let e = FieldErrors::from([("programme_id", "error-programme-unknown")]);
            events_page(&state, &access, page, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}
