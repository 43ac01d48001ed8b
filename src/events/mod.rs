//! Events: group activities (workshops, information sessions, excursions)
//! with their participants and the mothers involved. `model` (rows and
//! queries), `input`, `ops` (the use case), `html` and `api` (thin).

pub mod api;
pub mod html;
pub mod input;
pub mod model;
pub mod ops;
pub mod partnerships;
pub mod register;
pub mod register_api;
pub mod register_html;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    use register_api as r;
    use register_html as rh;
    Routes::new()
        .get("/events", P::ReadProgrammes, h::events)
        .get("/events/new", P::EditFamilies, h::new_event)
        .post("/events", P::EditFamilies, h::create_event)
        .get("/events/{id}/edit", P::EditFamilies, h::edit_event)
        .post("/events/{id}", P::EditFamilies, h::update_event)
        .post("/events/{id}/delete", P::EditFamilies, h::delete_event)
        .get(
            "/programmes/{id}/participants",
            P::ReadFamilies,
            rh::register_page,
        )
        .post(
            "/programmes/{id}/participants",
            P::EditFamilies,
            rh::add_participant,
        )
        .post(
            "/participants/{id}/delete",
            P::EditFamilies,
            rh::delete_participant,
        )
        .post(
            "/programmes/{id}/partnerships",
            P::EditFamilies,
            rh::add_partnership,
        )
        .post(
            "/partnerships/{id}/end",
            P::EditFamilies,
            rh::end_partnership,
        )
        .post(
            "/partnerships/{id}/delete",
            P::EditFamilies,
            rh::delete_partnership,
        )
        .get(
            "/events/{id}/participants",
            P::ReadFamilies,
            rh::attendance_page,
        )
        .post(
            "/events/{id}/participants",
            P::EditFamilies,
            rh::save_attendance,
        )
        .api(P::ReadProgrammes, routes!(api::list_events))
        .api(P::EditFamilies, routes!(api::create_event))
        .api(P::ReadProgrammes, routes!(api::get_event))
        .api(P::EditFamilies, routes!(api::patch_event))
        .api(P::EditFamilies, routes!(api::delete_event))
        .api(P::ReadFamilies, routes!(r::list_participants))
        .api(P::EditFamilies, routes!(r::create_participant))
        .api(P::ReadFamilies, routes!(r::get_participant))
        .api(P::EditFamilies, routes!(r::patch_participant))
        .api(P::EditFamilies, routes!(r::delete_participant))
        .api(P::ReadFamilies, routes!(r::get_attendance))
        .api(P::EditFamilies, routes!(r::put_attendance))
        .api(P::ReadFamilies, routes!(r::list_partnerships))
        .api(P::EditFamilies, routes!(r::create_partnership))
        .api(P::ReadFamilies, routes!(r::get_partnership))
        .api(P::EditFamilies, routes!(r::patch_partnership))
        .api(P::EditFamilies, routes!(r::delete_partnership))
}
