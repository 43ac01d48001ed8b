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

pub const CONTACT_ORIGINS: [&str; 5] = [
    "own_network",
    "authority",
    "school_daycare",
    "event",
    "other",
];
pub const VISIT_KINDS: [&str; 4] = ["home_visit", "phone", "accompaniment", "group_meeting"];
pub const SERVICES: [&str; 9] = [
    "youth_welfare",
    "school",
    "day_care",
    "health",
    "job_centre",
    "housing",
    "legal_advice",
    "language_course",
    "other",
];
pub const EVENT_KINDS: [&str; 4] = ["event", "workshop", "information_session", "excursion"];
