//! One newtype per table id, so that ids of different tables cannot be
//! mixed up: a function that takes a `FamilyId` does not take a `VisitId`.
//! Each is stored as `bigint`, reads from a path or JSON as a plain number
//! and prints as one.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, DieselNewType, Serialize,
            Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

id_types! {
    /// A programme's id.
    ProgrammeId;
    /// A district's id.
    DistrictId;
    /// A user account's id.
    UserId;
    /// An API token's id.
    ApiTokenId;
    /// A mother's id.
    MotherId;
    /// A course's id.
    CourseId;
    /// A course module's id (`course_modules`).
    ModuleId;
    /// An enrolment's id (a mother on a course).
    EnrolmentId;
    /// A curriculum topic's id.
    CurriculumTopicId;
    /// A curriculum template module's id.
    TemplateModuleId;
    /// A family's id.
    FamilyId;
    /// A visit's id.
    VisitId;
    /// A visit topic's id (`topics`).
    TopicId;
    /// A referral's id.
    ReferralId;
    /// An event's id.
    EventId;
    /// A funder's id.
    FunderId;
    /// A grant's id.
    GrantId;
    /// An expense's id.
    ExpenseId;
    /// A registered event participant's id.
    ParticipantId;
    /// An integration partnership's id.
    PartnershipId;
    /// A questionnaire's id.
    QuestionnaireId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_print_as_plain_numbers() {
        let id: FamilyId = serde_json::from_str("42").unwrap_or(FamilyId(0));
        assert_eq!(id, FamilyId(42));
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("42"));
        assert_eq!(id.to_string(), "42");
    }
}
