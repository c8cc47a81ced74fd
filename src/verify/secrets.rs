//! Values for the variables a compose file uses without a default (`${POSTGRES_PASSWORD}`,
//! `${POSTGRES_PASSWORD:?...}`) that neither
//! the environment nor the project's `.env` sets: `dockgen verify` starts the services with
//! throwaway values for them, made up for this run and never written anywhere, so a fresh
//! checkout can be verified without inventing a password first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// The names of the variables `compose` interpolates without a default (`${NAME}`,
/// `${NAME:?...}`, not `${NAME:-x}`), in the order they first appear.
pub fn required_variables(compose: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = compose;
    while let Some(at) = rest.find("${") {
        rest = &rest[at + 2..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = &rest[name.len()..];
        let no_default =
            after.starts_with('}') || after.starts_with(":?") || after.starts_with('?');
        if no_default && !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Whether the `.env` text sets `name`.
pub fn env_file_sets(env_file: &str, name: &str) -> bool {
    env_file.lines().any(|l| {
        l.trim()
            .trim_start_matches("export ")
            .split_once('=')
            .is_some_and(|(k, _)| k.trim() == name)
    })
}

/// 24 letters and digits from the process's random hash keys.
pub fn throwaway_value() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let state = RandomState::new();
    (0..24u64)
        .map(|i| {
            let mut h = state.build_hasher();
            h.write_u64(i);
            ALPHABET[(h.finish() % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_required_variables_once() {
        let compose = "x: \"${POSTGRES_PASSWORD:?set it}\"\ny: \"postgresql://app:${POSTGRES_PASSWORD}@db\"\nz: ${PORT:-3000}\nw: ${REDIS_PASS:?}";
        assert_eq!(
            required_variables(compose),
            ["POSTGRES_PASSWORD", "REDIS_PASS"]
        );
        assert!(env_file_sets(
            "# x\nexport POSTGRES_PASSWORD=abc\n",
            "POSTGRES_PASSWORD"
        ));
        assert!(!env_file_sets(
            "POSTGRES_PASSWORDX=1\n",
            "POSTGRES_PASSWORD"
        ));
        let v = throwaway_value();
        assert_eq!(v.len(), 24);
        assert!(v.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
