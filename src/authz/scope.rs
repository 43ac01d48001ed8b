//! Which records a caller sees: the programmes they belong to (all, for
//! administrators). A record outside the scope is "not found", never
//! "forbidden", so that its existence is not revealed.

use diesel::QueryResult;

use crate::ids::ProgrammeId;

/// The programmes a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgrammeScope {
    /// Administrators (and, until accounts exist, everyone).
    All,
    /// Staff of these programmes.
    Only(Vec<ProgrammeId>),
}

impl ProgrammeScope {
    /// The programme ids to filter by; `None` for every programme.
    pub fn ids(&self) -> Option<Vec<i64>> {
        match self {
            ProgrammeScope::All => None,
            ProgrammeScope::Only(v) => Some(v.iter().map(|p| p.0).collect()),
        }
    }

    /// `NotFound` unless the programme is in the scope: a record of another
    /// programme is reported as missing, never as forbidden.
    pub fn check(&self, id: ProgrammeId) -> QueryResult<()> {
        if self.allows(id) {
            Ok(())
        } else {
            Err(diesel::NotFound)
        }
    }

    /// `row` if its programme is in the scope, else `NotFound`.
    pub fn visible<T>(&self, id: ProgrammeId, row: T) -> QueryResult<T> {
        self.check(id).map(|()| row)
    }

    pub fn allows(&self, id: ProgrammeId) -> bool {
        match self {
            ProgrammeScope::All => true,
            ProgrammeScope::Only(ids) => ids.contains(&id),
        }
    }
}
