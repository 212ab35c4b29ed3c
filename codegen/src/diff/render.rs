//! The report as Markdown (for a pull request description) and as JSON.

use super::{Change, ChangeKind, Report, Severity};
use serde::Serialize;
use std::fmt::Write as _;

const SEVERITIES: [Severity; 3] = [Severity::Major, Severity::Minor, Severity::Patch];

/// One section per type, in report order; one line per change.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## Schema changes\n\n");
    if report.changes.is_empty() {
        out.push_str("No change to the generated API or to what validation accepts.\n");
        return out;
    }
    let counts: Vec<String> = SEVERITIES
        .iter()
        .map(|s| format!("{} {}", report.count(*s), s.name()))
        .collect();
    let _ = writeln!(
        out,
        "{} (major: breaks code or payloads that worked before; minor: additions and \
         loosened rules; patch: documentation).",
        counts.join(", ")
    );
    // A type whose only change is being new needs no section of its own:
    // they are listed together at the end, which keeps large reports readable.
    let mut new_types = Vec::new();
    let mut current: Option<&str> = None;
    for (i, c) in report.changes.iter().enumerate() {
        let same_type = |j: usize| {
            report
                .changes
                .get(j)
                .is_some_and(|d| d.type_name == c.type_name)
        };
        let alone = !same_type(i.wrapping_sub(1)) && !same_type(i + 1);
        if alone && c.kind == ChangeKind::TypeAdded && c.hint.is_none() {
            new_types.push(format!("`{}`", c.type_name));
            continue;
        }
        if current != Some(c.type_name.as_str()) {
            current = Some(&c.type_name);
            let _ = write!(out, "\n### `{}` ({})\n\n", c.type_name, c.severity.name());
        }
        line(&mut out, c);
    }
    if !new_types.is_empty() {
        let _ = write!(
            out,
            "\n### New types (minor)\n\n{} type(s) added: {}.\n",
            new_types.len(),
            new_types.join(", ")
        );
    }
    out
}

fn line(out: &mut String, c: &Change) {
    let _ = write!(
        out,
        "- **{}** `{}`: {}",
        c.severity.name(),
        c.path,
        c.summary
    );
    match (&c.before, &c.after) {
        (Some(before), Some(after)) if !c.summary.contains(before.as_str()) => {
            let _ = write!(out, " (`{}` → `{}`)", code(before), code(after));
        }
        (None, Some(after)) if !c.summary.contains(after.as_str()) => {
            let _ = write!(out, ": `{}`", code(after));
        }
        (Some(before), None) if !c.summary.contains(before.as_str()) => {
            let _ = write!(out, ": was `{}`", code(before));
        }
        _ => {}
    }
    let _ = writeln!(out, ". {}.", sentence(&c.reason));
    if let Some(hint) = &c.hint {
        let _ = writeln!(out, "  - hint: {hint}");
    }
}

/// The reason as a sentence: its first letter upper case.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Backticks inside inline code would end it early.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// The JSON form: counts by severity, then every change in report order.
#[derive(Serialize)]
struct Json<'a> {
    summary: Counts,
    breaking: bool,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct Counts {
    major: usize,
    minor: usize,
    patch: usize,
}

pub fn json(report: &Report) -> String {
    let value = Json {
        summary: Counts {
            major: report.count(Severity::Major),
            minor: report.count(Severity::Minor),
            patch: report.count(Severity::Patch),
        },
        breaking: report.is_breaking(),
        changes: &report.changes,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
