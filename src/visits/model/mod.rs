//! Visits with their topics and referrals, and the topic taxonomy. Queries
//! are scoped to the caller's programmes; visit notes are read only for
//! roles that may see them; every change writes an audit row. One file per
//! part: `topic`, `visit`, `referral`, `review` (visits a mother entered
//! herself, and what her own pages read).

mod referral;
mod review;
mod topic;
mod visit;
mod write;

pub use referral::*;
pub use review::*;
pub use topic::*;
pub use visit::*;

pub(crate) use crate::ids::{
    DistrictId, FamilyId, MotherId, ProgrammeId, ReferralId, TopicId, UserId, VisitId,
};
