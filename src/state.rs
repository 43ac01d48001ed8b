//! The state every request can reach: the pool, the settings and the
//! clock. A leaf: it imports no domain, so every module may import it.

use std::sync::Arc;
use std::time::Duration;

use crate::audit::access::{AccessLog, Channel, Entry, Subject};
use crate::clock::Clock;
use crate::db::{DbConn, DbPool, PoolError};
use crate::ids::{ProgrammeId, UserId};

/// Settings that requests need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Secure cookies, the session cookie `__Host-` prefixed, and
    /// Strict-Transport-Security (served over HTTPS).
    pub secure_cookies: bool,
    /// Sessions end after this long without a request.
    pub session_inactivity: time::Duration,
    /// Sessions end this long after signing in, however busy (a mother's
    /// on her phone: `auth::html::MOTHER_SESSION_DAYS`).
    pub session_lifetime: time::Duration,
    /// Other machines reach the server: it listens on an address that is
    /// not a loopback one, or a reverse proxy on this machine passes them
    /// on (`--secure-cookies`, `--trust-forwarded-for`). Administrators
    /// and managers must then have a second factor unless an
    /// administrator says otherwise.
    pub beyond_loopback: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (only
    /// behind a reverse proxy that sets it).
    pub trust_forwarded_for: bool,
    /// A request still unanswered after this long is answered 503.
    pub request_timeout: Duration,
    /// After a shutdown signal, requests still running after this long are cut.
    pub shutdown_timeout: Duration,
    /// Where "now" and "today" come from (tests set it).
    pub clock: Clock,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_inactivity: time::Duration::hours(8),
            session_lifetime: time::Duration::hours(12),
            beyond_loopback: false,
            trust_forwarded_for: false,
            request_timeout: Duration::from_secs(60),
            shutdown_timeout: Duration::from_secs(30),
            clock: Clock::system(),
        }
    }
}

/// What every request can reach.
pub struct App {
    pub pool: DbPool,
    /// A read-only copy for reports (`--database-read-url`), if any.
    pub read_pool: Option<DbPool>,
    pub settings: Settings,
    /// The key that signs the sign-in form's CSRF cookie, read once.
    pub csrf_key: tokio::sync::OnceCell<Arc<[u8]>>,
    /// Who read a person's details (written in batches by its own task).
    pub access_log: AccessLog,
    /// The roles an administrator said must (or need not) have a second
    /// factor, as read last and when (`auth::second_factor::required`).
    pub second_factor_roles: std::sync::Mutex<Option<RolesRead>>,
}

/// Roles (by name) and whether each must have a second factor, with when
/// they were read.
pub type RolesRead = (std::time::Instant, Vec<(String, bool)>);

/// Axum state: a cheap handle on the [`App`].
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl AppState {
    pub fn new(pool: DbPool, settings: Settings) -> Self {
        Self::with_read_pool(pool, None, settings)
    }

    /// The state with a read-only copy of the database for reports.
    pub fn with_read_pool(pool: DbPool, read_pool: Option<DbPool>, settings: Settings) -> Self {
        Self(Arc::new(App {
            access_log: AccessLog::start(pool.clone()),
            read_pool,
            pool,
            settings,
            csrf_key: tokio::sync::OnceCell::new(),
            second_factor_roles: std::sync::Mutex::new(None),
        }))
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The clock: `state.clock().today()`, `state.clock().now()`.
    pub fn clock(&self) -> &Clock {
        &self.0.settings.clock
    }

    /// The access log's writer.
    pub fn access_log(&self) -> &AccessLog {
        &self.0.access_log
    }

    /// Logs that `actor` read `fields` of a person's record (no waiting).
    pub fn log_read(
        &self,
        actor: Option<UserId>,
        programme_id: ProgrammeId,
        subject: Subject,
        id: i64,
        fields: &'static [&'static str],
        channel: Channel,
    ) {
        self.0.access_log.record(Entry {
            occurred_at: self.clock().now(),
            user_id: actor.map(|u| u.0),
            programme_id: programme_id.0,
            subject,
            subject_id: id,
            fields,
            channel,
        });
    }

    /// A connection for reading and writing.
    pub async fn db(&self) -> Result<DbConn, PoolError> {
        DbConn::get(&self.0.pool).await
    }

    /// Whether a read-only copy is configured.
    pub fn has_read_copy(&self) -> bool {
        self.0.read_pool.is_some()
    }

    /// A connection for reading only: to the read-only copy when one is
    /// configured (reports, comparisons, exports, the profile), else the
    /// primary. Nothing may be written through it.
    pub async fn db_read(&self) -> Result<DbConn, PoolError> {
        DbConn::get(self.0.read_pool.as_ref().unwrap_or(&self.0.pool)).await
    }
}
