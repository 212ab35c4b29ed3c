//! Any bytes, read as a YAML or a JSON schema file, go through load -> lower
//! -> emit without a panic, and end in either files or errors.
#![no_main]

use codegen::diagnostic::{Diagnostics, Severity};
use codegen::load::FileSource;
use codegen::settings::Settings;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};

/// The fuzzed bytes as the input file and as `other.yaml`, which a `$ref`
/// may reach; every other file is missing. (Serving the bytes for every
/// path would let `a/b.yaml` refer to `a/a/b.yaml` and so on without end,
/// which a real disk does not allow.)
struct Bytes<'a>(&'a [u8]);

impl FileSource for Bytes<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match path.to_str() {
            Some("api.yaml" | "api.json" | "other.yaml") => Ok(self.0.to_vec()),
            _ => Err(std::io::ErrorKind::NotFound.into()),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the reader, so both are fuzzed.
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("api.yaml", rest),
        Some((_, rest)) => ("api.json", rest),
        None => ("api.yaml", data),
    };
    let g = codegen::generate_from(
        &[PathBuf::from(name)],
        &Bytes(body),
        &Settings::default(),
        Diagnostics::new(),
    );
    let has_errors = g.diagnostics.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(has_errors, g.files.is_empty());
    let _ = g.report();
});
