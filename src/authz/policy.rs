//! The authorization policy, in one place.
//!
//! Every route (HTML and JSON) is listed in [`RULES`] with the permission it
//! needs; a route that is not listed is refused (fail closed), so a new
//! route cannot be reachable by accident. Which roles hold which permission
//! is [`Role::can`]. Which *records* a user sees is the other half: model
//! queries are scoped to the user's programmes (`ProgrammeScope`), and a
//! record outside them answers 404.

use axum::http::Method;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user's role.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, in every programme; manages accounts.
    Admin,
    /// Reads all data and reports of their programmes; edits programmes,
    /// districts and funding.
    Manager,
    /// Creates and edits mothers, families, visits and events in their programmes.
    Coordinator,
    /// Manages courses, attendance and completions; reads mothers.
    Trainer,
}

crate::text_enum_from_sql!(Role);

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Coordinator, Role::Trainer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Coordinator => "coordinator",
            Role::Trainer => "trainer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role holds `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            Public | SignedIn | ReadProgrammes | ReadMothers | ReadTraining => true,
            EditProgramme => matches!(self, Role::Admin | Role::Manager),
            EditMothers | SeePersonal | EditFamilies => {
                matches!(self, Role::Admin | Role::Coordinator)
            }
            ReadFamilies => true,
            ManageTopics | ReadFunding | EditFunding | ReadReports => {
                matches!(self, Role::Admin | Role::Manager)
            }
            ManageTraining => matches!(self, Role::Admin | Role::Trainer),
            ManageCurriculum => matches!(self, Role::Admin | Role::Manager | Role::Trainer),
            CreateProgramme | DeleteProgramme | ManageUsers | ManageTokens | ReadAudit => {
                self == Role::Admin
            }
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (their own account, signing out).
    SignedIn,
    ReadProgrammes,
    CreateProgramme,
    /// Edit, archive and restore a programme and its districts.
    EditProgramme,
    DeleteProgramme,
    /// Read mothers (every role: trainers read mothers too).
    ReadMothers,
    /// Create and edit mothers and their status.
    EditMothers,
    /// Read courses, modules, enrolments and attendance.
    ReadTraining,
    /// Courses, modules, enrolments, attendance and completions.
    ManageTraining,
    /// A programme's curriculum topics and template.
    ManageCurriculum,
    /// See a family's name, address and phone, and visit notes.
    SeePersonal,
    /// Read families (without personal fields), visits, referrals, events.
    ReadFamilies,
    /// Record families, visits, referrals and events.
    EditFamilies,
    /// Add, rename and retire a programme's visit topics.
    ManageTopics,
    /// Read funders, grants and expenses.
    ReadFunding,
    /// Record funders, grants, expenses and allowance runs.
    EditFunding,
    /// Read the yearly reports.
    ReadReports,
    ManageUsers,
    ManageTokens,
    ReadAudit,
}

use Permission as P;

/// Every route with its permission: (method, route pattern, permission).
/// HEAD is treated as GET.
pub const RULES: &[(Method, &str, Permission)] = &[
    // Public
    (Method::GET, "/login", P::Public),
    (Method::POST, "/login", P::Public),
    (Method::GET, "/healthz", P::Public),
    (Method::GET, "/api/v1/openapi.json", P::Public),
    (Method::GET, "/static/app.css", P::Public),
    // Any signed-in user
    (Method::GET, "/", P::SignedIn),
    (Method::POST, "/logout", P::SignedIn),
    (Method::GET, "/account", P::SignedIn),
    (Method::POST, "/account/password", P::SignedIn),
    (Method::POST, "/account/language", P::SignedIn),
    (Method::GET, "/api/v1/session", P::SignedIn),
    // Programmes and districts
    (Method::GET, "/programmes", P::ReadProgrammes),
    (Method::GET, "/programmes/{id}", P::ReadProgrammes),
    (Method::GET, "/api/v1/programmes", P::ReadProgrammes),
    (Method::GET, "/api/v1/programmes/{id}", P::ReadProgrammes),
    (
        Method::GET,
        "/api/v1/programmes/{id}/districts",
        P::ReadProgrammes,
    ),
    (Method::GET, "/api/v1/districts/{id}", P::ReadProgrammes),
    (Method::GET, "/programmes/new", P::CreateProgramme),
    (Method::POST, "/programmes", P::CreateProgramme),
    (Method::POST, "/api/v1/programmes", P::CreateProgramme),
    (Method::GET, "/programmes/{id}/edit", P::EditProgramme),
    (Method::POST, "/programmes/{id}", P::EditProgramme),
    (Method::POST, "/programmes/{id}/archive", P::EditProgramme),
    (Method::POST, "/programmes/{id}/restore", P::EditProgramme),
    (Method::POST, "/programmes/{id}/districts", P::EditProgramme),
    (Method::GET, "/districts/{id}/edit", P::EditProgramme),
    (Method::POST, "/districts/{id}", P::EditProgramme),
    (Method::POST, "/districts/{id}/archive", P::EditProgramme),
    (Method::POST, "/districts/{id}/restore", P::EditProgramme),
    (Method::PUT, "/api/v1/programmes/{id}", P::EditProgramme),
    (
        Method::POST,
        "/api/v1/programmes/{id}/archive",
        P::EditProgramme,
    ),
    (
        Method::POST,
        "/api/v1/programmes/{id}/restore",
        P::EditProgramme,
    ),
    (
        Method::POST,
        "/api/v1/programmes/{id}/districts",
        P::EditProgramme,
    ),
    (Method::PUT, "/api/v1/districts/{id}", P::EditProgramme),
    (
        Method::POST,
        "/api/v1/districts/{id}/archive",
        P::EditProgramme,
    ),
    (
        Method::POST,
        "/api/v1/districts/{id}/restore",
        P::EditProgramme,
    ),
    (Method::POST, "/programmes/{id}/delete", P::DeleteProgramme),
    (
        Method::DELETE,
        "/api/v1/programmes/{id}",
        P::DeleteProgramme,
    ),
    // Mothers
    (Method::GET, "/mothers", P::ReadMothers),
    (Method::GET, "/mothers/{id}", P::ReadMothers),
    (Method::GET, "/api/v1/mothers", P::ReadMothers),
    (Method::GET, "/api/v1/mothers/{id}", P::ReadMothers),
    (Method::GET, "/mothers/new", P::EditMothers),
    (Method::POST, "/mothers", P::EditMothers),
    (Method::GET, "/mothers/{id}/edit", P::EditMothers),
    (Method::POST, "/mothers/{id}", P::EditMothers),
    (Method::POST, "/mothers/{id}/status", P::EditMothers),
    (Method::POST, "/api/v1/mothers", P::EditMothers),
    (Method::PUT, "/api/v1/mothers/{id}", P::EditMothers),
    (Method::POST, "/api/v1/mothers/{id}/status", P::EditMothers),
    // Training
    (Method::GET, "/courses", P::ReadTraining),
    (Method::GET, "/courses/{id}", P::ReadTraining),
    (Method::GET, "/modules/{id}/attendance", P::ReadTraining),
    (Method::GET, "/programmes/{id}/curriculum", P::ReadTraining),
    (Method::GET, "/api/v1/courses", P::ReadTraining),
    (Method::GET, "/api/v1/courses/{id}", P::ReadTraining),
    (Method::GET, "/api/v1/courses/{id}/modules", P::ReadTraining),
    (
        Method::GET,
        "/api/v1/courses/{id}/enrolments",
        P::ReadTraining,
    ),
    (
        Method::GET,
        "/api/v1/modules/{id}/attendance",
        P::ReadTraining,
    ),
    (
        Method::GET,
        "/api/v1/programmes/{id}/curriculum/topics",
        P::ReadTraining,
    ),
    (
        Method::GET,
        "/api/v1/programmes/{id}/curriculum/modules",
        P::ReadTraining,
    ),
    (Method::GET, "/courses/new", P::ManageTraining),
    (Method::POST, "/courses", P::ManageTraining),
    (Method::GET, "/courses/{id}/edit", P::ManageTraining),
    (Method::POST, "/courses/{id}", P::ManageTraining),
    (Method::POST, "/courses/{id}/modules", P::ManageTraining),
    (Method::GET, "/modules/{id}/edit", P::ManageTraining),
    (Method::POST, "/modules/{id}", P::ManageTraining),
    (Method::POST, "/modules/{id}/delete", P::ManageTraining),
    (Method::POST, "/modules/{id}/attendance", P::ManageTraining),
    (Method::POST, "/courses/{id}/enrolments", P::ManageTraining),
    (Method::POST, "/enrolments/{id}/complete", P::ManageTraining),
    (Method::POST, "/enrolments/{id}/drop-out", P::ManageTraining),
    (Method::POST, "/api/v1/courses", P::ManageTraining),
    (Method::PUT, "/api/v1/courses/{id}", P::ManageTraining),
    (
        Method::POST,
        "/api/v1/courses/{id}/modules",
        P::ManageTraining,
    ),
    (Method::PUT, "/api/v1/modules/{id}", P::ManageTraining),
    (Method::DELETE, "/api/v1/modules/{id}", P::ManageTraining),
    (
        Method::POST,
        "/api/v1/courses/{id}/enrolments",
        P::ManageTraining,
    ),
    (
        Method::PUT,
        "/api/v1/modules/{id}/attendance",
        P::ManageTraining,
    ),
    (
        Method::POST,
        "/api/v1/enrolments/{id}/completion",
        P::ManageTraining,
    ),
    (
        Method::POST,
        "/api/v1/enrolments/{id}/drop-out",
        P::ManageTraining,
    ),
    (
        Method::POST,
        "/programmes/{id}/curriculum/topics",
        P::ManageCurriculum,
    ),
    (
        Method::POST,
        "/programmes/{id}/curriculum/modules",
        P::ManageCurriculum,
    ),
    (
        Method::POST,
        "/curriculum/modules/{id}/delete",
        P::ManageCurriculum,
    ),
    (
        Method::POST,
        "/api/v1/programmes/{id}/curriculum/topics",
        P::ManageCurriculum,
    ),
    (
        Method::POST,
        "/api/v1/programmes/{id}/curriculum/modules",
        P::ManageCurriculum,
    ),
    (
        Method::DELETE,
        "/api/v1/curriculum/modules/{id}",
        P::ManageCurriculum,
    ),
    // Families, visits, referrals, topics, events (pages)
    (Method::GET, "/visits", P::ReadFamilies),
    (Method::GET, "/families", P::ReadFamilies),
    (Method::GET, "/families/{id}", P::ReadFamilies),
    (Method::GET, "/referrals", P::ReadFamilies),
    (Method::GET, "/programmes/{id}/topics", P::ReadFamilies),
    (Method::GET, "/events", P::ReadFamilies),
    (Method::GET, "/visits/new", P::EditFamilies),
    (Method::POST, "/visits", P::EditFamilies),
    (Method::GET, "/families/new", P::EditFamilies),
    (Method::POST, "/families", P::EditFamilies),
    (Method::GET, "/families/{id}/edit", P::EditFamilies),
    (Method::POST, "/families/{id}", P::EditFamilies),
    (Method::POST, "/families/{id}/close", P::EditFamilies),
    (Method::POST, "/referrals/{id}/done", P::EditFamilies),
    (Method::POST, "/events", P::EditFamilies),
    (Method::POST, "/programmes/{id}/topics", P::ManageTopics),
    (Method::POST, "/topics/{id}", P::ManageTopics),
    (Method::POST, "/topics/{id}/retire", P::ManageTopics),
    (Method::POST, "/topics/{id}/restore", P::ManageTopics),
    // Families, visits, referrals, topics, events (JSON)
    (Method::GET, "/api/v1/families", P::ReadFamilies),
    (Method::GET, "/api/v1/families/{id}", P::ReadFamilies),
    (Method::GET, "/api/v1/visits", P::ReadFamilies),
    (Method::GET, "/api/v1/visits/{id}", P::ReadFamilies),
    (Method::GET, "/api/v1/referrals", P::ReadFamilies),
    (
        Method::GET,
        "/api/v1/programmes/{id}/topics",
        P::ReadFamilies,
    ),
    (Method::GET, "/api/v1/events", P::ReadFamilies),
    (Method::POST, "/api/v1/families", P::EditFamilies),
    (Method::PUT, "/api/v1/families/{id}", P::EditFamilies),
    (Method::POST, "/api/v1/families/{id}/close", P::EditFamilies),
    (Method::POST, "/api/v1/visits", P::EditFamilies),
    (Method::POST, "/api/v1/referrals/{id}/done", P::EditFamilies),
    (Method::POST, "/api/v1/events", P::EditFamilies),
    (
        Method::POST,
        "/api/v1/programmes/{id}/topics",
        P::ManageTopics,
    ),
    (Method::PUT, "/api/v1/topics/{id}", P::ManageTopics),
    (Method::POST, "/api/v1/topics/{id}/retire", P::ManageTopics),
    // Funding (pages)
    (Method::GET, "/funding", P::ReadFunding),
    (Method::GET, "/grants/{id}", P::ReadFunding),
    (Method::GET, "/expenses", P::ReadFunding),
    (Method::GET, "/allowances", P::ReadFunding),
    (Method::GET, "/allowances/{id}/{month}", P::ReadFunding),
    (Method::POST, "/funders", P::EditFunding),
    (Method::GET, "/grants/new", P::EditFunding),
    (Method::POST, "/grants", P::EditFunding),
    (Method::GET, "/grants/{id}/edit", P::EditFunding),
    (Method::POST, "/grants/{id}", P::EditFunding),
    (Method::POST, "/expenses", P::EditFunding),
    (Method::GET, "/expenses/{id}/edit", P::EditFunding),
    (Method::POST, "/expenses/{id}", P::EditFunding),
    (Method::POST, "/allowances", P::EditFunding),
    (Method::POST, "/allowances/{id}/{month}", P::EditFunding),
    // Funding (JSON)
    (Method::GET, "/api/v1/funders", P::ReadFunding),
    (Method::GET, "/api/v1/funders/{id}", P::ReadFunding),
    (Method::GET, "/api/v1/grants", P::ReadFunding),
    (Method::GET, "/api/v1/grants/{id}", P::ReadFunding),
    (Method::GET, "/api/v1/expenses", P::ReadFunding),
    (Method::GET, "/api/v1/expenses/{id}", P::ReadFunding),
    (
        Method::GET,
        "/api/v1/programmes/{id}/allowance-runs/{month}",
        P::ReadFunding,
    ),
    (Method::POST, "/api/v1/funders", P::EditFunding),
    (Method::PUT, "/api/v1/funders/{id}", P::EditFunding),
    (Method::POST, "/api/v1/grants", P::EditFunding),
    (Method::PUT, "/api/v1/grants/{id}", P::EditFunding),
    (Method::POST, "/api/v1/expenses", P::EditFunding),
    (Method::PUT, "/api/v1/expenses/{id}", P::EditFunding),
    (Method::POST, "/api/v1/allowance-runs", P::EditFunding),
    (
        Method::POST,
        "/api/v1/programmes/{id}/allowance-runs/{month}/confirm",
        P::EditFunding,
    ),
    // Reports
    (Method::GET, "/api/v1/reports/yearly", P::ReadReports),
    (Method::GET, "/reports", P::ReadReports),
    (Method::GET, "/reports/yearly.csv", P::ReadReports),
    (Method::GET, "/reports/yearly.xlsx", P::ReadReports),
    (Method::GET, "/reports/compare", P::ReadReports),
    (Method::GET, "/api/v1/reports/compare", P::ReadReports),
    (Method::GET, "/grants/{id}/report", P::ReadReports),
    (Method::GET, "/api/v1/grants/{id}/report", P::ReadReports),
    // Administration
    (Method::GET, "/admin/users", P::ManageUsers),
    (Method::GET, "/admin/users/new", P::ManageUsers),
    (Method::POST, "/admin/users", P::ManageUsers),
    (Method::GET, "/admin/users/{id}", P::ManageUsers),
    (Method::POST, "/admin/users/{id}", P::ManageUsers),
    (Method::POST, "/admin/users/{id}/deactivate", P::ManageUsers),
    (Method::POST, "/admin/users/{id}/activate", P::ManageUsers),
    (
        Method::POST,
        "/admin/users/{id}/reset-password",
        P::ManageUsers,
    ),
    (Method::GET, "/admin/tokens", P::ManageTokens),
    (Method::POST, "/admin/tokens", P::ManageTokens),
    (Method::POST, "/admin/tokens/{id}/revoke", P::ManageTokens),
    (Method::GET, "/admin/audit", P::ReadAudit),
    (Method::GET, "/api/v1/audit", P::ReadAudit),
];

/// The permission a route needs; `None` for a route the policy does not know.
pub fn required(method: &Method, route: &str) -> Option<Permission> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    RULES
        .iter()
        .find(|(m, r, _)| m == method && *r == route)
        .map(|(_, _, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once() {
        for (i, (m, r, _)) in RULES.iter().enumerate() {
            assert!(
                !RULES[i + 1..].iter().any(|(m2, r2, _)| m2 == m && r2 == r),
                "{m} {r} listed twice"
            );
        }
    }

    #[test]
    fn unknown_routes_need_a_rule() {
        assert_eq!(required(&Method::GET, "/nowhere"), None);
        assert_eq!(
            required(&Method::HEAD, "/programmes"),
            Some(Permission::ReadProgrammes)
        );
    }

    #[test]
    fn roles_parse_and_print() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
