//! The questionnaires' pages: a programme's questionnaires (the
//! ready-made one taken with one button, an own one typed line by line in
//! the reader's language; the API takes every language and goals), one
//! questionnaire with its items and the form to enter a person's answers.
//! Thin: every write goes through `ops`.

use askama::Template;
use axum::extract::State;
use axum::response::Response as HttpResponse;

use super::input::{ItemInput, QuestionnaireInput, ResponseInput};
use super::model::{
    ChoiceOption, Item, ItemKind, Point, Questionnaire, Response, Subject, Texts, people, text_in,
};
use super::ops;
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{ProgrammeId, QuestionnaireId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

/// Texts in the reader's language (for the templates).
pub struct Lang(pub String);

impl Lang {
    pub fn of(page: &Page) -> Lang {
        Lang(page.tr.lang())
    }

    pub fn t<'a>(&self, texts: &'a Texts) -> &'a str {
        text_in(texts, &self.0)
    }
}

#[derive(Template)]
#[template(path = "outcomes/list.html")]
struct ListPage {
    page: Page,
    lang: Lang,
    programme: Programme,
    questionnaires: Vec<Questionnaire>,
    form: NewForm,
    errors: FormErrors,
}

impl ListPage {
    const SUBJECTS: [Subject; 2] = Subject::ALL;

    /// Whether the ready-made questionnaire is in use already.
    fn has_ready_made(&self) -> bool {
        self.questionnaires
            .iter()
            .any(|q| !q.retired && q.template.as_deref() == Some("dk-goals"))
    }
}

/// An own questionnaire as typed: a title, whom it asks, and its items
/// one per line (`question` for a 1-5 scale, `question | option | option`
/// for a choice); or `template` for the ready-made one.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct NewForm {
    template: String,
    title: String,
    subject: String,
    items: String,
}

impl NewForm {
    fn input(&self, lang: &str) -> QuestionnaireInput {
        if !self.template.trim().is_empty() {
            return QuestionnaireInput {
                template: Some(self.template.trim().to_owned()),
                ..Default::default()
            };
        }
        let one = |t: &str| Texts::from([(lang.to_owned(), t.trim().to_owned())]);
        let items = self
            .items
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut parts = l.split('|');
                let text = parts.next().unwrap_or("");
                let options: Vec<ChoiceOption> = parts
                    .filter(|o| !o.trim().is_empty())
                    .map(|o| ChoiceOption {
                        key: String::new(),
                        text: one(o),
                    })
                    .collect();
                let kind = if options.is_empty() {
                    ItemKind::Scale
                } else {
                    ItemKind::Choice
                };
                ItemInput {
                    kind: kind.to_string(),
                    text: one(text),
                    options,
                    ..Default::default()
                }
            })
            .collect();
        QuestionnaireInput {
            title: one(&self.title),
            subject: self.subject.clone(),
            items,
            ..Default::default()
        }
    }
}

async fn show_list(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    form: NewForm,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let questionnaires = Questionnaire::of_programme(&mut conn, id).await?;
    Ok(render(
        errors.status(),
        &ListPage {
            lang: Lang::of(&page),
            page: page.with_nav("programmes"),
            programme,
            questionnaires,
            form,
            errors,
        },
    ))
}

pub async fn list_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<HttpResponse> {
    show_list(
        &state,
        &access,
        page,
        id,
        NewForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(form): Form<NewForm>,
) -> AppResult<HttpResponse> {
    let input = form.input(&page.tr.lang());
    let mut conn = state.db().await?;
    let result = ops::create(&mut conn, &access, id, input).await;
    drop(conn);
    let lang = page.tr.lang();
    respond(
        result,
        |q| {
            flash::redirect(
                &format!("/questionnaires/{}", q.id),
                "flash-questionnaire-created",
                q.title_in(&lang),
            )
        },
        async |errors| show_list(&state, &access, page, id, form, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "outcomes/show.html")]
struct ShowPage {
    page: Page,
    lang: Lang,
    q: Questionnaire,
    /// Whether the reader enters answers (and sees who answered).
    answers: bool,
    people: Vec<(i64, String)>,
    responses: Vec<Response>,
    typed: AnswerForm,
    errors: FormErrors,
}

impl ShowPage {
    fn person(&self, r: &Response) -> &str {
        let id = r.mother_id.or(r.family_id).unwrap_or_default();
        self.people
            .iter()
            .find(|(p, _)| *p == id)
            .map_or("–", |(_, n)| n.as_str())
    }

    fn points(&self) -> [Point; 2] {
        self.q.subject.points()
    }

    fn typed_answer(&self, item: &Item) -> &str {
        self.typed.answer(&item.key)
    }
}

/// The answer form's fields: `person`, `point`, `answered_on`, and
/// `a_<item key>` per item.
#[derive(Debug, Default, Clone)]
pub struct AnswerForm {
    pub person: String,
    pub point: String,
    pub answered_on: String,
    pub answers: Vec<(String, String)>,
}

impl AnswerForm {
    pub fn read(fields: &[(String, String)]) -> AnswerForm {
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        AnswerForm {
            person: get("person"),
            point: get("point"),
            answered_on: get("answered_on"),
            answers: fields
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("a_")?.to_owned(), v.clone())))
                .collect(),
        }
    }

    pub fn answer(&self, key: &str) -> &str {
        self.answers
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn input(&self, subject: Subject) -> ResponseInput {
        let person = Some(self.person.clone());
        ResponseInput {
            point: self.point.clone(),
            mother_id: (subject == Subject::Mother)
                .then(|| person.clone())
                .flatten(),
            family_id: (subject == Subject::Family).then_some(person).flatten(),
            answered_on: self.answered_on.clone(),
            answers: self
                .answers
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        }
    }
}

async fn show(
    state: &AppState,
    access: &Access,
    page: Page,
    id: QuestionnaireId,
    typed: Option<AnswerForm>,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let q = Questionnaire::find(&mut conn, &access.scope, id).await?;
    let answers = ops::may_answer(access, q.subject) && access.mother_id.is_none();
    let (people, responses) = if answers {
        let people = people(&mut conn, q.programme_id, q.subject).await?;
        (people, ops::responses_of(&mut conn, access, id).await?.1)
    } else {
        (Vec::new(), Vec::new())
    };
    let typed = typed.unwrap_or_else(|| AnswerForm {
        point: q.subject.points()[0].to_string(),
        answered_on: state.clock().today().to_string(),
        ..Default::default()
    });
    Ok(render(
        errors.status(),
        &ShowPage {
            lang: Lang::of(&page),
            page: page.with_nav("programmes"),
            q,
            answers,
            people,
            responses,
            typed,
            errors,
        },
    ))
}

pub async fn show_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
) -> AppResult<HttpResponse> {
    show(&state, &access, page, id, None, FormErrors::default()).await
}

pub async fn answer(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let typed = AnswerForm::read(&fields);
    let mut conn = state.db().await?;
    let q = Questionnaire::find(&mut conn, &access.scope, id).await?;
    let result = ops::answer(&mut conn, &access, id, &typed.input(q.subject)).await;
    drop(conn);
    respond(
        result,
        |(r, _)| {
            flash::redirect(
                &format!("/questionnaires/{id}"),
                "flash-answers-saved",
                &r.answers.len().to_string(),
            )
        },
        async |errors| show(&state, &access, page, id, Some(typed), errors).await,
    )
    .await
}

async fn set_retired(
    state: &AppState,
    access: &Access,
    page: &Page,
    id: QuestionnaireId,
    retired: bool,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let q = Questionnaire::find(&mut conn, &access.scope, id).await?;
    let mut input = QuestionnaireInput::of(&q);
    input.retired = retired;
    ops::update(&mut conn, access, id, &input).await?;
    let key = if retired {
        "flash-questionnaire-retired"
    } else {
        "flash-questionnaire-restored"
    };
    Ok(flash::redirect(
        &format!("/programmes/{}/questionnaires", q.programme_id),
        key,
        q.title_in(&page.tr.lang()),
    ))
}

pub async fn retire(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
) -> AppResult<HttpResponse> {
    set_retired(&state, &access, &page, id, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<QuestionnaireId>,
) -> AppResult<HttpResponse> {
    set_retired(&state, &access, &page, id, false).await
}
