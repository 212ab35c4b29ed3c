//! Tuples: `prefixItems` (2020-12) and draft 4's `items: [..]`, with what they say about the
//! items after the positions. A tuple whose length is fixed becomes a Rust tuple; any other
//! stays a `Vec<serde_json::Value>` whose positions `validate()` checks.

use super::Lowerer;
use crate::ir::{Checks, Shape, Ty};
use crate::load::schema::{Items, JsonType, Schema, Tuple};

/// The longest tuple given a Rust tuple type: the standard traits and proptest's strategies
/// stop at twelve positions.
const MAX_TUPLE: u64 = 12;

impl Lowerer<'_> {
    /// The type of `type: array`: a tuple where `prefixItems`/`items: [..]` fix the length
    /// (`minItems` equal to the number of positions and no further items allowed), else a `Vec`
    /// (of `serde_json::Value` for any other tuple, its positions in `checks`).
    pub(super) fn array(&mut self, schema: &Schema, name: &str, checks: &mut Checks) -> Ty {
        let Some(Items::Tuple(tuple)) = &schema.items else {
            return self.typed(schema, JsonType::Array, name);
        };
        self.tuple_checks(tuple, name, checks);
        let n = checks.tuple.len() as u64;
        let fixed = (1..=MAX_TUPLE).contains(&n)
            && checks.min_items == Some(n)
            && checks.max_items == Some(n);
        if !fixed {
            return Ty::Array(Box::new(Shape::plain(Ty::Any)));
        }
        // The length is the type's: serde rejects any other.
        checks.min_items = None;
        checks.max_items = None;
        Ty::Tuple(std::mem::take(&mut checks.tuple))
    }

    /// Lowers a tuple's positions into `checks.tuple` and the items after them into
    /// `checks.items`; a closed tuple (`items: false`) lowers `maxItems` to its length.
    pub(super) fn tuple_checks(&mut self, tuple: &Tuple, name: &str, checks: &mut Checks) {
        for (i, position) in tuple.positions.iter().enumerate() {
            let shape = self.shape(position, &format!("{name}Item{}", i + 1));
            checks.tuple.push(shape);
        }
        match tuple.rest.as_deref() {
            Some(rest) if rest.never => {
                let n = tuple.positions.len() as u64;
                checks.max_items = Some(checks.max_items.map_or(n, |m| m.min(n)));
            }
            Some(rest) => {
                checks.items = Some(Box::new(self.shape(rest, &format!("{name}Item"))));
            }
            None => {}
        }
    }
}
