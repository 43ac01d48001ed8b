//! The attendance grid.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::training::model::{Attendance, AttendanceRow, AttendanceStatus, Course, Module};
use crate::web::extract::{Form, Path};
use crate::web::{Page, flash, render};

#[derive(Template)]
#[template(path = "training/attendance.html")]
pub(crate) struct AttendancePage {
    page: Page,
    course: Course,
    module: Module,
    rows: Vec<AttendanceRow>,
    statuses: [AttendanceStatus; 3],
    error: Option<crate::error::Msg>,
}

impl AttendancePage {
    fn checked(&self, row: &AttendanceRow, status: &AttendanceStatus) -> bool {
        row.status == Some(*status)
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
    let rows = Attendance::grid(&mut conn, &module).await?;
    Ok(render(
        StatusCode::OK,
        &AttendancePage {
            page: page.with_nav("courses"),
            course,
            module,
            rows,
            statuses: AttendanceStatus::ALL,
            error: None,
        },
    ))
}

/// The grid posts `a<enrolment id>=present|absent|excused` for each mother.
pub async fn save_attendance(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let mut entries = Vec::new();
    for (k, v) in &form {
        if let Some(e) = k.strip_prefix('a').and_then(|e| e.parse::<i64>().ok()) {
            entries.push((e, v.clone()));
        }
    }
    entries.sort();
    let mut conn = state.db().await?;
    let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
    match Attendance::save(&mut conn, access.actor, &access.scope, id, &entries).await {
        Ok(_) => Ok(flash::redirect(
            &format!("/courses/{}", course.id),
            "flash-attendance-saved",
            &module.title,
        )),
        Err(AppError::Validation(e)) => {
            let rows = Attendance::grid(&mut conn, &module).await?;
            let error = e.iter().next().map(|(_, m)| m.clone());
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AttendancePage {
                    page: page.with_nav("courses"),
                    course,
                    module,
                    rows,
                    statuses: AttendanceStatus::ALL,
                    error,
                },
            ))
        }
        Err(e) => Err(e),
    }
}
