//! The authorization policy, in one place.
//!
//! Every route (HTML and JSON) is declared once, in its domain's `routes()`,
//! with the permission it needs; the [`Policy`] is built from those
//! declarations and a route that is not in it is refused (fail closed), so
//! a new route cannot be reachable by accident. Which roles hold which permission
//! is [`Role::can`]. Which *records* a user sees is the other half: model
//! queries are scoped to the user's programmes (`ProgrammeScope`), and a
//! record outside them answers 404.

use std::collections::HashMap;

use axum::http::Method;

crate::text_enum! {
    /// A user's role.
    pub enum Role {
        /// Everything, in every programme; manages accounts.
        Admin = "admin",
        /// Reads all data and reports of their programmes; edits programmes,
        /// districts and funding.
        Manager = "manager",
        /// Creates and edits mothers, families, visits and events in their programmes.
        Coordinator = "coordinator",
        /// Manages courses, attendance and completions; reads mothers.
        Trainer = "trainer",
        /// A mother herself, on her phone: her own families, contacts,
        /// referrals and training, nothing else (see `my`).
        Mother = "mother",
    }
}

impl Role {
    /// The staff's roles, offered on the users' form (a mother's account
    /// comes from an invitation).
    pub const STAFF: [Role; 4] = [Role::Admin, Role::Manager, Role::Coordinator, Role::Trainer];

    /// Whether this role holds `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        if self == Role::Mother {
            return matches!(permission, Public | SignedIn | OwnContacts);
        }
        match permission {
            Public | SignedIn | ReadProgrammes | ReadMothers | ReadTraining => true,
            OwnContacts => false,
            EditProgramme => matches!(self, Role::Admin | Role::Manager),
            EditMothers | SeePersonal | EditFamilies => {
                matches!(self, Role::Admin | Role::Coordinator)
            }
            // Need to know: trainers see mothers, courses and attendance,
            // never families' timelines, next steps, notes or referrals.
            ReadFamilies => self != Role::Trainer,
            // Managers see families only as codes and counts: the
            // timelines, visits and referrals are the coordinators'.
            ReadVisits => matches!(self, Role::Admin | Role::Coordinator),
            ManageTopics | ReadFunding | EditFunding | ReadReports => {
                matches!(self, Role::Admin | Role::Manager)
            }
            ManageTraining => matches!(self, Role::Admin | Role::Trainer),
            ManageCurriculum => matches!(self, Role::Admin | Role::Manager | Role::Trainer),
            // Trainers record mothers' answers, coordinators families';
            // the use case checks which (`outcomes::ops::may_answer`).
            RecordOutcomes => matches!(self, Role::Admin | Role::Coordinator | Role::Trainer),
            CreateProgramme | DeleteProgramme | ManageUsers | ManageTokens | ReadAudit
            | EraseMothers => self == Role::Admin,
        }
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
    /// A programme's curriculum topics and template, and its questionnaires.
    ManageCurriculum,
    /// Record and read answers to questionnaires (a mother's in her app
    /// are `OwnContacts`).
    RecordOutcomes,
    /// See a family's name, address and phone, and visit notes.
    SeePersonal,
    /// Read families (without personal fields), visits and referrals (not
    /// trainers: need to know).
    ReadFamilies,
    /// Read families' timelines: visits (with next steps) and referrals
    /// (admins and coordinators; managers see families as codes and counts).
    ReadVisits,
    /// Erase a mother's personal details (administrators).
    EraseMothers,
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
    /// A mother's own pages: her home, her conversation form, her
    /// families, contacts and training (mothers only).
    OwnContacts,
}

/// One route and the permission it needs. Domains declare their routes
/// with `web::Routes`, which makes these rules and the router from the
/// same declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub method: Method,
    /// The route pattern, as the router matches it (`/visits/{id}`).
    pub path: String,
    pub permission: Permission,
}

/// Every route with its permission, looked up by the auth middleware for
/// each matched route. A route that is not here is refused.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Route pattern -> the permission of each of its methods. Keyed by the
    /// pattern so that a request's lookup borrows its matched path.
    rules: HashMap<String, Vec<(Method, Permission)>>,
}

impl Policy {
    /// The policy of these rules. A route listed twice is a programming
    /// error (the router would refuse it too): the second is named.
    pub fn new(rules: &[Rule]) -> Result<Policy, String> {
        let mut policy = Policy::default();
        for r in rules {
            let methods = policy.rules.entry(r.path.clone()).or_default();
            if methods.iter().any(|(m, _)| *m == r.method) {
                return Err(format!("{} {} is declared twice", r.method, r.path));
            }
            methods.push((r.method.clone(), r.permission));
        }
        Ok(policy)
    }

    /// The permission a route needs; `None` for a route the policy does
    /// not know. HEAD is treated as GET.
    pub fn required(&self, method: &Method, route: &str) -> Option<Permission> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.rules
            .get(route)?
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, p)| *p)
    }

    /// Whether some method of this route pattern is declared (another
    /// method then gets the router's 405).
    pub fn knows_path(&self, route: &str) -> bool {
        self.rules.contains_key(route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Method, path: &str, permission: Permission) -> Rule {
        Rule {
            method,
            path: path.to_owned(),
            permission,
        }
    }

    #[test]
    fn a_route_is_declared_once() {
        let twice = [
            rule(Method::GET, "/programmes", Permission::ReadProgrammes),
            rule(Method::GET, "/programmes", Permission::Public),
        ];
        assert_eq!(
            Policy::new(&twice).err().as_deref(),
            Some("GET /programmes is declared twice")
        );
    }

    #[test]
    fn unknown_routes_need_a_rule() {
        let Ok(policy) =
            Policy::new(&[rule(Method::GET, "/programmes", Permission::ReadProgrammes)])
        else {
            panic!("one rule makes a policy");
        };
        assert_eq!(policy.required(&Method::GET, "/nowhere"), None);
        assert_eq!(policy.required(&Method::POST, "/programmes"), None);
        assert!(policy.knows_path("/programmes"));
        assert_eq!(
            policy.required(&Method::HEAD, "/programmes"),
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
