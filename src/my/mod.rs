//! The mothers' own pages: a mother's account (role `mother`, linked to
//! her record) sees her home (`/my`), logs her contacts (`/my/contact`)
//! and nothing else; her coordinator invites her from her profile
//! (`invite`). It reads several domains (mothers, families, visits,
//! training), so it sits with `views`, and writes only through their `ops`.

pub mod contact;
pub mod home;
pub mod invite;
pub mod offline;
pub mod questionnaires;
pub mod training;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of the mothers' pages, each with the permission it needs.
pub fn routes() -> Routes {
    Routes::new()
        .get("/my", P::OwnContacts, home::page)
        .get("/my/contact", P::OwnContacts, contact::form)
        .get("/my/training", P::OwnContacts, training::page)
        .post("/my/contact", P::OwnContacts, contact::save)
        .get("/my/questionnaires", P::OwnContacts, questionnaires::list)
        .get(
            "/my/questionnaires/{id}",
            P::OwnContacts,
            questionnaires::form,
        )
        .post(
            "/my/questionnaires/{id}",
            P::OwnContacts,
            questionnaires::save,
        )
        .post("/mothers/{id}/invite", P::EditMothers, invite::invite_page)
        .post(
            "/mothers/{id}/end-sessions",
            P::EditMothers,
            invite::end_sessions_form,
        )
        .api(P::EditMothers, routes!(invite::api_invite))
        .api(P::OwnContacts, routes!(offline::create))
        .get("/manifest.webmanifest", P::Public, offline::manifest)
        .get("/sw.js", P::Public, offline::service_worker)
        .get("/static/my.js", P::Public, offline::script)
        .get("/static/icon-192.png", P::Public, offline::icon_192)
        .get("/static/icon-512.png", P::Public, offline::icon_512)
}
