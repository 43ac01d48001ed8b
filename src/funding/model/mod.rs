//! Funding: funders, grants (with what was spent against them), expenses
//! and the monthly allowance run. Amounts are integer minor units in the
//! programme's currency; the database refuses any other currency. Every
//! change writes an audit row.
//! One file per part: `grant`, `expense`, `allowance` (the monthly run); funders are in `funding::funders`.

mod allowance;
mod expense;
mod grant;

pub use allowance::*;
pub use expense::*;
pub use grant::*;

use crate::error::{AppError, constraint_name};
use crate::money;

pub use super::funders::{Funder, FunderData, FunderKind, Owner};

/// Database errors that have a clear message.
pub fn funding_error(e: diesel::result::Error) -> AppError {
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
