//! Computes the generator's fingerprint: a hash of everything that decides
//! what it writes (its sources, templates, runtime module, manifest, the
//! locked dependency versions and the compiler), exported to the crate as
//! `CODEGEN_FINGERPRINT`. `cargo xtask regenerate` compares it with the one
//! its stamp recorded, so that a changed generator always regenerates.
//!
//! Only contents and relative paths are hashed, never modification times or
//! absolute paths, so every checkout of the same sources agrees.

use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    for folder in ["src", "runtime"] {
        collect(&dir, Path::new(folder), &mut files);
        println!("cargo:rerun-if-changed={folder}");
    }
    for file in ["Cargo.toml", "build.rs"] {
        files.push(file.to_owned());
        println!("cargo:rerun-if-changed={file}");
    }
    files.sort();

    let mut hash = Xxh3::new();
    for rel in &files {
        entry(&mut hash, rel, std::fs::read(dir.join(rel)).ok().as_deref());
    }
    // The dependency versions in use decide formatting and serialization.
    let lock = dir.join("../Cargo.lock");
    if lock.is_file() {
        entry(
            &mut hash,
            "../Cargo.lock",
            std::fs::read(&lock).ok().as_deref(),
        );
        println!("cargo:rerun-if-changed=../Cargo.lock");
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    entry(&mut hash, "rustc -vV", Some(&version));
    entry(
        &mut hash,
        "version",
        Some(
            std::env::var("CARGO_PKG_VERSION")
                .unwrap_or_default()
                .as_bytes(),
        ),
    );
    println!(
        "cargo:rustc-env=CODEGEN_FINGERPRINT={:032x}",
        hash.digest128()
    );
}

/// Adds one named entry: its name, then its length and bytes (or a marker
/// when it could not be read), so that no two sets of entries run together.
fn entry(hash: &mut Xxh3, name: &str, bytes: Option<&[u8]>) {
    hash.update(&(name.len() as u64).to_le_bytes());
    hash.update(name.as_bytes());
    match bytes {
        Some(bytes) => {
            hash.update(&(bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        }
        None => hash.update(&u64::MAX.to_le_bytes()),
    }
}

/// Every file under `dir/rel`, as relative paths with `/` separators.
fn collect(dir: &Path, rel: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = rel.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect(dir, &path, out);
        } else {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}
