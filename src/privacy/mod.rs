//! Privacy: the rights of the families and mothers. Who read a person's
//! details (`access`, reading the log `audit::access` writes), everything
//! held about a person (`export`), erasure that keeps published figures and
//! the withdrawal of consent (`erase`), the retention clock (`retention`)
//! and each programme's record of processing (`record`). It reads every
//! domain that holds personal data, hence its place above them.

pub mod access;
pub mod api;
pub mod erase;
pub mod export;
pub mod html;
pub mod record;
pub mod retention;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    use html as h;
    Routes::new()
        .get("/access-log", P::ReadAudit, h::access_log)
        .get(
            "/families/{id}/access-log",
            P::ReadAudit,
            h::family_access_log,
        )
        .get(
            "/mothers/{id}/access-log",
            P::ReadAudit,
            h::mother_access_log,
        )
        .get("/families/{id}/export", P::SeePersonal, h::family_export)
        .get("/mothers/{id}/export", P::EditMothers, h::mother_export)
        .get("/families/{id}/privacy", P::EditFamilies, h::family_privacy)
        .post("/families/{id}/erase", P::EditFamilies, h::erase_family)
        .post(
            "/families/{id}/consent/withdraw",
            P::EditFamilies,
            h::withdraw_consent,
        )
        .get("/mothers/{id}/privacy", P::EraseMothers, h::mother_privacy)
        .post("/mothers/{id}/erase", P::EraseMothers, h::erase_mother)
        .get("/retention", P::ReadAudit, h::retention)
        .get(
            "/programmes/{id}/record-of-processing",
            P::ReadProgrammes,
            record::page,
        )
        .api(P::ReadAudit, routes!(api::list))
        .api(P::ReadAudit, routes!(api::family_log))
        .api(P::ReadAudit, routes!(api::mother_log))
        .api(P::SeePersonal, routes!(api::family_export))
        .api(P::EditMothers, routes!(api::mother_export))
        .api(P::EditFamilies, routes!(api::erase_family))
        .api(P::EraseMothers, routes!(api::erase_mother))
        .api(P::EditFamilies, routes!(api::withdraw_consent))
        .api(P::ReadAudit, routes!(api::retention_due))
}
