//! Unit tests of how `allOf` parts merge.

use super::{flatten, null_stance, NullStance};
use crate::diagnostic::Diagnostics;
use crate::ir::lower::Lowerer;
use crate::load::schema::{JsonType, Limits, Schema};
use crate::load::Spec;
use crate::settings::Settings;

fn typed(types: &[JsonType], nullable: bool) -> Schema {
    Schema {
        types: Some(types.to_vec()),
        nullable,
        ..Schema::default()
    }
}

fn own(nullable: bool) -> Schema {
    Schema {
        nullable,
        ..Schema::default()
    }
}

#[test]
fn a_part_whose_type_leaves_null_out_rules_it_out() {
    let parts = [
        typed(&[JsonType::String], true),
        typed(&[JsonType::String], false),
        own(false),
    ];
    assert_eq!(null_stance(&parts), NullStance::Rejected);
}

#[test]
fn parts_without_a_type_leave_each_part_s_reading() {
    let parts = [typed(&[JsonType::String], true), own(false), own(false)];
    assert_eq!(null_stance(&parts), NullStance::Joined);
}

#[test]
fn nullable_without_a_type_beside_the_all_of_keeps_null() {
    let parts = [typed(&[JsonType::Object], false), own(true)];
    assert_eq!(null_stance(&parts), NullStance::Joined);
}

#[test]
fn nullable_without_a_type_in_another_part_does_not() {
    let parts = [own(true), typed(&[JsonType::Object], false), own(false)];
    assert_eq!(null_stance(&parts), NullStance::Rejected);
}

#[test]
fn a_part_of_type_null_alone_keeps_null() {
    let parts = [typed(&[JsonType::Object], false), typed(&[], true)];
    assert_eq!(null_stance(&parts), NullStance::Joined);
}

#[test]
fn every_part_s_pattern_is_kept_once() {
    let (spec, settings, mut diagnostics) =
        (Spec::default(), Settings::default(), Diagnostics::new());
    let mut lowerer = Lowerer::new(&spec, &settings, &mut diagnostics);
    let part = |p: &str| Schema {
        limits: Limits {
            patterns: vec![p.to_owned()],
            ..Limits::default()
        }
        .into(),
        ..typed(&[JsonType::String], false)
    };
    let schema = Schema {
        all_of: vec![part("^[a-z]+$"), part("[0-9]$"), part("^[a-z]+$")],
        ..Schema::default()
    };
    let merged = flatten(&mut lowerer, &schema, &mut Default::default(), 0);
    assert_eq!(merged.limits.patterns, ["^[a-z]+$", "[0-9]$"]);
    // Nothing is left unchecked, so nothing is warned about.
    assert_eq!(diagnostics.len(), 0, "{diagnostics:?}");
}
