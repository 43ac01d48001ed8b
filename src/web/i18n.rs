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
use fluent_templates::fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_templates::{Loader, static_loader};
use unic_langid::LanguageIdentifier;

static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would show up in
        // HTML attributes and in CSV exports. Counts are grouped as the
        // language groups thousands (see `argument`).
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let dot = matches!(
                bundle.locales.first().map(|l| l.language.as_str()),
                Some("de" | "da" | "tr")
            );
            bundle.set_formatter(Some(if dot { grouped_dot } else { grouped_comma }));
        },
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
    /// What the workers are called in this language, in the four forms of
    /// [`WORKER_VARIABLES`] (worked out once, not at every lookup).
    worker: [String; 4],
}

/// What a programme calls its workers (Stadtteilmütter, Bydelsmødre,
/// Integrationslotsinnen ...), in each language it has set: (language,
/// singular, plural), written as in the middle of a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerWords(pub Vec<(String, String, String)>);

impl WorkerWords {
    /// The words set for a language, if any.
    pub fn get(&self, lang: &str) -> Option<(&str, &str)> {
        self.0
            .iter()
            .find(|(l, _, _)| l == lang)
            .map(|(_, one, other)| (one.as_str(), other.as_str()))
    }
}

/// The variables every message may use for the workers' name: `$worker`,
/// `$workers` as written, `$Worker`, `$Workers` beginning a sentence.
pub const WORKER_VARIABLES: [&str; 4] = ["worker", "workers", "Worker", "Workers"];

impl Tr {
    pub fn new(lang: LanguageIdentifier) -> Self {
        Self::make(lang, true, WorkerWords::default())
    }

    fn make(lang: LanguageIdentifier, chosen: bool, words: WorkerWords) -> Self {
        let (one, other) = match words.get(lang.language.as_str()) {
            Some((one, other)) => (one.to_owned(), other.to_owned()),
            None => (
                LOCALES.lookup(&lang, "worker-one"),
                LOCALES.lookup(&lang, "worker-other"),
            ),
        };
        let code = lang.language.as_str();
        let (capital_one, capital_other) = (upper_first(&one, code), upper_first(&other, code));
        let worker = [one, other, capital_one, capital_other];
        Self {
            lang,
            chosen,
            worker,
        }
    }

    /// The same language with a programme's words for its workers.
    pub fn with_words(&self, words: WorkerWords) -> Self {
        Self::make(self.lang.clone(), self.chosen, words)
    }

    /// What the workers are called here: singular and plural, as written
    /// in the middle of a sentence.
    pub fn worker_words(&self) -> (&str, &str) {
        (&self.worker[0], &self.worker[1])
    }

    /// The arguments every lookup gets: the workers' name, in four forms.
    fn ambient(&self) -> HashMap<Cow<'static, str>, FluentValue<'_>> {
        WORKER_VARIABLES
            .iter()
            .zip(&self.worker)
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.as_str())))
            .collect()
    }

    /// Negotiates the language from the user's setting, the Accept-Language
    /// header and a programme's default, in that order.
    pub fn negotiate(
        user_setting: Option<&str>,
        accept_language: Option<&str>,
        programme_default: Option<&str>,
    ) -> Self {
        let none = WorkerWords::default;
        if let Some(lang) = user_setting.and_then(supported) {
            return Self::make(lang, true, none());
        }
        if let Some(header) = accept_language {
            for tag in accept_language::parse(header) {
                if let Some(lang) = supported(&tag) {
                    return Self::make(lang, true, none());
                }
            }
        }
        let lang = programme_default
            .and_then(supported)
            .unwrap_or_else(fallback);
        Self::make(lang, false, none())
    }

    /// The same request seen inside a programme: its default language applies
    /// when neither the user nor the browser chose one we have, and its own
    /// words for its workers.
    pub fn for_programme(&self, default_language: &str, words: WorkerWords) -> Self {
        let lang = match supported(default_language) {
            Some(lang) if !self.chosen => lang,
            _ => self.lang.clone(),
        };
        Self::make(lang, self.chosen, words)
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn lang(&self) -> String {
        self.lang.to_string()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup_with_args(&self.lang, key, &self.ambient())
    }

    /// The message `key` with one argument. A whole number goes in as a
    /// number, so that the message's plural forms (`[one]`, `*[other]`)
    /// choose by it.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args = self.ambient();
        args.insert(Cow::Borrowed(name), argument(name, value.to_string()));
        LOCALES.lookup_with_args(&self.lang, key, &args)
    }

    /// A message with its arguments.
    pub fn msg(&self, msg: &crate::error::Msg) -> String {
        let mut args = self.ambient();
        for (k, v) in &msg.args {
            args.insert(Cow::Borrowed(*k), argument(k, v.clone()));
        }
        LOCALES.lookup_with_args(&self.lang, msg.key, &args)
    }

    /// The message `key`, or `None` if there is no such message.
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup_with_args(&self.lang, key, &self.ambient())
    }

    /// The message `key` with one argument, or `None` if there is no such
    /// message (for keys named by untrusted input, e.g. a flash cookie).
    pub fn try_t1(&self, key: &str, name: &'static str, value: impl ToString) -> Option<String> {
        let mut args = self.ambient();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_string()));
        LOCALES.try_lookup_with_args(&self.lang, key, &args)
    }
}

/// The arguments that are counts: their thousands are grouped (`1.560
/// Besuche`); any other number (a year, an id) is written as it is.
const COUNTS: [&str; 7] = [
    "count", "days", "needed", "modules", "minutes", "max", "attended",
];

/// A message argument: a whole number as a number (for plural forms),
/// anything else as text. "007" stays text.
fn argument(name: &str, v: String) -> FluentValue<'static> {
    match v.parse::<i64>() {
        Ok(n) if n.to_string() == v => FluentValue::Number(FluentNumber::new(
            n as f64,
            FluentNumberOptions {
                use_grouping: COUNTS.contains(&name),
                ..FluentNumberOptions::default()
            },
        )),
        _ => FluentValue::from(v),
    }
}

/// Writes a grouped count (see `argument`) with `.` between thousands;
/// anything else as Fluent writes it.
fn grouped_dot<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    grouped(v, '.')
}

/// Writes a grouped count with `,` between thousands.
fn grouped_comma<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    grouped(v, ',')
}

fn grouped(v: &FluentValue<'_>, sep: char) -> Option<String> {
    match v {
        FluentValue::Number(n)
            if n.options.use_grouping && n.value.fract() == 0.0 && n.value.abs() >= 1000.0 =>
        {
            Some(group(n.value as i64, sep))
        }
        _ => None,
    }
}

/// `n` with `sep` between its thousands.
fn group(n: i64, sep: char) -> String {
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

/// `s` with its first letter upper case, for a word beginning a sentence
/// (the dotted capital İ for Turkish i).
fn upper_first(s: &str, lang: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some('i') if lang == "tr" || lang == "az" => format!("İ{}", chars.as_str()),
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
        group(n, sep)
    }

    /// A share (0.419) as a percentage with one decimal, in the reader's
    /// way: `41.9 %`, `41,9 %` (German, Danish), `%41,9` (Turkish).
    pub fn percent(&self, share: f64) -> String {
        let n = format!("{:.1}", share * 100.0);
        match self.lang.language.as_str() {
            "de" | "da" => format!("{} %", n.replace('.', ",")),
            "tr" => format!("%{}", n.replace('.', ",")),
            // One left-to-right run in right-to-left text (as amounts), so
            // that the sign stays after the number.
            "ar" => format!("\u{2066}{n} %\u{2069}"),
            _ => format!("{n} %"),
        }
    }

    /// A day and a time of day (24 hours).
    pub fn date_time(&self, t: chrono::NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }
}

impl Tr {
    /// The language of the command line's messages: the system's locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`; `de_DE.UTF-8` is German), else
    /// English.
    pub fn from_env() -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty());
        Self::from_locale(locale.as_deref())
    }

    /// The language of a POSIX locale name (`da_DK.UTF-8`, `ar_SY@x`).
    fn from_locale(locale: Option<&str>) -> Self {
        let tag = locale
            .and_then(|l| l.split(['.', '@']).next())
            .map(|l| l.replace('_', "-"));
        Self::negotiate(tag.as_deref(), None, None)
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
        assert_eq!(tr.for_programme("da", WorkerWords::default()).lang(), "da");
        let chosen = Tr::negotiate(None, Some("de-AT"), None);
        assert_eq!(chosen.lang(), "de");
        assert_eq!(
            chosen.for_programme("da", WorkerWords::default()).lang(),
            "de"
        );
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
    fn counts_inside_messages_are_grouped_years_and_ids_are_not() {
        let de = Tr::negotiate(Some("de"), None, None);
        let en = Tr::negotiate(Some("en"), None, None);
        assert_eq!(en.t1("mothers-count", "count", 1560), "1,560 found");
        assert!(de.t1("mothers-count", "count", 1560).starts_with("1.560 "));
        assert!(en.t1("report-title", "year", 2025).contains("2025"));
        assert!(de.t1("report-title", "year", 2025).contains("2025"));
        // Plural forms still choose by the number.
        assert_eq!(en.t1("unit-minutes", "count", 1), "1 min");
        assert_eq!(en.t1("mothers-count", "count", 999), "999 found");
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
    fn a_programme_s_word_for_its_workers_replaces_the_usual_one() {
        let words = WorkerWords(vec![
            (
                "de".into(),
                "Integrationslotsin".into(),
                "Integrationslotsinnen".into(),
            ),
            ("tr".into(), "ilçe annesi".into(), "ilçe anneleri".into()),
        ]);
        let de = Tr::negotiate(Some("de"), None, None);
        assert_eq!(de.t("nav-mothers"), "Stadtteilmütter", "the usual word");
        let de = de.with_words(words.clone());
        assert_eq!(de.t("nav-mothers"), "Integrationslotsinnen");
        assert_eq!(de.t("mother-new"), "Neue Integrationslotsin");
        let en = Tr::negotiate(Some("en"), None, None).with_words(words.clone());
        assert_eq!(en.t("nav-mothers"), "Mothers", "no English words set");
        // Turkish capitals: a dotted İ for i.
        let tr = Tr::negotiate(Some("tr"), None, None).with_words(words.clone());
        assert_eq!(tr.t("nav-mothers"), "İlçe anneleri");
        // With the arguments of a message, and after switching language.
        let m = crate::error::Msg::new("error-mother-may-not-visit").arg("status", "x");
        assert!(
            de.msg(&m).starts_with("Diese Integrationslotsin "),
            "{}",
            de.msg(&m)
        );
        let switched = Tr::negotiate(None, None, None).for_programme("de", words);
        assert_eq!(switched.t("nav-mothers"), "Integrationslotsinnen");
    }

    #[test]
    fn the_command_line_speaks_the_system_s_language() {
        assert_eq!(Tr::from_locale(Some("de_DE.UTF-8")).lang(), "de");
        assert_eq!(Tr::from_locale(Some("da_DK")).lang(), "da");
        assert_eq!(Tr::from_locale(Some("ar_SY@latin")).lang(), "ar");
        assert_eq!(Tr::from_locale(Some("C.UTF-8")).lang(), "en");
        assert_eq!(Tr::from_locale(Some("POSIX")).lang(), "en");
        assert_eq!(Tr::from_locale(None).lang(), "en");
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
