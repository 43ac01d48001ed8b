//! Text cells of exported spreadsheets (CSV, XLSX). A cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
//! by Excel and LibreOffice, so a district or topic named
//! `=HYPERLINK("http://x","y")` would run in a funder's spreadsheet (CSV
//! injection, OWASP). Such text is marked as text: in CSV with a leading
//! single quote, in XLSX with the cell format's quote prefix (Excel's own
//! marker, see `reports::xlsx`). Numbers stay numbers: `-12.50` is not
//! touched.

use std::borrow::Cow;

/// Whether spreadsheet programs would read `text` as a formula.
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text)
}

/// A plain decimal number, such as `-12.50`: a value, not a formula.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A CSV cell: formula-like text gets a leading `'`, so that it is shown
/// as the text it is.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for f in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+1",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "=",
            "-inf",
            "--1",
            "-1.",
            "-.5",
        ] {
            assert!(is_formula_like(f), "{f:?}");
            assert_eq!(csv_cell(f), format!("'{f}"));
        }
        for plain in [
            "Nord",
            "",
            "118400.00",
            "-12.50",
            "-5",
            "+3",
            "2012-06",
            "a=b",
            " =1",
            "'=1",
        ] {
            assert!(!is_formula_like(plain), "{plain:?}");
            assert_eq!(csv_cell(plain), plain);
        }
    }
}
