//! Events: group activities (workshops, information sessions, excursions)
//! with their participants and the mothers involved. `model` (rows and
//! queries), `input`, `ops` (the use case), `html` and `api` (thin).

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
        .get("/events", P::ReadProgrammes, h::events)
        .get("/events/new", P::EditFamilies, h::new_event)
        .post("/events", P::EditFamilies, h::create_event)
        .get("/events/{id}/edit", P::EditFamilies, h::edit_event)
        .post("/events/{id}", P::EditFamilies, h::update_event)
        .post("/events/{id}/delete", P::EditFamilies, h::delete_event)
        .api(P::ReadProgrammes, routes!(api::list_events))
        .api(P::EditFamilies, routes!(api::create_event))
        .api(P::ReadProgrammes, routes!(api::get_event))
        .api(P::EditFamilies, routes!(api::patch_event))
        .api(P::EditFamilies, routes!(api::delete_event))
}
