//! The places the generated programmes are modelled on, and where their
//! mothers come from.

/// A city with a neighbourhood-mothers programme: the programme's name,
/// settings and district names.
pub(super) struct City {
    pub city: &'static str,
    pub name: &'static str,
    pub country: &'static str,
    pub currency: &'static str,
    pub language: &'static str,
    /// A short code in the names made here: family reference codes,
    /// courses, grant references, trainers' emails, unnamed districts.
    pub prefix: &'static str,
    pub districts: &'static [&'static str],
}

/// The programmes are made in this order (`CITIES[i % 8]`, numbered from
/// the ninth on).
pub(super) const CITIES: [City; 8] = [
    City {
        city: "Berlin",
        name: "Stadtteilmütter Neukölln",
        country: "DE",
        currency: "EUR",
        language: "de",
        prefix: "NK",
        districts: &[
            "Reuterkiez",
            "Schillerkiez",
            "Rollbergsiedlung",
            "Gropiusstadt",
            "Britz",
            "Buckow",
            "Rudow",
            "Körnerpark",
            "Weiße Siedlung",
            "Flughafenkiez",
        ],
    },
    City {
        city: "København",
        name: "Bydelsmødre København",
        country: "DK",
        currency: "DKK",
        language: "da",
        prefix: "KB",
        districts: &[
            "Nørrebro",
            "Bispebjerg",
            "Amager Øst",
            "Vesterbro",
            "Valby",
            "Tingbjerg",
            "Sydhavnen",
            "Brønshøj-Husum",
        ],
    },
    City {
        city: "Aarhus",
        name: "Bydelsmødre Aarhus",
        country: "DK",
        currency: "DKK",
        language: "da",
        prefix: "AA",
        districts: &["Gellerup", "Bispehaven", "Skovgårdsparken", "Viby", "Hasle"],
    },
    City {
        city: "Hamburg",
        name: "Stadtteilmütter Hamburg",
        country: "DE",
        currency: "EUR",
        language: "de",
        prefix: "HH",
        districts: &["Billstedt", "Wilhelmsburg", "Veddel", "Harburg", "Lurup"],
    },
    City {
        city: "Malmö",
        name: "Stadsdelsmammor Malmö",
        country: "SE",
        currency: "SEK",
        language: "sv",
        prefix: "MA",
        districts: &["Rosengård", "Seved", "Holma", "Lindängen"],
    },
    City {
        city: "Wien",
        name: "Nachbarinnen Wien",
        country: "AT",
        currency: "EUR",
        language: "de",
        prefix: "WI",
        districts: &["Favoriten", "Brigittenau", "Ottakring", "Simmering"],
    },
    City {
        city: "Rotterdam",
        name: "Buurtmoeders Rotterdam",
        country: "NL",
        currency: "EUR",
        language: "nl",
        prefix: "RO",
        districts: &["Feijenoord", "Charlois", "Delfshaven", "IJsselmonde"],
    },
    City {
        city: "Oslo",
        name: "Bydelsmødre Oslo",
        country: "NO",
        currency: "NOK",
        language: "nb",
        prefix: "OS",
        districts: &["Grorud", "Stovner", "Søndre Nordstrand", "Gamle Oslo"],
    },
];

/// Where the mothers (and families) come from: names, languages, country.
pub(super) struct Origin {
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
    pub languages: &'static [&'static str],
    pub country: &'static str,
}

pub(super) const ORIGINS: [Origin; 10] = [
    Origin {
        first: &[
            "Aylin", "Fatma", "Elif", "Zeynep", "Emine", "Hatice", "Songül",
        ],
        last: &[
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Doğan",
        ],
        languages: &["tr", "de"],
        country: "TR",
    },
    Origin {
        first: &[
            "Amina", "Fatima", "Mariam", "Layla", "Nour", "Rania", "Samira",
        ],
        last: &[
            "Al-Hassan",
            "Haddad",
            "Khalil",
            "Mansour",
            "Nasser",
            "Saleh",
        ],
        languages: &["ar"],
        country: "SY",
    },
    Origin {
        first: &["Hiba", "Dalia", "Yasmin", "Rana"],
        last: &["Abou Chakra", "Fares", "Hamdan", "Karam"],
        languages: &["ar", "fr"],
        country: "LB",
    },
    Origin {
        first: &["Hodan", "Faadumo", "Sahra", "Ayaan", "Hibo"],
        last: &["Abdi", "Mohamed", "Warsame", "Farah", "Jama"],
        languages: &["so"],
        country: "SO",
    },
    Origin {
        first: &["Shirin", "Parisa", "Leila", "Maryam", "Zahra"],
        last: &["Hashemi", "Rahimi", "Karimi", "Ahmadi", "Mohammadi"],
        languages: &["fa"],
        country: "AF",
    },
    Origin {
        first: &["Nasrin", "Rojda", "Berfin", "Hêvî"],
        last: &["Barzani", "Amedi", "Zebari", "Ali"],
        languages: &["ku", "ar"],
        country: "IQ",
    },
    Origin {
        first: &["Ayesha", "Sadia", "Nadia", "Rukhsana"],
        last: &["Khan", "Hussain", "Iqbal", "Malik"],
        languages: &["ur", "en"],
        country: "PK",
    },
    Origin {
        first: &["Agnieszka", "Katarzyna", "Magdalena", "Joanna"],
        last: &["Kowalska", "Nowak", "Wiśniewska", "Zielińska"],
        languages: &["pl"],
        country: "PL",
    },
    Origin {
        first: &["Selam", "Helen", "Tsega", "Saba"],
        last: &["Tesfaye", "Gebre", "Haile", "Kidane"],
        languages: &["ti"],
        country: "ER",
    },
    Origin {
        first: &["Olena", "Iryna", "Oksana", "Natalia"],
        last: &["Bondarenko", "Shevchenko", "Kovalenko", "Melnyk"],
        languages: &["uk", "ru"],
        country: "UA",
    },
];
