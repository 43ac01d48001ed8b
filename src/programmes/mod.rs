//! Programmes (one local project each) and their districts: `model` (rows
//! and queries), `input` (what a form or a JSON body brings, turned into
//! validated data), `ops` (the use cases), `html` and `api` (thin).

pub mod api;
pub mod html;
pub mod input;
pub mod model;
pub mod ops;
pub mod profile;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    Routes::new()
        .get("/programmes", P::ReadProgrammes, h::list)
        .post("/programmes", P::CreateProgramme, h::create)
        .get("/programmes/new", P::CreateProgramme, h::new_form)
        .get("/programmes/{id}", P::ReadProgrammes, h::show)
        .post("/programmes/{id}", P::EditProgramme, h::update)
        .get("/programmes/{id}/edit", P::EditProgramme, h::edit_form)
        .get("/programmes/{id}/profile", P::ReadProgrammes, profile::form)
        .post(
            "/programmes/{id}/profile",
            P::EditProgramme,
            profile::save_form,
        )
        .api(P::ReadProgrammes, routes!(profile::get_texts))
        .api(P::EditProgramme, routes!(profile::put_texts))
        .post("/programmes/{id}/archive", P::EditProgramme, h::archive)
        .post("/programmes/{id}/restore", P::EditProgramme, h::restore)
        .post("/programmes/{id}/delete", P::DeleteProgramme, h::delete)
        .get(
            "/programmes/{id}/worker-words",
            P::EditProgramme,
            h::worker_words_form,
        )
        .post(
            "/programmes/{id}/worker-words",
            P::EditProgramme,
            h::set_worker_words,
        )
        .post(
            "/programmes/{id}/districts",
            P::EditProgramme,
            h::create_district,
        )
        .get(
            "/districts/{id}/edit",
            P::EditProgramme,
            h::edit_district_form,
        )
        .post("/districts/{id}", P::EditProgramme, h::update_district)
        .post(
            "/districts/{id}/archive",
            P::EditProgramme,
            h::archive_district,
        )
        .post(
            "/districts/{id}/restore",
            P::EditProgramme,
            h::restore_district,
        )
        .api(P::ReadProgrammes, routes!(api::list))
        .api(P::CreateProgramme, routes!(api::create))
        .api(P::ReadProgrammes, routes!(api::get))
        .api(P::EditProgramme, routes!(api::update))
        .api(P::EditProgramme, routes!(api::patch_programme))
        .api(P::DeleteProgramme, routes!(api::delete))
        .api(P::ReadProgrammes, routes!(api::worker_words))
        .api(P::EditProgramme, routes!(api::set_worker_words))
        .api(P::EditProgramme, routes!(api::archive))
        .api(P::EditProgramme, routes!(api::restore))
        .api(P::ReadProgrammes, routes!(api::list_districts))
        .api(P::EditProgramme, routes!(api::create_district))
        .api(P::ReadProgrammes, routes!(api::get_district))
        .api(P::EditProgramme, routes!(api::update_district))
        .api(P::EditProgramme, routes!(api::patch_district))
        .api(P::EditProgramme, routes!(api::archive_district))
        .api(P::EditProgramme, routes!(api::restore_district))
}
