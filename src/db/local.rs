//! The embedded default database: a PostgreSQL cluster that the program
//! manages itself under `<data-dir>/postgres` when no `DATABASE_URL` is set.
//!
//! - `initdb` on first use, then `postgres` listening only on a Unix socket
//!   inside the cluster folder (no TCP port to clash, trust authentication
//!   limited to the socket, whose permissions admit only its owner and root).
//! - As root, `initdb` and `postgres` (which refuse to run as root) run as the
//!   `postgres` system user, and the cluster folder is made theirs.
//! - A second process finds the running cluster through `postmaster.pid` and
//!   connects to it instead of starting another.
//! - The postmaster gets SIGINT (fast shutdown) when the thread that started
//!   it dies (`PR_SET_PDEATHSIG`), so it never outlives a crashed program.
//!   Start it from a thread that lives as long as the process (the main
//!   thread, or the supervisor thread of `serve`, see `supervise`), never
//!   from a pool thread.
//!
//! No crate does this for a system installation (`postgresql_embedded`
//! downloads its own binaries, which cannot work offline), hence this module.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use super::postmaster::PostmasterPid;
pub use super::postmaster::running_postmaster;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User, chown};

/// The database the application uses inside the embedded cluster.
pub const DATABASE_NAME: &str = "neighbourhood_mothers";
/// The superuser created by `initdb`.
const SUPERUSER: &str = "postgres";
/// Port number; it only names the socket file (`.s.PGSQL.5432`), no TCP.
pub(super) const PORT: u16 = 5432;
/// Longest Unix socket path Linux accepts (sun_path is 108 bytes with the NUL).
const MAX_SOCKET_PATH: usize = 107;
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// Options for a cluster.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Folder with `initdb` and `postgres`; default: PATH, then /usr/lib/postgresql/*/bin.
    pub bin_dir: Option<PathBuf>,
    /// Trade durability for speed (fsync off): only for throw-away test clusters.
    pub unsafe_fast: bool,
}

/// A running cluster: started by this process (and stopped when dropped) or
/// found already running (and left alone).
#[derive(Debug)]
pub struct LocalCluster {
    dir: PathBuf,
    endpoint: Endpoint,
    child: Option<Child>,
}

/// Where a cluster listens: its socket folder and port.
#[derive(Debug, Clone)]
pub struct Endpoint {
    socket_dir: PathBuf,
    port: u16,
}

impl Endpoint {
    /// Connection string for `dbname` (libpq key-value form, which
    /// tokio-postgres understands).
    pub fn conninfo(&self, dbname: &str) -> String {
        self.conninfo_as(dbname, SUPERUSER)
    }

    /// Connection string for `dbname` as the role `user`.
    pub fn conninfo_as(&self, dbname: &str, user: &str) -> String {
        format!(
            "host={} port={} user={} dbname={}",
            quote_conninfo(&self.socket_dir.to_string_lossy()),
            self.port,
            quote_conninfo(user),
            quote_conninfo(dbname)
        )
    }
}

impl LocalCluster {
    /// Starts the cluster in `dir` (initialising it on first use), or attaches
    /// to the one already running there.
    pub fn start_or_attach(dir: &Path, opts: &ClusterOptions) -> Result<Self> {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
        let dir = dir
            .canonicalize()
            .with_context(|| format!("cannot resolve {}", dir.display()))?;
        if let Some(running) = Self::find_running(&dir)? {
            tracing::info!(dir = %dir.display(), "using the PostgreSQL cluster that is already running");
            return Ok(running);
        }
        let bins = PgBinaries::find(opts.bin_dir.as_deref())?;
        let owner = ClusterOwner::for_current_process()?;
        let socket = dir.join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            bail!(
                "the data folder {} is too deep for PostgreSQL's socket ({} bytes, at most {}); \
                 choose a shorter --data-dir, e.g. /var/lib/neighbourhood-mothers",
                dir.display(),
                socket.as_os_str().len(),
                MAX_SOCKET_PATH
            );
        }
        if let Some(owner) = &owner {
            owner.check_can_reach(&dir)?;
        }
        if !dir.join("PG_VERSION").exists() {
            init_cluster(&bins, &dir, owner.as_ref())?;
        }
        if let Some(owner) = &owner {
            // A cluster made by an earlier run as another user: give it over.
            if fs::metadata(&dir)?.uid() != owner.uid.as_raw() {
                owner.chown(&dir)?;
            }
        }
        Self::start(&bins, &dir, owner.as_ref(), opts)
    }

    /// Connection string for `dbname` in this cluster.
    pub fn conninfo(&self, dbname: &str) -> String {
        self.endpoint.conninfo(dbname)
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The cluster folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether this process started the cluster (and will stop it).
    pub fn is_owned(&self) -> bool {
        self.child.is_some()
    }

    /// Whether the postmaster has gone, and why: the one this process
    /// started has exited (it is reaped here), or the one it attached to is
    /// no longer in `postmaster.pid`. `None` while it runs (or another
    /// process is starting or recovering it).
    pub fn gone(&mut self) -> Option<String> {
        match &mut self.child {
            Some(child) => match child.try_wait() {
                Ok(None) => None,
                Ok(Some(status)) => Some(format!(
                    "PostgreSQL (pid {}) exited unexpectedly ({status})",
                    child.id()
                )),
                Err(e) => Some(format!("PostgreSQL (pid {}) is lost: {e}", child.id())),
            },
            None => running_postmaster(&self.dir)
                .is_none()
                .then(|| "the PostgreSQL that another process ran has stopped".to_owned()),
        }
    }

    /// Stops the cluster if this process started it: fast shutdown (SIGINT),
    /// then immediate (SIGQUIT), then SIGKILL if it does not stop in time.
    pub fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = Pid::from_raw(i32::try_from(child.id()).context("pid out of range")?);
        for (signal, wait) in [
            (Signal::SIGINT, STOP_TIMEOUT),
            (Signal::SIGQUIT, Duration::from_secs(5)),
            (Signal::SIGKILL, Duration::from_secs(5)),
        ] {
            if child.try_wait()?.is_some() {
                return Ok(());
            }
            let _ = kill(pid, signal);
            let deadline = Instant::now() + wait;
            while Instant::now() < deadline {
                if child.try_wait()?.is_some() {
                    tracing::info!("PostgreSQL stopped");
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        bail!("PostgreSQL (pid {pid}) did not stop")
    }

    /// Reads `postmaster.pid`: a live postmaster that is ready is attached to.
    fn find_running(dir: &Path) -> Result<Option<Self>> {
        let Some(pm) = PostmasterPid::read(dir)? else {
            return Ok(None);
        };
        if !pm.is_alive() {
            return Ok(None); // stale: postgres cleans it up when it starts
        }
        let deadline = Instant::now() + START_TIMEOUT;
        // Another process may be starting it right now: wait until it is ready.
        let mut pm = pm;
        while !pm.accepts_connections() {
            if Instant::now() > deadline || !pm.is_alive() {
                bail!(
                    "a PostgreSQL server (pid {}) holds {} but is not ready ({})",
                    pm.pid,
                    dir.display(),
                    pm.status
                );
            }
            std::thread::sleep(Duration::from_millis(100));
            match PostmasterPid::read(dir)? {
                Some(p) => pm = p,
                None => return Ok(None),
            }
        }
        Ok(Some(Self {
            dir: dir.to_owned(),
            endpoint: Endpoint {
                socket_dir: pm.socket_dir,
                port: pm.port,
            },
            child: None,
        }))
    }

    fn start(
        bins: &PgBinaries,
        dir: &Path,
        owner: Option<&ClusterOwner>,
        opts: &ClusterOptions,
    ) -> Result<Self> {
        let log_path = dir
            .parent()
            .map(|p| p.join("postgres.log"))
            .unwrap_or_else(|| dir.join("../postgres.log"));
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .with_context(|| format!("cannot open {}", log_path.display()))?;
        let log_start = log.metadata().map(|m| m.len()).unwrap_or(0);
        let mut cmd = Command::new(&bins.postgres);
        cmd.arg("-D")
            .arg(dir)
            .arg("-p")
            .arg(PORT.to_string())
            .arg("-k")
            .arg(dir)
            .args(["-c", "listen_addresses="])
            .args(["-c", "unix_socket_permissions=0700"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group: Ctrl-C in a terminal reaches only us, and
            // we stop PostgreSQL after the last request has been answered.
            .process_group(0);
        if opts.unsafe_fast {
            cmd.args(["-c", "fsync=off"])
                .args(["-c", "synchronous_commit=off"])
                .args(["-c", "full_page_writes=off"]);
        }
        if let Some(owner) = owner {
            owner.apply(&mut cmd);
        }
        set_parent_death_signal(&mut cmd);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", bins.postgres.display()))?;

        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = child.try_wait()? {
                // Lost a race with another process starting the same cluster?
                if let Some(running) = Self::find_running(dir)? {
                    return Ok(running);
                }
                bail!(
                    "PostgreSQL exited at start ({status}); its log {} says:\n{}",
                    log_path.display(),
                    tail_of(&log_path, log_start)
                );
            }
            if let Some(pm) = PostmasterPid::read(dir)?
                && pm.pid == child.id() as i32
                && pm.accepts_connections()
            {
                tracing::info!(dir = %dir.display(), "PostgreSQL started");
                return Ok(Self {
                    dir: dir.to_owned(),
                    endpoint: Endpoint {
                        socket_dir: pm.socket_dir,
                        port: pm.port,
                    },
                    child: Some(child),
                });
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                bail!(
                    "PostgreSQL did not become ready within {}s; see {}",
                    START_TIMEOUT.as_secs(),
                    log_path.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            tracing::error!(error = %e, "stopping PostgreSQL failed");
        }
    }
}

/// Runs `initdb` for a new cluster.
fn init_cluster(bins: &PgBinaries, dir: &Path, owner: Option<&ClusterOwner>) -> Result<()> {
    tracing::info!(dir = %dir.display(), "initialising a new PostgreSQL cluster");
    // initdb wants an empty folder it owns, mode 0700.
    if fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} holds files but no PostgreSQL cluster (no PG_VERSION); move them away or choose another --data-dir",
            dir.display()
        );
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    if let Some(owner) = owner {
        owner.chown(dir)?;
    }
    // C.UTF-8: Unicode-aware lower()/upper() (case-insensitive names such as
    // "NEUKÖLLN" = "neukölln") with code-point order; systems without that
    // locale fall back to plain C.
    let mut last_error = String::new();
    for locale in ["--locale=C.UTF-8", "--no-locale"] {
        let mut cmd = Command::new(&bins.initdb);
        cmd.arg("-D")
            .arg(dir)
            .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", locale])
            .stdin(Stdio::null());
        if let Some(owner) = owner {
            owner.apply(&mut cmd);
        }
        let out = cmd
            .output()
            .with_context(|| format!("cannot run {}", bins.initdb.display()))?;
        if out.status.success() {
            return Ok(());
        }
        last_error = format!(
            "initdb {locale} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        tracing::warn!("{last_error}");
        // initdb leaves the folder empty on failure; try the next locale.
    }
    bail!(last_error)
}

/// Sends SIGINT to the child when the thread that spawned it dies.
fn set_parent_death_signal(cmd: &mut Command) {
    let parent = nix::unistd::getpid();
    // SAFETY: the closure runs in the forked child before exec and calls only
    // async-signal-safe functions (prctl, getppid); it allocates nothing.
    // std runs it after the uid change, which would otherwise clear the setting.
    #[expect(
        unsafe_code,
        reason = "pre_exec is the only way to set PR_SET_PDEATHSIG"
    )]
    unsafe {
        cmd.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(io::Error::from)?;
            // The parent may have died between fork and prctl.
            if nix::unistd::getppid() != parent {
                return Err(io::Error::other("parent exited"));
            }
            Ok(())
        });
    }
}

/// The server programs of a PostgreSQL installation.
#[derive(Debug)]
struct PgBinaries {
    initdb: PathBuf,
    postgres: PathBuf,
}

impl PgBinaries {
    fn find(bin_dir: Option<&Path>) -> Result<Self> {
        let candidates: Vec<PathBuf> = match bin_dir {
            Some(d) => vec![d.to_owned()],
            None => {
                let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
                    .map(|p| std::env::split_paths(&p).collect())
                    .unwrap_or_default();
                // Debian/Ubuntu keep the server programs off PATH; newest first.
                let mut versions: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .map(|e| e.path().join("bin"))
                            .collect()
                    })
                    .unwrap_or_default();
                versions.sort_by_key(|p| {
                    std::cmp::Reverse(
                        p.parent()
                            .and_then(|v| v.file_name())
                            .and_then(|v| v.to_str())
                            .and_then(|v| v.parse::<u32>().ok())
                            .unwrap_or(0),
                    )
                });
                dirs.extend(versions);
                dirs
            }
        };
        for dir in candidates {
            let initdb = dir.join("initdb");
            let postgres = dir.join("postgres");
            if is_executable(&initdb) && is_executable(&postgres) {
                return Ok(Self { initdb, postgres });
            }
        }
        Err(anyhow!(
            "PostgreSQL's server programs (initdb, postgres) were not found{}. \
             Install them (Debian/Ubuntu: `apt-get install postgresql`; Fedora: `dnf install postgresql-server`), \
             point --pg-bin-dir/PG_BIN_DIR at their folder, \
             or set DATABASE_URL to use an existing PostgreSQL server.",
            match bin_dir {
                Some(d) => format!(" in {}", d.display()),
                None => " on PATH or under /usr/lib/postgresql/*/bin".to_owned(),
            }
        ))
    }
}

fn is_executable(p: &Path) -> bool {
    fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The system user the cluster runs as when this program runs as root.
#[derive(Debug)]
struct ClusterOwner {
    name: String,
    uid: Uid,
    gid: Gid,
}

impl ClusterOwner {
    fn for_current_process() -> Result<Option<Self>> {
        if !Uid::effective().is_root() {
            return Ok(None);
        }
        let user = User::from_name(SUPERUSER)?.ok_or_else(|| {
            anyhow!(
                "running as root, the embedded PostgreSQL must run as the `{SUPERUSER}` system user, \
                 which does not exist; create it (`useradd --system {SUPERUSER}`), run as another user, \
                 or set DATABASE_URL"
            )
        })?;
        Ok(Some(Self {
            name: user.name,
            uid: user.uid,
            gid: user.gid,
        }))
    }

    fn apply(&self, cmd: &mut Command) {
        // std drops root's supplementary groups when it changes the uid.
        cmd.uid(self.uid.as_raw()).gid(self.gid.as_raw());
    }

    /// Gives `dir` and everything below it to the cluster owner.
    fn chown(&self, dir: &Path) -> Result<()> {
        let mut stack = vec![dir.to_owned()];
        while let Some(p) = stack.pop() {
            let meta = fs::symlink_metadata(&p)?;
            if meta.uid() != self.uid.as_raw() || meta.gid() != self.gid.as_raw() {
                chown(&p, Some(self.uid), Some(self.gid))
                    .with_context(|| format!("cannot give {} to {}", p.display(), self.name))?;
            }
            if meta.is_dir() {
                for e in fs::read_dir(&p)? {
                    stack.push(e?.path());
                }
            }
        }
        Ok(())
    }

    /// The owner must be able to traverse every parent folder of `dir`
    /// (a folder under a mode-700 home is unreachable).
    fn check_can_reach(&self, dir: &Path) -> Result<()> {
        for parent in dir.ancestors().skip(1) {
            let meta = fs::metadata(parent)?;
            let mode = meta.permissions().mode();
            let ok = if meta.uid() == self.uid.as_raw() {
                mode & 0o100 != 0
            } else if meta.gid() == self.gid.as_raw() {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            };
            if !ok {
                bail!(
                    "the `{}` user, which runs the embedded PostgreSQL, cannot enter {} (mode {:o}); \
                     choose a --data-dir outside it, e.g. /var/lib/neighbourhood-mothers or /srv/neighbourhood-mothers",
                    self.name,
                    parent.display(),
                    mode & 0o7777
                );
            }
        }
        Ok(())
    }
}

/// Quotes a value for a libpq key-value connection string.
fn quote_conninfo(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The end of a log file from `from` on, for error messages.
fn tail_of(path: &Path, from: u64) -> String {
    let mut s = String::new();
    if let Ok(mut f) = fs::File::open(path) {
        let _ = f.seek(SeekFrom::Start(from));
        let _ = f.take(8192).read_to_string(&mut s);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conninfo_values_are_quoted() {
        assert_eq!(quote_conninfo("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(quote_conninfo("it's"), "'it\\'s'");
    }

    #[test]
    fn missing_binaries_give_one_clear_message() {
        let err = PgBinaries::find(Some(Path::new("/nonexistent"))).expect_err("no binaries there");
        let msg = err.to_string();
        assert!(msg.contains("apt-get install postgresql"), "{msg}");
        assert!(msg.contains("DATABASE_URL"), "{msg}");
    }
}
