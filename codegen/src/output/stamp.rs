//! The regenerate stamp: what the last successful run consumed and produced,
//! so that a run with nothing changed can stop after reading and hashing its
//! inputs and outputs, without generating anything.
//!
//! A stamp records the generator's fingerprint (a hash of its sources, see
//! `build.rs`), a hash of the settings, the input files given, every file the
//! load read (inputs and files reached through `$ref`) with a hash of its
//! bytes, one hash over every generated file on disk (manifest included), and
//! the rendered diagnostics with their number of warnings, so that a run
//! skipped reports what the full run reported.
//!
//! It lives outside the output folder, in the cargo target folder like
//! cargo's own fingerprints ([`default_path`]): the output folder is checked
//! in, and a stamp there would change with every edit of the generator.
//!
//! A stamp is only ever a reason to skip work when every recorded hash
//! matches what is on disk now. Anything else (no stamp, a stamp of another
//! format or generator, a file that cannot be read, any difference) means a
//! full run. Hashes are xxh3 (128 bits): the same on every machine.

use crate::load::source::SourceFile;
use crate::settings::Settings;
use std::io;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The generator's fingerprint, computed by `build.rs` from the contents of
/// its sources, templates, runtime module, manifest, lock file and compiler.
pub const GENERATOR: &str = env!("CODEGEN_FINGERPRINT");

/// First line of every stamp; another format is never read.
const HEADER: &str = "codegen regenerate stamp 1";

/// What a successful run consumed and produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// [`GENERATOR`] of the run.
    pub generator: String,
    /// Hash of the settings in effect.
    pub settings: u128,
    /// The input files given or discovered, in order, as displayed.
    pub inputs: Vec<String>,
    /// Every file the load read, as displayed, with the hash of its bytes.
    pub sources: Vec<(String, u128)>,
    /// Number of generated files, manifest included.
    pub files: usize,
    /// Hash of the generated files, as [`outputs_on_disk`] computes it.
    pub outputs: u128,
    /// Number of warnings the run reported.
    pub warnings: usize,
    /// The diagnostics as the run rendered them.
    pub report: String,
}

/// What a [`Stamp`] is compared against: the inputs of the run about to start.
pub struct Current<'a> {
    /// The input files given or discovered, in order.
    pub inputs: &'a [PathBuf],
    /// The settings in effect.
    pub settings: &'a Settings,
    /// The output folder.
    pub out: &'a Path,
}

impl Stamp {
    /// The stamp of a successful run that wrote `files` (manifest included)
    /// into the output folder. `None` when a path cannot be recorded (holds
    /// a line break) or the files hold no manifest: then no stamp is kept.
    pub fn new(
        inputs: &[PathBuf],
        settings: &Settings,
        sources: &[SourceFile],
        files: &[crate::emit::File],
        warnings: usize,
        report: String,
    ) -> Option<Stamp> {
        let by_path: std::collections::HashMap<&str, &[u8]> = files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_bytes()))
            .collect();
        let manifest = by_path.get(super::MANIFEST)?;
        let outputs = outputs_digest(manifest, |rel, buf| {
            let bytes = by_path.get(rel).ok_or(io::ErrorKind::NotFound)?;
            buf.clear();
            buf.extend_from_slice(bytes);
            Ok(())
        })?;
        Stamp::of_run(
            inputs,
            settings,
            source_hashes(sources),
            outputs,
            warnings,
            report,
        )
    }

    /// [`Stamp::new`] from what it records of the files read (as [`source_hashes`] gives
    /// them) and of the files written: their number and hash (as [`Staging`] gives them).
    ///
    /// [`Staging`]: super::Staging
    pub fn of_run(
        inputs: &[PathBuf],
        settings: &Settings,
        sources: Vec<(String, u128)>,
        (files, outputs): (usize, u128),
        warnings: usize,
        report: String,
    ) -> Option<Stamp> {
        let inputs: Vec<String> = inputs.iter().map(|p| crate::load::display(p)).collect();
        let recordable = |p: &String| !p.contains(['\n', '\r']);
        if !inputs.iter().all(recordable) || !sources.iter().all(|(p, _)| recordable(p)) {
            return None;
        }
        Some(Stamp {
            generator: GENERATOR.to_owned(),
            settings: settings_hash(settings),
            inputs,
            sources,
            files,
            outputs,
            warnings,
            report,
        })
    }

    /// Whether this stamp describes the run that `current` would make: same
    /// generator, settings and inputs, every source file and every generated
    /// file on disk with the bytes recorded. Any read error answers no.
    pub fn is_current(&self, current: &Current<'_>) -> bool {
        self.generator == GENERATOR
            && self.settings == settings_hash(current.settings)
            && self.inputs.len() == current.inputs.len()
            && self
                .inputs
                .iter()
                .zip(current.inputs)
                .all(|(recorded, now)| *recorded == crate::load::display(now))
            && self.sources_unchanged()
            && outputs_on_disk(current.out) == Some((self.files, self.outputs))
    }

    fn sources_unchanged(&self) -> bool {
        self.sources.iter().all(|(name, hash)| {
            std::fs::read(Path::new(name)).is_ok_and(|bytes| xxh3_128(&bytes) == *hash)
        })
    }

    /// Reads the stamp at `path`; `None` when absent, unreadable, of another
    /// format, or malformed in any way.
    pub fn read(path: &Path) -> Option<Stamp> {
        let text = std::fs::read_to_string(path).ok()?;
        Stamp::parse(&text)
    }

    /// Writes the stamp to `path` through a temporary file and a rename, so a
    /// reader never sees half a stamp. Creates the parent folders.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = super::sibling(path, "tmp");
        std::fs::write(&tmp, self.to_text())
            .and_then(|()| std::fs::rename(&tmp, path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
    }

    /// The stamp as text: one field a line, then the report verbatim.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{HEADER}\ngenerator {}\nsettings {:032x}\n",
            self.generator, self.settings
        );
        for input in &self.inputs {
            text.push_str(&format!("input {input}\n"));
        }
        for (name, hash) in &self.sources {
            text.push_str(&format!("source {hash:032x} {name}\n"));
        }
        text.push_str(&format!(
            "outputs {} {:032x}\nwarnings {}\nreport {}\n",
            self.files,
            self.outputs,
            self.warnings,
            self.report.len()
        ));
        text.push_str(&self.report);
        text
    }

    /// Reads [`Stamp::to_text`]'s format; anything else is `None`.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut rest = text;
        let mut line = || -> Option<&str> {
            let (line, after) = rest.split_once('\n')?;
            rest = after;
            Some(line)
        };
        if line()? != HEADER {
            return None;
        }
        let generator = line()?.strip_prefix("generator ")?.to_owned();
        let settings = hex(line()?.strip_prefix("settings ")?)?;
        let mut inputs = Vec::new();
        let mut sources = Vec::new();
        let (files, outputs) = loop {
            let l = line()?;
            if let Some(input) = l.strip_prefix("input ") {
                inputs.push(input.to_owned());
            } else if let Some(source) = l.strip_prefix("source ") {
                let (hash, name) = source.split_once(' ')?;
                sources.push((name.to_owned(), hex(hash)?));
            } else {
                let (count, hash) = l.strip_prefix("outputs ")?.split_once(' ')?;
                break (count.parse().ok()?, hex(hash)?);
            }
        };
        let warnings = line()?.strip_prefix("warnings ")?.parse().ok()?;
        let length: usize = line()?.strip_prefix("report ")?.parse().ok()?;
        (rest.len() == length).then(|| Stamp {
            generator,
            settings,
            inputs,
            sources,
            files,
            outputs,
            warnings,
            report: rest.to_owned(),
        })
    }
}

/// A 128-bit hash written as 32 lowercase hex digits.
fn hex(text: &str) -> Option<u128> {
    (text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| u128::from_str_radix(text, 16).ok())
        .flatten()
}

/// The settings' hash: of every field, through their derived `Debug`.
fn settings_hash(settings: &Settings) -> u128 {
    xxh3_128(format!("{settings:?}").as_bytes())
}

/// The number of generated files in `out` (manifest included) and their
/// hash: the manifest's bytes, then each file it lists with its path, length
/// and bytes, read from disk (on two threads: this is most of a skipped run's
/// time). `None` when the manifest or any listed file cannot be read, or the
/// manifest lists a path outside the folder.
pub fn outputs_on_disk(out: &Path) -> Option<(usize, u128)> {
    let manifest = std::fs::read(out.join(super::MANIFEST)).ok()?;
    outputs_digest(&manifest, |rel, buf| {
        use std::io::Read;
        buf.clear();
        std::fs::File::open(super::target(out, rel))?.read_to_end(buf)?;
        Ok(())
    })
}

/// Counts and hashes the manifest and the files it lists, each read by
/// `read` into a buffer. The per-file hashes are computed on two threads and
/// combined in manifest order, so the result does not depend on the threads.
fn outputs_digest(
    manifest: &[u8],
    read: impl Fn(&str, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> Option<(usize, u128)> {
    let listed: Vec<&str> = std::str::from_utf8(manifest)
        .ok()?
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if !listed.iter().all(|l| super::is_safe_relative(l)) {
        return None;
    }
    let hash_all = |paths: &[&str]| -> Option<Vec<(u64, u128)>> {
        let mut buf = Vec::new();
        paths
            .iter()
            .map(|rel| {
                read(rel, &mut buf).ok()?;
                Some((buf.len() as u64, xxh3_128(&buf)))
            })
            .collect()
    };
    let (first, second) = listed.split_at(listed.len() / 2);
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(|| hash_all(second));
        let first = hash_all(first);
        (first, other.join().ok().flatten())
    });
    let hashes = first?.into_iter().chain(second?);
    let files = listed
        .iter()
        .zip(hashes)
        .map(|(rel, (len, hash))| (*rel, len, hash));
    Some((listed.len() + 1, combine(manifest, files)))
}

/// The hash of the generated files: the manifest's length and bytes, then each file it
/// lists, in its order, with its path and the length and hash of its contents.
pub(super) fn combine<'a>(
    manifest: &[u8],
    files: impl Iterator<Item = (&'a str, u64, u128)>,
) -> u128 {
    let mut hash = Xxh3::new();
    hash.update(&(manifest.len() as u64).to_le_bytes());
    hash.update(manifest);
    for (rel, len, file) in files {
        hash.update(&(rel.len() as u64).to_le_bytes());
        hash.update(rel.as_bytes());
        hash.update(&len.to_le_bytes());
        hash.update(&file.to_le_bytes());
    }
    hash.digest128()
}

/// Each file read, as displayed, with the hash of its bytes, as a stamp records them.
pub fn source_hashes(sources: &[SourceFile]) -> Vec<(String, u128)> {
    sources
        .iter()
        .map(|s| (s.name.clone(), xxh3_128(s.text.as_bytes())))
        .collect()
}

/// Where the stamp of output folder `out` lives by default:
/// `<target>/regenerate-stamps/<hash of out's canonical path>`, with
/// `<target>` the cargo target folder of the running program (found from
/// its location, `<target>/<profile>/<program>`, or else `CARGO_TARGET_DIR`).
/// `None` when there is no target folder: then every run is a full one.
pub fn default_path(out: &Path) -> Option<PathBuf> {
    let target = target_dir()?;
    let key = canonical(out)?;
    let key = xxh3_128(key.as_os_str().as_encoded_bytes());
    Some(target.join("regenerate-stamps").join(format!("{key:032x}")))
}

/// The cargo target folder the running program was built in, if any.
fn target_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok();
    let profile = exe.as_deref().and_then(Path::parent);
    // A profile folder holds cargo's fingerprints; a target folder created by
    // cargo is marked with `CACHEDIR.TAG`.
    if let Some((profile, target)) = profile.and_then(|p| Some((p, p.parent()?))) {
        if profile.join(".fingerprint").is_dir() || target.join("CACHEDIR.TAG").is_file() {
            return Some(target.to_path_buf());
        }
    }
    let dir = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty())?;
    std::path::absolute(dir).ok()
}

/// `path` made absolute with symbolic links resolved, also when it does not
/// exist yet (its nearest existing ancestor is resolved, the rest appended).
fn canonical(path: &Path) -> Option<PathBuf> {
    let path = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut cur = path.as_path();
    loop {
        if let Ok(real) = cur.canonicalize() {
            return Some(rest.iter().rev().fold(real, |p, c| p.join(c)));
        }
        rest.push(cur.file_name()?);
        cur = cur.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::File;

    fn sample() -> Stamp {
        Stamp {
            generator: GENERATOR.to_owned(),
            settings: 7,
            inputs: vec!["schemas/a b.yaml".into()],
            sources: vec![
                ("schemas/a b.yaml".into(), u128::MAX),
                ("schemas/common.yaml".into(), 1),
            ],
            files: 3,
            outputs: 42,
            warnings: 2,
            report: "warning: one\n\nwarning: two\nsource 1 x\n".into(),
        }
    }

    #[test]
    fn a_stamp_reads_back_as_written() {
        let stamp = sample();
        assert_eq!(Stamp::parse(&stamp.to_text()), Some(stamp));
    }

    #[test]
    fn a_truncated_or_altered_stamp_is_not_read() {
        let text = sample().to_text();
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                assert_eq!(Stamp::parse(&text[..cut]), None, "cut at {cut}");
            }
        }
        assert_eq!(Stamp::parse(&(text.clone() + "x")), None);
        assert_eq!(
            Stamp::parse(&text.replace(HEADER, "codegen regenerate stamp 0")),
            None
        );
        assert_eq!(
            Stamp::parse(&text.replace("settings 0", "settings g")),
            None
        );
    }

    #[test]
    fn the_outputs_hash_matches_the_files_written_and_changes_with_any_byte() {
        let dir = tempfile::tempdir().unwrap();
        let files = super::super::with_manifest(vec![
            File::new("a.rs", "// @generated\na\n"),
            File::new("m/b.rs", "// @generated\nb\n"),
            File::new("m/c.rs", "// @generated\nc\n"),
        ]);
        super::super::write(dir.path(), &files).unwrap();
        let stamp = Stamp::new(&[], &Settings::default(), &[], &files, 0, String::new()).unwrap();
        assert_eq!(stamp.files, 4);
        assert_eq!(outputs_on_disk(dir.path()), Some((4, stamp.outputs)));
        std::fs::write(dir.path().join("m/b.rs"), "// @generated\nB\n").unwrap();
        assert_ne!(outputs_on_disk(dir.path()), Some((4, stamp.outputs)));
        std::fs::write(dir.path().join("m/b.rs"), "// @generated\nb\n").unwrap();
        assert_eq!(outputs_on_disk(dir.path()), Some((4, stamp.outputs)));
        std::fs::remove_file(dir.path().join("m/c.rs")).unwrap();
        assert_eq!(outputs_on_disk(dir.path()), None);
    }

    #[test]
    fn the_default_place_is_the_same_for_every_spelling_of_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("x")).unwrap();
        let spelled = dir.path().join("x/../out");
        assert_eq!(canonical(&spelled), canonical(&dir.path().join("out")));
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        assert_eq!(
            canonical(&spelled),
            dir.path().join("out").canonicalize().ok()
        );
    }
}
