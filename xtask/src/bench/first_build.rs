//! The first `cargo xtask regenerate` on a fresh clone (`cargo xtask bench --first-build`): the
//! xtask built from an empty target folder as the alias builds it (the workspace's dev-profile
//! settings, without the `tools` feature), against the whole xtask with cargo's default dev
//! profile, each followed by one regenerate.

use super::{children_cpu, row, verdict, Row};
use crate::corpus;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// `--config` overrides that undo the workspace's `[profile.dev.package]` settings: the dev
/// profile as cargo has it by default (opt-level 0, full debug info everywhere).
fn profile_defaults(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("[profile.dev.package.")?
                .strip_suffix(']')
        })
        .map(|package| {
            if package.trim_matches('"') == "*" {
                "profile.dev.package.\"*\".debug=2".to_owned()
            } else {
                format!("profile.dev.package.{package}.opt-level=0")
            }
        })
        .collect()
}

/// The first `cargo xtask regenerate` on a fresh clone: the xtask built from an empty target
/// folder, then one regenerate of the description; as the alias builds it (dev-profile
/// settings, no `tools` feature), and as it was built before either (every command, cargo's
/// default dev profile). CPU time (user + system, the build's compilers included) is compared:
/// the wall time of a build on a shared machine says more about the other work than the build.
pub fn first_build(spec: &Path, rows: &mut Vec<Row>) {
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(workspace) = project.parent() else {
        return;
    };
    let manifest = std::fs::read_to_string(workspace.join("Cargo.toml")).unwrap_or_default();
    let root = corpus::root().join("bench-first-build");
    let mut figures = Vec::new();
    for (i, overrides) in [Vec::new(), profile_defaults(&manifest)]
        .into_iter()
        .enumerate()
    {
        let target = root.join(i.to_string());
        let _ = std::fs::remove_dir_all(&target);
        eprintln!(
            "  building the xtask from an empty target folder ({})",
            if i == 0 {
                "as `cargo xtask` builds it: dev-profile settings, no `tools` feature"
            } else {
                "every command, cargo's default dev profile"
            }
        );
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        build
            .args(["build", "--quiet", "-p", "xtask"])
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", &target);
        if i == 0 {
            build.arg("--no-default-features");
        }
        for o in &overrides {
            build.arg("--config").arg(o);
        }
        let cpu = children_cpu();
        let t = Instant::now();
        if !build.status().is_ok_and(|s| s.success()) {
            eprintln!("  building the xtask failed");
            let _ = std::fs::remove_dir_all(&root);
            return;
        }
        let (build_wall, build_cpu) = (t.elapsed(), children_cpu().saturating_sub(cpu));
        let cpu = children_cpu();
        let status = Command::new(target.join("debug").join("xtask"))
            .args(["regenerate", "--force", "--schemas"])
            .arg(spec)
            .arg("--out")
            .arg(target.join("out"))
            .stderr(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("  the first regenerate failed");
            let _ = std::fs::remove_dir_all(&root);
            return;
        }
        let regenerate_cpu = children_cpu().saturating_sub(cpu);
        figures.push((build_wall, build_cpu, regenerate_cpu));
        let _ = std::fs::remove_dir_all(&target);
    }
    let _ = std::fs::remove_dir_all(&root);
    let [(wall, build, regenerate), (before_wall, before_build, before_regenerate)] = figures[..]
    else {
        return;
    };
    let s = |d: Duration| format!("{:.0} s", d.as_secs_f64());
    let (now, before) = (build + regenerate, before_build + before_regenerate);
    row(
        rows,
        "first `cargo xtask regenerate` on a fresh clone (xtask built from an empty target folder + one regenerate), CPU (user + system): as the alias builds it (dev-profile settings, no `tools` feature) vs every command with cargo's default dev profile",
        format!(
            "{} + {:.1} s vs {} + {:.1} s (wall of the builds {} vs {}); each later regenerate saves {:.1} s",
            s(build),
            regenerate.as_secs_f64(),
            s(before_build),
            before_regenerate.as_secs_f64(),
            s(wall),
            s(before_wall),
            before_regenerate.as_secs_f64() - regenerate.as_secs_f64()
        ),
        format!("no more than before the settings: {}", verdict(now <= before)),
    );
}

#[cfg(test)]
mod tests {
    use super::profile_defaults;

    #[test]
    fn profile_defaults_undo_each_package_setting() {
        let manifest = "[workspace]\n[profile.dev.package.\"*\"]\ndebug = false\n\n[profile.dev.package.codegen]\nopt-level = 1\n[profile.release]\nlto = true\n";
        assert_eq!(
            profile_defaults(manifest),
            [
                "profile.dev.package.\"*\".debug=2",
                "profile.dev.package.codegen.opt-level=0"
            ]
        );
    }
}
