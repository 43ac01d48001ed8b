//! Page numbers of paged lists: read from the query string, kept within
//! a range whose offset cannot overflow, and the filter error shown on a
//! list page.

use crate::error::{AppError, FieldErrors, Msg};
use crate::web::Page;

/// No list skips more rows than this: a page further on is empty (an
/// offset of millions costs the database a scan of them all).
pub const MAX_OFFSET: i64 = 1_000_000;

/// The highest page number a list of `per_page` rows serves.
pub fn max_page(per_page: i64) -> i64 {
    MAX_OFFSET / per_page.max(1) + 1
}

/// The page number in `v` (empty: 1). Below 1 reads as 1, beyond
/// [`max_page`] as the last page served (empty); text that is no whole
/// number is a field error on `page`.
pub fn parse_page(v: Option<&str>, per_page: i64) -> Result<i64, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .map(|n| clamp(n, per_page))
            .map_err(|_| AppError::field("page", "error-page-invalid")),
    }
}

/// `page` within `1..=max_page(per_page)`.
pub fn clamp(page: i64, per_page: i64) -> i64 {
    page.clamp(1, max_page(per_page))
}

/// The rows to skip for `page` (clamped first, so it never overflows).
pub fn offset(page: i64, per_page: i64) -> i64 {
    (clamp(page, per_page) - 1) * per_page
}

/// How many pages `total` rows fill (at least 1).
pub fn pages(total: i64, per_page: i64) -> i64 {
    (total.max(0) + per_page - 1).div_euclid(per_page).max(1)
}

/// A list page's filter as read from its query string: the filter, or
/// (for a value that does not read) no filter and the message to show
/// above the list, naming the parameter, translated. Other errors stay
/// errors.
pub fn read_filter<F>(
    page: &Page,
    read: Result<F, AppError>,
) -> Result<(Option<F>, Option<String>), AppError> {
    match read {
        Ok(f) => Ok((Some(f), None)),
        Err(AppError::Validation(fields)) => Ok((None, Some(describe(page, &fields)))),
        Err(e) => Err(e),
    }
}

/// 200 for a list, 422 for a list whose filter did not read.
pub fn status(filter_error: &Option<String>) -> axum::http::StatusCode {
    if filter_error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    }
}

fn describe(page: &Page, fields: &FieldErrors) -> String {
    fields
        .iter()
        .map(|(name, msg)| {
            page.msg(
                &Msg::new("filter-invalid")
                    .arg("name", name)
                    .arg("message", page.msg(msg)),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_negative_pages_stay_in_range() {
        assert_eq!(offset(i64::MAX, 50), MAX_OFFSET);
        assert_eq!(offset(-1, 50), 0);
        assert_eq!(offset(i64::MIN, 50), 0);
        assert_eq!(
            parse_page(Some("9223372036854775807"), 50).ok(),
            Some(max_page(50))
        );
        assert_eq!(parse_page(Some("-1"), 50).ok(), Some(1));
        assert_eq!(parse_page(Some(""), 50).ok(), Some(1));
        assert!(parse_page(Some("x"), 50).is_err());
        assert!(parse_page(Some("99999999999999999999"), 50).is_err());
        assert_eq!(pages(0, 50), 1);
        assert_eq!(pages(101, 50), 3);
    }
}
