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

    /// Secure cookies (the session cookie `__Host-` prefixed) and
    /// Strict-Transport-Security also on a loopback address: for a reverse
    /// proxy on the same machine that serves the site over HTTPS. On any
    /// other address they are the default.
    #[arg(long, env = "SECURE_COOKIES", conflicts_with = "insecure_cookies")]
    pub secure_cookies: bool,

    /// Plain cookies on a non-loopback address: only for a trial over plain
    /// HTTP on a local network, never with real data.
    #[arg(long, env = "INSECURE_COOKIES")]
    pub insecure_cookies: bool,

    /// Hours without a request after which a session ends.
    #[arg(long, env = "SESSION_HOURS", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=720))]
    pub session_hours: u16,

    /// Hours after signing in at which a session ends, however busy (a
    /// mother's session on her own phone: 30 days).
    #[arg(long, env = "SESSION_MAX_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..=720))]
    pub session_max_hours: u16,

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
    /// Secure cookies unless the server listens on a loopback address
    /// (where browsers take plain HTTP as secure enough) or is told
    /// otherwise.
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies || (!self.bind.ip().is_loopback() && !self.insecure_cookies)
    }

    pub fn settings(&self) -> crate::state::Settings {
        crate::state::Settings {
            secure_cookies: self.secure_cookies(),
            session_inactivity: time::Duration::hours(i64::from(self.session_hours)),
            session_lifetime: time::Duration::hours(i64::from(self.session_max_hours)),
            beyond_loopback: !self.bind.ip().is_loopback()
                || self.secure_cookies
                || self.trust_forwarded_for,
            trust_forwarded_for: self.trust_forwarded_for,
            request_timeout: Duration::from_secs(self.request_timeout),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
            clock: crate::clock::Clock::system(),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: super::ServeArgs,
    }

    /// The settings `serve` makes of these flags.
    fn settings(args: &[&str]) -> crate::state::Settings {
        let mut all = vec!["serve"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("args").serve.settings()
    }

    fn secure(args: &[&str]) -> bool {
        settings(args).secure_cookies
    }

    #[test]
    fn cookies_are_secure_unless_on_loopback_or_told() {
        assert!(!secure(&[]), "the default bind is 127.0.0.1");
        assert!(!secure(&["--bind", "[::1]:3000"]));
        assert!(secure(&["--bind", "0.0.0.0:3000"]));
        assert!(secure(&["--bind", "192.168.1.5:80"]));
        assert!(!secure(&["--bind", "0.0.0.0:3000", "--insecure-cookies"]));
        assert!(
            secure(&["--secure-cookies"]),
            "behind a proxy on this machine"
        );
        assert!(
            Cli::try_parse_from(["serve", "--secure-cookies", "--insecure-cookies"]).is_err(),
            "one or the other"
        );
    }

    #[test]
    fn a_session_lasts_twelve_hours_at_most_unless_configured() {
        let parse = |args: &[&str]| settings(args).session_lifetime;
        assert_eq!(parse(&[]), time::Duration::hours(12));
        assert_eq!(
            parse(&["--session-max-hours", "4"]),
            time::Duration::hours(4)
        );
    }
}
