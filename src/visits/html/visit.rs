//! The visit form and the visit list.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::families::model::Family;
use crate::ids::FamilyId;
use crate::mothers::model::{Mother, MotherStatus};
use crate::state::AppState;
use crate::visits::input::VisitInput;
use crate::visits::model::{Service, Topic, VisitKind};
use crate::visits::ops;
use crate::web::extract::{Form, Query};
use crate::web::{FormErrors, Page, flash, render};

use super::*;

#[derive(Template)]
#[template(path = "visits/form.html")]
pub(crate) struct VisitFormPage {
    page: Page,
    input: VisitInput,
    errors: FormErrors,
    mothers: Vec<Mother>,
    families: Vec<Family>,
    topics: Vec<Topic>,
    kinds: [VisitKind; 4],
    services: [Service; 9],
    today: String,
    duplicate: bool,
}

impl VisitFormPage {
    fn topic(&self, t: &Topic) -> String {
        topic_label(&self.page, &self.topics, t.id)
    }

    fn family_label(&self, f: &Family) -> String {
        match f.personal.as_ref().filter(|p| !p.name.is_empty()) {
            Some(p) => format!("{} · {}", f.reference_code, p.name),
            None => f.reference_code.clone(),
        }
    }
}

pub(crate) async fn visit_form(
    state: &AppState,
    access: &Access,
    page: Page,
    input: VisitInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mothers: Vec<Mother> = all_mothers(&mut conn, &access.scope)
        .await?
        .into_iter()
        .filter(|m| {
            matches!(
                m.status,
                MotherStatus::Certified | MotherStatus::Active | MotherStatus::InTraining
            ) || input.mother_id == m.id.to_string()
        })
        .collect();
    // The chosen mother's families only (a bounded list); any other
    // family is given by its reference code.
    let mut families = match input.mother_id.trim().parse::<i64>() {
        Ok(m) => {
            Family::caseload(&mut conn, &access.scope, m, true, access.sees_personal()).await?
        }
        Err(_) => Vec::new(),
    };
    // The family asked for (`?family=`, or the one chosen before) stays chosen.
    if let Some(fid) = input
        .family_id
        .as_deref()
        .and_then(|f| f.trim().parse::<FamilyId>().ok())
        && !families.iter().any(|f| f.id == fid)
    {
        match Family::find(&mut conn, &access.scope, fid, access.sees_personal()).await {
            Ok(f) => families.insert(0, f),
            Err(diesel::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let topics: Vec<Topic> = Topic::for_scope(&mut conn, &access.scope)
        .await?
        .into_iter()
        .filter(|t| t.retired_at.is_none())
        .collect();
    let duplicate = errors.get("confirm_duplicate").is_some();
    Ok(render(
        errors.status(),
        &VisitFormPage {
            page: page.with_nav("visits"),
            input,
            errors,
            mothers,
            families,
            topics,
            kinds: VisitKind::ALL,
            services: Service::ALL,
            today: state.clock().today().to_string(),
            duplicate,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewVisitQuery {
    mother: Option<String>,
    family: Option<String>,
}

pub async fn new_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    session: Session,
    Query(q): Query<NewVisitQuery>,
) -> AppResult<Response> {
    let last: Option<i64> = session.get(LAST_MOTHER).await.ok().flatten();
    let input = VisitInput {
        mother_id: q.mother.or(last.map(|m| m.to_string())).unwrap_or_default(),
        family_id: q.family,
        visited_on: state.clock().today().to_string(),
        duration_minutes: "60".into(),
        kind: VisitKind::HomeVisit.to_string(),
        ..Default::default()
    };
    visit_form(&state, &access, page, input, FormErrors::default()).await
}

pub async fn create_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    session: Session,
    Form(input): Form<VisitInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::visit::create(&mut conn, &access, &input, state.clock().today()).await;
    drop(conn);
    match result {
        Ok(v) => {
            let mother = v.mother_id;
            let _ = session.insert(LAST_MOTHER, mother).await;
            if input.then.as_deref() == Some("another") {
                Ok(flash::redirect(
                    &format!("/visits/new?mother={mother}"),
                    "flash-visit-saved-another",
                    "",
                ))
            } else {
                Ok(flash::redirect("/visits", "flash-visit-saved", ""))
            }
        }
        Err(AppError::Validation(e)) => {
            visit_form(&state, &access, page, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}
