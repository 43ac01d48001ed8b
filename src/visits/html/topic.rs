//! Topics: the programme's own, renamed, retired.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::visits::input::LabelInput;
use crate::visits::model::Topic;
use crate::visits::ops;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "visits/topics.html")]
pub(crate) struct TopicsPage {
    page: Page,
    programme: Programme,
    topics: Vec<Topic>,
    /// The new topic's form.
    input: LabelInput,
    errors: FormErrors,
    /// A refused rename: the topic, the label as typed and why.
    rename: Option<(TopicId, LabelInput, FormErrors)>,
}

impl TopicsPage {
    /// Whether the new topic or a rename was refused.
    fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.rename.as_ref().is_some_and(|(_, _, e)| !e.is_empty())
    }

    fn topic(&self, t: &Topic) -> String {
        topic_label(&self.page, &self.topics, t.id)
    }

    /// The label in a topic's rename field: as typed when it was refused.
    fn rename_value<'a>(&'a self, t: &'a Topic) -> &'a str {
        match &self.rename {
            Some((id, input, _)) if *id == t.id => &input.label,
            _ => &t.label,
        }
    }

    /// Why renaming this topic was refused, if it was.
    fn rename_error(&self, t: &Topic) -> Option<&crate::error::Msg> {
        match &self.rename {
            Some((id, _, errors)) if *id == t.id => errors.get("label"),
            _ => None,
        }
    }
}

pub(crate) async fn topics_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    input: LabelInput,
    errors: FormErrors,
) -> AppResult<Response> {
    topics_page_with(state, access, page, id, input, errors, None).await
}

pub(crate) async fn topics_page_with(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ProgrammeId,
    input: LabelInput,
    errors: FormErrors,
    rename: Option<(TopicId, LabelInput, FormErrors)>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let topics = Topic::for_programme(&mut conn, id).await?;
    let status = match &rename {
        Some((_, _, e)) => e.status(),
        None => errors.status(),
    };
    Ok(render(
        status,
        &TopicsPage {
            page: page.with_nav("programmes"),
            programme,
            topics,
            input,
            errors,
            rename,
        },
    ))
}

pub async fn topics(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    topics_page(
        &state,
        &access,
        page,
        id,
        LabelInput::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create_topic(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(input): Form<LabelInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::topic::create(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |t| {
            flash::redirect(
                &format!("/programmes/{id}/topics"),
                "flash-topic-created",
                &t.label,
            )
        },
        async |errors| topics_page(&state, &access, page, id, input, errors).await,
    )
    .await
}

pub async fn rename_topic(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<TopicId>,
    Form(input): Form<LabelInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let topic = ops::topic::own(&mut conn, &access.scope, id, false).await?;
    let programme_id = topic.programme_id.unwrap_or(ProgrammeId(0));
    let result = ops::topic::rename(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |t| {
            flash::redirect(
                &format!("/programmes/{programme_id}/topics"),
                "flash-topic-renamed",
                &t.label,
            )
        },
        // The page again, the label as typed and the message beside it.
        async |errors| {
            let rename = Some((id, input, errors));
            let (new, none) = (LabelInput::default(), FormErrors::default());
            topics_page_with(&state, &access, page, programme_id, new, none, rename).await
        },
    )
    .await
}

pub(crate) async fn set_retired(
    state: &AppState,
    access: &Access,
    id: TopicId,
    retired: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    let t = ops::topic::set_retired(&mut conn, access, id, retired, now).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/topics", t.programme_id.map_or(0, i64::from)),
        if retired {
            "flash-topic-retired"
        } else {
            "flash-topic-restored"
        },
        &t.label,
    ))
}

pub async fn retire_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Response> {
    set_retired(&state, &access, id, true).await
}

pub async fn restore_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Response> {
    set_retired(&state, &access, id, false).await
}
