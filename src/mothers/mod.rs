//! Mothers: the trained (or training) outreach workers of a programme:
//! `model` (rows and queries), `input` (what a form, a JSON body or a
//! list's query brings, turned into validated data), `ops` (the use cases),
//! `html` and `api` (thin). Her profile page, which reads other domains,
//! is in `views::mother_profile`, over `ops::change_status` for her status.

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
        .get("/mothers", P::ReadMothers, h::list)
        .post("/mothers", P::EditMothers, h::create)
        .get("/mothers/new", P::EditMothers, h::new_form)
        .post("/mothers/{id}", P::EditMothers, h::update)
        .get("/mothers/{id}/edit", P::EditMothers, h::edit_form)
        .api(P::ReadMothers, routes!(api::list))
        .api(P::EditMothers, routes!(api::create))
        .api(P::EditMothers, routes!(api::update))
        .api(P::EditMothers, routes!(api::patch_mother))
}

/// Logs that the caller read these mothers' personal details.
pub fn log_reads<'a>(
    state: &crate::state::AppState,
    access: &crate::authz::Access,
    mothers: impl IntoIterator<Item = &'a model::Mother>,
    fields: &'static [&'static str],
    channel: crate::audit::access::Channel,
) {
    for m in mothers {
        state.log_read(
            access.actor,
            m.programme_id,
            crate::audit::access::Subject::Mother,
            m.id.0,
            fields,
            channel,
        );
    }
}
