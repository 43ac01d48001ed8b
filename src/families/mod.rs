//! Families: the pseudonymous households the mothers visit, their personal
//! fields (for those who may see them), reference codes, the paged list and
//! follow-up list, closing. `model` (rows and queries), `list` (the paged
//! list's query), `input`, `ops` (the use cases), `html` and `api` (thin).
//! A family's page with its visits is `views::family`.

pub mod api;
pub mod html;
pub mod input;
pub mod list;
pub mod model;
pub mod ops;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    Routes::new()
        .get("/families", P::ReadFamilies, h::list_families)
        .post("/families", P::EditFamilies, h::create_family)
        .get("/families/new", P::EditFamilies, h::new_family)
        .post("/families/{id}", P::EditFamilies, h::update_family)
        .get("/families/{id}/edit", P::EditFamilies, h::edit_family)
        .api(P::ReadFamilies, routes!(api::list_families))
        .api(P::EditFamilies, routes!(api::create_family))
        .api(P::ReadFamilies, routes!(api::get_family))
        .api(P::EditFamilies, routes!(api::update_family))
        .api(P::EditFamilies, routes!(api::patch_family))
        .api(P::EditFamilies, routes!(api::close_family))
}

/// Logs that the caller read these families' personal details (those
/// shown with them; nothing for roles that do not see them).
pub fn log_reads<'a>(
    state: &crate::state::AppState,
    access: &crate::authz::Access,
    families: impl IntoIterator<Item = &'a model::Family>,
    fields: &'static [&'static str],
    channel: crate::audit::access::Channel,
) {
    for f in families {
        if f.personal.is_some() {
            state.log_read(
                access.actor,
                f.programme_id,
                crate::audit::access::Subject::Family,
                f.id.0,
                fields,
                channel,
            );
        }
    }
}
