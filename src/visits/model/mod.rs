//! Families (pseudonymous), visits with their topics and referrals, the
//! topic taxonomy, and events. Queries are scoped to the caller's
//! programmes; personal fields and visit notes are read only for roles that
//! may see them; every change writes an audit row. One file per part:
//! `family`, `topic`, `visit`, `referral`, `event`.

mod event;
mod family;
mod referral;
mod topic;
mod visit;

pub use event::*;
pub use family::*;
pub use referral::*;
pub use topic::*;
pub use visit::*;

fn strings(v: &[String]) -> Vec<Option<String>> {
    v.iter().cloned().map(Some).collect()
}
