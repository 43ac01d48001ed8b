//! Training: curriculum, courses, modules, enrolment, attendance, completion.
//! `model` (rows and queries), `input` (what a form or a JSON body brings,
//! turned into validated data), `ops` (the use cases, with their rules,
//! locks and audit rows), `html` and `api` (thin).

pub mod api;
pub mod html;
pub mod input;
pub mod model;
pub mod ops;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    Routes::new()
        .get("/courses", P::ReadTraining, h::list)
        .post("/courses", P::ManageTraining, h::create)
        .get("/courses/new", P::ManageTraining, h::new_form)
        .get("/courses/{id}", P::ReadTraining, h::show)
        .post("/courses/{id}", P::ManageTraining, h::update)
        .get("/courses/{id}/edit", P::ManageTraining, h::edit_form)
        .post("/courses/{id}/modules", P::ManageTraining, h::create_module)
        .post("/courses/{id}/enrolments", P::ManageTraining, h::enrol)
        .post("/modules/{id}", P::ManageTraining, h::update_module)
        .get("/modules/{id}/edit", P::ManageTraining, h::edit_module_form)
        .post("/modules/{id}/delete", P::ManageTraining, h::delete_module)
        .get("/modules/{id}/attendance", P::ReadTraining, h::attendance)
        .post(
            "/modules/{id}/attendance",
            P::ManageTraining,
            h::save_attendance,
        )
        .post("/enrolments/{id}/complete", P::ManageTraining, h::complete)
        .post("/enrolments/{id}/drop-out", P::ManageTraining, h::drop_out)
        .post("/enrolments/{id}/reopen", P::ManageTraining, h::reopen)
        .get(
            "/programmes/{id}/curriculum",
            P::ReadTraining,
            h::curriculum,
        )
        .post(
            "/programmes/{id}/curriculum/topics",
            P::ManageCurriculum,
            h::create_topic,
        )
        .post(
            "/programmes/{id}/curriculum/modules",
            P::ManageCurriculum,
            h::create_template_module,
        )
        .post(
            "/curriculum/modules/{id}/delete",
            P::ManageCurriculum,
            h::delete_template_module,
        )
        .api(P::ReadTraining, routes!(api::list_courses))
        .api(P::ManageTraining, routes!(api::create_course))
        .api(P::ReadTraining, routes!(api::get_course))
        .api(P::ManageTraining, routes!(api::update_course))
        .api(P::ManageTraining, routes!(api::patch_course))
        .api(P::ReadTraining, routes!(api::list_modules))
        .api(P::ManageTraining, routes!(api::create_module))
        .api(P::ManageTraining, routes!(api::update_module))
        .api(P::ManageTraining, routes!(api::patch_module))
        .api(P::ManageTraining, routes!(api::delete_module))
        .api(P::ReadTraining, routes!(api::list_enrolments))
        .api(P::ManageTraining, routes!(api::create_enrolment))
        .api(P::ReadTraining, routes!(api::get_attendance))
        .api(P::ManageTraining, routes!(api::put_attendance))
        .api(P::ManageTraining, routes!(api::complete))
        .api(P::ManageTraining, routes!(api::complete_many))
        .api(P::ManageTraining, routes!(api::drop_out))
        .api(P::ManageTraining, routes!(api::reopen))
        .api(P::ReadTraining, routes!(api::list_topics))
        .api(P::ManageCurriculum, routes!(api::create_topic))
        .api(P::ReadTraining, routes!(api::list_template))
        .api(P::ManageCurriculum, routes!(api::create_template_module))
        .api(P::ManageCurriculum, routes!(api::delete_template_module))
}
