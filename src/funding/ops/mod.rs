//! The use cases of funding, called by the pages and the API alike. Each
//! takes the caller's [`Access`](crate::authz::Access) and the input as it
//! came, validates it, and runs one transaction: the scoped find (locked
//! where the row changes), the rules, the change, its audit row; constraint
//! names come back as field errors.
//! One file per part: `funder`, `grant`, `expense`, `allowance` (the monthly run).

mod allowance;
mod expense;
mod funder;
mod grant;

pub use allowance::*;
pub use expense::*;
pub use funder::*;
pub use grant::*;

use diesel::OptionalExtension;
use diesel_async::AsyncPgConnection;

use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg, constraint_name};
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::model::Programme;

/// Database errors that have a clear message.
fn funding_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("grants_programme_currency_fkey" | "expenses_programme_currency_fkey") => {
            AppError::field("currency", "error-currency-not-programme")
        }
        Some("expenses_grant_fkey") => AppError::field("grant_id", "error-grant-unknown"),
        Some("funders_name_key" | "funders_programme_name_key") => {
            AppError::field("name", "error-funder-taken")
        }
        Some("grants_funder_id_fkey" | "grants_funder_programme_check") => {
            AppError::field("funder_id", "error-funder-unknown")
        }
        Some("funders_owner_check") => {
            AppError::field("programme_id", "error-funder-used-elsewhere")
        }
        Some("funders_programme_id_fkey") => {
            AppError::field("programme_id", "error-programme-unknown")
        }
        Some("grants_amount_minor_bound" | "expenses_amount_minor_bound") => {
            AppError::field("amount", money::too_large())
        }
        _ => e.into(),
    }
}

/// The programme a new record is for: one that is not there (or not the
/// caller's) is an unknown `programme_id`; any other error is the answer.
async fn programme_for(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    id: Option<ProgrammeId>,
) -> AppResult<Programme> {
    let programme = match id {
        Some(id) => Programme::find(conn, scope, id).await.optional()?,
        None => None,
    };
    programme.ok_or_else(|| AppError::field("programme_id", "error-programme-unknown"))
}

/// An amount in another currency than the programme's is refused: nothing
/// is converted silently.
fn check_currency(programme: &Programme, currency: &str) -> AppResult<()> {
    if programme.currency == currency {
        Ok(())
    } else {
        Err(AppError::field(
            "currency",
            Msg::new("error-currency-mismatch").arg("currency", &programme.currency),
        ))
    }
}
