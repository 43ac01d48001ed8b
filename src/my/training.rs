//! Her training (`/my/training`): each of her courses with its modules,
//! their days and hours, and her attendance (present, absent, excused, or
//! not taken yet).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::home::her;
use crate::authz::Access;
use crate::error::AppResult;
use crate::state::AppState;
use crate::training::model::{Attendance, AttendanceStatus, Enrolment, Module, MotherCourse};
use crate::web::{Page, render};

/// One of her courses, with its modules and her attendance at each.
pub struct CourseLines {
    pub course: MotherCourse,
    pub modules: Vec<(Module, Option<AttendanceStatus>)>,
}

#[derive(Template)]
#[template(path = "my/training.html")]
struct TrainingPage {
    page: Page,
    courses: Vec<CourseLines>,
}

impl TrainingPage {
    fn attended(&self, c: &MotherCourse) -> crate::error::Msg {
        super::home::attended(c)
    }
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let id = her(&access)?;
    let mut conn = state.db().await?;
    let mut courses = Vec::new();
    for course in Enrolment::for_mother(&mut conn, id).await? {
        let enrolment = &course.summary.enrolment;
        let taken = Attendance::of_enrolment(&mut conn, enrolment.id).await?;
        let modules = Module::for_course(&mut conn, enrolment.course_id)
            .await?
            .into_iter()
            .map(|m| {
                let status = taken.iter().find(|(id, _)| *id == m.id).map(|(_, s)| *s);
                (m, status)
            })
            .collect();
        courses.push(CourseLines { course, modules });
    }
    Ok(render(
        StatusCode::OK,
        &TrainingPage {
            page: page.with_nav("my-training"),
            courses,
        },
    ))
}
