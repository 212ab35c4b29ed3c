//! No schema of this crate uses `idn-hostname` or `idn-email`, whose checks need Unicode data
//! from other crates: the crate does without them, and [`format()`](super::format) leaves
//! these two formats unchecked. The generator writes the checks here, and adds the crates they
//! need, when a schema uses one of them.
//!
//! This file is copied verbatim; do not edit the copy.

/// `idn-hostname` is not checked in this crate.
pub(super) const IDN_HOSTNAME: Option<fn(&[u8]) -> bool> = None;
/// `idn-email` is not checked in this crate.
pub(super) const IDN_EMAIL: Option<fn(&[u8]) -> bool> = None;
