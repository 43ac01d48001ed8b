//! Read models that cross domains (a mother's profile, a family's page; later the
//! dashboards and the visit form's choices). They sit above the domains
//! they read, so that no domain imports another one above it.

pub mod family;
pub mod home;
pub mod mother_profile;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    Routes::new()
        .get("/", P::SignedIn, home::home)
        .get("/families/{id}", P::ReadFamilies, family::show_family)
        .post(
            "/families/{id}/close",
            P::EditFamilies,
            family::close_family,
        )
        .get("/mothers/{id}", P::ReadMothers, mother_profile::show)
        .post(
            "/mothers/{id}/status",
            P::EditMothers,
            mother_profile::change_status_form,
        )
        .api(P::ReadMothers, routes!(mother_profile::get))
        .api(P::EditMothers, routes!(mother_profile::change_status))
}
