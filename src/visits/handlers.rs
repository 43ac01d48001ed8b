//! HTML pages: the visit form and list, families with their timeline,
//! the referral worklist, the follow-up list, topics and events.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

use super::api::{FamilyQuery, VisitQuery};
use super::families::FAMILIES_PER_PAGE;
use super::form::{CloseInput, DoneInput, EventInput, FamilyInput, LabelInput, VisitInput};
use super::model::{
    CONTACT_ORIGINS, COUNT_LIMIT, EVENT_KINDS, Event, Family, Referral, ReferralItem, SERVICES,
    Topic, VISIT_KINDS, VISITS_PER_PAGE, Visit,
};
use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, pagination, render};

/// Session key: the mother of the last visit logged, the form's default.
const LAST_MOTHER: &str = "last_mother";

/// A topic's label: the translation of a default, or a programme's own label.
pub fn topic_label(page: &Page, topics: &[Topic], id: i64) -> String {
    match topics.iter().find(|t| t.id == id) {
        Some(Topic { key: Some(k), .. }) => page.label("vtopic", k),
        Some(t) => t.label.clone(),
        None => String::new(),
    }
}

/// Every mother the caller may see (for the forms' choices).
async fn all_mothers(
    conn: &mut diesel_async::AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<Vec<Mother>> {
    Ok(Mother::all(conn, scope, MotherFilter::default()).await?)
}

async fn all_districts(
    conn: &mut diesel_async::AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<Vec<District>> {
    let mut out = Vec::new();
    for p in Programme::list(conn, scope, false).await? {
        out.extend(District::list(conn, scope, p.id, false).await?);
    }
    Ok(out)
}

// ------------------------------------------------------------ visit form

#[derive(Template)]
#[template(path = "visits/form.html")]
struct VisitFormPage {
    page: Page,
    input: VisitInput,
    errors: FormErrors,
    mothers: Vec<Mother>,
    families: Vec<Family>,
    topics: Vec<Topic>,
    kinds: [&'static str; 4],
    services: [&'static str; 9],
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

async fn visit_form(
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
            matches!(m.status.as_str(), "certified" | "active" | "in_training")
                || input.mother_id == m.id.to_string()
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
        .and_then(|f| f.trim().parse::<i64>().ok())
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
            kinds: VISIT_KINDS,
            services: SERVICES,
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
        kind: "home_visit".into(),
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
    let result = match input.validate() {
        Ok(data) => {
            let mut conn = state.db().await?;
            Visit::create(
                &mut conn,
                access.actor,
                &access.scope,
                &data,
                false,
                state.clock().today(),
            )
            .await
            .map(|v| (v.id, data.mother_id))
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok((_, mother)) => {
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

// ------------------------------------------------------------ visit list

#[derive(Template)]
#[template(path = "visits/list.html")]
struct VisitListPage {
    page: Page,
    visits: Vec<Visit>,
    total: i64,
    page_no: i64,
    query: VisitQuery,
    mothers: Vec<Mother>,
    districts: Vec<District>,
    topics: Vec<Topic>,
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl VisitListPage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn pages(&self) -> i64 {
        pagination::pages(self.total.min(COUNT_LIMIT), VISITS_PER_PAGE)
    }

    fn capped(&self) -> bool {
        self.total > COUNT_LIMIT
    }

    fn limit(&self) -> i64 {
        COUNT_LIMIT
    }

    fn page_link(&self, n: i64) -> String {
        let q = VisitQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "/visits?{}",
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    fn selected(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub async fn list_visits(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<VisitQuery>,
) -> AppResult<Response> {
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let mut conn = state.db().await?;
    let (visits, total) = match &filter {
        Some(f) => Visit::list(&mut conn, &access.scope, f, access.sees_personal()).await?,
        None => (Vec::new(), 0),
    };
    let mothers = all_mothers(&mut conn, &access.scope).await?;
    let districts = all_districts(&mut conn, &access.scope).await?;
    let topics = Topic::for_scope(&mut conn, &access.scope).await?;
    Ok(render(
        pagination::status(&filter_error),
        &VisitListPage {
            page: page.with_nav("visits"),
            visits,
            total,
            page_no: filter.map_or(1, |f| f.page),
            query,
            mothers,
            districts,
            topics,
            filter_error,
        },
    ))
}

// --------------------------------------------------------------- families

#[derive(Template)]
#[template(path = "visits/families.html")]
struct FamiliesPage {
    page: Page,
    families: Vec<Family>,
    total: i64,
    page_no: i64,
    query: FamilyQuery,
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl FamiliesPage {
    fn pages(&self) -> i64 {
        pagination::pages(self.total, FAMILIES_PER_PAGE)
    }

    fn page_link(&self, n: i64) -> String {
        let q = FamilyQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "/families?{}",
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    /// The follow-up list's number of days, if this is it.
    fn no_visit_days(&self) -> Option<&str> {
        self.query
            .no_visit_days
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
    }
}

pub async fn list_families(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<FamilyQuery>,
) -> AppResult<Response> {
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let mut conn = state.db().await?;
    let (families, total) = match &filter {
        Some(f) => {
            Family::page(
                &mut conn,
                &access.scope,
                f,
                access.sees_personal(),
                state.clock().today(),
            )
            .await?
        }
        None => (Vec::new(), 0),
    };
    Ok(render(
        pagination::status(&filter_error),
        &FamiliesPage {
            page: page.with_nav("families"),
            families,
            total,
            page_no: filter.map_or(1, |f| f.page),
            query,
            filter_error,
        },
    ))
}

#[derive(Template)]
#[template(path = "visits/family_form.html")]
struct FamilyFormPage {
    page: Page,
    family: Option<Family>,
    input: FamilyInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<District>,
    mothers: Vec<Mother>,
    origins: [&'static str; 5],
}

impl FamilyFormPage {
    fn action(&self) -> String {
        match &self.family {
            Some(f) => format!("/families/{}", f.id),
            None => "/families".to_owned(),
        }
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

async fn family_form(
    state: &AppState,
    access: &Access,
    page: Page,
    family: Option<Family>,
    input: FamilyInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mut programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let mut districts = all_districts(&mut conn, &access.scope).await?;
    let mut mothers = all_mothers(&mut conn, &access.scope).await?;
    if let Some(f) = &family {
        programmes.retain(|p| p.id.0 == f.programme_id);
        districts.retain(|d| d.programme_id.0 == f.programme_id);
        mothers.retain(|m| m.programme_id == f.programme_id);
    }
    Ok(render(
        errors.status(),
        &FamilyFormPage {
            page: page.with_nav("families"),
            family,
            input,
            errors,
            programmes,
            districts,
            mothers,
            origins: CONTACT_ORIGINS,
        },
    ))
}

pub async fn new_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = FamilyInput {
        first_contact_on: state.clock().today().to_string(),
        contact_origin: "own_network".into(),
        ..Default::default()
    };
    family_form(&state, &access, page, None, input, FormErrors::default()).await
}

pub async fn create_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<FamilyInput>,
) -> AppResult<Response> {
    let result = match (
        input.programme(),
        input.validate(access.sees_personal(), state.clock().today()),
    ) {
        (None, _) => Err(AppError::field("programme_id", "error-programme-unknown")),
        (_, Err(e)) => Err(AppError::Validation(e)),
        (Some(p), Ok((data, personal))) => {
            let mut conn = state.db().await?;
            Family::create(
                &mut conn,
                access.actor,
                &access.scope,
                p,
                &data,
                personal.as_ref(),
            )
            .await
        }
    };
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{}", f.id),
            "flash-family-created",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let e = FieldErrors::from([("programme_id", "error-programme-unknown")]);
            family_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    drop(conn);
    let input = FamilyInput::from_family(&family);
    family_form(
        &state,
        &access,
        page,
        Some(family),
        input,
        FormErrors::default(),
    )
    .await
}

pub async fn update_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<FamilyInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    let result = match input.validate(access.sees_personal(), state.clock().today()) {
        Ok((data, personal)) => {
            Family::update(
                &mut conn,
                access.actor,
                &access.scope,
                id,
                &data,
                personal.as_ref(),
            )
            .await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-updated",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_form(&state, &access, page, Some(family), input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "visits/family.html")]
struct FamilyPage {
    page: Page,
    family: Family,
    programme: Programme,
    district: Option<String>,
    primary_mother: Option<String>,
    visits: Vec<Visit>,
    topics: Vec<Topic>,
    close: CloseInput,
    errors: FormErrors,
}

impl FamilyPage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, *id)
    }
}

async fn family_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    close: CloseInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    let programme = Programme::find(
        &mut conn,
        &access.scope,
        crate::ids::ProgrammeId(family.programme_id),
    )
    .await?;
    let district = match family.district_id {
        Some(d) => all_districts(&mut conn, &access.scope)
            .await?
            .into_iter()
            .find(|x| x.id.0 == d)
            .map(|x| x.name),
        None => None,
    };
    let primary_mother = match family.primary_mother_id {
        Some(m) => Some(Mother::find(&mut conn, &access.scope, m).await?.full_name),
        None => None,
    };
    let filter = super::model::VisitFilter {
        family_id: Some(id),
        page: 1,
        ..Default::default()
    };
    let (visits, _) =
        Visit::list(&mut conn, &access.scope, &filter, access.sees_personal()).await?;
    let topics = Topic::for_programme(&mut conn, family.programme_id).await?;
    Ok(render(
        errors.status(),
        &FamilyPage {
            page: page.with_nav("families"),
            family,
            programme,
            district,
            primary_mother,
            visits,
            topics,
            close,
            errors,
        },
    ))
}

pub async fn show_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let close = CloseInput {
        closed_on: state.clock().today().to_string(),
        ..Default::default()
    };
    family_page(&state, &access, page, id, close, FormErrors::default()).await
}

pub async fn close_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Family::find(&mut conn, &access.scope, id, false).await?;
    let result = match input.validate() {
        Ok((on, reason)) => {
            Family::close(&mut conn, access.actor, &access.scope, id, on, &reason).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(f) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-closed",
            &f.reference_code,
        )),
        Err(AppError::Validation(e)) => {
            family_page(&state, &access, page, id, input, FormErrors(e)).await
        }
        Err(AppError::Conflict(_)) => Ok(flash::redirect(
            &format!("/families/{id}"),
            "flash-family-already-closed",
            "",
        )),
        Err(e) => Err(e),
    }
}

// -------------------------------------------------------------- referrals

#[derive(Template)]
#[template(path = "visits/referrals.html")]
struct ReferralsPage {
    page: Page,
    referrals: Vec<ReferralItem>,
    today: String,
    /// The referral whose "done" was refused, with the messages.
    failed: Option<i64>,
    errors: FormErrors,
}

impl ReferralsPage {
    /// Why marking this referral done was refused, if it was.
    fn error_for(&self, id: &i64) -> Option<&crate::error::Msg> {
        self.errors
            .get("done_on")
            .filter(|_| self.failed == Some(*id))
    }
}

async fn referrals_page(
    state: &AppState,
    access: &Access,
    page: Page,
    failed: Option<i64>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let referrals = Referral::open(&mut conn, &access.scope).await?;
    Ok(render(
        errors.status(),
        &ReferralsPage {
            page: page.with_nav("referrals"),
            referrals,
            today: state.clock().today().to_string(),
            failed,
            errors,
        },
    ))
}

pub async fn referrals(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    referrals_page(&state, &access, page, None, FormErrors::default()).await
}

pub async fn referral_done(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<DoneInput>,
) -> AppResult<Response> {
    let result = match input.validate(state.clock().today()) {
        Ok(on) => {
            let mut conn = state.db().await?;
            Referral::mark_done(&mut conn, access.actor, &access.scope, id, on).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(_) => Ok(flash::redirect("/referrals", "flash-referral-done", "")),
        Err(AppError::Validation(e)) => {
            referrals_page(&state, &access, page, Some(id), FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

// ----------------------------------------------------------------- topics

#[derive(Template)]
#[template(path = "visits/topics.html")]
struct TopicsPage {
    page: Page,
    programme: Programme,
    topics: Vec<Topic>,
    /// The new topic's form.
    input: LabelInput,
    errors: FormErrors,
    /// A refused rename: the topic, the label as typed and why.
    rename: Option<(i64, LabelInput, FormErrors)>,
}

impl TopicsPage {
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

async fn topics_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    input: LabelInput,
    errors: FormErrors,
) -> AppResult<Response> {
    topics_page_with(state, access, page, id, input, errors, None).await
}

async fn topics_page_with(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    input: LabelInput,
    errors: FormErrors,
    rename: Option<(i64, LabelInput, FormErrors)>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, crate::ids::ProgrammeId(id)).await?;
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
    Path(id): Path<i64>,
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
    Path(id): Path<i64>,
    Form(input): Form<LabelInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, crate::ids::ProgrammeId(id)).await?;
    let result = match input.validate() {
        Ok(label) => Topic::create(&mut conn, access.actor, id, &label).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(t) => Ok(flash::redirect(
            &format!("/programmes/{id}/topics"),
            "flash-topic-created",
            &t.label,
        )),
        Err(AppError::Validation(e)) => {
            topics_page(&state, &access, page, id, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn rename_topic(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<LabelInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let Some(programme_id) = Topic::own(&mut conn, &access.scope, id).await?.programme_id else {
        return Err(AppError::Conflict("error-topic-default"));
    };
    let result = match input.validate() {
        Ok(label) => Topic::rename(&mut conn, access.actor, &access.scope, id, &label).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(t) => Ok(flash::redirect(
            &format!("/programmes/{programme_id}/topics"),
            "flash-topic-renamed",
            &t.label,
        )),
        // The page again, the label as typed and the message beside it.
        Err(AppError::Validation(e)) => {
            let rename = Some((id, input, FormErrors(e)));
            let (new, none) = (LabelInput::default(), FormErrors::default());
            topics_page_with(&state, &access, page, programme_id, new, none, rename).await
        }
        Err(e) => Err(e),
    }
}

async fn set_retired(
    state: &AppState,
    access: &Access,
    id: i64,
    retired: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let t = Topic::set_retired(
        &mut conn,
        access.actor,
        &access.scope,
        id,
        retired,
        state.clock().now(),
    )
    .await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/topics", t.programme_id.unwrap_or(0)),
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
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_retired(&state, &access, id, true).await
}

pub async fn restore_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_retired(&state, &access, id, false).await
}

// ----------------------------------------------------------------- events

#[derive(Template)]
#[template(path = "visits/events.html")]
struct EventsPage {
    page: Page,
    events: Vec<Event>,
    input: EventInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    districts: Vec<District>,
    mothers: Vec<Mother>,
    kinds: [&'static str; 4],
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

async fn events_page(
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
            kinds: EVENT_KINDS,
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
        kind: "event".into(),
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
