//! HTML pages for funding: the overview, funders, grants (with spending),
//! expenses and the monthly allowance run. Thin: extract, call `ops`,
//! render or redirect (Post/Redirect/Get with a flash message).
//! One file per part: `overview` (with funders), `grant`, `expense`, `allowance`.

mod allowance;
mod expense;
mod grant;
mod overview;

pub use allowance::*;
pub use expense::*;
pub use grant::*;
pub use overview::*;

use crate::money;
use crate::web::Page;

/// Formats amounts for the page's language.
pub(crate) fn amount(page: &Page, minor: i64, currency: &str) -> String {
    money::display(minor, currency, &page.tr.lang())
}
