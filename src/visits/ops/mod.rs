//! The use cases of visits, topics and referrals, for the pages and the API
//! alike: each runs in one transaction with its locks, rules and audit
//! rows. One file per part: `visit`, `topic`, `referral`.

pub mod batch;
pub mod correct;
pub mod referral;
pub mod topic;
pub mod visit;
