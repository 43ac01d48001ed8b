//! A programme's record of processing (GDPR art. 30), printable: what
//! personal data is held, about whom, why, who can see it, how long it is
//! kept and where. Who can see it is read from the role policy
//! (`Role::can`) and how long from the programme's retention setting, so
//! the record cannot drift from what the program does.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::{Access, Permission, Role};
use crate::error::AppResult;
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{Page, render};

/// One kind of data held: its message keys and the permission that reads it.
pub struct Category {
    /// `record-<key>-data`, `-subjects`, `-purpose` name it.
    pub key: &'static str,
    pub read_by: Permission,
    /// Whether a mother sees her own (her app).
    pub own: bool,
}

/// What the program holds, category by category.
pub const CATEGORIES: &[Category] = &[
    Category {
        key: "family-contact",
        read_by: Permission::SeePersonal,
        own: false,
    },
    Category {
        key: "family-record",
        read_by: Permission::ReadFamilies,
        own: true,
    },
    Category {
        key: "visits",
        read_by: Permission::ReadVisits,
        own: true,
    },
    Category {
        key: "visit-notes",
        read_by: Permission::SeePersonal,
        own: true,
    },
    Category {
        key: "mothers",
        read_by: Permission::ReadMothers,
        own: true,
    },
    Category {
        key: "training",
        read_by: Permission::ReadTraining,
        own: true,
    },
    Category {
        key: "outcomes",
        read_by: Permission::RecordOutcomes,
        own: true,
    },
    Category {
        key: "participants",
        read_by: Permission::ReadFamilies,
        own: false,
    },
    Category {
        key: "payments",
        read_by: Permission::ReadFunding,
        own: false,
    },
    Category {
        key: "accounts",
        read_by: Permission::ManageUsers,
        own: true,
    },
    Category {
        key: "logs",
        read_by: Permission::ReadAudit,
        own: false,
    },
];

/// A category as the page shows it.
pub struct Row {
    pub key: &'static str,
    pub roles: String,
}

#[derive(Template)]
#[template(path = "privacy/record.html")]
struct RecordPage {
    page: Page,
    programme: Programme,
    rows: Vec<Row>,
}

impl RecordPage {
    fn k(&self, key: &str, part: &str) -> String {
        self.page.t(&format!("record-{key}-{part}"))
    }
}

/// The roles that hold `p`, by name, in the reader's language.
fn roles(page: &Page, c: &Category) -> String {
    let mut names: Vec<String> = Role::STAFF
        .iter()
        .filter(|r| r.can(c.read_by))
        .map(|r| page.role_name(r))
        .collect();
    if c.own {
        names.push(page.t("record-own"));
    }
    names.join(page.list_sep())
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let page = crate::programmes::html::within(&mut conn, &access, page, id).await?;
    let rows = CATEGORIES
        .iter()
        .map(|c| Row {
            key: c.key,
            roles: roles(&page, c),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &RecordPage {
            page: page.with_nav("programmes"),
            programme,
            rows,
        },
    ))
}
