//! Amounts: integer minor units in the programme's currency. Parsing and
//! display of decimal amounts; no floating point anywhere.

/// Digits after the decimal point for an ISO 4217 currency (2 if unknown).
pub fn exponent(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map(u32::from)
        .unwrap_or(2)
}

/// Parses `"1234"`, `"1234.5"`, `"1234,50"` into minor units; `None` for
/// anything else (negative, too many decimals, too large).
pub fn parse(input: &str, exponent: u32) -> Option<i64> {
    let s = input.trim().replace(['\u{a0}', ' ', '\''], "");
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if frac.len() > exponent as usize {
        return None;
    }
    let scale = 10i64.checked_pow(exponent)?;
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().ok()? * 10i64.pow(exponent - frac.len() as u32)
    };
    whole.checked_mul(scale)?.checked_add(frac_value)
}

/// `12345` with exponent 2 -> `"123.45"`.
pub fn format(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        m / scale as u64,
        m % scale as u64,
        width = exponent as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip() {
        assert_eq!(parse("250", 2), Some(25_000));
        assert_eq!(parse("250,5", 2), Some(25_050));
        assert_eq!(parse("1 250.05", 2), Some(125_005));
        assert_eq!(parse("0.001", 2), None);
        assert_eq!(parse("-5", 2), None);
        assert_eq!(parse("abc", 2), None);
        assert_eq!(parse("", 2), None);
        assert_eq!(parse("1500", 0), Some(1500));
        assert_eq!(format(25_050, 2), "250.50");
        assert_eq!(format(1500, 0), "1500");
        assert_eq!(exponent("DKK"), 2);
        assert_eq!(exponent("JPY"), 0);
    }
}

/// An amount for people, formatted for their language: `1,200.00 DKK` in
/// English, `1.200,00 DKK` in German or Danish. The grouping and decimal
/// marks are all we need here, so this is written out rather than pulling
/// in a full locale library (ICU).
pub fn display(minor: i64, currency: &str, lang: &str) -> String {
    let exp = exponent(currency);
    let plain = format(minor, exp);
    let (sign, digits) = plain
        .strip_prefix('-')
        .map_or(("", plain.as_str()), |d| ("-", d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, decimal) = match lang.split(['-', '_']).next().unwrap_or("en") {
        "de" | "da" | "nl" | "tr" | "es" | "it" | "id" => ('.', ','),
        "fr" | "sv" | "nb" | "no" | "fi" | "pl" | "cs" => ('\u{a0}', ','),
        _ => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped} {currency}")
    } else {
        format!("{sign}{grouped}{decimal}{frac} {currency}")
    }
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn amounts_follow_the_language() {
        assert_eq!(display(120_000, "DKK", "en"), "1,200.00 DKK");
        assert_eq!(display(120_000, "DKK", "da"), "1.200,00 DKK");
        assert_eq!(display(-123_456_789, "EUR", "de-AT"), "-1.234.567,89 EUR");
        assert_eq!(display(5, "EUR", "en"), "0.05 EUR");
        assert_eq!(display(1500, "JPY", "en"), "1,500 JPY");
    }
}
