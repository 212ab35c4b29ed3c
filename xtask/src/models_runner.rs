//! A crate generated in memory from one OpenAPI document, plus a runner binary that parses and
//! validates instances against its types: shared by `conformance` and `differential`.
//!
//! Many schemas go into one document, so one `cargo build` builds every type; the runner reads
//! `[case, instance]` pairs and prints one verdict per pair, in order.

use codegen::diagnostic::Diagnostics;
use codegen::load::FileSource;
use codegen::settings::Settings;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo target folder in use (`CARGO_TARGET_DIR`, else `<root>/target`).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
    }
}

/// The workspace root.
#[cfg(feature = "tools")]
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Serves one in-memory document.
struct Memory {
    path: PathBuf,
    text: Vec<u8>,
}

impl FileSource for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            Ok(self.text.clone())
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
}

/// Generates from one document held in memory (`file` is the name diagnostics use).
pub fn generate_in_memory(
    document: &Value,
    file: &str,
    settings: &Settings,
) -> Result<codegen::Generation, String> {
    let text = serde_json::to_vec_pretty(document).map_err(|e| e.to_string())?;
    let path = PathBuf::from(file);
    let memory = Memory {
        path: path.clone(),
        text,
    };
    Ok(codegen::generate_from(
        &[path],
        &memory,
        settings,
        Diagnostics::new(),
    ))
}

/// A value drawn from the strategy of a case (its number), or why none could be drawn.
#[cfg(feature = "tools")]
pub type Drawn = (u64, Result<Value, String>);

/// A runner crate: `<dir>/models` is the generated crate, `<dir>/src/main.rs` the runner.
pub struct Runner<'a> {
    /// The runner crate folder.
    pub dir: PathBuf,
    /// The package name of the runner (also its binary name).
    pub package: &'a str,
    /// The package name of the generated models crate (`crate_name` of its settings).
    pub models: &'a str,
}

impl Runner<'_> {
    /// Writes the generated models crate.
    pub fn write_models(&self, files: &[codegen::emit::File]) -> Result<(), String> {
        let models = self.dir.join("models");
        codegen::output::write(&models, files)
            .map(drop)
            .map_err(|e| format!("writing {}: {e}", models.display()))
    }

    /// Writes the runner, dispatching case numbers to type names, and builds it; returns the
    /// binary.
    pub fn build(
        &self,
        root: &Path,
        target: &Path,
        cases: &[(u64, String)],
    ) -> Result<PathBuf, String> {
        self.build_drawing(root, target, cases, &[])
    }

    /// [`Runner::build`], and when `draws` names any strategy functions (case number, function
    /// of the models crate's `arbitrary` module), with the models' `proptest` feature and a
    /// `--draw COUNT SEED` mode that prints values drawn from them (see [`Runner::draw`]).
    pub fn build_drawing(
        &self,
        root: &Path,
        target: &Path,
        cases: &[(u64, String)],
        draws: &[(u64, String)],
    ) -> Result<PathBuf, String> {
        let models = self.models.replace('-', "_");
        let (features, proptest) = if draws.is_empty() {
            ("", "")
        } else {
            (
                ", features = [\"proptest\"]",
                "proptest = { version = \"1\", default-features = false, features = [\"std\"] }\n",
            )
        };
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{} = {{ path = \"models\"{features} }}\n{proptest}serde = \"1\"\nserde_json = \"1\"\n\n\
             # Not part of the project's workspace.\n[workspace]\n\n\
             # Each build is of new models, so incremental data would never be reused.\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            self.package, self.models
        );
        let mut main = format!(
            "//! Reads `[case, instance]` pairs (JSON) from the file named by the first argument and\n\
             //! prints one line per pair: `ok`, or `err` and the reason.\n\n\
             use {models}::validation::{{from_value, Diagnose}};\n\n\
             fn check<T: Diagnose>(data: serde_json::Value) -> Result<(), String> {{\n\
             \x20   from_value::<T>(data).map(drop).map_err(|e| e.to_string())\n\
             }}\n\n\
             fn dispatch(case: u64, data: serde_json::Value) -> Result<(), String> {{\n\
             \x20   match case {{\n"
        );
        for (index, type_name) in cases {
            let _ = writeln!(
                main,
                "        {index} => check::<{models}::{type_name}>(data),"
            );
        }
        main.push_str(
            "        _ => Err(format!(\"no case {case}\")),\n    }\n}\n\n\
             // Deserializers of deeply nested types take much stack in debug builds.\n\
             fn main() {\n\
             \x20   let worker = std::thread::Builder::new().stack_size(1 << 29).spawn(run).expect(\"a thread\");\n\
             \x20   worker.join().expect(\"the runner finished\");\n\
             }\n\n\
             fn run() {\n\
             \x20   if std::env::args().nth(1).as_deref() == Some(\"--draw\") {\n\
             \x20       let number = |i: usize| std::env::args().nth(i).and_then(|n| n.parse::<u64>().ok()).expect(\"--draw COUNT SEED\");\n\
             \x20       draw_all(number(2) as u32, number(3));\n\
             \x20       return;\n\
             \x20   }\n\
             \x20   let path = std::env::args().nth(1).expect(\"a cases file\");\n\
             \x20   let text = std::fs::read_to_string(path).expect(\"readable cases file\");\n\
             \x20   let pairs: Vec<(u64, serde_json::Value)> = serde_json::from_str(&text).expect(\"cases JSON\");\n\
             \x20   for (case, data) in pairs {\n\
             \x20       match dispatch(case, data) {\n\
             \x20           Ok(()) => println!(\"ok\"),\n\
             \x20           Err(why) => println!(\"err\\t{}\", why.replace('\\n', \"; \")),\n\
             \x20       }\n\
             \x20   }\n\
             }\n",
        );
        main.push_str(&draw_code(&models, draws));
        let src = self.dir.join("src");
        std::fs::create_dir_all(&src).map_err(|e| format!("creating {}: {e}", src.display()))?;
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&src.join("main.rs"), &main)?;
        let lock = self.dir.join("Cargo.lock");
        if !lock.exists() {
            // Start from the workspace's versions, so the build needs nothing new.
            let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target)
            .status()
            .map_err(|e| format!("running cargo: {e}"))?;
        if !status.success() {
            return Err(format!("building {} failed", self.package));
        }
        let exe = format!("{}{}", self.package, std::env::consts::EXE_SUFFIX);
        Ok(target.join("debug").join(exe))
    }

    /// Draws `count` values from each strategy the binary was built with (seeded by `seed`):
    /// each with its case number, or why none could be drawn (a filter gave up).
    #[cfg(feature = "tools")]
    pub fn draw(&self, binary: &Path, count: u32, seed: u64) -> Result<Vec<Drawn>, String> {
        let output = Command::new(binary)
            .args(["--draw", &count.to_string(), &seed.to_string()])
            .output()
            .map_err(|e| format!("running {}: {e}", binary.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{} --draw failed: {}",
                self.package,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut drawn = Vec::new();
        for line in stdout.lines() {
            let Some((case, rest)) = line.split_once('\t') else {
                continue;
            };
            let Ok(case) = case.parse::<u64>() else {
                continue;
            };
            let value = match rest.strip_prefix("!") {
                Some(why) => Err(why.to_owned()),
                None => serde_json::from_str(rest).map_err(|e| format!("{e}: {rest}")),
            };
            drawn.push((case, value));
        }
        Ok(drawn)
    }

    /// Runs every pair through the binary; one outcome per pair, in order.
    pub fn run(
        &self,
        binary: &Path,
        pairs: &[(u64, &Value)],
    ) -> Result<Vec<Result<(), String>>, String> {
        let pairs: Vec<Value> = pairs
            .iter()
            .map(|(case, data)| json!([case, data]))
            .collect();
        let input = self.dir.join("instances.json");
        let text = serde_json::to_string(&pairs).map_err(|e| e.to_string())?;
        std::fs::write(&input, text).map_err(|e| format!("writing {}: {e}", input.display()))?;
        let output = Command::new(binary)
            .arg(&input)
            .output()
            .map_err(|e| format!("running {}: {e}", binary.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            // Verdicts are printed as they come, so the count names the pair that failed.
            let done = stdout.lines().count();
            let next: String = pairs
                .get(done)
                .map(Value::to_string)
                .unwrap_or_default()
                .chars()
                .take(400)
                .collect();
            return Err(format!(
                "{} failed after {done} instances, on [case, instance] {next}: {}",
                self.package,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let outcomes: Vec<Result<(), String>> = stdout
            .lines()
            .map(|line| match line.strip_prefix("err\t") {
                Some(why) => Err(why.to_owned()),
                None => Ok(()),
            })
            .collect();
        if outcomes.len() != pairs.len() {
            return Err(format!(
                "the runner gave {} results for {} instances",
                outcomes.len(),
                pairs.len()
            ));
        }
        Ok(outcomes)
    }
}

/// The runner's `draw_all(count, seed)`: `count` values of each strategy in `draws`, one line
/// each, `case<TAB>json`, or `case<TAB>!reason` when the strategy gave up.
fn draw_code(models: &str, draws: &[(u64, String)]) -> String {
    if draws.is_empty() {
        return "\nfn draw_all(_count: u32, _seed: u64) {}\n".to_owned();
    }
    let mut code = format!(
        "\nfn draw<T: serde::Serialize + std::fmt::Debug>(\n\
         \x20   case: u64,\n\
         \x20   strategy: proptest::strategy::BoxedStrategy<T>,\n\
         \x20   count: u32,\n\
         \x20   runner: &mut proptest::test_runner::TestRunner,\n\
         ) {{\n\
         \x20   use proptest::strategy::{{Strategy, ValueTree}};\n\
         \x20   for _ in 0..count {{\n\
         \x20       match strategy.new_tree(runner) {{\n\
         \x20           Ok(tree) => match serde_json::to_string(&tree.current()) {{\n\
         \x20               Ok(json) => println!(\"{{case}}\\t{{json}}\"),\n\
         \x20               Err(e) => println!(\"{{case}}\\t!not serializable: {{e}}\"),\n\
         \x20           }},\n\
         \x20           Err(why) => println!(\"{{case}}\\t!{{}}\", why.to_string().replace('\\n', \"; \")),\n\
         \x20       }}\n\
         \x20   }}\n\
         }}\n\n\
         fn draw_all(count: u32, seed: u64) {{\n\
         \x20   use proptest::test_runner::{{Config, RngAlgorithm, TestRng, TestRunner}};\n\
         \x20   let mut bytes = [0u8; 32];\n\
         \x20   bytes[..8].copy_from_slice(&seed.to_le_bytes());\n\
         \x20   let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));\n\
         \x20   let depth = {models}::arbitrary::DEPTH;\n"
    );
    for (case, function) in draws {
        let _ = writeln!(
            code,
            "    draw({case}, {models}::arbitrary::{function}(depth), count, &mut runner);"
        );
    }
    code.push_str("}\n");
    code
}

/// Writes `text` unless the file already holds it (so cargo sees no change).
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}
