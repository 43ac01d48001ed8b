//! The visit plan's page: the planned visits in order, and for managers a
//! form with each visit's topics and note, a visit added or the last one
//! removed (the whole plan saved at once, through the same use case as
//! `PUT /api/v1/programmes/{id}/visit-plan`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::visits::model::Topic;
use crate::visits::plan::{self, PlannedVisit, VisitPlan};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::topic_label;

#[derive(Template)]
#[template(path = "visits/plan.html")]
struct PlanPage {
    page: Page,
    programme: Programme,
    /// The plan as saved, or as typed when it was refused.
    plan: VisitPlan,
    /// The topics a visit may plan (not retired).
    topics: Vec<Topic>,
    errors: FormErrors,
}

impl PlanPage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, TopicId(*id))
    }

    fn planned(&self, v: &PlannedVisit, t: &Topic) -> bool {
        v.topic_ids.contains(&t.id.0)
    }
}

async fn show(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    typed: Option<VisitPlan>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let plan = match typed {
        Some(p) => p,
        None => VisitPlan::of(&mut conn, id).await?,
    };
    // Retired topics stay shown where the plan has them.
    let topics = Topic::for_programme(&mut conn, id)
        .await?
        .into_iter()
        .filter(|t| t.is_usable() || plan.visits.iter().any(|v| v.topic_ids.contains(&t.id.0)))
        .collect();
    Ok(render(
        errors.status(),
        &PlanPage {
            page: page.with_nav("programmes"),
            programme,
            plan,
            topics,
            errors,
        },
    ))
}

pub async fn plan_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    show(&state, &access, page, id, None, FormErrors::default()).await
}

/// The form's fields: `topics_N` (each ticked topic) and `note_N` per
/// visit N, `visits` (how many), and `add` or `remove` for the buttons.
fn read(fields: &[(String, String)]) -> (VisitPlan, Option<&str>) {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let count: usize = value("visits")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(plan::MAX_VISITS);
    let visits = (1..=count)
        .map(|n| PlannedVisit {
            number: n as i32,
            topic_ids: fields
                .iter()
                .filter(|(k, _)| *k == format!("topics_{n}"))
                .filter_map(|(_, v)| v.trim().parse().ok())
                .collect(),
            note: value(&format!("note_{n}")).unwrap_or("").to_owned(),
        })
        .collect();
    let action = value("add")
        .map(|_| "add")
        .or(value("remove").map(|_| "remove"));
    (VisitPlan { visits }, action)
}

pub async fn save_plan(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (mut typed, action) = read(&fields);
    // Adding or removing a visit only changes the form; saving saves it.
    if let Some(action) = action {
        if action == "add" && typed.visits.len() < plan::MAX_VISITS {
            typed.visits.push(PlannedVisit {
                number: typed.visits.len() as i32 + 1,
                topic_ids: Vec::new(),
                note: String::new(),
            });
        } else if action == "remove" {
            typed.visits.pop();
        }
        let none = FormErrors::default();
        return show(&state, &access, page, id, Some(typed), none).await;
    }
    let mut conn = state.db().await?;
    let result = plan::replace(&mut conn, &access, id, typed.clone()).await;
    drop(conn);
    respond(
        result,
        |p| {
            flash::redirect(
                &format!("/programmes/{id}/visit-plan"),
                "flash-plan-saved",
                &p.visits.len().to_string(),
            )
        },
        async |errors| show(&state, &access, page, id, Some(typed), errors).await,
    )
    .await
}
