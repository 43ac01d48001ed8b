//! Finding families by name although their names are sealed: beside each
//! sealed name, a keyed hash of the beginnings (2 to 8 letters) of each of
//! its words (a "blind index", as CipherSweet calls it), which PostgreSQL
//! searches with a GIN index. A search for "yıld kar" asks for the rows
//! whose index holds the hash of "yıld" and that of "kar", opens those few
//! names and keeps those in which every word of the search begins a word
//! of the name.
//!
//! What the index tells a reader of the database without the key: which
//! families of one programme have names that begin alike (the hashes are
//! salted with the programme, so programmes cannot be compared), never
//! the names. The hash key comes from the data key, so a rotation builds
//! the index anew (`reseal`); until then a search asks under every key the
//! process holds.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::OpenError;

/// The shortest and the longest beginning of a word that is indexed.
const SHORTEST: usize = 2;
const LONGEST: usize = 8;

/// The hash key of the index for the data key `bytes`.
pub(super) fn index_key(bytes: &[u8; 32]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(bytes).unwrap_or_else(|_| unreachable!());
    mac.update(b"neighbourhood-mothers family name index");
    mac.finalize().into_bytes().into()
}

/// The words of `text` as a search compares them: lower case, without
/// accents (ş, ğ, é, å as s, g, e, a) and with the Turkish dotless ı as i,
/// so that "YILDIRIM" and "Yildirim" find "Yıldırım".
///
/// Accents go before the text is split into words: a name typed with
/// combining accents ("Mu\u{308}ller") is one word, as "Müller" is.
fn words(text: &str) -> impl Iterator<Item = Vec<char>> {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
        .chars()
        .map(|c| if c == 'ı' { 'i' } else { c })
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().collect::<Vec<char>>())
        .collect::<Vec<_>>()
        .into_iter()
}

fn hash(key: &[u8; 32], programme: i64, prefix: &[char]) -> i64 {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(&programme.to_be_bytes());
    mac.update(prefix.iter().collect::<String>().as_bytes());
    let out = mac.finalize().into_bytes();
    i64::from_be_bytes([
        out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7],
    ])
}

/// The index of `name` in `programme` under the hash key `key`.
pub(super) fn of_name_with(key: &[u8; 32], programme: i64, name: &str) -> Vec<i64> {
    let mut out: Vec<i64> = words(name)
        .flat_map(|w| {
            (SHORTEST..=w.len().min(LONGEST))
                .map(|n| hash(key, programme, &w[..n]))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What a search for `q` asks of the index under `key`: one hash for each
/// word of two letters or more (empty when there is none).
pub(super) fn of_query_with(key: &[u8; 32], programme: i64, q: &str) -> Vec<i64> {
    words(q)
        .filter(|w| w.len() >= SHORTEST)
        .map(|w| hash(key, programme, &w[..w.len().min(LONGEST)]))
        .collect()
}

/// The index of `name` (in `programme`) under the current key: the key's
/// number and the hashes.
pub fn of_name(programme: i64, name: &str) -> Result<(u32, Vec<i64>), OpenError> {
    super::with_index_keys(|keys| {
        let (id, key) = keys.first().ok_or(OpenError::NoKey)?;
        Ok((*id, of_name_with(key, programme, name)))
    })
}

/// What a search for `q` asks of the index: for each key this process
/// holds, the hashes a matching name's index holds all of. Empty when `q`
/// has no word of two letters or more.
pub fn of_query(programme: i64, q: &str) -> Vec<Vec<i64>> {
    super::with_index_keys(|keys| {
        Ok(keys
            .iter()
            .map(|(_, key)| of_query_with(key, programme, q))
            .filter(|set| !set.is_empty())
            .collect())
    })
    .unwrap_or_default()
}

/// An index as a PostgreSQL array literal (`{1,2,3}`), for writing many
/// rows with `unnest`, which would flatten an array of arrays.
pub fn array_literal(index: &[i64]) -> String {
    let items: Vec<String> = index.iter().map(i64::to_string).collect();
    format!("{{{}}}", items.join(","))
}

/// Whether `name` is what a search for `q` looks for: every word of `q`
/// begins a word of `name` (any case).
pub fn matches(name: &str, q: &str) -> bool {
    let name: Vec<Vec<char>> = words(name).collect();
    let mut asked = words(q).peekable();
    asked.peek().is_some() && asked.all(|w| name.iter().any(|n| n.starts_with(&w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [3; 32];

    #[test]
    fn a_search_finds_the_beginnings_of_words_in_any_case() {
        let name = of_name_with(&KEY, 1, "Ayşe Yıldırım-Karadağ");
        for q in [
            "ayşe",
            "YILD",
            "yıldırım",
            "Yildirim",
            "kar",
            "Karadag",
            "ay kara",
            "AYSE",
        ] {
            let asked = of_query_with(&KEY, 1, q);
            assert!(!asked.is_empty(), "{q}");
            assert!(asked.iter().all(|h| name.contains(h)), "{q}");
            assert!(matches("Ayşe Yıldırım-Karadağ", q), "{q}");
        }
        // Accents typed as combining marks are the same name.
        let decomposed = of_name_with(&KEY, 1, "Mu\u{308}ller I\u{307}lknur");
        for q in ["Müller", "muller", "İlknur", "ilk"] {
            let asked = of_query_with(&KEY, 1, q);
            assert!(asked.iter().all(|h| decomposed.contains(h)), "{q}");
            assert!(matches("Mu\u{308}ller I\u{307}lknur", q), "{q}");
        }
        // Not the middle of a word; one letter asks nothing of the index.
        assert!(
            !of_query_with(&KEY, 1, "ldırım")
                .iter()
                .all(|h| name.contains(h))
        );
        assert!(!matches("Ayşe Yıldırım-Karadağ", "ldırım"));
        assert!(of_query_with(&KEY, 1, "a").is_empty());
        assert!(!matches("Ayşe", ""));
    }

    #[test]
    fn long_words_are_asked_by_their_first_eight_letters() {
        let name = of_name_with(&KEY, 1, "Abdirahman");
        let asked = of_query_with(&KEY, 1, "Abdirahma");
        assert!(asked.iter().all(|h| name.contains(h)));
        assert!(!matches("Abdirahman", "Abdirahmanx"), "checked whole after");
    }

    #[test]
    fn programmes_and_keys_give_other_hashes() {
        let one = of_name_with(&KEY, 1, "Haddad");
        assert_ne!(one, of_name_with(&KEY, 2, "Haddad"));
        assert_ne!(one, of_name_with(&[4; 32], 1, "Haddad"));
        assert_eq!(one, of_name_with(&KEY, 1, "haddad"));
    }
}
