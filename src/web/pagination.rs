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

/// The most rows one page of a JSON list holds.
pub const MAX_PER_PAGE: i64 = 500;

/// The rows per page in `v` (empty: `default`): a whole number from 1 to
/// [`MAX_PER_PAGE`], else a field error on `per_page` naming the bounds.
pub fn parse_per_page(v: Option<&str>, default: i64) -> Result<i64, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PER_PAGE).contains(n))
            .ok_or_else(|| {
                AppError::field(
                    "per_page",
                    Msg::new("error-per-page-invalid").arg("max", MAX_PER_PAGE),
                )
            }),
    }
}

/// `page` and `per_page` of a JSON list that has no filter of its own.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1 (default 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Rows per page, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

/// The default rows per page of a list read through [`PageParams`].
pub const DEFAULT_PER_PAGE: i64 = 100;

/// A page of a list: which page, of how many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpec {
    pub page: i64,
    pub per_page: i64,
}

impl PageParams {
    /// The page asked for, or a field error naming `page` or `per_page`.
    pub fn read(&self) -> Result<PageSpec, AppError> {
        let per_page = parse_per_page(self.per_page.as_deref(), DEFAULT_PER_PAGE)?;
        Ok(PageSpec {
            page: parse_page(self.page.as_deref(), per_page)?,
            per_page,
        })
    }
}

/// Every JSON list's shape: a page of `items`, the `total` matching, and
/// which page of how many rows this is.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Rows matching, over all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Paged<T> {
    /// A page of rows already counted and limited by the query.
    pub fn new(items: Vec<T>, total: i64, page: i64, per_page: i64) -> Paged<T> {
        Paged {
            items,
            total,
            page,
            per_page,
        }
    }

    /// The page `spec` of a whole list read at once: for lists a programme
    /// keeps short (its districts, topics, courses, funders), where a
    /// count and an offset in SQL would cost more than they save.
    pub fn of_all(all: Vec<T>, spec: PageSpec) -> Paged<T> {
        let total = all.len() as i64;
        let skip = usize::try_from(offset(spec.page, spec.per_page)).unwrap_or(usize::MAX);
        let items = all
            .into_iter()
            .skip(skip)
            .take(spec.per_page as usize)
            .collect();
        Paged::new(items, total, spec.page, spec.per_page)
    }
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

    #[test]
    fn per_page_is_bounded_and_a_whole_list_is_sliced() {
        assert_eq!(parse_per_page(None, 25).ok(), Some(25));
        assert_eq!(parse_per_page(Some("500"), 25).ok(), Some(500));
        assert!(parse_per_page(Some("501"), 25).is_err());
        assert!(parse_per_page(Some("0"), 25).is_err());
        assert!(parse_per_page(Some("ten"), 25).is_err());
        let spec = PageSpec {
            page: 2,
            per_page: 2,
        };
        let p = Paged::of_all(vec![1, 2, 3, 4, 5], spec);
        assert_eq!(
            (p.items, p.total, p.page, p.per_page),
            (vec![3, 4], 5, 2, 2)
        );
        let far = PageSpec {
            page: i64::MAX,
            per_page: 500,
        };
        assert!(Paged::of_all(vec![1], far).items.is_empty());
    }
}
