//! A mother's home page (`/my`), made for a 360-px phone: log a contact
//! with one tap, this month's count, her families with their last visit,
//! her next steps and open referrals, her courses.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::families::model::Family;
use crate::ids::MotherId;
use crate::mothers::model::Mother;
use crate::state::AppState;
use crate::training::model::MotherCourse;
use crate::visits::model::{ReferralFilter, ReferralItem, ReferralStatus, Visit};
use crate::web::{Page, render};

/// The mother record of a mother's account (404 for anyone else: these
/// pages are hers alone).
pub fn her(access: &Access) -> AppResult<MotherId> {
    access.mother_id.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "my/home.html")]
struct HomePage {
    page: Page,
    mother: Mother,
    this_month: i64,
    families: Vec<Family>,
    /// Per family, the next step of her latest visit (the next visit's aim).
    family_steps: Vec<(crate::ids::FamilyId, String)>,
    next_steps: Vec<(NaiveDate, Option<String>, String)>,
    /// Her latest contacts.
    recent: Vec<(NaiveDate, Option<String>, crate::visits::model::VisitKind)>,
    referrals: Vec<ReferralItem>,
    /// Her programme's visit plan, and each family's visits.
    plan: crate::visits::plan::VisitPlan,
    made: Vec<(crate::ids::FamilyId, i64)>,
    /// Her programme's visit topics, to name the next planned ones.
    topics: Vec<crate::visits::model::Topic>,
    /// Her programme's services, to name her referrals.
    services: Vec<crate::visits::model::Topic>,
    courses: Vec<MotherCourse>,
}

/// "3 of 8 modules": how much of a course she attended.
pub fn attended(c: &MotherCourse) -> crate::error::Msg {
    crate::error::Msg::new("my-attended")
        .arg("attended", c.summary.attended)
        .arg("modules", c.summary.modules)
}

impl HomePage {
    fn service(&self, code: &str) -> String {
        crate::visits::html::service_label(&self.page, &self.services, code)
    }

    fn attended(&self, c: &MotherCourse) -> crate::error::Msg {
        attended(c)
    }

    /// Where a family stands in the visit plan ("Visit plan: visit 4 of
    /// 10"), if her programme has one.
    fn plan_for(&self, f: &Family) -> Option<String> {
        let made = self
            .made
            .iter()
            .find(|(id, _)| *id == f.id)
            .map_or(0, |(_, n)| *n);
        let p = self.plan.progress(made)?;
        let mut text = self.page.msg(&p.msg());
        if let Some(next) = p.next {
            let names: Vec<String> = next
                .topic_ids
                .iter()
                .map(|t| {
                    crate::visits::html::topic_label(
                        &self.page,
                        &self.topics,
                        crate::ids::TopicId(*t),
                    )
                })
                .collect();
            let topics = names.join(self.page.list_sep());
            text = format!("{text} · {}", self.page.t1("plan-next", "topics", topics));
        }
        Some(text)
    }

    /// The next step she noted for a family, if any.
    fn next_for(&self, f: &Family) -> Option<&str> {
        self.family_steps
            .iter()
            .find(|(id, _)| *id == f.id)
            .map(|(_, s)| s.as_str())
    }
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let id = her(&access)?;
    let today = state.clock().today();
    let month_start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let mut conn = state.db().await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let this_month = Visit::count_for_mother_since(&mut conn, id, month_start).await?;
    let families = Family::caseload(&mut conn, &access.scope, id.0, true, true).await?;
    let next_steps = Visit::next_steps_of(&mut conn, id, 5).await?;
    let family_steps = Visit::next_step_by_family(&mut conn, id).await?;
    let recent = Visit::recent_of(&mut conn, id, 10).await?;
    let filter = ReferralFilter {
        status: Some(ReferralStatus::Open),
        service: None,
        mother_id: Some(id),
        district_id: None,
        programme_id: None,
        ..ReferralFilter::default()
    };
    let (referrals, _) =
        crate::visits::model::Referral::worklist(&mut conn, &access.scope, &filter).await?;
    let courses = crate::training::model::Enrolment::for_mother(&mut conn, id).await?;
    let plan = crate::visits::plan::VisitPlan::of(&mut conn, mother.programme_id).await?;
    let ids: Vec<crate::ids::FamilyId> = families.iter().map(|f| f.id).collect();
    let made = crate::visits::plan::visits_by_family(&mut conn, &ids).await?;
    let topics = crate::visits::model::Topic::for_programme(&mut conn, mother.programme_id).await?;
    let services = crate::visits::model::Topic::of_list(
        &mut conn,
        crate::visits::model::ListKind::Service,
        mother.programme_id,
    )
    .await?;
    Ok(render(
        StatusCode::OK,
        &HomePage {
            page: page.with_nav("my"),
            mother,
            this_month,
            families,
            family_steps,
            next_steps,
            recent,
            referrals,
            plan,
            made,
            topics,
            services,
            courses,
        },
    ))
}
