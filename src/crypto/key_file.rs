//! The data key file: one key a line, `<number> <32 bytes in base64>`, the
//! first the one that seals, any others (during a rotation) only opening;
//! lines starting with `#` are comments. Readable by its owner only (0600).
//! A new file is written whole beside the old and renamed over it, so a
//! reader never sees half of one.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// One data key.
#[derive(Clone)]
pub struct DataKey {
    pub id: u32,
    pub bytes: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl DataKey {
    /// A new random key numbered `id`.
    pub fn generate(id: u32) -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self { id, bytes }
    }

    /// What the database keeps of a key to know it again: a keyed hash
    /// that reveals nothing of the key.
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.bytes).unwrap_or_else(|_| unreachable!());
        mac.update(b"neighbourhood-mothers data key fingerprint");
        mac.finalize().into_bytes()[..16].to_vec()
    }
}

const COMMENT: &str = "# neighbourhood-mothers data keys: without this file the personal details in the\n\
# database and in its backups cannot be read. Back it up apart from the backups.\n\
# The first key encrypts; the others only decrypt (during a rotation).\n";

/// The keys in the file at `path` (at least one).
pub fn read(path: &Path) -> Result<Vec<DataKey>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the data key file {}", path.display()))?;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            file = %path.display(),
            "the data key file can be read by other users of this machine: chmod 600 it"
        );
    }
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once(' ').and_then(|(id, key)| {
            let id: u32 = id.parse().ok().filter(|id| *id > 0)?;
            let bytes: [u8; 32] = STANDARD.decode(key.trim()).ok()?.try_into().ok()?;
            Some(DataKey { id, bytes })
        });
        match parsed {
            Some(k) if keys.iter().all(|o: &DataKey| o.id != k.id) => keys.push(k),
            _ => bail!(
                "{} line {}: not a data key (a number and 32 bytes in base64)",
                path.display(),
                n + 1
            ),
        }
    }
    if keys.is_empty() {
        bail!("{} holds no data key", path.display());
    }
    Ok(keys)
}

/// Writes `keys` to `path` (mode 0600), replacing it whole.
pub fn write(path: &Path, keys: &[DataKey]) -> Result<()> {
    let mut text = COMMENT.to_owned();
    for k in keys {
        text.push_str(&format!("{} {}\n", k.id, STANDARD.encode(k.bytes)));
    }
    let tmp = sibling(
        path,
        &format!(".new-{}-{}", std::process::id(), rand::rng().next_u32()),
    );
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))?;
    // The rename itself on disk, before anything is sealed with the key.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Makes a new key file at `path` with one key numbered `id`, unless a
/// file is there already (then it is left alone and false answered).
pub fn create(path: &Path, id: u32) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    write(path, &[DataKey::generate(id)])?;
    Ok(true)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_with_its_keys_in_order() {
        let dir = std::env::temp_dir().join(format!("nm-key-file-{}", std::process::id()));
        let path = dir.join("data.key");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(create(&path, 1).expect("create"));
        assert!(
            !create(&path, 1).expect("create again"),
            "an existing file is kept"
        );
        let first = read(&path).expect("read");
        assert_eq!(first.len(), 1);
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        let second = DataKey::generate(2);
        write(&path, &[second.clone(), first[0].clone()]).expect("write");
        let both = read(&path).expect("read");
        assert_eq!(both.iter().map(|k| k.id).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(both[0].bytes, second.bytes);
        assert_ne!(both[0].fingerprint(), both[1].fingerprint());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_line_is_named() {
        let dir = std::env::temp_dir().join(format!("nm-key-bad-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("data.key");
        std::fs::write(&path, "# keys\n1 not-base64\n").expect("write");
        let e = read(&path).expect_err("refused");
        assert!(format!("{e:#}").contains("line 2"), "{e:#}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
