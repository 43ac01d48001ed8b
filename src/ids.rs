//! One newtype per table id, so that ids of different tables cannot be
//! mixed up. (More tables move here as the restructuring goes on.)

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

/// A programme's id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, DieselNewType, Serialize, Deserialize,
)]
pub struct ProgrammeId(pub i64);

/// A district's id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, DieselNewType, Serialize, Deserialize,
)]
pub struct DistrictId(pub i64);

impl std::fmt::Display for ProgrammeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for DistrictId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
