//! Unit tests of how `allOf` parts merge.

use super::{null_stance, NullStance};
use crate::load::schema::{JsonType, Schema};

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
