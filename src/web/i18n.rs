//! The translation layer: every user-facing string comes from the Fluent
//! files under `locales/<lang>/`, compiled into the binary.
//!
//! The language of a request is chosen in this order: the user's own setting
//! (or, before signing in, the language picked on the sign-in page, kept in
//! the cookie `nm_lang`), then the browser's `Accept-Language`, then the
//! programme's default language, then English.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::LanguageIdentifier;

static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would show up in
        // HTML attributes and in CSV exports.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const FALLBACK: &str = "en";

/// A request's language, with lookups into the translations.
#[derive(Debug, Clone)]
pub struct Tr {
    lang: LanguageIdentifier,
    /// True when the user or the browser chose the language; false when it is
    /// the fallback, which a programme's default may replace.
    chosen: bool,
}

impl Tr {
    pub fn new(lang: LanguageIdentifier) -> Self {
        Self { lang, chosen: true }
    }

    /// Negotiates the language from the user's setting, the Accept-Language
    /// header and a programme's default, in that order.
    pub fn negotiate(
        user_setting: Option<&str>,
        accept_language: Option<&str>,
        programme_default: Option<&str>,
    ) -> Self {
        if let Some(lang) = user_setting.and_then(supported) {
            return Self { lang, chosen: true };
        }
        if let Some(header) = accept_language {
            for tag in accept_language::parse(header) {
                if let Some(lang) = supported(&tag) {
                    return Self { lang, chosen: true };
                }
            }
        }
        match programme_default.and_then(supported) {
            Some(lang) => Self {
                lang,
                chosen: false,
            },
            None => Self {
                lang: fallback(),
                chosen: false,
            },
        }
    }

    /// The same request seen inside a programme: its default language applies
    /// when neither the user nor the browser chose one we have.
    pub fn for_programme(&self, default_language: &str) -> Self {
        if self.chosen {
            return self.clone();
        }
        match supported(default_language) {
            Some(lang) => Self {
                lang,
                chosen: false,
            },
            None => self.clone(),
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn lang(&self) -> String {
        self.lang.to_string()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.lang, key)
    }

    /// The message `key` with one argument. A whole number goes in as a
    /// number, so that the message's plural forms (`[one]`, `*[other]`)
    /// choose by it.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed(name), argument(value.to_string()))]);
        LOCALES.lookup_with_args(&self.lang, key, &args)
    }

    /// A message with its arguments.
    pub fn msg(&self, msg: &crate::error::Msg) -> String {
        if msg.args.is_empty() {
            return self.t(msg.key);
        }
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = msg
            .args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), argument(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.lang, msg.key, &args)
    }

    /// The message `key`, or `None` if there is no such message.
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.lang, key)
    }

    /// The message `key` with one argument, or `None` if there is no such
    /// message (for keys named by untrusted input, e.g. a flash cookie).
    pub fn try_t1(&self, key: &str, name: &'static str, value: impl ToString) -> Option<String> {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_string()))]);
        LOCALES.try_lookup_with_args(&self.lang, key, &args)
    }
}

/// A message argument: a whole number as a number (for plural forms),
/// anything else as text. "007" stays text.
fn argument(v: String) -> FluentValue<'static> {
    match v.parse::<i64>() {
        Ok(n) if n.to_string() == v => FluentValue::from(n),
        _ => FluentValue::from(v),
    }
}

fn fallback() -> LanguageIdentifier {
    FALLBACK.parse().unwrap_or_default()
}

/// The best language we have for `tag` (matching on the primary language,
/// so `de-AT` finds `de`), if any.
fn supported(tag: &str) -> Option<LanguageIdentifier> {
    let wanted: LanguageIdentifier = tag.trim().parse().ok()?;
    LOCALES
        .locales()
        .find(|l| **l == wanted)
        .or_else(|| LOCALES.locales().find(|l| l.language == wanted.language))
        .cloned()
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(from_parts(parts))
    }
}

/// The language of a request from the browser's header alone.
pub fn from_parts(parts: &Parts) -> Tr {
    for_user(parts, None)
}

impl Tr {
    /// A day as its readers write it: `29.11.2026` in German, Danish and
    /// Turkish, `29/11/2026` in Arabic, `29 Nov 2026` in English (the
    /// month's short name from the messages). Written out here, like
    /// `money::display`, because these few numeric patterns are all the
    /// pages need; a locale library (ICU4X) would add its data tables to
    /// every build for them.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self.lang.language.as_str() {
            "de" | "da" | "tr" => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
            "ar" => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            _ => format!(
                "{} {} {}",
                d.day(),
                self.t(&format!("month-{}", d.month())),
                d.year()
            ),
        }
    }

    /// What separates the items of a list in running text: `, `, or the
    /// Arabic comma `، ` in Arabic.
    pub fn list_sep(&self) -> &'static str {
        if self.lang.language.as_str() == "ar" {
            "، "
        } else {
            ", "
        }
    }

    /// A count with its thousands grouped as the reader groups them:
    /// `1,560` in English and Arabic, `1.560` in German, Danish and Turkish.
    pub fn number(&self, n: i64) -> String {
        let sep = match self.lang.language.as_str() {
            "de" | "da" | "tr" => '.',
            _ => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A share (0.419) as a percentage with one decimal, in the reader's
    /// way: `41.9 %`, `41,9 %` (German, Danish), `%41,9` (Turkish).
    pub fn percent(&self, share: f64) -> String {
        let n = format!("{:.1}", share * 100.0);
        match self.lang.language.as_str() {
            "de" | "da" => format!("{} %", n.replace('.', ",")),
            "tr" => format!("%{}", n.replace('.', ",")),
            _ => format!("{n} %"),
        }
    }

    /// A day and a time of day (24 hours).
    pub fn date_time(&self, t: chrono::NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }
}

/// The cookie that keeps the language picked before signing in.
pub const LANG_COOKIE: &str = "nm_lang";

/// The language of a request: the user's setting (else the language picked
/// on the sign-in page), then the browser's.
pub fn for_user(parts: &Parts, user_setting: Option<&str>) -> Tr {
    let header = parts
        .headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let picked = super::cookie_values(&parts.headers, LANG_COOKIE).next();
    Tr::negotiate(user_setting.or(picked), header, None)
}

/// Each language's name in itself, for the language picker (the same in
/// every language, so that a reader finds her own).
pub fn native_name(tag: &str) -> &'static str {
    match tag {
        "ar" => "العربية",
        "da" => "Dansk",
        "de" => "Deutsch",
        "en" => "English",
        "tr" => "Türkçe",
        _ => "",
    }
}

/// Whether a language is written right to left.
pub fn is_rtl(tag: &str) -> bool {
    matches!(
        tag.split('-').next().unwrap_or(""),
        "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "prs"
    )
}

impl Tr {
    /// `rtl` or `ltr`, for `<html dir>`.
    pub fn dir(&self) -> &'static str {
        if is_rtl(&self.lang()) { "rtl" } else { "ltr" }
    }
}

/// The languages the interface is translated into (BCP 47 tags).
/// In the picker's order: the programmes' languages first, then the
/// mothers', then English; any other language after them by code.
pub fn available() -> Vec<String> {
    const ORDER: [&str; 5] = ["de", "da", "tr", "ar", "en"];
    let mut v: Vec<String> = LOCALES.locales().map(ToString::to_string).collect();
    v.sort_by_key(|l| {
        (
            ORDER.iter().position(|o| o == l).unwrap_or(ORDER.len()),
            l.clone(),
        )
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_setting_wins_over_header_and_programme() {
        let tr = Tr::negotiate(Some("en"), Some("xx"), Some("zz"));
        assert_eq!(tr.lang(), "en");
    }

    #[test]
    fn header_is_read_by_quality_and_primary_language() {
        let tr = Tr::negotiate(None, Some("fr;q=0.9, en-GB;q=0.8"), None);
        assert_eq!(tr.lang(), "en");
        assert!(tr.chosen);
    }

    #[test]
    fn programme_default_applies_only_without_a_choice() {
        // Nothing the browser asks for is translated: the programme's
        // default applies.
        let tr = Tr::negotiate(None, Some("fr, xx"), None);
        assert_eq!(tr.lang(), "en");
        assert!(!tr.chosen);
        assert_eq!(tr.for_programme("da").lang(), "da");
        let chosen = Tr::negotiate(None, Some("de-AT"), None);
        assert_eq!(chosen.lang(), "de");
        assert_eq!(chosen.for_programme("da").lang(), "de");
    }

    #[test]
    fn days_are_written_as_their_readers_write_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("day");
        let tr = |l: &str| Tr::negotiate(Some(l), None, None);
        assert_eq!(tr("de").date(d), "29.11.2026");
        assert_eq!(tr("da").date(d), "29.11.2026");
        assert_eq!(tr("tr").date(d), "29.11.2026");
        assert_eq!(tr("ar").date(d), "29/11/2026");
        assert_eq!(tr("en").date(d), "29 Nov 2026");
    }

    #[test]
    fn counts_are_grouped_as_their_readers_group_them() {
        let tr = |l: &str| Tr::negotiate(Some(l), None, None);
        assert_eq!(tr("en").number(1560), "1,560");
        assert_eq!(tr("de").number(1_234_567), "1.234.567");
        assert_eq!(tr("da").number(999), "999");
        assert_eq!(tr("en").number(-1000), "-1,000");
    }

    #[test]
    fn shares_are_written_as_their_readers_write_them() {
        let tr = |l: &str| Tr::negotiate(Some(l), None, None);
        assert_eq!(tr("en").percent(0.419), "41.9 %");
        assert_eq!(tr("de").percent(0.419), "41,9 %");
        assert_eq!(tr("tr").percent(0.419), "%41,9");
        assert_eq!(available()[0], "de", "the picker's order");
    }

    #[test]
    fn arabic_reads_right_to_left() {
        assert_eq!(Tr::negotiate(Some("ar"), None, None).dir(), "rtl");
        assert_eq!(Tr::negotiate(Some("de"), None, None).dir(), "ltr");
    }

    #[test]
    fn unknown_keys_are_detectable() {
        let tr = Tr::negotiate(None, None, None);
        assert!(tr.try_t1("flash-programme-created", "name", "X").is_some());
        assert!(tr.try_t1("no-such-key", "name", "X").is_none());
        assert_eq!(
            tr.t1("flash-programme-created", "name", "X"),
            "Programme “X” created."
        );
    }
}
