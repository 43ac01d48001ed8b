//! The languages, countries and currencies a form offers, by code (ISO
//! 639, ISO 3166-1 alpha-2, ISO 4217); their names come from the
//! translations (`lang-ar`, `country-sy`, `currency-eur`), so that people
//! choose "Arabic" or "Syria" in their own language and never type a code.
//! A short list on purpose: the languages and countries of the families
//! and mothers these programmes work with, and the currencies of Europe.
//! A code stored before that is not in a list is still shown and kept.

/// Languages families and mothers speak, and interpreters translate.
pub const LANGUAGES: &[&str] = &[
    "am", "ar", "bg", "bn", "bs", "ckb", "da", "de", "el", "en", "es", "fa", "fr", "ha", "hi",
    "hr", "hu", "it", "kmr", "ku", "ln", "nl", "no", "pa", "pl", "prs", "ps", "pt", "ro", "ru",
    "sq", "sr", "so", "sv", "sw", "ta", "th", "ti", "tl", "tr", "uk", "ur", "vi", "wo", "zh",
];

/// Countries of origin, and the countries programmes and funders are in.
pub const COUNTRIES: &[&str] = &[
    "af", "al", "am", "at", "az", "ba", "bd", "be", "bg", "cd", "ch", "cm", "cn", "cz", "de", "dk",
    "dz", "eg", "er", "es", "et", "fi", "fr", "gb", "ge", "gh", "gm", "gn", "gr", "hr", "hu", "ie",
    "in", "iq", "ir", "is", "it", "jo", "ke", "lb", "lk", "ly", "ma", "md", "mk", "ng", "nl", "no",
    "ps", "ph", "pk", "pl", "pt", "ro", "rs", "ru", "sd", "se", "sn", "so", "ss", "sy", "th", "tn",
    "tr", "ua", "us", "vn", "ye",
];

/// A programme's default language: the languages with a two-letter code.
pub const INTERFACE_LANGUAGES: &[&str] = &[
    "am", "ar", "bg", "bn", "bs", "da", "de", "el", "en", "es", "fa", "fr", "ha", "hi", "hr", "hu",
    "it", "ku", "ln", "nl", "no", "pa", "pl", "ps", "pt", "ro", "ru", "sq", "sr", "so", "sv", "sw",
    "ta", "th", "ti", "tl", "tr", "uk", "ur", "vi", "wo", "zh",
];

/// Currencies programmes and grants are kept in.
pub const CURRENCIES: &[&str] = &[
    "EUR", "DKK", "SEK", "NOK", "ISK", "CHF", "GBP", "PLN", "CZK", "HUF", "RON", "BGN", "TRY",
    "USD",
];

/// Which list, and the prefix of its names' messages.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Language,
    /// A language a programme's pages may default to (ISO 639-1 only).
    InterfaceLanguage,
    Country,
    Currency,
}

impl Kind {
    pub fn parse(kind: &str) -> Kind {
        match kind {
            "country" => Kind::Country,
            "currency" => Kind::Currency,
            "interface-language" => Kind::InterfaceLanguage,
            _ => Kind::Language,
        }
    }

    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Kind::Language => LANGUAGES,
            Kind::InterfaceLanguage => INTERFACE_LANGUAGES,
            Kind::Country => COUNTRIES,
            Kind::Currency => CURRENCIES,
        }
    }

    /// The message with a code's name.
    pub fn key(self, code: &str) -> String {
        let prefix = match self {
            Kind::Language | Kind::InterfaceLanguage => "lang",
            Kind::Country => "country",
            Kind::Currency => "currency",
        };
        format!("{prefix}-{}", code.trim().to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code offered passes the forms' checks and has a name.
    #[test]
    fn every_code_is_valid_and_named() {
        let ftl =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en/main.ftl"))
                .expect("English messages");
        for l in LANGUAGES {
            assert!(
                isolang::Language::from_639_1(l).is_some()
                    || isolang::Language::from_639_3(l).is_some(),
                "{l}"
            );
            assert!(
                ftl.contains(&format!("\n{} = ", Kind::Language.key(l))),
                "{l} named"
            );
        }
        for l in INTERFACE_LANGUAGES {
            assert!(isolang::Language::from_639_1(l).is_some(), "{l}");
            assert!(LANGUAGES.contains(l), "{l}");
        }
        for c in COUNTRIES {
            assert!(
                rust_iso3166::from_alpha2(&c.to_ascii_uppercase()).is_some(),
                "{c}"
            );
            assert!(
                ftl.contains(&format!("\n{} = ", Kind::Country.key(c))),
                "{c} named"
            );
        }
        for c in CURRENCIES {
            assert!(
                ftl.contains(&format!("\n{} = ", Kind::Currency.key(c))),
                "{c} named"
            );
        }
    }
}
