//! Funding: funders, grants, expenses and allowances. Managers and admins
//! only; coordinators and trainers do not see funding. `model` (rows and
//! queries), `input` (what a form or a JSON body brings, turned into
//! validated data), `ops` (the use cases), `html` and `api` (thin).

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
        .get("/funding", P::ReadFunding, h::overview)
        .post("/funders", P::EditFunding, h::create_funder)
        .post("/grants", P::EditFunding, h::create_grant)
        .get("/grants/new", P::EditFunding, h::new_grant)
        .get("/grants/{id}", P::ReadFunding, h::show_grant)
        .post("/grants/{id}", P::EditFunding, h::update_grant)
        .get("/grants/{id}/edit", P::EditFunding, h::edit_grant)
        .get("/expenses", P::ReadFunding, h::expenses)
        .post("/expenses", P::EditFunding, h::create_expense)
        .post("/expenses/{id}", P::EditFunding, h::update_expense)
        .get("/expenses/{id}/edit", P::EditFunding, h::edit_expense)
        .get("/allowances", P::ReadFunding, h::allowances)
        .post("/allowances", P::EditFunding, h::create_run)
        .get("/allowances/{id}/{month}", P::ReadFunding, h::show_run)
        .post("/allowances/{id}/{month}", P::EditFunding, h::save_run)
        .api(P::ReadFunding, routes!(api::list_funders))
        .api(P::EditFunding, routes!(api::create_funder))
        .api(P::ReadFunding, routes!(api::get_funder))
        .api(P::EditFunding, routes!(api::update_funder))
        .api(P::EditFunding, routes!(api::patch_funder))
        .api(P::ReadFunding, routes!(api::list_grants))
        .api(P::EditFunding, routes!(api::create_grant))
        .api(P::ReadFunding, routes!(api::get_grant))
        .api(P::EditFunding, routes!(api::update_grant))
        .api(P::EditFunding, routes!(api::patch_grant))
        .api(P::ReadFunding, routes!(api::list_expenses))
        .api(P::EditFunding, routes!(api::create_expense))
        .api(P::ReadFunding, routes!(api::get_expense))
        .api(P::EditFunding, routes!(api::update_expense))
        .api(P::EditFunding, routes!(api::patch_expense))
        .api(P::EditFunding, routes!(api::create_run))
        .api(P::ReadFunding, routes!(api::get_run))
        .api(P::EditFunding, routes!(api::confirm_run))
}
