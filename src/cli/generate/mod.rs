//! Synthetic data: `neighbourhood-mothers generate`.
//!
//! Small tables (programmes, districts, users, mothers, courses, funding)
//! are built here with a seeded random generator; the large ones (families,
//! visits, their topics, referrals) are built inside PostgreSQL with
//! `INSERT … SELECT` over `generate_series`, after `setseed`, so a million
//! visits take seconds rather than a million round trips. Everything runs
//! in one transaction on one connection (without parallel workers), so the
//! same seed on an empty database gives the same data.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, NaiveDate};
use diesel::sql_types::{BigInt, Date, Double, Integer, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::audit::{self, Subject};
use crate::auth::model::{User, UserData};
use crate::auth::password::{self, Secret};
use crate::authz::Role;
use crate::clock::Clock;
use crate::db::{self, Database};

/// The flags of `generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// `demo`: two programmes modelled on Berlin-Neukölln and Copenhagen,
    /// a year of data and one demo user per role (the other flags are ignored).
    #[arg(long, value_parser = ["demo"])]
    pub preset: Option<String>,
    /// Programmes to create.
    #[arg(long, default_value_t = 2)]
    pub programmes: u32,
    /// Districts in all, shared out over the programmes.
    #[arg(long, default_value_t = 10)]
    pub districts: u32,
    /// Mothers in all.
    #[arg(long, default_value_t = 100)]
    pub mothers: u32,
    /// Visits in all.
    #[arg(long, default_value_t = 10_000)]
    pub visits: u64,
    /// Years of history up to today.
    #[arg(long, default_value_t = 3)]
    pub years: u32,
    /// The same seed on an empty database gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl GenerateArgs {
    pub fn spec(&self) -> Spec {
        if self.preset.as_deref() == Some("demo") {
            return Spec::demo();
        }
        Spec {
            programmes: self.programmes,
            districts: self.districts,
            mothers: self.mothers,
            visits: self.visits,
            years: self.years,
            seed: self.seed,
            demo_users: false,
        }
    }
}

/// `generate`: applies pending migrations, fills the database up to today
/// and prints what it made (and the demo accounts' one-time passwords).
pub async fn run(database: &Database, args: &GenerateArgs) -> Result<()> {
    db::run_migrations(&database.url).await?;
    let spec = args.spec();
    let started = std::time::Instant::now();
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let today = Clock::system().today();
    let summary = generate(&mut conn, &spec, today).await?;
    println!(
        "Generated in {:.1} s (seed {}):",
        started.elapsed().as_secs_f64(),
        spec.seed
    );
    for (id, name) in &summary.programmes {
        println!("  programme {id}: {name}");
    }
    for (what, n) in &summary.counts {
        println!("  {what}: {n}");
    }
    if !summary.accounts.is_empty() {
        println!();
        println!(
            "Demo accounts (one-time passwords, shown only now; each must be changed at the first sign-in):"
        );
        for (email, role, pw) in &summary.accounts {
            println!("  {:<12} {email:<32} {pw}", role.to_string());
        }
    }
    Ok(())
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub programmes: u32,
    /// Districts in all, shared out over the programmes (at least one each).
    pub districts: u32,
    /// Mothers in all.
    pub mothers: u32,
    /// Visits in all.
    pub visits: u64,
    /// The visits and courses span this many years up to today.
    pub years: u32,
    pub seed: u64,
    /// Demo accounts (one per role) with one-time passwords.
    pub demo_users: bool,
}

impl Spec {
    /// The `--preset demo` data set: Berlin-Neukölln and Copenhagen, a year
    /// of courses, visits, events and funding, and one user per role.
    pub fn demo() -> Self {
        Spec {
            programmes: 2,
            districts: 10,
            mothers: 48,
            visits: 1_600,
            years: 1,
            seed: 2012,
            demo_users: true,
        }
    }
}

/// What was made; `accounts` holds the demo users' one-time passwords.
#[derive(Debug, Default)]
pub struct Summary {
    pub programmes: Vec<(i64, String)>,
    pub counts: Vec<(String, i64)>,
    pub accounts: Vec<(String, Role, String)>,
}

struct City {
    city: &'static str,
    name: &'static str,
    country: &'static str,
    currency: &'static str,
    language: &'static str,
    prefix: &'static str,
    districts: &'static [&'static str],
}

const CITIES: [City; 8] = [
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
struct Origin {
    first: &'static [&'static str],
    last: &'static [&'static str],
    languages: &'static [&'static str],
    country: &'static str,
}

const ORIGINS: [Origin; 10] = [
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

/// How often the default visit topics come up (children and health most,
/// as in the Danish 2012 figures: children, health, authorities, schools,
/// economy, loneliness).
const TOPIC_WEIGHTS: [(&str, f64); 11] = [
    ("children_upbringing", 0.60),
    ("health", 0.45),
    ("authorities", 0.35),
    ("schools", 0.30),
    ("economy", 0.25),
    ("loneliness", 0.20),
    ("day_care", 0.12),
    ("language", 0.12),
    ("work", 0.10),
    ("housing", 0.10),
    ("law_residence", 0.08),
];

const FUNDERS: [(&str, &str); 6] = [
    ("Ministry of Social Affairs and Integration", "government"),
    ("City Council", "municipality"),
    ("Community Foundation", "foundation"),
    ("European Social Fund", "eu_fund"),
    ("Friends of the Neighbourhood Mothers", "private_donor"),
    ("Own capital", "own_capital"),
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).unwrap_or(&items[0])
}

/// An SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An SQL text[] literal.
fn arr(items: &[&str]) -> String {
    format!(
        "ARRAY[{}]::text[]",
        items.iter().map(|s| lit(s)).collect::<Vec<_>>().join(",")
    )
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// One mother as planned here: her dates decide her status history and
/// the window in which she visits.
struct PlannedMother {
    programme: usize,
    district: i64,
    name: String,
    origin: usize,
    joined: NaiveDate,
    allowance: bool,
    /// The course she is enrolled in, and whether she completed it.
    course: Option<usize>,
    completed: bool,
    /// Active from, and until (left or paused), if she got that far.
    active: Option<(NaiveDate, NaiveDate)>,
    status: &'static str,
}

struct PlannedCourse {
    programme: usize,
    name: String,
    starts: NaiveDate,
    ends: NaiveDate,
}

/// Fills the database; see the module comment. Refuses to run twice over
/// the same programme names (they are unique).
pub async fn generate(
    conn: &mut AsyncPgConnection,
    spec: &Spec,
    today: NaiveDate,
) -> Result<Summary> {
    if spec.programmes == 0 {
        bail!("--programmes must be at least 1");
    }
    if spec.years == 0 || spec.years > 50 {
        bail!("--years must be between 1 and 50");
    }
    if spec.visits > 0 && spec.mothers == 0 {
        bail!("visits need mothers: set --mothers");
    }
    let spec = spec.clone();
    conn.transaction(async move |conn| generate_in(conn, &spec, today).await)
        .await
}

async fn generate_in(
    conn: &mut AsyncPgConnection,
    spec: &Spec,
    today: NaiveDate,
) -> Result<Summary> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let start = today - Duration::days(365 * i64::from(spec.years));
    let p_count = spec.programmes as usize;
    conn.batch_execute(
        "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronous_commit = off;",
    )
    .await?;
    let mut summary = Summary::default();

    // Programmes and their districts.
    let mut programmes: Vec<(i64, &City)> = Vec::new();
    let mut districts: Vec<Vec<i64>> = Vec::new();
    for i in 0..p_count {
        let city = &CITIES[i % CITIES.len()];
        let name = if i < CITIES.len() {
            city.name.to_owned()
        } else {
            format!("{} {}", city.name, i / CITIES.len() + 1)
        };
        let exists: Vec<Id> =
            diesel::sql_query("SELECT id FROM programmes WHERE lower(name) = lower($1)")
                .bind::<Text, _>(&name)
                .load(conn)
                .await?;
        if !exists.is_empty() {
            bail!(
                "a programme named \"{name}\" exists already: generate into an empty database \
                 (a new --data-dir)"
            );
        }
        let row: Id = diesel::sql_query(
            "INSERT INTO programmes (name, city, country, currency, default_language, start_date,
                                     description, practice_visits_allowed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, false) RETURNING id",
        )
        .bind::<Text, _>(&name)
        .bind::<Text, _>(city.city)
        .bind::<Text, _>(city.country)
        .bind::<Text, _>(city.currency)
        .bind::<Text, _>(city.language)
        .bind::<Date, _>(start)
        .bind::<Text, _>("Generated data.")
        .get_result(conn)
        .await?;
        programmes.push((row.id, city));
        summary.programmes.push((row.id, name));
        let n = (spec.districts as usize / p_count
            + usize::from(i < spec.districts as usize % p_count))
        .max(1);
        let mut ids = Vec::new();
        for d in 0..n {
            let dname = city
                .districts
                .get(d)
                .map_or_else(|| format!("{} {}", city.prefix, d + 1), |s| (*s).to_owned());
            let r: Id = diesel::sql_query(
                "INSERT INTO districts (programme_id, name) VALUES ($1, $2) RETURNING id",
            )
            .bind::<BigInt, _>(row.id)
            .bind::<Text, _>(&dname)
            .get_result(conn)
            .await?;
            ids.push(r.id);
        }
        districts.push(ids);
    }

    // Accounts: a trainer per programme (courses need one); with the demo,
    // one user per role with a one-time password.
    let mut trainers = Vec::new();
    let all_ids: Vec<i64> = programmes.iter().map(|(id, _)| *id).collect();
    let mut accounts: Vec<(String, String, Role, Vec<i64>)> = Vec::new();
    if spec.demo_users {
        accounts.push((
            "demo-admin@example.org".into(),
            "Demo Admin".into(),
            Role::Admin,
            vec![],
        ));
        accounts.push((
            "demo-manager@example.org".into(),
            "Demo Manager".into(),
            Role::Manager,
            all_ids.clone(),
        ));
        accounts.push((
            "demo-coordinator@example.org".into(),
            "Demo Coordinator".into(),
            Role::Coordinator,
            all_ids.clone(),
        ));
        accounts.push((
            "demo-trainer@example.org".into(),
            "Demo Trainer".into(),
            Role::Trainer,
            all_ids.clone(),
        ));
    } else {
        for (i, (id, city)) in programmes.iter().enumerate() {
            accounts.push((
                format!(
                    "trainer-{}-{}@generated.example",
                    city.prefix.to_lowercase(),
                    i + 1
                ),
                format!("Trainer {}", city.city),
                Role::Trainer,
                vec![*id],
            ));
        }
    }
    for (email, name, role, ids) in accounts {
        let one_time = password::one_time_password();
        let hash = password::hash(Secret::new(one_time.clone())).await?;
        let data = UserData {
            email: email.clone(),
            display_name: name,
            role,
            programme_ids: ids,
            language: None,
        };
        let user = User::create(conn, None, &data, &hash, true)
            .await
            .with_context(|| format!("cannot create {email} (does it exist already?)"))?;
        if role == Role::Trainer {
            trainers.push(user.id);
        }
        if spec.demo_users {
            summary.accounts.push((email, role, one_time));
        }
    }
    let trainer_of = |p: usize| trainers[p % trainers.len()];

    // Courses: two a year per programme (spring and autumn), ten modules each.
    let mut courses: Vec<PlannedCourse> = Vec::new();
    for (p, (_, city)) in programmes.iter().enumerate() {
        for y in start.year()..=today.year() {
            for (season, month) in [("spring", 2), ("autumn", 9)] {
                let Some(starts) = NaiveDate::from_ymd_opt(y, month, 1) else {
                    continue;
                };
                if starts > today || starts < start - Duration::days(180) {
                    continue;
                }
                courses.push(PlannedCourse {
                    programme: p,
                    name: format!("{} {season} {y}", city.prefix),
                    starts,
                    ends: starts + Duration::days(7 * 10),
                });
            }
        }
    }

    // Mothers, spread evenly over the programmes.
    let mut mothers: Vec<PlannedMother> = Vec::new();
    for i in 0..spec.mothers as usize {
        let p = i % p_count;
        let origin = rng.random_range(0..ORIGINS.len());
        let o = &ORIGINS[origin];
        let name = format!("{} {}", pick(&mut rng, o.first), pick(&mut rng, o.last));
        let span = (today - start).num_days().max(1);
        // Most joined before the period or early in it; a few recently.
        let joined = start - Duration::days(120)
            + Duration::days((rng.random::<f64>().powf(1.6) * span as f64) as i64);
        let course = courses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.programme == p && c.starts >= joined)
            .min_by_key(|(_, c)| c.starts)
            .map(|(i, _)| i);
        let r: f64 = rng.random();
        let (completed, active, status) = match course.map(|c| &courses[c]) {
            None => (false, None, "applicant"),
            Some(c) if c.ends + Duration::days(14) > today => (false, None, "in_training"),
            Some(_) if r < 0.06 => (false, None, "left"),
            Some(c) => {
                let from = c.ends + Duration::days(14);
                let rest = (today - from).num_days();
                let s: f64 = rng.random();
                if s < 0.12 && rest > 60 {
                    let until = from + Duration::days(rng.random_range(30..rest));
                    (true, Some((from, until)), "left")
                } else if s < 0.18 && rest > 60 {
                    let until = from + Duration::days(rng.random_range(30..rest));
                    (true, Some((from, until)), "paused")
                } else if s < 0.24 {
                    (true, Some((from, today)), "certified")
                } else {
                    (true, Some((from, today)), "active")
                }
            }
        };
        mothers.push(PlannedMother {
            programme: p,
            district: *pick(&mut rng, &districts[p]),
            name,
            origin,
            joined,
            allowance: rng.random::<f64>() < 0.35,
            course,
            completed,
            active,
            status,
        });
    }

    // Insert mothers as active (the visit trigger checks the status at
    // insert time); their real statuses are set after the visits.
    let mut mother_ids: Vec<i64> = Vec::with_capacity(mothers.len());
    for chunk in mothers.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO mothers (programme_id, district_id, full_name, phone, languages,
               country_of_origin, gender, engagement, monthly_allowance_minor, joined_on, status)
             VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            let o = &ORIGINS[m.origin];
            let (pid, city) = programmes[m.programme];
            let phone = format!(
                "+{} {}",
                match city.country {
                    "DE" => "49",
                    "DK" => "45",
                    "SE" => "46",
                    "AT" => "43",
                    "NL" => "31",
                    _ => "47",
                },
                rng.random_range(10_000_000..99_999_999)
            );
            let (engagement, allowance) = if m.allowance {
                ("allowance", "15000".to_owned())
            } else {
                ("volunteer", "NULL".to_owned())
            };
            let _ = write!(
                sql,
                "{}({pid}, {}, {}, {}, {}, {}, 'female', '{engagement}', {allowance}, '{}', 'active')",
                if i > 0 { "," } else { "" },
                m.district,
                lit(&m.name),
                lit(&phone),
                arr(o.languages),
                lit(o.country),
                m.joined
            );
        }
        sql.push_str(" RETURNING id");
        let rows: Vec<Id> = diesel::sql_query(sql).load(conn).await?;
        mother_ids.extend(rows.into_iter().map(|r| r.id));
    }

    // Courses, modules, enrolments, attendance.
    let mut course_ids = Vec::new();
    let mut module_ids: Vec<Vec<(i64, NaiveDate)>> = Vec::new();
    for c in &courses {
        let pid = programmes[c.programme].0;
        let row: Id = diesel::sql_query(
            "INSERT INTO courses (programme_id, name, trainer_id, location, starts_on, ends_on)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind::<BigInt, _>(pid)
        .bind::<Text, _>(&c.name)
        .bind::<BigInt, _>(trainer_of(c.programme))
        .bind::<Text, _>("Family centre")
        .bind::<Date, _>(c.starts)
        .bind::<Date, _>(c.ends)
        .get_result(conn)
        .await?;
        let rows: Vec<Id> = diesel::sql_query(
            "INSERT INTO course_modules (course_id, position, title, topic_id, held_on, minutes)
             SELECT $1, n, t.label, t.id, $2 + 7 * (n - 1), 180
             FROM generate_series(1, 10) n
             JOIN curriculum_topics t ON t.id = (SELECT min(id) FROM curriculum_topics
                 WHERE programme_id IS NULL) + (n - 1) % 8
             ORDER BY n RETURNING id",
        )
        .bind::<BigInt, _>(row.id)
        .bind::<Date, _>(c.starts)
        .load(conn)
        .await?;
        module_ids.push(
            rows.iter()
                .enumerate()
                .map(|(i, r)| (r.id, c.starts + Duration::days(7 * i as i64)))
                .collect(),
        );
        course_ids.push(row.id);
    }
    let mut enrolled = 0i64;
    for (chunk_start, chunk) in mothers.chunks(300).enumerate() {
        let mut sql = String::from(
            "INSERT INTO enrolments (programme_id, course_id, mother_id, enrolled_on, status,
               completed_on, certified_on, dropped_out_on, drop_out_reason) VALUES ",
        );
        let mut attendance = String::new();
        let mut any = false;
        for (i, m) in chunk.iter().enumerate() {
            let Some(c) = m.course else { continue };
            let mid = mother_ids[chunk_start * 300 + i];
            let course = &courses[c];
            let pid = programmes[m.programme].0;
            let (status, completed, certified, dropped, reason) = if m.completed {
                (
                    "completed",
                    format!("'{}'", course.ends),
                    format!("'{}'", course.ends + Duration::days(7)),
                    "NULL".to_owned(),
                    "NULL".to_owned(),
                )
            } else if m.status == "left" {
                (
                    "dropped_out",
                    "NULL".into(),
                    "NULL".into(),
                    format!("'{}'", course.starts + Duration::days(21)),
                    "'moved away'".into(),
                )
            } else {
                (
                    "enrolled",
                    "NULL".into(),
                    "NULL".into(),
                    "NULL".into(),
                    "NULL".into(),
                )
            };
            let _ = write!(
                sql,
                "{}({pid}, {}, {mid}, '{}', '{status}', {completed}, {certified}, {dropped}, {reason})",
                if any { "," } else { "" },
                course_ids[c],
                course.starts - Duration::days(7),
            );
            any = true;
            enrolled += 1;
            // Attendance of the modules held so far (one missed now and then).
            for (module, held) in &module_ids[c] {
                if *held > today
                    || (status == "dropped_out" && *held > course.starts + Duration::days(21))
                {
                    continue;
                }
                let mark = if rng.random::<f64>() < 0.08 {
                    "absent"
                } else {
                    "present"
                };
                let _ = write!(
                    attendance,
                    "{}({mid}, {module}, '{mark}')",
                    if attendance.is_empty() { "" } else { "," }
                );
            }
        }
        if any {
            diesel::sql_query(sql).execute(conn).await?;
        }
        if !attendance.is_empty() {
            diesel::sql_query(format!(
                "INSERT INTO attendance (enrolment_id, module_id, status)
                 SELECT e.id, a.module_id, a.status
                 FROM (VALUES {attendance}) AS a(mother_id, module_id, status)
                 JOIN course_modules cm ON cm.id = a.module_id
                 JOIN enrolments e ON e.mother_id = a.mother_id AND e.course_id = cm.course_id"
            ))
            .execute(conn)
            .await?;
        }
    }

    // The visiting mothers and their windows, for the SQL below.
    conn.batch_execute(
        "CREATE TEMP TABLE gen_m (rn INT PRIMARY KEY, pid BIGINT, mid BIGINT, from_d DATE, to_d DATE,
                                  prn INT, nfam INT NOT NULL DEFAULT 0, UNIQUE (pid, prn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_f (mid BIGINT, rn INT, fid BIGINT, PRIMARY KEY (mid, rn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_p (pid BIGINT PRIMARY KEY, prefix TEXT, nf INT, nd INT, nm INT) ON COMMIT DROP;
         CREATE TEMP TABLE gen_d (pid BIGINT, rn INT, did BIGINT, PRIMARY KEY (pid, rn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_combo (combo INT, topic_id BIGINT) ON COMMIT DROP;",
    )
    .await?;
    let visitors: Vec<(usize, &PlannedMother)> = mothers
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.active
                .is_some_and(|(from, until)| from <= today && from <= until)
        })
        .collect();
    // Each visiting mother's rank within her programme (families are
    // shared out over the visiting mothers of their programme).
    let mut per_programme = vec![0usize; p_count];
    for (chunk_no, chunk) in visitors.chunks(1000).enumerate() {
        let mut sql = String::from("INSERT INTO gen_m (rn, pid, mid, from_d, to_d, prn) VALUES ");
        for (i, (idx, m)) in chunk.iter().enumerate() {
            let Some((from, until)) = m.active else {
                continue;
            };
            per_programme[m.programme] += 1;
            let _ = write!(
                sql,
                "{}({}, {}, {}, '{}', '{}', {})",
                if i > 0 { "," } else { "" },
                chunk_no * 1000 + i + 1,
                programmes[m.programme].0,
                mother_ids[*idx],
                from.max(start),
                until.min(today),
                per_programme[m.programme]
            );
        }
        diesel::sql_query(sql).execute(conn).await?;
    }
    // Families: about one for every eight visits, at least one per programme.
    let families_per_programme = ((spec.visits / 8) as usize / p_count).max(1);
    for (p, (pid, city)) in programmes.iter().enumerate() {
        diesel::sql_query("INSERT INTO gen_p VALUES ($1, $2, $3, $4, $5)")
            .bind::<BigInt, _>(*pid)
            .bind::<Text, _>(city.prefix)
            .bind::<Integer, _>(families_per_programme as i32)
            .bind::<Integer, _>(districts[p].len() as i32)
            .bind::<Integer, _>(per_programme[p] as i32)
            .execute(conn)
            .await?;
        for (i, d) in districts[p].iter().enumerate() {
            diesel::sql_query("INSERT INTO gen_d VALUES ($1, $2, $3)")
                .bind::<BigInt, _>(*pid)
                .bind::<Integer, _>(i as i32 + 1)
                .bind::<BigInt, _>(*d)
                .execute(conn)
                .await?;
        }
    }
    // Topic combinations: half with three topics, half with one, drawn by weight.
    let mut combos = String::new();
    for combo in 0..200 {
        let k = if combo < 100 { 3 } else { 1 };
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < k {
            let total: f64 = TOPIC_WEIGHTS
                .iter()
                .filter(|(t, _)| !chosen.contains(t))
                .map(|(_, w)| w)
                .sum();
            let mut x = rng.random::<f64>() * total;
            for (t, w) in TOPIC_WEIGHTS.iter().filter(|(t, _)| !chosen.contains(t)) {
                x -= w;
                if x <= 0.0 {
                    chosen.push(t);
                    break;
                }
            }
            if chosen.len() < k && x > 0.0 {
                // Rounding left nothing chosen: take the last one left.
                if let Some((t, _)) = TOPIC_WEIGHTS
                    .iter()
                    .rev()
                    .find(|(t, _)| !chosen.contains(t))
                {
                    chosen.push(t);
                }
            }
        }
        for t in chosen {
            let _ = write!(
                combos,
                "{}({combo}, (SELECT id FROM topics WHERE programme_id IS NULL AND key = '{t}'))",
                if combos.is_empty() { "" } else { "," }
            );
        }
    }
    diesel::sql_query(format!("INSERT INTO gen_combo VALUES {combos}"))
        .execute(conn)
        .await?;

    // From here on PostgreSQL draws the random numbers.
    let seed = (spec.seed % 1_000_003) as f64 / 1_000_003.0;
    diesel::sql_query("SELECT setseed($1)")
        .bind::<Double, _>(seed)
        .execute(conn)
        .await?;
    let languages = "(ARRAY['{tr,de}','{ar}','{ar,de}','{so}','{fa}','{ku,ar}','{ur,en}','{pl}','{ti}','{uk,ru}','{ar,fr}'])";
    diesel::sql_query(format!(
        "INSERT INTO families (programme_id, reference_number, reference_code, district_id, languages,
            children_count, contact_origin, first_contact_on, consent_on, consent_scope, primary_mother_id)
         SELECT x.pid, x.rn, x.prefix || '-' || lpad(x.rn::text, 5, '0'), d.did,
                ({languages}[1 + floor(x.r_lang * 11)::int])::text[],
                1 + floor(x.r_kids * 5)::int,
                (ARRAY['own_network','own_network','authority','school_daycare','school_daycare','event','other'])
                    [1 + floor(x.r_origin * 7)::int],
                $1 + floor(x.r_day * ($2 - $1 + 1))::int, $1 + floor(x.r_day * ($2 - $1 + 1))::int,
                'visits and referrals', m.mid
         FROM (SELECT p.pid, p.prefix, rn, p.nm, 1 + floor(random() * p.nd)::int AS drn, random() AS r_lang,
                      random() AS r_kids, random() AS r_origin, random() AS r_day
               FROM gen_p p, generate_series(1, p.nf) rn ORDER BY p.pid, rn) x
         JOIN gen_d d ON d.pid = x.pid AND d.rn = x.drn
         LEFT JOIN gen_m m ON x.nm > 0 AND m.pid = x.pid AND m.prn = 1 + (x.rn - 1) % x.nm
         ORDER BY x.pid, x.rn"
    ))
    .bind::<Date, _>(start)
    .bind::<Date, _>(today)
    .execute(conn)
    .await?;
    conn.batch_execute(
        "INSERT INTO gen_f SELECT primary_mother_id, row_number() OVER (PARTITION BY primary_mother_id ORDER BY id), id
         FROM families WHERE programme_id IN (SELECT pid FROM gen_p) AND primary_mother_id IS NOT NULL;
         UPDATE gen_m m SET nfam = f.n FROM (SELECT mid, count(*) AS n FROM gen_f GROUP BY mid) f WHERE f.mid = m.mid;
         ANALYZE gen_m; ANALYZE gen_f;",
    )
    .await?;

    // Visits: a random visiting mother, a date in her active window, one
    // of her families for four in five, a kind and a duration.
    let first_visit: Option<i64> =
        diesel::sql_query("SELECT coalesce(max(id), 0) AS id FROM visits")
            .get_result::<Id>(conn)
            .await
            .ok()
            .map(|r| r.id);
    let first_visit = first_visit.unwrap_or(0);
    if !visitors.is_empty() && spec.visits > 0 {
        diesel::sql_query(
            "INSERT INTO visits (programme_id, mother_id, family_id, visited_on, duration_minutes,
                 kind, interpreter_used)
             SELECT m.pid, m.mid, CASE WHEN s.r_fam < 0.8 THEN f.fid END,
                    m.from_d + floor(s.r_day * (m.to_d - m.from_d + 1))::int,
                    (ARRAY[30, 45, 60, 60, 90, 120])[1 + floor(s.r_dur * 6)::int],
                    CASE WHEN s.r_kind < 0.62 THEN 'home_visit' WHEN s.r_kind < 0.82 THEN 'phone'
                         WHEN s.r_kind < 0.93 THEN 'accompaniment' ELSE 'group_meeting' END,
                    s.r_int < 0.15
             FROM (SELECT g, 1 + floor(random() * $1)::int AS mrn, random() AS r_day, random() AS r_fam,
                          random() AS r_f, random() AS r_dur, random() AS r_kind, random() AS r_int
                   FROM generate_series(1, $2) g) s
             JOIN gen_m m ON m.rn = s.mrn
             LEFT JOIN gen_f f ON f.mid = m.mid AND f.rn = 1 + floor(s.r_f * m.nfam)::int
             ORDER BY s.g",
        )
        .bind::<Integer, _>(visitors.len() as i32)
        .bind::<BigInt, _>(spec.visits as i64)
        .execute(conn)
        .await?;
    }
    diesel::sql_query(
        "INSERT INTO visit_topics (visit_id, topic_id)
         SELECT v.id, c.topic_id FROM visits v JOIN gen_combo c ON c.combo = (v.id * 7919 + $2) % 200
         WHERE v.id > $1",
    )
    .bind::<BigInt, _>(first_visit)
    .bind::<BigInt, _>((spec.seed % 200) as i64)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO referrals (programme_id, visit_id, service, status, done_on)
         SELECT programme_id, id,
                (ARRAY['youth_welfare','school','day_care','health','health','job_centre','housing',
                       'legal_advice','language_course','other'])[1 + floor(r_s * 10)::int],
                CASE WHEN done THEN 'done' ELSE 'open' END,
                CASE WHEN done THEN visited_on + 14 END
         FROM (SELECT id, programme_id, visited_on, random() AS r, random() AS r_s,
                      visited_on + 14 <= $2 AND random() < 0.7 AS done
               FROM visits WHERE id > $1 ORDER BY id) v
         WHERE r < 0.15 ORDER BY id",
    )
    .bind::<BigInt, _>(first_visit)
    .bind::<Date, _>(today)
    .execute(conn)
    .await?;
    // A family's first contact is its first visit; some families close
    // a month after their last visit (if that was over half a year ago).
    diesel::sql_query(
        "UPDATE families f SET first_contact_on = v.first, consent_on = v.first,
             status = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN 'closed' ELSE 'active' END,
             closed_on = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN v.last + 30 END,
             closed_reason = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN 'no longer needed' END
         FROM (SELECT family_id, min(visited_on) AS first, max(visited_on) AS last FROM visits
               WHERE id > $1 AND family_id IS NOT NULL GROUP BY family_id) v
         WHERE f.id = v.family_id",
    )
    .bind::<BigInt, _>(first_visit)
    .bind::<Date, _>(today)
    .execute(conn)
    .await?;

    // The mothers' real statuses and their history.
    let mut history = String::new();
    for (i, m) in mothers.iter().enumerate() {
        let id = mother_ids[i];
        let mut step = |from: &str, to: &str, on: NaiveDate| {
            let _ = write!(
                history,
                "{}({id}, {}, '{to}', '{on}')",
                if history.is_empty() { "" } else { "," },
                if from.is_empty() {
                    "NULL".to_owned()
                } else {
                    lit(from)
                }
            );
        };
        step("", "applicant", m.joined);
        if let Some(c) = m.course {
            let course = &courses[c];
            step("applicant", "in_training", course.starts);
            if m.completed {
                step("in_training", "certified", course.ends + Duration::days(7));
                if m.status != "certified" {
                    step("certified", "active", course.ends + Duration::days(14));
                }
                if let (Some((_, until)), "left" | "paused") = (m.active, m.status) {
                    step("active", m.status, until);
                }
            } else if m.status == "left" {
                step("in_training", "left", course.starts + Duration::days(21));
            }
        }
        if history.len() > 200_000 {
            diesel::sql_query(format!(
                "INSERT INTO mother_status_changes (mother_id, from_status, to_status, changed_on) VALUES {history}"
            ))
            .execute(conn)
            .await?;
            history.clear();
        }
    }
    if !history.is_empty() {
        diesel::sql_query(format!(
            "INSERT INTO mother_status_changes (mother_id, from_status, to_status, changed_on) VALUES {history}"
        ))
        .execute(conn)
        .await?;
    }
    for status in ["applicant", "in_training", "certified", "paused", "left"] {
        let ids: Vec<i64> = mothers
            .iter()
            .enumerate()
            .filter(|(_, m)| m.status == status)
            .map(|(i, _)| mother_ids[i])
            .collect();
        diesel::sql_query("UPDATE mothers SET status = $1 WHERE id = ANY($2)")
            .bind::<Text, _>(status)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
            .execute(conn)
            .await?;
    }

    // Events: one to three a month per programme, most in a district.
    diesel::sql_query(
        "INSERT INTO events (programme_id, district_id, kind, title, held_on, migrant_participants,
                             local_participants)
         SELECT e.pid, CASE WHEN e.r_d < 0.8 THEN d.did END,
                (ARRAY['event','workshop','information_session','excursion'])[1 + floor(e.r_k * 4)::int],
                (ARRAY['Mothers'' café','Health information evening','School start workshop',
                       'Trip to the museum','Summer party','Meeting the job centre'])[1 + floor(e.r_t * 6)::int],
                e.day, 5 + floor(e.r_m * 40)::int, floor(e.r_l * 15)::int
         FROM (SELECT p.pid, s.m::date + floor(random() * 27)::int AS day,
                      1 + floor(random() * p.nd)::int AS drn, random() AS r_d, random() AS r_k,
                      random() AS r_t, random() AS r_m, random() AS r_l
               FROM gen_p p
               CROSS JOIN generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') AS s(m)
               CROSS JOIN LATERAL generate_series(1, 1 + floor(random() * 3)::int) AS k
               ORDER BY p.pid, s.m, k) e
         JOIN gen_d d ON d.pid = e.pid AND d.rn = e.drn
         WHERE e.day BETWEEN $1 AND $2
         ORDER BY e.day, e.pid",
    )
    .bind::<Date, _>(start)
    .bind::<Date, _>(today)
    .execute(conn)
    .await?;

    // Funders (shared), a grant a year per funder and programme, and the
    // monthly expenses, charged to the government grant of their year.
    let mut funder_ids = Vec::new();
    for (name, kind) in FUNDERS {
        let row: Id = diesel::sql_query(
            "WITH ins AS (INSERT INTO funders (name, kind) VALUES ($1, $2)
                          ON CONFLICT (lower(name)) WHERE programme_id IS NULL DO NOTHING RETURNING id)
             SELECT id FROM ins UNION ALL
             SELECT id FROM funders WHERE lower(name) = lower($1) AND programme_id IS NULL LIMIT 1",
        )
        .bind::<Text, _>(name)
        .bind::<Text, _>(kind)
        .get_result(conn)
        .await?;
        funder_ids.push((row.id, kind));
    }
    let mut grants = 0i64;
    let mut expenses = 0i64;
    for (p, (pid, city)) in programmes.iter().enumerate() {
        // Amounts in major units of a euro-like currency; crowns are worth less.
        let scale: i64 = match city.currency {
            "DKK" | "SEK" | "NOK" => 750,
            _ => 100,
        };
        let size = (mothers.iter().filter(|m| m.programme == p).count() as i64).max(5);
        for y in start.year()..=today.year() {
            let (Some(from), Some(to), Some(first_month)) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
                NaiveDate::from_ymd_opt(start.year(), start.month(), 1),
            ) else {
                continue;
            };
            let status = if y < today.year() {
                "closed"
            } else {
                "granted"
            };
            let mut government = None;
            for (fid, kind) in &funder_ids {
                let base = match *kind {
                    "government" => 2_000,
                    "municipality" => 600,
                    "foundation" if rng.random::<f64>() < 0.6 => 500,
                    "eu_fund" if rng.random::<f64>() < 0.3 => 800,
                    "own_capital" => 150,
                    _ => continue,
                };
                let amount = base * size * scale;
                let row: Id = diesel::sql_query(
                    "INSERT INTO grants (programme_id, funder_id, reference, amount_minor, currency,
                         starts_on, ends_on, purpose, status)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind::<BigInt, _>(*pid)
                .bind::<BigInt, _>(*fid)
                .bind::<Text, _>(format!("{}-{y}-{}", city.prefix, &kind[..3].to_uppercase()))
                .bind::<BigInt, _>(amount)
                .bind::<Text, _>(city.currency)
                .bind::<Date, _>(from)
                .bind::<Date, _>(to)
                .bind::<Text, _>("Outreach visits, training and events.")
                .bind::<Text, _>(status)
                .get_result(conn)
                .await?;
                grants += 1;
                if *kind == "government" {
                    government = Some(row.id);
                }
            }
            // Monthly costs: allowances, coordination, interpreters,
            // materials; training in course months; events.
            let allowance_mothers = mothers
                .iter()
                .filter(|m| m.programme == p && m.allowance && m.active.is_some())
                .count() as i64;
            let n = diesel::sql_query(
                "INSERT INTO expenses (programme_id, spent_on, category, amount_minor, currency, grant_id, note)
                 SELECT $1, (m + interval '27 days')::date, c.category,
                        round(c.base * (0.85 + random() * 0.3))::bigint, $2, $3, ''
                 FROM generate_series($4::date, $5::date, interval '1 month') AS s(m),
                      (VALUES ('allowances', $6::float8), ('coordination', $7::float8),
                              ('interpreters', $7::float8 * 0.1), ('materials', $7::float8 * 0.05),
                              ('events', $7::float8 * 0.08), ('training', $7::float8 * 0.2)) AS c(category, base)
                 WHERE (m + interval '27 days')::date <= $8 AND c.base > 0
                   AND (c.category <> 'training' OR EXTRACT(MONTH FROM m) IN (2, 3, 4, 9, 10, 11))
                 ORDER BY m, c.category",
            )
            .bind::<BigInt, _>(*pid)
            .bind::<Text, _>(city.currency)
            .bind::<diesel::sql_types::Nullable<BigInt>, _>(government)
            .bind::<Date, _>(from.max(first_month))
            .bind::<Date, _>(to)
            .bind::<Double, _>((allowance_mothers * 15_000 * scale / 100) as f64)
            .bind::<Double, _>((size * 12_000 * scale / 100) as f64)
            .bind::<Date, _>(today)
            .execute(conn)
            .await?;
            expenses += n as i64;
        }
    }

    // Counts, and one audit row per programme for the whole run.
    #[derive(diesel::QueryableByName)]
    struct Counted {
        #[diesel(sql_type = Text)]
        what: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let ids: Vec<i64> = programmes.iter().map(|(id, _)| *id).collect();
    let counted: Vec<Counted> = diesel::sql_query(
        "SELECT 'districts' AS what, count(*) AS n FROM districts WHERE programme_id = ANY($1)
         UNION ALL SELECT 'mothers', count(*) FROM mothers WHERE programme_id = ANY($1)
         UNION ALL SELECT 'families', count(*) FROM families WHERE programme_id = ANY($1)
         UNION ALL SELECT 'visits', count(*) FROM visits WHERE programme_id = ANY($1)
         UNION ALL SELECT 'visit topics', count(*) FROM visit_topics WHERE visit_id > $2
         UNION ALL SELECT 'referrals', count(*) FROM referrals WHERE programme_id = ANY($1)
         UNION ALL SELECT 'events', count(*) FROM events WHERE programme_id = ANY($1)
         UNION ALL SELECT 'courses', count(*) FROM courses WHERE programme_id = ANY($1)",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
    .bind::<BigInt, _>(first_visit)
    .load(conn)
    .await?;
    summary.counts = counted.into_iter().map(|c| (c.what, c.n)).collect();
    summary.counts.push(("enrolments".into(), enrolled));
    summary.counts.push(("grants".into(), grants));
    summary.counts.push(("expenses".into(), expenses));
    for (id, _) in &programmes {
        audit::record(
            conn,
            None,
            "generate",
            Subject::of("programme", *id, Some(*id)),
            json!({"seed": spec.seed, "years": spec.years}),
        )
        .await?;
    }
    // Count the roll-ups now, so that the first report is quick.
    crate::reports::rollup::refresh(conn, &ids, None).await?;
    conn.batch_execute("ANALYZE").await?;
    Ok(summary)
}
