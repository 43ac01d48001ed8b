//! Supervision of the embedded cluster for `serve`: a thread that owns the
//! cluster handle for the life of the process and starts PostgreSQL again
//! when it goes away (killed, crashed, or stopped by the process that
//! started it), and the register of the processes that use one cluster.
//!
//! - Every process that uses the embedded cluster holds a shared `flock` on
//!   `<data-dir>/postgres.users` for its life (the kernel releases it when
//!   the process dies, however it dies).
//! - The supervisor thread starts (or attaches to) the cluster, then checks
//!   it every second: if the postmaster it started exited, or the one it
//!   attached to is gone, it calls `start_or_attach` again, which starts a
//!   new postmaster (crash recovery replays the WAL, so no committed write is
//!   lost) or attaches to the one another process has just started.
//! - The postmaster is spawned from this thread, which lives as long as the
//!   process, so `PR_SET_PDEATHSIG` still stops it if the program crashes.
//!   The same rule means a postmaster cannot outlive the process that started
//!   it: when that process stops while others still use the cluster, it stops
//!   PostgreSQL anyway and the others' supervisors start it again within a
//!   second or two. (Leaving it running would need a process that others can
//!   adopt, a daemon of its own; a short outage at the rare hand-over is the
//!   simpler and safer trade.)
//! - A process that stops takes the register exclusively first if it can
//!   (no other user left): processes that start meanwhile wait until the
//!   cluster has stopped instead of attaching to a postmaster that is
//!   shutting down.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use nix::fcntl::{Flock, FlockArg};

use super::local::{ClusterOptions, Endpoint, LocalCluster};

/// How often the supervisor looks at the postmaster.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// Longest wait between two failed restarts (the wait doubles from 1 s).
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// This process's entry in the register of processes using a cluster.
#[derive(Debug)]
pub struct ClusterUsers {
    lock: Flock<File>,
}

impl ClusterUsers {
    /// Registers this process (a shared lock on `path`, held until dropped).
    /// Waits while a process that is stopping the cluster holds it exclusively.
    pub fn register(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the data folder {}", parent.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let lock = Flock::lock(file, FlockArg::LockShared)
            .map_err(|(_, e)| anyhow!("cannot lock {}: {e}", path.display()))?;
        Ok(Self { lock })
    }

    /// Whether this is the only process left using the cluster. If so, the
    /// register is now held exclusively, so that no process attaches while
    /// the cluster stops. (If not, the shared lock may be lost too, as
    /// flock(2) converts by unlocking first; call this only when leaving.)
    pub fn is_last(&self) -> bool {
        self.lock.relock(FlockArg::LockExclusiveNonblock).is_ok()
    }
}

/// The embedded cluster watched by a supervisor thread (for `serve`).
#[derive(Debug)]
pub struct SupervisedCluster {
    dir: PathBuf,
    endpoint: Endpoint,
    owned: Arc<AtomicBool>,
    stop_tx: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl SupervisedCluster {
    /// Starts the supervisor thread, which starts or attaches to the cluster
    /// in `dir`; returns once the cluster answers (or with the start error).
    pub fn start(dir: &Path, opts: ClusterOptions) -> Result<Self> {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = mpsc::channel();
        let owned = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("postgres-supervisor".to_owned())
            .spawn({
                let dir = dir.to_owned();
                let owned = Arc::clone(&owned);
                move || supervise(&dir, &opts, &owned, &ready_tx, &stop_rx)
            })
            .context("cannot start the PostgreSQL supervisor thread")?;
        match ready_rx.recv() {
            Ok(Ok((dir, endpoint))) => Ok(Self {
                dir,
                endpoint,
                owned,
                stop_tx: Some(stop_tx),
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => Err(match thread.join() {
                Ok(Err(e)) => e,
                _ => anyhow!("the PostgreSQL supervisor thread ended at start"),
            }),
        }
    }

    /// Where the cluster listens. It never changes across restarts: every
    /// postmaster of this folder listens on the socket inside it.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether this process runs the postmaster at the moment.
    pub fn is_owned(&self) -> bool {
        self.owned.load(Ordering::Relaxed)
    }

    /// Ends supervision and stops the cluster if this process runs it.
    pub fn stop(&mut self) -> Result<()> {
        drop(self.stop_tx.take());
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| anyhow!("the PostgreSQL supervisor thread panicked"))?,
            None => Ok(()),
        }
    }
}

impl Drop for SupervisedCluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            tracing::error!(error = %e, "stopping PostgreSQL failed");
        }
    }
}

type Ready = Result<(PathBuf, Endpoint)>;

/// The supervisor thread: start, watch every second, restart, and stop when
/// the stop channel closes.
fn supervise(
    dir: &Path,
    opts: &ClusterOptions,
    owned: &AtomicBool,
    ready: &mpsc::Sender<Ready>,
    stop: &mpsc::Receiver<()>,
) -> Result<()> {
    let mut cluster = match LocalCluster::start_or_attach(dir, opts) {
        Ok(c) => {
            owned.store(c.is_owned(), Ordering::Relaxed);
            let _ = ready.send(Ok((c.dir().to_owned(), c.endpoint().clone())));
            Some(c)
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return Ok(());
        }
    };
    let mut failures: u32 = 0;
    let mut next_try = Instant::now();
    // Nothing is ever sent: the stop channel closing is the signal to stop.
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(CHECK_EVERY) {
        if let Some(c) = &mut cluster {
            let Some(why) = c.gone() else { continue };
            tracing::warn!("{why}; starting it again");
            // An owned one has been reaped by `gone`: dropping it stops nothing.
            cluster = None;
            owned.store(false, Ordering::Relaxed);
            next_try = Instant::now();
        }
        if Instant::now() < next_try {
            continue;
        }
        match LocalCluster::start_or_attach(dir, opts) {
            Ok(c) => {
                if c.is_owned() {
                    tracing::warn!(dir = %dir.display(), "PostgreSQL restarted");
                } else {
                    tracing::warn!(dir = %dir.display(), "using the PostgreSQL that another process restarted");
                }
                owned.store(c.is_owned(), Ordering::Relaxed);
                cluster = Some(c);
                failures = 0;
            }
            Err(e) => {
                // E.g. the killed postmaster's backends still hold its shared
                // memory for a moment.
                let wait = CHECK_EVERY
                    .saturating_mul(1 << failures.min(5))
                    .min(MAX_RETRY_WAIT);
                failures += 1;
                next_try = Instant::now() + wait;
                tracing::warn!(error = %format!("{e:#}"), "PostgreSQL could not be started again; next try in {}s", wait.as_secs());
            }
        }
    }
    owned.store(false, Ordering::Relaxed);
    match cluster {
        Some(mut c) => c.stop(),
        None => Ok(()),
    }
}
