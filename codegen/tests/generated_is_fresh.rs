//! The checked-in `generated/` crate must be exactly what the schemas produce,
//! so `cargo test` fails on a stale checkout just as `cargo xtask check` does.

use std::path::Path;

#[test]
fn checked_in_generated_crate_matches_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generation = codegen::generate(&root.join("schemas"));
    assert!(
        !generation.failed(false),
        "the schemas do not generate:\n{}",
        generation.report()
    );
    let drift = codegen::output::check(&root.join("generated"), &generation.files);
    let listing: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated/ is out of date; run `cargo xtask regenerate`:\n{}",
        listing.join("\n")
    );
}
