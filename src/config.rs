//! Settings. Every setting is a command-line flag and an environment variable
//! (clap's `env`), so the same binary runs from a terminal, systemd or a container.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

/// Settings of the `serve` command.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Email of the administrator created at the first start (when there is
    /// no user yet); their one-time password is printed once.
    #[arg(long, env = "ADMIN_EMAIL", default_value = "admin@example.org")]
    pub admin_email: String,

    /// Mark the session cookie Secure: set it when the site is served over
    /// HTTPS (behind a reverse proxy).
    #[arg(long, env = "SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Hours without a request after which a session ends.
    #[arg(long, env = "SESSION_HOURS", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=720))]
    pub session_hours: u16,

    /// Take the client's address from the last X-Forwarded-For entry, for
    /// sign-in throttling. Only behind a reverse proxy that sets that header.
    #[arg(long, env = "TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Seconds a request may run before it is answered 503 (timed out).
    #[arg(long, env = "REQUEST_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,

    /// Seconds the server waits for requests in flight after SIGTERM or
    /// Ctrl-C before it cuts them and stops.
    #[arg(long, env = "SHUTDOWN_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_timeout: u64,
}

impl ServeArgs {
    pub fn settings(&self) -> crate::state::Settings {
        crate::state::Settings {
            secure_cookies: self.secure_cookies,
            session_inactivity: time::Duration::hours(i64::from(self.session_hours)),
            trust_forwarded_for: self.trust_forwarded_for,
            request_timeout: Duration::from_secs(self.request_timeout),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
            clock: crate::clock::Clock::system(),
        }
    }
}

/// Settings of `create-user`. The password is read from standard input.
#[derive(Debug, Clone, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// admin, manager, coordinator or trainer.
    #[arg(long)]
    pub role: String,
    /// A programme the user belongs to (repeat for several; not for admins).
    #[arg(long = "programme")]
    pub programmes: Vec<i64>,
}

/// Settings of `create-token`.
#[derive(Debug, Clone, Args)]
pub struct CreateTokenArgs {
    /// The user the token acts as.
    #[arg(long)]
    pub email: String,
    /// What the token is for (e.g. "paper forms import").
    #[arg(long)]
    pub label: String,
    /// The last day the token works (YYYY-MM-DD); without it, the token
    /// works until it is revoked or its user's password changes.
    #[arg(long)]
    pub expires: Option<String>,
}

/// Settings of `generate`.
#[derive(Debug, Clone, Args)]
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
    pub fn spec(&self) -> crate::generate::Spec {
        if self.preset.as_deref() == Some("demo") {
            return crate::generate::Spec::demo();
        }
        crate::generate::Spec {
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
