//! Events: group activities.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::input::EventInput;
use super::model::{Event, EventKind};
use super::ops;
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::DistrictId;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "events/list.html")]
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
    fn district(&self, id: &Option<DistrictId>) -> String {
        id.and_then(|d| self.districts.iter().find(|x| x.id == d))
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
    let districts = District::all(&mut conn, &access.scope).await?;
    let mothers = Mother::all(&mut conn, &access.scope, MotherFilter::default()).await?;
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
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect("/events", "flash-event-created", &input.title),
        async |errors| events_page(&state, &access, page, input.clone(), errors).await,
    )
    .await
}
