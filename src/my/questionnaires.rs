//! Her questionnaires (`/my/questionnaires`): the ones her programme
//! gives to mothers, which she may answer herself at the start and the end
//! of her training, in her own language. Her answers go through the same
//! use case as the trainer's (`outcomes::ops::answer`), for her alone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::home::her;
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::QuestionnaireId;
use crate::mothers::model::Mother;
use crate::outcomes::html::{AnswerForm, Lang};
use crate::outcomes::model::{Item, ItemKind, Point, Questionnaire, Response as Answers, Subject};
use crate::outcomes::ops;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "my/questionnaires.html")]
struct ListPage {
    page: Page,
    lang: Lang,
    /// Each questionnaire with the points she answered.
    questionnaires: Vec<(Questionnaire, Vec<Point>)>,
}

/// Her programme's questionnaires for mothers, in use.
async fn hers(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
) -> AppResult<Vec<Questionnaire>> {
    let me = Mother::find(conn, &access.scope, her(access)?).await?;
    Ok(Questionnaire::of_programme(conn, me.programme_id)
        .await?
        .into_iter()
        .filter(|q| q.subject == Subject::Mother && !q.retired)
        .collect())
}

/// Her own answers to `q`.
async fn her_answers(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    q: QuestionnaireId,
) -> AppResult<Vec<Answers>> {
    let me = her(access)?.0;
    Ok(Answers::of(conn, q, crate::outcomes::model::Whose::Mother(me)).await?)
}

pub async fn list(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mut questionnaires = Vec::new();
    for q in hers(&mut conn, &access).await? {
        let done = her_answers(&mut conn, &access, q.id)
            .await?
            .iter()
            .map(|r| r.point)
            .collect();
        questionnaires.push((q, done));
    }
    Ok(render(
        axum::http::StatusCode::OK,
        &ListPage {
            lang: Lang::of(&page),
            page: page.with_nav("my-training"),
            questionnaires,
        },
    ))
}

#[derive(Template)]
#[template(path = "my/questionnaire.html")]
struct FormPage {
    page: Page,
    lang: Lang,
    q: Questionnaire,
    /// The point she answers: one at a time.
    point: Point,
    /// When she answered at this point before, if she did.
    earlier: Option<chrono::NaiveDate>,
    typed: AnswerForm,
    errors: FormErrors,
}

impl FormPage {
    fn other_point(&self) -> Point {
        match self.point {
            Point::Intake => Point::Evaluation,
            _ => Point::Intake,
        }
    }

    fn typed_answer(&self, item: &Item) -> &str {
        self.typed.answer(&item.key)
    }
}

/// The point asked for (`?point=`), else the first she has not answered
/// (the intake, then the evaluation), else the evaluation.
fn point_of(asked: Option<&str>, given: &[Answers]) -> Point {
    let answered = |p: Point| given.iter().any(|r| r.point == p);
    match asked.and_then(Point::parse) {
        Some(p @ (Point::Intake | Point::Evaluation)) => p,
        _ if !answered(Point::Intake) => Point::Intake,
        _ => Point::Evaluation,
    }
}

async fn show(
    state: &AppState,
    access: &Access,
    page: Page,
    id: QuestionnaireId,
    asked: Option<&str>,
    typed: Option<AnswerForm>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let q = hers(&mut conn, access)
        .await?
        .into_iter()
        .find(|q| q.id == id)
        .ok_or(AppError::NotFound)?;
    let given = her_answers(&mut conn, access, id).await?;
    let point = point_of(typed.as_ref().map(|t| t.point.as_str()).or(asked), &given);
    // Her answers at that point, if she gave them: she changes them.
    let earlier = given.iter().find(|r| r.point == point).cloned();
    let typed = typed.unwrap_or_else(|| AnswerForm {
        person: String::new(),
        point: point.to_string(),
        answered_on: earlier
            .as_ref()
            .map_or(state.clock().today(), |r| r.answered_on)
            .to_string(),
        answers: earlier
            .as_ref()
            .map(|r| {
                r.answers
                    .iter()
                    .map(|(k, a)| {
                        let v = serde_json::to_value(a).unwrap_or_default();
                        (k.clone(), v.as_str().map_or(v.to_string(), str::to_owned))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    });
    Ok(render(
        errors.status(),
        &FormPage {
            lang: Lang::of(&page),
            page: page.with_nav("my-training"),
            q,
            point,
            earlier: earlier.map(|r| r.answered_on),
            typed,
            errors,
        },
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PointQuery {
    point: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
    crate::web::extract::Query(q): crate::web::extract::Query<PointQuery>,
) -> AppResult<Response> {
    let none = FormErrors::default();
    show(&state, &access, page, id, q.point.as_deref(), None, none).await
}

pub async fn save(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let typed = AnswerForm::read(&fields);
    let mut conn = state.db().await?;
    // Only her programme's questionnaires for mothers.
    if !hers(&mut conn, &access).await?.iter().any(|q| q.id == id) {
        return Err(AppError::NotFound);
    }
    let result = ops::answer(&mut conn, &access, id, &typed.input(Subject::Mother)).await;
    drop(conn);
    respond(
        result,
        |(r, _)| {
            flash::redirect(
                "/my/questionnaires",
                "flash-my-answers-saved",
                &r.answers.len().to_string(),
            )
        },
        async |errors| show(&state, &access, page, id, None, Some(typed), errors).await,
    )
    .await
}
