//! HTML pages: the visit form and list, families with their timeline,
//! the referral worklist, the follow-up list, topics and events.
//! One file per part: `visit` (the form), `visit_list`, `family`, `referral`, `topic`, `event`.

mod plan;
mod referral;
mod topic;
mod visit;
mod visit_list;
mod visit_page;

pub use plan::*;
pub use referral::*;
pub use topic::*;
pub use visit::*;
pub use visit_list::*;
pub use visit_page::*;

use super::model::{ListKind, Topic, entry_of};
use crate::authz::ProgrammeScope;
use crate::error::AppResult;
use crate::ids::TopicId;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::web::Page;

/// Session key: the mother of the last visit logged, the form's default.
pub(crate) const LAST_MOTHER: &str = "last_mother";

/// A topic's label: the translation of a default, or a programme's own label.
pub fn topic_label(page: &Page, topics: &[Topic], id: TopicId) -> String {
    match topics.iter().find(|t| t.id == id) {
        Some(Topic { key: Some(k), .. }) => page.label("vtopic", k),
        Some(t) => t.label.clone(),
        None => String::new(),
    }
}

/// An entry of `list` by the code a record stores: the translation of a
/// default, a programme's own label (from `entries`, the list as read).
pub fn code_label(page: &Page, list: ListKind, entries: &[Topic], code: &str) -> String {
    match entry_of(entries, code) {
        Some(t) => entry_label(page, t),
        None => page.label(list.label_prefix(), code),
    }
}

/// A referral's service by its code (see [`code_label`]).
pub fn service_label(page: &Page, services: &[Topic], code: &str) -> String {
    code_label(page, ListKind::Service, services, code)
}

/// The services of the caller's programmes (retired too: past referrals
/// name them), for the pages that show referrals.
pub(crate) async fn all_services(
    conn: &mut diesel_async::AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<Vec<Topic>> {
    Ok(Topic::of_list_in(conn, ListKind::Service, scope).await?)
}

/// Every mother the caller may see (for the forms' choices).
pub(crate) async fn all_mothers(
    conn: &mut diesel_async::AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<Vec<Mother>> {
    Ok(Mother::all(conn, scope, MotherFilter::default()).await?)
}

pub(crate) async fn all_districts(
    conn: &mut diesel_async::AsyncPgConnection,
    scope: &ProgrammeScope,
) -> AppResult<Vec<District>> {
    let mut out = Vec::new();
    for p in Programme::list(conn, scope, false).await? {
        out.extend(District::list(conn, scope, p.id, false).await?);
    }
    Ok(out)
}
