//! Funding: funders, grants (with what was spent against them), expenses
//! and the monthly allowance run: rows and queries. Amounts are integer
//! minor units in the programme's currency; the database refuses any other
//! currency. The changes, with their rules and audit rows, are in `ops`.
//! One file per part: `funder`, `grant`, `expense`, `allowance` (the monthly run).

mod allowance;
mod expense;
mod funder;
mod grant;

pub use allowance::*;
pub use expense::*;
pub use funder::*;
pub use grant::*;
