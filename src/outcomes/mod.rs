//! Outcomes: questionnaires a programme defines (items on a 1-5 scale or
//! multiple choice, in every language), given before and after the work
//! (a mother's at the intake and the evaluation of her training, a
//! family's at the first and the tenth visit), answered by the trainer,
//! the coordinator or the mother herself in her app. The Danish goals
//! ship ready-made (`dk_goals.json`). The report's figures are in
//! `reports::outcomes`. `model` (rows), `input` (checks), `ops` (the use
//! cases), `api` and `html` (thin).

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
        .get(
            "/programmes/{id}/questionnaires",
            P::ReadTraining,
            h::list_page,
        )
        .post(
            "/programmes/{id}/questionnaires",
            P::ManageCurriculum,
            h::create,
        )
        .get("/questionnaires/{id}", P::ReadTraining, h::show_page)
        .post(
            "/questionnaires/{id}/retire",
            P::ManageCurriculum,
            h::retire,
        )
        .post(
            "/questionnaires/{id}/restore",
            P::ManageCurriculum,
            h::restore,
        )
        .post(
            "/questionnaires/{id}/responses",
            P::RecordOutcomes,
            h::answer,
        )
        .api(P::ReadTraining, routes!(api::list_questionnaires))
        .api(P::ManageCurriculum, routes!(api::create_questionnaire))
        .api(P::ReadTraining, routes!(api::get_questionnaire))
        .api(P::ManageCurriculum, routes!(api::patch_questionnaire))
        .api(P::ManageCurriculum, routes!(api::delete_questionnaire))
        .api(P::RecordOutcomes, routes!(api::list_responses))
        .api(P::RecordOutcomes, routes!(api::answer))
}
