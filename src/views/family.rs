//! A family's page: the family with its visits (newest first) and the form
//! to close it. It reads families, mothers and visits, hence a view.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::audit;
use crate::audit::access::{self, Channel};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::families::{self, input::CloseInput, model::Family};
use crate::ids::{FamilyId, MotherId, TopicId};
use crate::mothers::model::Mother;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::visits::html::topic_label;
use crate::visits::model::{Topic, Visit, VisitFilter};
use crate::visits::plan::{VisitPlan, visits_by_family};
use crate::web::extract::{Form, Path};
use crate::web::history::{HistoryLine, described};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "families/show.html")]
struct FamilyPage {
    page: Page,
    family: Family,
    programme: Programme,
    district: Option<String>,
    primary_mother: Option<String>,
    /// The mother a new visit starts with: the primary mother, if she may
    /// visit.
    visit_mother: Option<MotherId>,
    visits: Vec<Visit>,
    /// How many visits (managers see this instead of the timeline).
    visit_count: i64,
    topics: Vec<Topic>,
    /// The services of its programme(s), to name referrals.
    services: Vec<Topic>,
    /// Its programme's visit plan, and the family's visits (not voided).
    plan: VisitPlan,
    made: i64,
    close: CloseInput,
    errors: FormErrors,
    /// The family's change history, for those who see personal details.
    changes: Vec<HistoryLine>,
}

impl FamilyPage {
    fn topic(&self, id: &TopicId) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    /// "Visit 4 of 10" and the next planned visit's topics (none: the
    /// plan is complete).
    fn progress(&self) -> Option<(String, Option<String>)> {
        let p = self.plan.progress(self.made)?;
        let next = p.next.map(|v| {
            let names: Vec<String> = v
                .topic_ids
                .iter()
                .map(|t| topic_label(&self.page, &self.topics, TopicId(*t)))
                .collect();
            let mut s = names.join(self.page.list_sep());
            if !v.note.is_empty() {
                s = format!("{s} ({})", v.note);
            }
            s
        });
        Some((self.page.msg(&p.msg()), next))
    }

    fn service(&self, code: &str) -> String {
        crate::visits::html::service_label(&self.page, &self.services, code)
    }
}

async fn family_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: FamilyId,
    close: CloseInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let family = Family::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    families::log_reads(
        state,
        access,
        [&family],
        access::FAMILY_FIELDS_NOTES,
        Channel::Page,
    );
    let programme = Programme::find(&mut conn, &access.scope, family.programme_id).await?;
    let district = match family.district_id {
        Some(d) => Some(District::find(&mut conn, &access.scope, d).await?.name),
        None => None,
    };
    let (primary_mother, visit_mother) = match family.primary_mother_id {
        Some(m) => {
            let m = Mother::find(&mut conn, &access.scope, m).await?;
            let may = m.status.may_visit(programme.practice_visits_allowed);
            (Some(m.full_name), may.then_some(m.id))
        }
        None => (None, None),
    };
    let filter = VisitFilter {
        family_id: Some(id),
        page: 1,
        with_voided: access.sees_personal(),
        ..Default::default()
    };
    // Managers see a family as its code and counts (need to know).
    let (visits, visit_count) = if access.role.can(crate::authz::Permission::ReadVisits) {
        Visit::list(&mut conn, &access.scope, &filter, access.sees_personal()).await?
    } else {
        (
            Vec::new(),
            Visit::count(&mut conn, &access.scope, &filter).await?,
        )
    };
    let topics = Topic::for_programme(&mut conn, family.programme_id).await?;
    let plan = VisitPlan::of(&mut conn, family.programme_id).await?;
    let made = visits_by_family(&mut conn, &[id])
        .await?
        .first()
        .map_or(0, |(_, n)| *n);
    let services = Topic::of_list(
        &mut conn,
        crate::visits::model::ListKind::Service,
        family.programme_id,
    )
    .await?;
    let changes = if access.sees_personal() {
        {
            let entries = audit::history(&mut conn, &[("family", &[id.0])]).await?;
            described(&mut conn, &page, &entries).await?
        }
    } else {
        Vec::new()
    };
    Ok(render(
        errors.status(),
        &FamilyPage {
            page: page.with_nav("families"),
            family,
            programme,
            district,
            primary_mother,
            visit_mother,
            visits,
            visit_count,
            topics,
            services,
            plan,
            made,
            close,
            errors,
            changes,
        },
    ))
}

pub async fn show_family(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<FamilyId>,
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
    Path(id): Path<FamilyId>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = match families::ops::close(&mut conn, &access, id, &input).await {
        Err(AppError::Conflict(_)) => {
            return Ok(flash::redirect(
                &format!("/families/{id}"),
                "flash-family-already-closed",
                "",
            ));
        }
        other => other,
    };
    drop(conn);
    respond(
        result,
        |f| {
            flash::redirect(
                &format!("/families/{id}"),
                "flash-family-closed",
                &f.reference_code,
            )
        },
        async |errors| family_page(&state, &access, page, id, input, errors).await,
    )
    .await
}
