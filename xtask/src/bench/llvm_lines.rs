//! LLVM lines of the generated crate by kind of code: `cargo llvm-lines` of the crate (a build
//! of its own), each function counted under the kind of generated code its name belongs to.

use super::{compile::walk, peers, row, Row};
use crate::corpus;
use std::path::Path;
use std::process::Command;

/// Our crate's package, as the bench names it.
const OURS: &str = "corpus-github";

/// The kinds of generated code that LLVM lines are grouped into, by function name.
const KINDS: [&str; 8] = [
    "serde derives (their visitors, and the one-line impls calling them)",
    "union Deserialize impls (and the union helpers they instantiate)",
    "Validate impls",
    "Diagnose impls and what they instantiate (struct, enum and union tables; a leaf or library type read from a serde_json::Value through serde_path_to_error, validation::parsed)",
    "statics (LazyLock patterns, enums, consts)",
    "drop glue",
    "serde_json's text deserializer instantiated for the types",
    "other (core and alloc generics, Result::map ...)",
];

/// The kind of a function of our crate's LLVM IR, by its demangled name; `unions` holds
/// `::module::Type as serde::de::Deserialize>` of each union with a hand-written deserializer.
fn kind(name: &str, unions: &[String]) -> usize {
    // serde's traits are defined in `serde_core` and named so in symbols.
    let name = name.replace("serde_core::", "serde::");
    let has = |s: &str| name.contains(s);
    if has("UnionInput")
        || has("select_branch")
        || has("union_input")
        || has("no_branch")
        || has("try_branch")
        || unions.iter().any(|u| has(u))
    {
        1
    } else if has("::_::<impl")
        || has("__Visitor")
        || has("__Field")
        || has("__DeserializeWith")
        || has("__SerializeWith")
        || has("ObjectOnly")
        || has("as serde::de::Deserialize>::deserialize")
        || has("as serde::ser::Serialize>::serialize")
    {
        0
    } else if has("validation::Validate>") {
        2
    } else if has("validation::Diagnose>")
        || has("validation::parsed")
        || has("serde_path_to_error")
        || has("serde_json::value::de")
        || has("MapRefDeserializer")
    {
        3
    } else if has("LazyLock") || has("::PATTERN_") || has("::ENUM_") || has("::CONST_") {
        4
    } else if name.starts_with("core::ptr::drop_in_place") {
        5
    } else if has("serde_json::de::") || has("serde_json::read::") {
        6
    } else {
        7
    }
}

/// The unions of the generated crate whose `Deserialize` is hand-written (it takes a
/// `union_input`), as `::module::Type as serde::de::Deserialize>`.
fn union_deserializers(crate_dir: &Path) -> Vec<String> {
    const IMPL: &str = "impl<'de> serde::Deserialize<'de> for ";
    let mut out = Vec::new();
    for rel in walk(&crate_dir.join("src")) {
        let Some(stem) = rel.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(crate_dir.join("src").join(&rel)).unwrap_or_default();
        for (i, _) in text.match_indices(IMPL) {
            let rest = &text[i + IMPL.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = rest.split("\nimpl").next().unwrap_or("");
            if body.contains("union_input") {
                out.push(format!("::{stem}::{name} as serde::de::Deserialize>"));
            }
        }
    }
    out
}

/// `cargo llvm-lines` of our crate (a build of its own), grouped by [`KINDS`].
pub fn llvm_lines(ws: &Path, crate_dir: &Path, rows: &mut Vec<Row>) {
    let Some(exe) = peers::llvm_lines() else {
        eprintln!("  cargo-llvm-lines is not installed (`cargo xtask bench --install-peers`): LLVM lines by kind skipped");
        row(
            rows,
            "LLVM lines by kind",
            "cargo-llvm-lines not installed: skipped",
            "",
        );
        return;
    };
    let logs = corpus::root().join("logs");
    eprintln!("  counting LLVM lines (a build of its own)");
    let out = Command::new(exe)
        .args(["llvm-lines", "-p", OURS, "--lib"])
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TERM_COLOR", "never")
        .output();
    let Ok(out) = out.map_err(|e| eprintln!("  running cargo-llvm-lines: {e}")) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::write(logs.join("bench-llvm-lines.txt"), text.as_bytes());
    if !out.status.success() {
        eprintln!(
            "  cargo-llvm-lines failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .join(" / ")
        );
        return;
    }
    report_llvm_lines(&text, crate_dir, rows);
}

/// The row of LLVM lines by kind, from `cargo llvm-lines` output; `cargo xtask bench
/// --llvm-lines-from <file>` makes it again from a saved output.
pub fn report_llvm_lines(text: &str, crate_dir: &Path, rows: &mut Vec<Row>) {
    let unions = union_deserializers(crate_dir);
    let (total, lines, copies) = group_llvm_lines(text, &unions);
    if total == 0 {
        eprintln!("  cargo-llvm-lines printed no total");
        return;
    }
    let groups: Vec<String> = KINDS
        .iter()
        .zip(lines.iter().zip(&copies))
        .map(|(k, (l, c))| {
            format!(
                "{k} {:.0}k ({:.0}%, {c} fns)",
                *l as f64 / 1e3,
                *l as f64 / total as f64 * 100.0
            )
        })
        .collect();
    row(
        rows,
        format!("LLVM lines of the generated GitHub crate by kind ({} unions with a hand-written deserializer)", unions.len()),
        format!("{:.1}M in all: {}", total as f64 / 1e6, groups.join("; ")),
        "",
    );
}

/// `cargo llvm-lines` output summed by [`kind`]: the total, then lines and copies per kind.
fn group_llvm_lines(
    text: &str,
    unions: &[String],
) -> (u64, [u64; KINDS.len()], [u64; KINDS.len()]) {
    let mut lines = [0u64; KINDS.len()];
    let mut copies = [0u64; KINDS.len()];
    let mut total = 0u64;
    // `  30737              1107              (TOTAL)`, then rows such as
    // `   1395 (4.5%,  4.5%)     1 (0.1%,  0.1%)  name`.
    for line in text.lines() {
        let mut parts = line.trim_start().splitn(2, ' ');
        let Some(n) = parts.next().and_then(|n| n.parse::<u64>().ok()) else {
            continue;
        };
        let rest = parts.next().unwrap_or("");
        if rest.trim_end().ends_with("(TOTAL)") {
            total = n;
            continue;
        }
        let mut closes = rest.match_indices(')').map(|(i, _)| i);
        let (Some(first), Some(second)) = (closes.next(), closes.next()) else {
            continue;
        };
        let copies_here: u64 = rest[first + 1..]
            .split_whitespace()
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let name = rest[second + 1..].trim();
        let k = kind(name, unions);
        lines[k] += n;
        copies[k] += copies_here;
    }
    (total, lines, copies)
}

#[cfg(test)]
mod tests {
    use super::{group_llvm_lines, kind};

    #[test]
    fn llvm_lines_output_is_summed_by_kind() {
        let text = "  Lines              Copies            Function name\n  -----              ------            -------------\n  224                14                (TOTAL)\n   54 (24.1%, 24.1%)  1 (7.1%,  7.1%)  alloc::vec::Vec<T,A>::push_mut\n   43 (19.2%, 43.3%)  3 (7.1%, 14.3%)  core::ptr::drop_in_place<[alloc::string::String]>\n   23 (10.3%, 64.7%)  1 (7.1%, 28.6%)  core::ptr::drop_in_place<alloc::vec::Vec<u8>>\n";
        let (total, lines, copies) = group_llvm_lines(text, &[]);
        assert_eq!(total, 224);
        assert_eq!((lines[5], copies[5]), (66, 4));
        assert_eq!((lines[7], copies[7]), (54, 1));
    }

    #[test]
    fn function_names_fall_into_their_kinds() {
        let unions = vec!["::pet::Pet as serde::de::Deserialize>".to_owned()];
        let k = |n: &str| kind(n, &unions);
        assert_eq!(
            k("<corpus_github::models::pet::Pet as serde::de::Deserialize>::deserialize"),
            1
        );
        assert_eq!(
            k("<corpus_github::models::cat::Cat as serde::de::Deserialize>::deserialize"),
            0
        );
        assert_eq!(k("<corpus_github::models::cat::_::<impl corpus_github::models::cat::Cat>::deserialize::__Visitor as serde::de::Visitor>::visit_map"), 0);
        assert_eq!(k("<corpus_github::models::cat::Cat as corpus_github::validation::Validate>::validate_at"), 2);
        assert_eq!(k("<corpus_github::models::cat::Cat as corpus_github::validation::Diagnose>::diagnose"), 3);
        assert_eq!(k("corpus_github::models::cat::PATTERN_1::{{closure}}"), 4);
        assert_eq!(
            k("core::ptr::drop_in_place<corpus_github::models::cat::Cat>"),
            5
        );
        assert_eq!(k("serde_json::de::from_str"), 6);
        assert_eq!(k("<serde_path_to_error::de::TrackedSeed<X> as serde_core::de::DeserializeSeed>::deserialize"), 3);
        assert_eq!(
            k("<corpus_github::models::pet::Pet as serde_core::de::Deserialize>::deserialize"),
            1
        );
        assert_eq!(k("alloc::vec::Vec<T,A>::push"), 7);
    }
}
