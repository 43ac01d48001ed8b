//! The participant register's pages: a programme's register with its
//! integration partnerships (`/programmes/{id}/participants`), and who
//! attended an event (`/events/{id}/participants`). Thin: every write goes
//! through `register` and `partnerships`, as the API's do.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::Event;
use super::partnerships::{self, Partnership, PartnershipInput};
use super::register::{self, AgeBand, Attendance, Origin, Participant, ParticipantInput};
use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ids::{EventId, ParticipantId, PartnershipId, ProgrammeId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "events/register.html")]
struct RegisterPage {
    page: Page,
    programme: Programme,
    participants: Vec<Participant>,
    partnerships: Vec<Partnership>,
    /// The new participant as typed (kept when refused).
    person: ParticipantInput,
    /// The new partnership as typed.
    pair: PartnershipInput,
    /// The refused form's errors (their fields' names differ).
    errors: FormErrors,
}

impl RegisterPage {
    const ORIGINS: [Origin; 2] = Origin::ALL;
    const AGE_BANDS: [AgeBand; 5] = AgeBand::ALL;

    fn code(&self, id: &ParticipantId) -> &str {
        self.participants
            .iter()
            .find(|p| p.id == *id)
            .map_or("", |p| p.code.as_str())
    }

    /// Whether `p` is the one typed for the partnership's `field`.
    fn paired(&self, field: &str, p: &Participant) -> bool {
        let typed = if field == "local_id" {
            &self.pair.local_id
        } else {
            &self.pair.migrant_id
        };
        typed.trim() == p.id.to_string()
    }

    fn of_origin(&self, origin: &Origin) -> Vec<&Participant> {
        self.participants
            .iter()
            .filter(|p| p.origin == *origin)
            .collect()
    }
}

/// The form's fields of a new participant or partnership.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    #[serde(flatten)]
    person: ParticipantInput,
    #[serde(flatten)]
    pair: PartnershipInput,
}

async fn show(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    typed: RegisterForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let participants = Participant::of_programme(&mut conn, id).await?;
    let partnerships = Partnership::of_programme(&mut conn, id).await?;
    Ok(render(
        errors.status(),
        &RegisterPage {
            page: page.with_nav("events"),
            programme,
            participants,
            partnerships,
            person: typed.person,
            pair: typed.pair,
            errors,
        },
    ))
}

pub async fn register_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    show(
        &state,
        &access,
        page,
        id,
        RegisterForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn add_participant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = register::create(&mut conn, &access, id, &form.person).await;
    drop(conn);
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{id}/participants"),
                "flash-participant-added",
                &p.code,
            )
        },
        async |errors| show(&state, &access, page, id, form, errors).await,
    )
    .await
}

pub async fn delete_participant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ParticipantId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = Participant::find(&mut conn, &access.scope, id).await?;
    register::delete(&mut conn, &access, id).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/participants", p.programme_id),
        "flash-participant-removed",
        &p.code,
    ))
}

pub async fn add_partnership(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = partnerships::create(&mut conn, &access, id, &form.pair).await;
    drop(conn);
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{id}/participants"),
                "flash-partnership-added",
                &p.started_on.to_string(),
            )
        },
        async |errors| show(&state, &access, page, id, form, errors).await,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EndForm {
    ended_on: String,
}

/// Ends a partnership on the date given (today when empty).
pub async fn end_partnership(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<PartnershipId>,
    Form(form): Form<EndForm>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let old = Partnership::find(&mut conn, &access.scope, id).await?;
    let mut input = PartnershipInput::of(&old);
    let ended = match form.ended_on.trim() {
        "" => state.clock().today().to_string(),
        d => d.to_owned(),
    };
    input.ended_on = Some(ended);
    let result = partnerships::update(&mut conn, &access, id, &input).await;
    drop(conn);
    let programme = old.programme_id;
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{programme}/participants"),
                "flash-partnership-ended",
                &p.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            )
        },
        async |errors| {
            let typed = RegisterForm::default();
            show(&state, &access, page, programme, typed, errors).await
        },
    )
    .await
}

pub async fn delete_partnership(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<PartnershipId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = Partnership::find(&mut conn, &access.scope, id).await?;
    partnerships::delete(&mut conn, &access, id).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/participants", p.programme_id),
        "flash-partnership-removed",
        &p.started_on.to_string(),
    ))
}

#[derive(Template)]
#[template(path = "events/attendance.html")]
struct AttendancePage {
    page: Page,
    event: Event,
    participants: Vec<Participant>,
    chosen: Vec<i64>,
    errors: FormErrors,
}

async fn show_attendance(
    state: &AppState,
    access: &Access,
    page: Page,
    id: EventId,
    typed: Option<Vec<i64>>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let event = Event::find(&mut conn, &access.scope, id).await?;
    let chosen = match typed {
        Some(c) => c,
        None => register::attendance(&mut conn, &access.scope, id)
            .await?
            .iter()
            .map(|p| p.id.0)
            .collect(),
    };
    let participants = Participant::of_programme(&mut conn, event.programme_id).await?;
    Ok(render(
        errors.status(),
        &AttendancePage {
            page: page.with_nav("events"),
            event,
            participants,
            chosen,
            errors,
        },
    ))
}

pub async fn attendance_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EventId>,
) -> AppResult<Response> {
    show_attendance(&state, &access, page, id, None, FormErrors::default()).await
}

/// The ticked participants (`participant_ids`, repeated).
pub async fn save_attendance(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EventId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let mut ids = Vec::new();
    for (k, v) in &fields {
        if k == "participant_ids" {
            match v.trim().parse::<i64>() {
                Ok(n) => ids.push(n),
                Err(_) => errors.insert("participant_ids", "error-participant-unknown"),
            }
        }
    }
    let result = if errors.is_empty() {
        let mut conn = state.db().await?;
        let input = Attendance {
            participant_ids: ids.clone(),
        };
        register::set_attendance(&mut conn, &access, id, &input).await
    } else {
        Err(AppError::Validation(errors))
    };
    respond(
        result,
        |list| {
            flash::redirect(
                "/events",
                "flash-event-attendance-saved",
                &list.len().to_string(),
            )
        },
        async |errors| show_attendance(&state, &access, page, id, Some(ids), errors).await,
    )
    .await
}
