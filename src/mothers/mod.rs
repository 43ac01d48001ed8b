//! Mothers: the trained (or training) outreach workers of a programme. Her
//! profile page and status change are in `views::mother_profile`.

pub mod api;
pub mod form;
pub mod handlers;
pub mod model;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use handlers as h;
    Routes::new()
        .get("/mothers", P::ReadMothers, h::list)
        .post("/mothers", P::EditMothers, h::create)
        .get("/mothers/new", P::EditMothers, h::new_form)
        .post("/mothers/{id}", P::EditMothers, h::update)
        .get("/mothers/{id}/edit", P::EditMothers, h::edit_form)
        .api(P::ReadMothers, routes!(api::list))
        .api(P::EditMothers, routes!(api::create))
        .api(P::EditMothers, routes!(api::update))
}
