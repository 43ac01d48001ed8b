//! A programme's lists (visit topics, referral services, event kinds):
//! its own entries added, renamed, retired. One page and one set of
//! handlers for the three, each list at its own path.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::visits::input::LabelInput;
use crate::visits::model::{ListKind, Topic};
use crate::visits::ops;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

/// Where a list's pages are and the messages they show.
pub(crate) struct ListTexts {
    /// `/programmes/{id}/<path>` lists it, `/<path>/{id}` is an entry.
    pub path: &'static str,
    pub title: &'static str,
    intro: &'static str,
    new: &'static str,
    /// Created, renamed, retired, restored.
    flashes: [&'static str; 4],
}

pub(crate) fn texts(list: ListKind) -> ListTexts {
    match list {
        ListKind::Topic => ListTexts {
            path: "topics",
            title: "topics-title",
            intro: "topics-intro",
            new: "topic-new",
            flashes: [
                "flash-topic-created",
                "flash-topic-renamed",
                "flash-topic-retired",
                "flash-topic-restored",
            ],
        },
        ListKind::Service => ListTexts {
            path: "services",
            title: "services-title",
            intro: "services-intro",
            new: "services-new",
            flashes: [
                "flash-service-created",
                "flash-service-renamed",
                "flash-service-retired",
                "flash-service-restored",
            ],
        },
        ListKind::EventKind => ListTexts {
            path: "event-kinds",
            title: "event-kinds-title",
            intro: "event-kinds-intro",
            new: "event-kinds-new",
            flashes: [
                "flash-event-kind-created",
                "flash-event-kind-renamed",
                "flash-event-kind-retired",
                "flash-event-kind-restored",
            ],
        },
    }
}

/// An entry's name: the translation of a default, or a programme's own label.
pub fn entry_label(page: &Page, t: &Topic) -> String {
    match &t.key {
        Some(k) => page.label(t.list.label_prefix(), k),
        None => t.label.clone(),
    }
}

#[derive(Template)]
#[template(path = "visits/topics.html")]
pub(crate) struct TopicsPage {
    page: Page,
    programme: Programme,
    texts: ListTexts,
    topics: Vec<Topic>,
    /// The new entry's form.
    input: LabelInput,
    errors: FormErrors,
    /// A refused rename: the entry, the label as typed and why.
    rename: Option<(TopicId, LabelInput, FormErrors)>,
}

impl TopicsPage {
    /// Whether the new entry or a rename was refused.
    fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.rename.as_ref().is_some_and(|(_, _, e)| !e.is_empty())
    }

    fn topic(&self, t: &Topic) -> String {
        entry_label(&self.page, t)
    }

    /// The label in an entry's rename field: as typed when it was refused.
    fn rename_value<'a>(&'a self, t: &'a Topic) -> &'a str {
        match &self.rename {
            Some((id, input, _)) if *id == t.id => &input.label,
            _ => &t.label,
        }
    }

    /// Why renaming this entry was refused, if it was.
    fn rename_error(&self, t: &Topic) -> Option<&crate::error::Msg> {
        match &self.rename {
            Some((id, _, errors)) if *id == t.id => errors.get("label"),
            _ => None,
        }
    }
}

/// The list's page (with a refused new entry or rename, if any).
pub(crate) async fn list_page(
    state: &AppState,
    access: &Access,
    page: Page,
    list: ListKind,
    id: ProgrammeId,
    (input, errors): (LabelInput, FormErrors),
    rename: Option<(TopicId, LabelInput, FormErrors)>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let topics = Topic::of_list(&mut conn, list, id).await?;
    let status = match &rename {
        Some((_, _, e)) => e.status(),
        None => errors.status(),
    };
    Ok(render(
        status,
        &TopicsPage {
            page: page.with_nav("programmes"),
            programme,
            texts: texts(list),
            topics,
            input,
            errors,
            rename,
        },
    ))
}

async fn show(
    state: AppState,
    access: Access,
    page: Page,
    list: ListKind,
    id: ProgrammeId,
) -> AppResult<Response> {
    let new = (LabelInput::default(), FormErrors::default());
    list_page(&state, &access, page, list, id, new, None).await
}

async fn create(
    state: AppState,
    access: Access,
    page: Page,
    list: ListKind,
    id: ProgrammeId,
    input: LabelInput,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::topic::create(&mut conn, &access, list, id, &input).await;
    drop(conn);
    let t = texts(list);
    respond(
        result,
        |e| {
            flash::redirect(
                &format!("/programmes/{id}/{}", t.path),
                t.flashes[0],
                &e.label,
            )
        },
        async |errors| list_page(&state, &access, page, list, id, (input, errors), None).await,
    )
    .await
}

async fn rename(
    state: AppState,
    access: Access,
    page: Page,
    list: ListKind,
    id: TopicId,
    input: LabelInput,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let entry = ops::topic::own(&mut conn, &access.scope, list, id, false).await?;
    let programme_id = entry.programme_id.unwrap_or(ProgrammeId(0));
    let result = ops::topic::rename(&mut conn, &access, list, id, &input).await;
    drop(conn);
    let t = texts(list);
    respond(
        result,
        |e| {
            flash::redirect(
                &format!("/programmes/{programme_id}/{}", t.path),
                t.flashes[1],
                &e.label,
            )
        },
        // The page again, the label as typed and the message beside it.
        async |errors| {
            let rename = Some((id, input, errors));
            let new = (LabelInput::default(), FormErrors::default());
            list_page(&state, &access, page, list, programme_id, new, rename).await
        },
    )
    .await
}

async fn set_retired(
    state: AppState,
    access: Access,
    list: ListKind,
    id: TopicId,
    retired: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    let e = ops::topic::set_retired(&mut conn, &access, list, id, retired, now).await?;
    let t = texts(list);
    Ok(flash::redirect(
        &format!(
            "/programmes/{}/{}",
            e.programme_id.map_or(0, i64::from),
            t.path
        ),
        t.flashes[if retired { 2 } else { 3 }],
        &e.label,
    ))
}

/// The five handlers of one list, at its own paths.
macro_rules! list_handlers {
    ($list:expr, $show:ident, $create:ident, $rename:ident, $retire:ident, $restore:ident) => {
        pub async fn $show(
            State(state): State<AppState>,
            access: Access,
            page: Page,
            Path(id): Path<ProgrammeId>,
        ) -> AppResult<Response> {
            show(state, access, page, $list, id).await
        }

        pub async fn $create(
            State(state): State<AppState>,
            access: Access,
            page: Page,
            Path(id): Path<ProgrammeId>,
            Form(input): Form<LabelInput>,
        ) -> AppResult<Response> {
            create(state, access, page, $list, id, input).await
        }

        pub async fn $rename(
            State(state): State<AppState>,
            access: Access,
            page: Page,
            Path(id): Path<TopicId>,
            Form(input): Form<LabelInput>,
        ) -> AppResult<Response> {
            rename(state, access, page, $list, id, input).await
        }

        pub async fn $retire(
            State(state): State<AppState>,
            access: Access,
            Path(id): Path<TopicId>,
        ) -> AppResult<Response> {
            set_retired(state, access, $list, id, true).await
        }

        pub async fn $restore(
            State(state): State<AppState>,
            access: Access,
            Path(id): Path<TopicId>,
        ) -> AppResult<Response> {
            set_retired(state, access, $list, id, false).await
        }
    };
}

list_handlers!(
    ListKind::Topic,
    topics,
    create_topic,
    rename_topic,
    retire_topic,
    restore_topic
);
list_handlers!(
    ListKind::Service,
    services,
    create_service,
    rename_service,
    retire_service,
    restore_service
);
list_handlers!(
    ListKind::EventKind,
    event_kinds,
    create_event_kind,
    rename_event_kind,
    retire_event_kind,
    restore_event_kind
);
