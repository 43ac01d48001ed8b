//! Personal values encrypted at rest: families' names, addresses and
//! phones, mothers' phones and emails, and visit notes are stored as
//! ciphertext, so that a dump or a backup of the database holds none of
//! them readable. XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`), a
//! fresh random 192-bit nonce per value (random nonces of that size never
//! collide in practice, so no counter has to be kept across instances).
//!
//! A stored value is `0x00 0x01 <key id: 4 bytes> <nonce: 24> <ciphertext
//! and tag>`; the first six bytes are authenticated with it. The empty
//! string is stored empty (it says only that there is nothing). A value
//! written before encryption holds its text's UTF-8 bytes, which never
//! begin with 0x00; it is read as it is until [`reseal`] encrypts it.
//!
//! The keys live in a file outside the database ([`key_file`]); the
//! database knows only their numbers and fingerprints ([`registry`]), so
//! a server given the wrong file refuses to start rather than write under
//! a key the others cannot read.
//!
//! The key ring is one per process: values are sealed and opened where
//! diesel converts them ([`Sealed`]), which has no access to the
//! application's state.

pub mod key_file;
pub mod name_index;
pub mod registry;
pub mod reseal;
mod sealed;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;

pub use key_file::DataKey;
pub use sealed::{Sealed, SealedBytes};

/// The first byte of a sealed value (text never starts with it).
const MARK: u8 = 0x00;
/// The format's version.
const VERSION: u8 = 0x01;
const HEADER: usize = 6;
const NONCE: usize = 24;
/// How often the key file is looked at for a new key (`rotate-data-key`
/// waits longer than this before re-encrypting).
pub const RELOAD_EVERY: Duration = Duration::from_secs(5);

/// The keys this process seals and opens with.
struct Ring {
    path: PathBuf,
    /// The first seals; all open.
    keys: Vec<(u32, XChaCha20Poly1305)>,
    /// The name index's hash key of each (`name_index`), in the same order.
    index: Vec<(u32, [u8; 32])>,
    modified: Option<SystemTime>,
}

static RING: RwLock<Option<Ring>> = RwLock::new(None);
static CHECKED: Mutex<Option<Instant>> = Mutex::new(None);

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no data key is loaded")]
    NoKey,
    #[error("the value is sealed with data key {0}, which the key file does not hold")]
    UnknownKey(u32),
    #[error("a sealed value is damaged or was not sealed with this key")]
    Damaged,
}

/// Loads the keys of the file at `path` for this process. Loading the
/// same file again reloads it; a process uses one key file.
pub fn install(path: &Path) -> Result<()> {
    // The time first: a rotation landing between the two is seen next time.
    let when = modified(path);
    let keys = key_file::read(path)?;
    let mut ring = RING
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(r) = ring.as_ref()
        && r.path != path
    {
        bail!(
            "this process already uses the data key file {}, not {}",
            r.path.display(),
            path.display()
        );
    }
    *ring = Some(Ring {
        path: path.to_owned(),
        keys: ciphers(&keys),
        index: index_keys(&keys),
        modified: when,
    });
    Ok(())
}

/// The key file this process uses, if any.
pub fn installed() -> Option<PathBuf> {
    read_ring().as_ref().map(|r| r.path.clone())
}

/// The number of the key that seals.
pub fn current_key() -> Option<u32> {
    read_ring()
        .as_ref()
        .and_then(|r| r.keys.first().map(|k| k.0))
}

fn index_keys(keys: &[DataKey]) -> Vec<(u32, [u8; 32])> {
    keys.iter()
        .map(|k| (k.id, name_index::index_key(&k.bytes)))
        .collect()
}

/// `f` with the name index's hash keys (the current one first).
fn with_index_keys<T>(
    f: impl FnOnce(&[(u32, [u8; 32])]) -> Result<T, OpenError>,
) -> Result<T, OpenError> {
    reload_now_and_then();
    let ring = read_ring();
    f(ring
        .as_ref()
        .map(|r| r.index.as_slice())
        .unwrap_or_default())
}

fn ciphers(keys: &[DataKey]) -> Vec<(u32, XChaCha20Poly1305)> {
    keys.iter()
        .map(|k| (k.id, XChaCha20Poly1305::new(Key::from_slice(&k.bytes))))
        .collect()
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn read_ring() -> std::sync::RwLockReadGuard<'static, Option<Ring>> {
    RING.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the key file again if it changed since it was loaded (or if
/// `force`): another process rotated the key.
fn reload(force: bool) {
    let Some((path, before)) = read_ring().as_ref().map(|r| (r.path.clone(), r.modified)) else {
        return;
    };
    let now = modified(&path);
    if now == before && (!force || !forced_reload_due()) {
        return;
    }
    match key_file::read(&path) {
        Ok(keys) => {
            let mut ring = RING
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(r) = ring.as_mut() {
                r.keys = ciphers(&keys);
                r.index = index_keys(&keys);
                r.modified = now;
            }
            if now != before {
                tracing::info!(key = keys.first().map(|k| k.id), "data key file reloaded");
            }
        }
        // Half-written (a rotation renames a complete file into place, so
        // rarely) or gone: keep the keys already loaded.
        Err(e) => tracing::warn!("cannot reload the data key file: {e:#}"),
    }
}

/// A value under a key this process has not loaded reads the file again
/// even if it seems unchanged, but at most once a second: a page of such
/// values (a damaged copy, say) must not read the file for each.
fn forced_reload_due() -> bool {
    static FORCED: Mutex<Option<Instant>> = Mutex::new(None);
    let mut last = FORCED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
        return false;
    }
    *last = Some(Instant::now());
    true
}

/// Looks at the key file at most every [`RELOAD_EVERY`].
fn reload_now_and_then() {
    let mut checked = CHECKED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if checked.is_some_and(|t| t.elapsed() < RELOAD_EVERY) {
        return;
    }
    *checked = Some(Instant::now());
    drop(checked);
    reload(false);
}

/// `plain` sealed under the current key (empty stays empty).
pub fn seal(plain: &str) -> Result<Vec<u8>, OpenError> {
    if plain.is_empty() {
        return Ok(Vec::new());
    }
    reload_now_and_then();
    let ring = read_ring();
    let (id, cipher) = ring
        .as_ref()
        .and_then(|r| r.keys.first())
        .ok_or(OpenError::NoKey)?;
    Ok(seal_with(*id, cipher, plain))
}

fn seal_with(id: u32, cipher: &XChaCha20Poly1305, plain: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + NONCE + plain.len() + 16);
    out.push(MARK);
    out.push(VERSION);
    out.extend_from_slice(&id.to_be_bytes());
    let mut nonce = [0u8; NONCE];
    rand::rng().fill_bytes(&mut nonce);
    out.extend_from_slice(&nonce);
    let sealed = cipher.encrypt(
        XNonce::from_slice(&nonce),
        Payload {
            msg: plain.as_bytes(),
            aad: &out[..HEADER],
        },
    );
    // Encryption fails only for messages of 256 GiB and more.
    out.extend_from_slice(&sealed.unwrap_or_default());
    out
}

/// The key number a stored value is sealed with (None: empty or text).
pub fn key_of(stored: &[u8]) -> Option<u32> {
    match stored {
        [MARK, VERSION, a, b, c, d, ..] => Some(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => None,
    }
}

/// The header a value sealed under key `id` begins with.
pub fn header(id: u32) -> Vec<u8> {
    let mut h = vec![MARK, VERSION];
    h.extend_from_slice(&id.to_be_bytes());
    h
}

/// A stored value opened: sealed, or text from before encryption.
pub fn open(stored: &[u8]) -> Result<String, OpenError> {
    if stored.first() != Some(&MARK) {
        return String::from_utf8(stored.to_vec()).map_err(|_| OpenError::Damaged);
    }
    let id = key_of(stored).ok_or(OpenError::Damaged)?;
    if stored.len() < HEADER + NONCE {
        return Err(OpenError::Damaged);
    }
    let attempt = || {
        let ring = read_ring();
        let ring = ring.as_ref().ok_or(OpenError::NoKey)?;
        let (_, cipher) = ring
            .keys
            .iter()
            .find(|k| k.0 == id)
            .ok_or(OpenError::UnknownKey(id))?;
        let plain = cipher
            .decrypt(
                XNonce::from_slice(&stored[HEADER..HEADER + NONCE]),
                Payload {
                    msg: &stored[HEADER + NONCE..],
                    aad: &stored[..HEADER],
                },
            )
            .map_err(|_| OpenError::Damaged)?;
        String::from_utf8(plain).map_err(|_| OpenError::Damaged)
    };
    match attempt() {
        // A key this process has not loaded yet: another rotated.
        Err(OpenError::UnknownKey(_)) => {
            reload(true);
            attempt()
        }
        other => other,
    }
}

/// The shortest sealed value (the empty text is stored empty, unsealed).
const SEALED_MIN: usize = HEADER + NONCE + 16;

/// `bytes` sealed (as their hex text).
pub fn seal_bytes(bytes: &[u8]) -> Result<Vec<u8>, OpenError> {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    seal(&hex)
}

/// Stored bytes opened: sealed by [`seal_bytes`], or (shorter than any
/// sealed value) the bytes themselves, written before encryption.
pub fn open_bytes(stored: &[u8]) -> Result<Vec<u8>, OpenError> {
    if stored.len() < SEALED_MIN || key_of(stored).is_none() {
        return Ok(stored.to_vec());
    }
    let hex = open(stored)?;
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(OpenError::Damaged)
}

/// [`reseal_value`] for bytes stored by [`seal_bytes`].
pub fn reseal_bytes(stored: &[u8]) -> Result<Option<Vec<u8>>, OpenError> {
    if stored.is_empty()
        || (stored.len() >= SEALED_MIN
            && key_of(stored).is_some()
            && key_of(stored) == current_key())
    {
        return Ok(None);
    }
    let bytes = open_bytes(stored)?;
    seal_bytes(&bytes).map(Some)
}

/// `stored` opened and sealed again under the current key, unless it
/// already is; None when nothing is to be done.
pub fn reseal_value(stored: &[u8]) -> Result<Option<Vec<u8>>, OpenError> {
    if stored.is_empty() || key_of(stored) == current_key() {
        return Ok(None);
    }
    let plain = open(stored)?;
    seal(&plain).map(Some)
}

/// Loads `path` in a process that has no key yet, or checks it is the
/// one already loaded.
pub fn install_once(path: &Path) -> Result<()> {
    if installed().as_deref() == Some(path) {
        return Ok(());
    }
    install(path).with_context(|| format!("cannot load the data key file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(&[7u8; 32]))
    }

    #[test]
    fn a_sealed_value_hides_the_text_and_names_its_key() {
        let sealed = seal_with(3, &cipher(), "Ayşe Yılmaz");
        assert_eq!(key_of(&sealed), Some(3));
        assert_eq!(&sealed[..HEADER], &header(3)[..]);
        assert!(!sealed.windows(4).any(|w| w == b"Ay\xc5\x9f"));
        // Two seals of one text differ (a fresh nonce each).
        assert_ne!(sealed, seal_with(3, &cipher(), "Ayşe Yılmaz"));
    }

    #[test]
    fn bytes_from_before_encryption_read_as_they_are() {
        // A one-time password secret as stored before: 20 raw bytes, even
        // one that happens to begin like a sealed value.
        let raw = [0u8, 1, 0, 0, 0, 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
        assert_eq!(open_bytes(&raw).ok(), Some(raw.to_vec()));
    }

    #[test]
    fn text_from_before_encryption_reads_as_it_is() {
        assert_eq!(open(b"0170 1234567").ok().as_deref(), Some("0170 1234567"));
        assert_eq!(open(b"").ok().as_deref(), Some(""));
        assert_eq!(key_of(b"0170"), None);
    }

    #[test]
    fn a_changed_byte_is_refused() {
        let mut sealed = seal_with(1, &cipher(), "note");
        let plain = cipher().decrypt(
            XNonce::from_slice(&sealed[HEADER..HEADER + NONCE]),
            Payload {
                msg: &sealed[HEADER + NONCE..],
                aad: &sealed[..HEADER],
            },
        );
        assert_eq!(plain.ok().as_deref(), Some(&b"note"[..]));
        // The key number is authenticated too.
        sealed[5] ^= 1;
        let tampered = cipher().decrypt(
            XNonce::from_slice(&sealed[HEADER..HEADER + NONCE]),
            Payload {
                msg: &sealed[HEADER + NONCE..],
                aad: &sealed[..HEADER],
            },
        );
        assert!(tampered.is_err());
    }
}
