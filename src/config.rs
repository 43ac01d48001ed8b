//! The server's settings. Every setting is a command-line flag and an
//! environment variable (clap's `env`), so the same binary runs from a
//! terminal, systemd or a container. The database's are `db::DbArgs`; the
//! other commands' flags are beside them in `cli/`.

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
