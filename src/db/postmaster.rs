//! `postmaster.pid`: how a process finds the PostgreSQL running in a
//! cluster folder (its pid, socket and state).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;
use nix::sys::signal::kill;
use nix::unistd::Pid;

use super::local::PORT;

/// The parts of `postmaster.pid` we need (PostgreSQL 10+ layout).
#[derive(Debug)]
pub(super) struct PostmasterPid {
    pub(super) pid: i32,
    pub(super) port: u16,
    pub(super) socket_dir: PathBuf,
    pub(super) status: String,
}

impl PostmasterPid {
    pub(super) fn read(dir: &Path) -> Result<Option<Self>> {
        let text = match fs::read_to_string(dir.join("postmaster.pid")) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let lines: Vec<&str> = text.lines().collect();
        // Written in steps: an incomplete file is treated as "starting".
        let pid = lines.first().and_then(|l| l.trim().parse().ok());
        let Some(pid) = pid else { return Ok(None) };
        Ok(Some(Self {
            pid,
            port: lines
                .get(3)
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(PORT),
            socket_dir: lines
                .get(4)
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| dir.to_owned()),
            status: lines
                .get(7)
                .map(|l| l.trim().to_owned())
                .unwrap_or_else(|| "starting".to_owned()),
        }))
    }

    /// Whether it takes connections: `ready` (a primary) or `standby` (a
    /// streaming copy, once it has reached a consistent state).
    pub(super) fn accepts_connections(&self) -> bool {
        matches!(self.status.as_str(), "ready" | "standby")
    }

    pub(super) fn is_alive(&self) -> bool {
        // EPERM means it exists but belongs to another user.
        !matches!(
            kill(Pid::from_raw(self.pid), None),
            Err(nix::errno::Errno::ESRCH)
        )
    }
}

/// The pid of the postmaster running in `dir`, if any (for tests and tools).
pub fn running_postmaster(dir: &Path) -> Option<i32> {
    PostmasterPid::read(dir)
        .ok()
        .flatten()
        .filter(PostmasterPid::is_alive)
        .map(|p| p.pid)
}
