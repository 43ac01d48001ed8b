//! Amounts: integer minor units in the programme's currency. Parsing and
//! display of decimal amounts; no floating point anywhere.

use crate::error::Msg;

/// Digits after the decimal point for an ISO 4217 currency (2 if unknown).
pub fn exponent(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map(u32::from)
        .unwrap_or(2)
}

/// The largest amount accepted, in major units. Larger figures are typing
/// mistakes, and they would overflow the sums of the reports (the database
/// refuses more than 10^13 minor units too).
pub const MAX_MAJOR: i64 = 1_000_000_000;

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not a non-negative decimal number with at most the currency's decimals.
    Invalid,
    /// Above [`MAX_MAJOR`].
    TooLarge,
}

impl AmountError {
    /// The message for the amount's field.
    pub fn msg(self) -> Msg {
        match self {
            AmountError::Invalid => Msg::new("error-amount-invalid"),
            AmountError::TooLarge => too_large(),
        }
    }
}

/// The message for an amount above [`MAX_MAJOR`].
pub fn too_large() -> Msg {
    Msg::new("error-amount-too-large")
}

/// Parses `"1234"`, `"1234.5"`, `"1234,50"` into minor units. Refuses
/// anything else (negative, too many decimals) and amounts above
/// [`MAX_MAJOR`] major units.
pub fn parse(input: &str, exponent: u32) -> Result<i64, AmountError> {
    use AmountError::{Invalid, TooLarge};
    let s = input.trim().replace(['\u{a0}', ' ', '\''], "");
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty() {
        return Err(Invalid);
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(Invalid);
    }
    if frac.len() > exponent as usize {
        return Err(Invalid);
    }
    let scale = 10i64.checked_pow(exponent).ok_or(Invalid)?;
    let whole = whole.trim_start_matches('0');
    // More digits than the bound has: too large, however many there are.
    if whole.len() > MAX_MAJOR.to_string().len() {
        return Err(TooLarge);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Invalid)?
    };
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| Invalid)? * 10i64.pow(exponent - frac.len() as u32)
    };
    let minor = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac_value))
        .ok_or(TooLarge)?;
    if minor > max_minor(exponent) {
        return Err(TooLarge);
    }
    Ok(minor)
}

/// [`MAX_MAJOR`] in minor units of a currency with `exponent` decimals.
pub fn max_minor(exponent: u32) -> i64 {
    10i64
        .checked_pow(exponent)
        .and_then(|s| s.checked_mul(MAX_MAJOR))
        .unwrap_or(i64::MAX)
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
        assert_eq!(parse("250", 2), Ok(25_000));
        assert_eq!(parse("250,5", 2), Ok(25_050));
        assert_eq!(parse("1 250.05", 2), Ok(125_005));
        assert_eq!(parse("0.001", 2), Err(AmountError::Invalid));
        assert_eq!(parse("-5", 2), Err(AmountError::Invalid));
        assert_eq!(parse("abc", 2), Err(AmountError::Invalid));
        assert_eq!(parse("", 2), Err(AmountError::Invalid));
        assert_eq!(parse("1500", 0), Ok(1500));
        assert_eq!(format(25_050, 2), "250.50");
        assert_eq!(format(1500, 0), "1500");
        assert_eq!(exponent("DKK"), 2);
        assert_eq!(exponent("JPY"), 0);
    }

    #[test]
    fn amounts_have_an_upper_bound() {
        use AmountError::TooLarge;
        assert_eq!(parse("1000000000", 2), Ok(100_000_000_000));
        assert_eq!(parse("1 000 000 000,00", 2), Ok(100_000_000_000));
        assert_eq!(parse("0001000000000", 0), Ok(1_000_000_000));
        assert_eq!(parse("1000000000.01", 2), Err(TooLarge));
        assert_eq!(parse("1000000001", 0), Err(TooLarge));
        // i64::MAX minor units, once accepted, broke every report.
        assert_eq!(parse("92233720368547758.07", 2), Err(TooLarge));
        assert_eq!(parse("99999999999999999999999999", 2), Err(TooLarge));
        assert_eq!(parse("1000000000.0001", 4), Err(TooLarge));
        assert_eq!(max_minor(4), 10_000_000_000_000, "the database's bound");
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
    let amount = if frac.is_empty() {
        format!("{sign}{grouped} {currency}")
    } else {
        format!("{sign}{grouped}{decimal}{frac} {currency}")
    };
    // In right-to-left text the amount stays one left-to-right run
    // (LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE), so its currency
    // does not jump to the other side.
    if matches!(
        lang.split(['-', '_']).next(),
        Some("ar" | "fa" | "he" | "ur")
    ) {
        format!("\u{2066}{amount}\u{2069}")
    } else {
        amount
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
        assert_eq!(
            display(120_000, "DKK", "ar"),
            "\u{2066}1,200.00 DKK\u{2069}",
            "one left-to-right run in Arabic text"
        );
    }
}
