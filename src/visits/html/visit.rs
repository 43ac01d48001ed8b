//! The visit form and the visit list.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::families::model::Family;
use crate::ids::{DistrictId, FamilyId, ProgrammeId, VisitId};
use crate::mothers::model::{Mother, MotherStatus};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::visits::input::VisitInput;
use crate::visits::model::{Topic, VisitKind};
use crate::visits::ops;
use crate::web::extract::{Form, Query};
use crate::web::input::opt;
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
    /// The services offered (not retired).
    services: Vec<Topic>,
    today: String,
    duplicate: bool,
    /// The visit being corrected (`None`: a new visit).
    editing: Option<VisitId>,
    districts: Vec<District>,
    /// The caller's programmes, by id, when there is more than one.
    programmes: Vec<(ProgrammeId, String)>,
    /// The search the family list shows the results of (the box is
    /// emptied: text in it means a search not yet run).
    searched: Option<String>,
    /// Search results found (the list may also hold the family chosen before).
    found: usize,
}

impl VisitFormPage {
    fn topic(&self, t: &Topic) -> String {
        topic_label(&self.page, &self.topics, t.id)
    }

    fn service(&self, t: &Topic) -> String {
        entry_label(&self.page, t)
    }

    fn district(&self, id: Option<DistrictId>) -> Option<&str> {
        let id = id?;
        self.districts
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.as_str())
    }

    /// Code, district and (for coordinators) name.
    fn family_label(&self, f: &Family) -> String {
        let mut parts = vec![f.reference_code.clone()];
        parts.extend(self.district(f.district_id).map(str::to_owned));
        if let Some(p) = f.personal.as_ref().filter(|p| !p.name.is_empty()) {
            parts.push(p.name.clone());
        }
        parts.join(" · ")
    }

    /// Name, district and, where the caller has several, programme: two
    /// mothers of the same name are told apart.
    fn mother_label(&self, m: &Mother) -> String {
        match self.programmes.iter().find(|(id, _)| *id == m.programme_id) {
            Some((_, programme)) => format!("{} · {programme}", m.label(&self.districts)),
            None => m.label(&self.districts),
        }
    }

    fn title_key(&self) -> &'static str {
        if self.editing.is_some() {
            "visit-correct"
        } else {
            "visit-new"
        }
    }

    fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/visits/{id}"),
            None => "/visits".into(),
        }
    }

    fn family_list_label(&self) -> String {
        match &self.searched {
            Some(_) => self.page.t("visit-family-found"),
            None => self.page.t("visit-family-caseload"),
        }
    }

    /// "3 families match “warsa”", or that none does.
    fn search_result(&self) -> Option<String> {
        let q = self.searched.as_ref()?;
        Some(
            self.page.msg(
                &crate::error::Msg::new("visit-family-search-result")
                    .arg("count", self.found)
                    .arg("query", q),
            ),
        )
    }

    fn search_label_key(&self) -> &'static str {
        if self.page.may_see_personal() {
            "field-family-search-name"
        } else {
            "field-family-search"
        }
    }
}

pub(crate) async fn visit_form(
    state: &AppState,
    access: &Access,
    page: Page,
    input: VisitInput,
    errors: FormErrors,
    editing: Option<VisitId>,
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
    // The chosen mother's families only (a bounded list), or those of her
    // programme that match the search; any other family is given by its
    // reference code.
    let chosen = mothers
        .iter()
        .find(|m| input.mother_id.trim() == m.id.to_string());
    let search = input
        .family_search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned);
    let mut input = input;
    input.family_search = None;
    let personal = access.sees_personal();
    let (mut families, searched) = match (chosen, search) {
        (Some(m), Some(q)) => (
            Family::search(&mut conn, &access.scope, m.programme_id, &q, personal).await?,
            Some(q),
        ),
        (Some(m), None) => (
            Family::caseload(&mut conn, &access.scope, m.id.0, true, personal).await?,
            None,
        ),
        (None, _) => (Vec::new(), None),
    };
    let found = families.len();
    // One match, nothing chosen yet: it is the one.
    if let ([only], true, false) = (
        families.as_slice(),
        searched.is_some() && opt(&input.family_id).is_none(),
        input.is_anonymous(),
    ) {
        input.family_id = Some(only.id.to_string());
    }
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
        // Retired ones stay offered where the visit has them (a correction).
        .filter(|t| t.retired_at.is_none() || input.has_topic(&t.id))
        .collect();
    let services: Vec<Topic> = all_services(&mut conn, &access.scope)
        .await?
        .into_iter()
        .filter(|s| s.is_usable() || input.has_referral(&s.code()))
        .collect();
    let duplicate = errors.get("confirm_duplicate").is_some();
    let districts = all_districts(&mut conn, &access.scope).await?;
    let all: Vec<(ProgrammeId, String)> = Programme::list(&mut conn, &access.scope, false)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let programmes = if all.len() > 1 { all } else { Vec::new() };
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
            services,
            today: state.clock().today().to_string(),
            duplicate,
            editing,
            districts,
            programmes,
            searched,
            found,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewVisitQuery {
    mother: Option<String>,
    family: Option<String>,
    /// The family search, as the form's search button sends it (a link
    /// or a bookmark may carry it too).
    family_search: Option<String>,
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
        family_search: q.family_search,
        visited_on: state.clock().today().to_string(),
        duration_minutes: "60".into(),
        kind: VisitKind::HomeVisit.to_string(),
        ..Default::default()
    };
    visit_form(&state, &access, page, input, FormErrors::default(), None).await
}

pub async fn create_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    session: Session,
    Form(input): Form<VisitInput>,
) -> AppResult<Response> {
    if input.wants_search() {
        return visit_form(&state, &access, page, input, FormErrors::default(), None).await;
    }
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
            visit_form(&state, &access, page, input, FormErrors(e), None).await
        }
        Err(e) => Err(e),
    }
}
