//! The attendance grid.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::ModuleId;
use crate::state::AppState;
use crate::training::input::AttendanceInput;
use crate::training::model::{Attendance, AttendanceRow, AttendanceStatus, Course, Module};
use crate::training::ops;
use crate::web::extract::{Form, Path};
use crate::web::{Page, flash, render, respond};

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
    Path(id): Path<ModuleId>,
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
    Path(id): Path<ModuleId>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let input = AttendanceInput::from_form(&form);
    let mut conn = state.db().await?;
    let result = ops::save_attendance(&mut conn, &access, id, &input).await;
    respond(
        result,
        |(module, course)| {
            flash::redirect(
                &format!("/courses/{}", course.id),
                "flash-attendance-saved",
                &module.title,
            )
        },
        async |errors| {
            let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
            let rows = Attendance::grid(&mut conn, &module).await?;
            let error = errors.0.iter().next().map(|(_, m)| m.clone());
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
        },
    )
    .await
}
