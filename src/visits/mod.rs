//! Visits with their topics and referrals, and the topic taxonomy: the
//! coordinator's daily work. `model` (rows and queries), `input`, `ops`
//! (the use cases: `visit`, `topic`, `referral`), `html` and `api` (thin).
//! Families and events are domains of their own.

pub mod api;
pub mod html;
pub mod input;
pub mod lists_api;
pub mod model;
pub mod ops;
pub mod plan;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    use lists_api as l;
    Routes::new()
        .get("/visits", P::ReadVisits, h::list_visits)
        .post("/visits", P::EditFamilies, h::create_visit)
        .get("/visits/new", P::EditFamilies, h::new_visit)
        .get("/visits/{id}", P::ReadVisits, h::show_visit)
        .post("/visits/{id}", P::EditFamilies, h::update_visit)
        .get("/visits/{id}/edit", P::EditFamilies, h::edit_visit)
        .post("/visits/{id}/void", P::EditFamilies, h::void_visit)
        .post("/visits/{id}/restore", P::EditFamilies, h::restore_visit)
        .post("/visits/{id}/review", P::EditFamilies, h::review_visit)
        .get("/referrals", P::ReadVisits, h::referrals)
        .post("/referrals/{id}/done", P::EditFamilies, h::referral_done)
        .post("/referrals/{id}", P::EditFamilies, h::referral_outcome)
        .get("/programmes/{id}/topics", P::ReadProgrammes, h::topics)
        .post("/programmes/{id}/topics", P::ManageTopics, h::create_topic)
        .post("/topics/{id}", P::ManageTopics, h::rename_topic)
        .post("/topics/{id}/retire", P::ManageTopics, h::retire_topic)
        .post("/topics/{id}/restore", P::ManageTopics, h::restore_topic)
        .get(
            "/programmes/{id}/visit-plan",
            P::ReadProgrammes,
            h::plan_page,
        )
        .post("/programmes/{id}/visit-plan", P::ManageTopics, h::save_plan)
        .get("/programmes/{id}/services", P::ReadProgrammes, h::services)
        .post(
            "/programmes/{id}/services",
            P::ManageTopics,
            h::create_service,
        )
        .post("/services/{id}", P::ManageTopics, h::rename_service)
        .post("/services/{id}/retire", P::ManageTopics, h::retire_service)
        .post(
            "/services/{id}/restore",
            P::ManageTopics,
            h::restore_service,
        )
        .get(
            "/programmes/{id}/event-kinds",
            P::ReadProgrammes,
            h::event_kinds,
        )
        .post(
            "/programmes/{id}/event-kinds",
            P::ManageTopics,
            h::create_event_kind,
        )
        .post("/event-kinds/{id}", P::ManageTopics, h::rename_event_kind)
        .post(
            "/event-kinds/{id}/retire",
            P::ManageTopics,
            h::retire_event_kind,
        )
        .post(
            "/event-kinds/{id}/restore",
            P::ManageTopics,
            h::restore_event_kind,
        )
        .api(P::ReadVisits, routes!(api::list_visits))
        .api(P::EditFamilies, routes!(api::create_visit))
        .api(P::ReadVisits, routes!(api::get_visit))
        .api(P::EditFamilies, routes!(api::patch_visit))
        .api(P::EditFamilies, routes!(api::void_visit))
        .api(P::EditFamilies, routes!(api::restore_visit))
        .api(P::EditFamilies, routes!(api::review_visit))
        .api(P::ReadVisits, routes!(api::list_referrals))
        .api(P::EditFamilies, routes!(api::patch_referral))
        .api(P::EditFamilies, routes!(api::referral_done))
        .api(P::ReadProgrammes, routes!(plan::get_plan))
        .api(P::ManageTopics, routes!(plan::put_plan))
        .api(P::ReadProgrammes, routes!(l::list_topics))
        .api(P::ManageTopics, routes!(l::create_topic))
        .api(P::ManageTopics, routes!(l::rename_topic))
        .api(P::ManageTopics, routes!(l::patch_topic))
        .api(P::ManageTopics, routes!(l::retire_topic))
        .api(P::ManageTopics, routes!(l::restore_topic))
        .api(P::ReadProgrammes, routes!(l::list_services))
        .api(P::ManageTopics, routes!(l::create_service))
        .api(P::ManageTopics, routes!(l::patch_service))
        .api(P::ManageTopics, routes!(l::retire_service))
        .api(P::ManageTopics, routes!(l::restore_service))
        .api(P::ReadProgrammes, routes!(l::list_event_kinds))
        .api(P::ManageTopics, routes!(l::create_event_kind))
        .api(P::ManageTopics, routes!(l::patch_event_kind))
        .api(P::ManageTopics, routes!(l::retire_event_kind))
        .api(P::ManageTopics, routes!(l::restore_event_kind))
}

/// Logs that the caller read the notes of these visits (those shown with
/// their notes, to a family): a read of the family's details.
pub fn log_note_reads<'a>(
    state: &crate::state::AppState,
    access: &crate::authz::Access,
    visits: impl IntoIterator<Item = &'a model::Visit>,
    channel: crate::audit::access::Channel,
) {
    for v in visits {
        if let (Some(f), Some(note)) = (v.family_id, &v.note)
            && (!note.is_empty() || !v.next_step.is_empty())
        {
            state.log_read(
                access.actor,
                v.programme_id,
                crate::audit::access::Subject::Family,
                f.0,
                crate::audit::access::VISIT_NOTES,
                channel,
            );
        }
    }
}
