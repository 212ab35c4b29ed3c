//! The one walk over the IR: every shape a type or a shape holds, with how it is held.
//!
//! Each match here is exhaustive, so a new place that holds a [`Shape`] does not compile
//! until it is listed, and every traversal (imports, cycles, sharing, docs links, serde
//! directions, strategies) then sees it.

use super::{
    Additional, Applied, Checks, Condition, Conditional, Contains, Evaluation, Gated, Shape,
    Struct, Ty, TypeKind, Unclaimed, Unevaluated, Union,
};

/// How a nested shape is held by the type or shape around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Stored in place: a struct field, a union branch, a newtype's inner shape, a tuple
    /// position. A cycle through these needs a `Box`.
    Direct,
    /// Stored behind a pointer: list items, map values, the flattened map of other
    /// properties.
    Indirect,
    /// Not stored, only checked against by `validate()`: the shapes inside [`Checks`]
    /// (items of an untyped value, tuple positions of one, sub-schemas).
    Checked,
}

impl Holding {
    /// Whether the shape is part of the Rust type (not only of its checks).
    pub fn stored(self) -> bool {
        match self {
            Holding::Direct | Holding::Indirect => true,
            Holding::Checked => false,
        }
    }
}

impl TypeKind {
    /// The shapes a type's definition holds, in declaration order: a struct's fields, its
    /// map of other properties, then the shapes of its checks; a union's branches; a
    /// newtype's inner shape.
    pub fn shapes(&self) -> Vec<(Holding, &Shape)> {
        let mut out = Vec::new();
        match self {
            TypeKind::Struct(Struct {
                fields,
                additional,
                checks,
            }) => {
                out.extend(fields.iter().map(|f| (Holding::Direct, &f.shape)));
                match additional {
                    Additional::Map(values) => out.push((Holding::Indirect, &**values)),
                    Additional::Ignored | Additional::Denied => {}
                }
                out.extend(checks.shapes().into_iter().map(|s| (Holding::Checked, s)));
            }
            TypeKind::Union(Union {
                mode: _,
                variants,
                discriminator: _,
                base: _,
            }) => out.extend(variants.iter().map(|v| (Holding::Direct, &v.shape))),
            TypeKind::Newtype(shape) => out.push((Holding::Direct, shape)),
            TypeKind::Enum(_) => {}
        }
        out
    }

    /// [`TypeKind::shapes`], to change.
    pub fn shapes_mut(&mut self) -> Vec<(Holding, &mut Shape)> {
        let mut out = Vec::new();
        match self {
            TypeKind::Struct(Struct {
                fields,
                additional,
                checks,
            }) => {
                out.extend(fields.iter_mut().map(|f| (Holding::Direct, &mut f.shape)));
                match additional {
                    Additional::Map(values) => out.push((Holding::Indirect, &mut **values)),
                    Additional::Ignored | Additional::Denied => {}
                }
                out.extend(
                    checks
                        .shapes_mut()
                        .into_iter()
                        .map(|s| (Holding::Checked, s)),
                );
            }
            TypeKind::Union(Union {
                mode: _,
                variants,
                discriminator: _,
                base: _,
            }) => out.extend(variants.iter_mut().map(|v| (Holding::Direct, &mut v.shape))),
            TypeKind::Newtype(shape) => out.push((Holding::Direct, shape)),
            TypeKind::Enum(_) => {}
        }
        out
    }

    /// Calls `f` on every shape the definition holds, at any depth, each before the shapes
    /// inside it.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(Holding, &'a Shape)) {
        for (holding, shape) in self.shapes() {
            f(holding, shape);
            shape.walk(f);
        }
    }

    /// [`TypeKind::walk`], to change; `f` sees each shape before the walk goes inside it.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(Holding, &mut Shape)) {
        for (holding, shape) in self.shapes_mut() {
            f(holding, shape);
            shape.walk_mut(f);
        }
    }

    /// Calls `f` on every shape that is part of the Rust definition (not only checked
    /// against), at any depth, each before the shapes inside it.
    pub fn walk_stored<'a>(&'a self, f: &mut dyn FnMut(&'a Shape)) {
        for (holding, shape) in self.shapes() {
            if holding.stored() {
                f(shape);
                shape.walk_stored(f);
            }
        }
    }
}

impl Shape {
    /// The shapes directly inside this one: those its Rust type holds (list items, map
    /// values, tuple positions), then those of its checks.
    pub fn children(&self) -> Vec<(Holding, &Shape)> {
        let Shape {
            ty,
            nullable: _,
            checks,
        } = self;
        let mut out = Vec::new();
        match ty {
            Ty::Array(inner) | Ty::Map(inner) => out.push((Holding::Indirect, &**inner)),
            Ty::Tuple(positions) => out.extend(positions.iter().map(|p| (Holding::Direct, p))),
            Ty::Any
            | Ty::Bool
            | Ty::Int(_)
            | Ty::Float(_)
            | Ty::String
            | Ty::Typed(_)
            | Ty::External(_)
            | Ty::Named { .. } => {}
        }
        out.extend(checks.shapes().into_iter().map(|s| (Holding::Checked, s)));
        out
    }

    /// [`Shape::children`], to change.
    pub fn children_mut(&mut self) -> Vec<(Holding, &mut Shape)> {
        let Shape {
            ty,
            nullable: _,
            checks,
        } = self;
        let mut out = Vec::new();
        match ty {
            Ty::Array(inner) | Ty::Map(inner) => out.push((Holding::Indirect, &mut **inner)),
            Ty::Tuple(positions) => {
                out.extend(positions.iter_mut().map(|p| (Holding::Direct, p)));
            }
            Ty::Any
            | Ty::Bool
            | Ty::Int(_)
            | Ty::Float(_)
            | Ty::String
            | Ty::Typed(_)
            | Ty::External(_)
            | Ty::Named { .. } => {}
        }
        out.extend(
            checks
                .shapes_mut()
                .into_iter()
                .map(|s| (Holding::Checked, s)),
        );
        out
    }

    /// Calls `f` on every shape inside this one (not on this one), at any depth, each
    /// before the shapes inside it.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(Holding, &'a Shape)) {
        for (holding, child) in self.children() {
            f(holding, child);
            child.walk(f);
        }
    }

    /// [`Shape::walk`], to change; `f` sees each shape before the walk goes inside it.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(Holding, &mut Shape)) {
        for (holding, child) in self.children_mut() {
            f(holding, child);
            child.walk_mut(f);
        }
    }

    /// Calls `f` on every shape inside this one that is part of its Rust type (items,
    /// values, positions; not the shapes of checks), at any depth, each before the shapes
    /// inside it.
    pub fn walk_stored<'a>(&'a self, f: &mut dyn FnMut(&'a Shape)) {
        for (holding, child) in self.children() {
            if holding.stored() {
                f(child);
                child.walk_stored(f);
            }
        }
    }
}

impl Checks {
    /// Every shape the checks hold: `items` and the tuple positions of an untyped value,
    /// then the sub-schemas of [`Checks::applied_shapes`], in that order.
    pub fn shapes(&self) -> Vec<&Shape> {
        let Checks {
            types: _,
            enumeration: _,
            constant: _,
            min_length: _,
            max_length: _,
            patterns: _,
            format: _,
            minimum: _,
            maximum: _,
            multiple_of: _,
            min_items: _,
            max_items: _,
            unique_items: _,
            min_properties: _,
            max_properties: _,
            required: _,
            items,
            tuple,
            applied,
        } = self;
        let mut out: Vec<&Shape> = items.as_deref().into_iter().chain(tuple).collect();
        if let Some(applied) = applied {
            applied.shapes(&mut out);
        }
        out
    }

    /// [`Checks::shapes`], to change.
    pub fn shapes_mut(&mut self) -> Vec<&mut Shape> {
        let Checks {
            types: _,
            enumeration: _,
            constant: _,
            min_length: _,
            max_length: _,
            patterns: _,
            format: _,
            minimum: _,
            maximum: _,
            multiple_of: _,
            min_items: _,
            max_items: _,
            unique_items: _,
            min_properties: _,
            max_properties: _,
            required: _,
            items,
            tuple,
            applied,
        } = self;
        let mut out: Vec<&mut Shape> = items.as_deref_mut().into_iter().chain(tuple).collect();
        if let Some(applied) = applied {
            applied.shapes_mut(&mut out);
        }
        out
    }
}

impl Applied {
    /// The shapes of the sub-schema checks (`not`, `if`/`then`/`else`, `dependentSchemas`,
    /// `contains`, `propertyNames`, `patternProperties`, unclaimed keys, branches beside
    /// properties, then those of `unevaluatedProperties` / `unevaluatedItems` and of the
    /// keywords they see), in that order.
    pub fn shapes<'a>(&'a self, out: &mut Vec<&'a Shape>) {
        let Applied {
            not,
            conditional,
            dependent_required: _,
            dependent_schemas,
            contains,
            property_names,
            pattern_properties,
            unclaimed,
            branches,
            unevaluated,
        } = self;
        out.extend(not);
        if let Some(Conditional {
            condition,
            then,
            otherwise,
        }) = conditional
        {
            out.push(condition);
            out.extend(then);
            out.extend(otherwise);
        }
        out.extend(dependent_schemas.iter().map(|(_, s)| s));
        if let Some(Contains {
            shape,
            min: _,
            max: _,
        }) = contains
        {
            out.push(shape);
        }
        out.extend(property_names);
        out.extend(pattern_properties.iter().map(|(_, s)| s));
        if let Some(Unclaimed { listed: _, shape }) = unclaimed {
            out.extend(shape);
        }
        for (_, group) in branches {
            out.extend(group);
        }
        for u in unevaluated {
            u.shapes(out);
        }
    }

    /// [`Applied::shapes`], to change.
    pub fn shapes_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Shape>) {
        let Applied {
            not,
            conditional,
            dependent_required: _,
            dependent_schemas,
            contains,
            property_names,
            pattern_properties,
            unclaimed,
            branches,
            unevaluated,
        } = self;
        out.extend(not);
        if let Some(Conditional {
            condition,
            then,
            otherwise,
        }) = conditional
        {
            out.push(condition);
            out.extend(then);
            out.extend(otherwise);
        }
        out.extend(dependent_schemas.iter_mut().map(|(_, s)| s));
        if let Some(Contains {
            shape,
            min: _,
            max: _,
        }) = contains
        {
            out.push(shape);
        }
        out.extend(property_names);
        out.extend(pattern_properties.iter_mut().map(|(_, s)| s));
        if let Some(Unclaimed { listed: _, shape }) = unclaimed {
            out.extend(shape);
        }
        for (_, group) in branches {
            out.extend(group);
        }
        for u in unevaluated {
            u.shapes_mut(out);
        }
    }
}

impl Unevaluated {
    /// Every shape it checks against: those of its evaluation, then its own.
    pub fn shapes<'a>(&'a self, out: &mut Vec<&'a Shape>) {
        let Unevaluated {
            evaluation,
            properties,
            items,
        } = self;
        evaluation.shapes(out);
        out.extend(properties.iter().flatten());
        out.extend(items.iter().flatten());
    }

    /// [`Unevaluated::shapes`], to change.
    pub fn shapes_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Shape>) {
        let Unevaluated {
            evaluation,
            properties,
            items,
        } = self;
        evaluation.shapes_mut(out);
        out.extend(properties.iter_mut().flatten());
        out.extend(items.iter_mut().flatten());
    }
}

impl Evaluation {
    /// Every shape it checks the value against, depth first.
    pub fn shapes<'a>(&'a self, out: &mut Vec<&'a Shape>) {
        let Evaluation {
            properties: _,
            patterns: _,
            all_properties: _,
            prefix_items: _,
            all_items: _,
            contains,
            gated,
        } = self;
        out.extend(contains);
        for Gated {
            conditions,
            evaluation,
        } in gated
        {
            for c in conditions {
                match c {
                    Condition::Matches(s) | Condition::Fails(s) => out.push(s),
                    Condition::HasKey(_) => {}
                }
            }
            evaluation.shapes(out);
        }
    }

    /// [`Evaluation::shapes`], to change.
    pub fn shapes_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Shape>) {
        let Evaluation {
            properties: _,
            patterns: _,
            all_properties: _,
            prefix_items: _,
            all_items: _,
            contains,
            gated,
        } = self;
        out.extend(contains);
        for Gated {
            conditions,
            evaluation,
        } in gated
        {
            for c in conditions {
                match c {
                    Condition::Matches(s) | Condition::Fails(s) => out.push(s),
                    Condition::HasKey(_) => {}
                }
            }
            evaluation.shapes_mut(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Holding;
    use crate::ir::{
        Additional, Applied, Checks, Condition, Conditional, Contains, Evaluation, Field, Gated,
        Shape, Struct, Ty, TypeKind, Unclaimed, Unevaluated, UnionMode,
    };

    /// A shape told apart from the others by its `pattern`.
    fn leaf(mark: &str) -> Shape {
        let mut shape = Shape::plain(Ty::String);
        shape.checks.patterns = vec![mark.to_owned()];
        shape
    }

    fn marked(ty: Ty, mark: &str) -> Shape {
        let mut shape = leaf(mark);
        shape.ty = ty;
        shape
    }

    fn field(shape: Shape) -> Field {
        Field {
            wire_name: "f".to_owned(),
            rust_name: "f".to_owned(),
            shape,
            required: false,
            presence_validated: false,
            default: None,
            docs: Default::default(),
        }
    }

    /// Every sub-schema check, each holding one marked shape.
    fn applied() -> Applied {
        Applied {
            not: Some(leaf("not")),
            conditional: Some(Conditional {
                condition: leaf("if"),
                then: Some(leaf("then")),
                otherwise: Some(leaf("else")),
            }),
            dependent_required: vec![("a".to_owned(), vec!["b".to_owned()])],
            dependent_schemas: vec![("a".to_owned(), leaf("dependent"))],
            contains: Some(Contains {
                shape: leaf("contains"),
                min: 1,
                max: None,
            }),
            property_names: Some(leaf("names")),
            pattern_properties: vec![("^x".to_owned(), leaf("pattern"))],
            unclaimed: Some(Unclaimed {
                listed: Vec::new(),
                shape: Some(leaf("unclaimed")),
            }),
            branches: vec![(UnionMode::OneOf, vec![leaf("branch")])],
            unevaluated: vec![Unevaluated {
                evaluation: Evaluation {
                    contains: vec![leaf("evaluated contains")],
                    gated: vec![Gated {
                        conditions: vec![
                            Condition::Matches(leaf("matches")),
                            Condition::Fails(leaf("fails")),
                            Condition::HasKey("k".to_owned()),
                        ],
                        evaluation: Evaluation {
                            contains: vec![leaf("gated contains")],
                            ..Evaluation::default()
                        },
                    }],
                    ..Evaluation::default()
                },
                properties: Some(Some(leaf("unevaluated properties"))),
                items: Some(Some(leaf("unevaluated items"))),
            }],
        }
    }

    /// A struct that holds a shape in every place one can be held.
    fn everything() -> TypeKind {
        let tuple = marked(
            Ty::Tuple(vec![
                leaf("position"),
                marked(Ty::Array(Box::new(leaf("item"))), "list"),
            ]),
            "tuple",
        );
        let mut untyped = marked(Ty::Any, "untyped");
        untyped.checks.items = Some(Box::new(leaf("checked item")));
        untyped.checks.tuple = vec![leaf("checked position")];
        let map = marked(Ty::Map(Box::new(leaf("value"))), "map");
        TypeKind::Struct(Struct {
            fields: vec![field(tuple), field(untyped), field(map)],
            additional: Additional::Map(Box::new(leaf("extra"))),
            checks: Checks {
                applied: Some(Box::new(applied())),
                ..Checks::default()
            }
            .into(),
        })
    }

    fn mark(shape: &Shape) -> String {
        shape.checks.patterns.first().cloned().unwrap_or_default()
    }

    const STORED: [&str; 8] = [
        "tuple", "position", "list", "item", "untyped", "map", "value", "extra",
    ];

    const CHECKED: [&str; 18] = [
        "checked item",
        "checked position",
        "not",
        "if",
        "then",
        "else",
        "dependent",
        "contains",
        "names",
        "pattern",
        "unclaimed",
        "branch",
        "evaluated contains",
        "matches",
        "fails",
        "gated contains",
        "unevaluated properties",
        "unevaluated items",
    ];

    #[test]
    fn the_walk_reaches_every_place_a_shape_can_be_held() {
        let kind = everything();
        let mut seen = Vec::new();
        kind.walk(&mut |_, shape| seen.push(mark(shape)));
        seen.sort();
        let mut expected: Vec<String> = STORED
            .iter()
            .chain(&CHECKED)
            .map(|m| (*m).to_owned())
            .collect();
        expected.sort();
        assert_eq!(seen, expected);
    }

    #[test]
    fn the_stored_walk_leaves_out_the_shapes_only_checked_against() {
        let kind = everything();
        let mut seen = Vec::new();
        kind.walk_stored(&mut |shape| seen.push(mark(shape)));
        assert_eq!(seen, STORED);
    }

    #[test]
    fn fields_and_positions_are_direct_lists_and_maps_indirect_checks_checked() {
        let kind = everything();
        let mut holdings = Vec::new();
        kind.walk(&mut |holding, shape| holdings.push((mark(shape), holding)));
        let holding = |m: &str| holdings.iter().find(|(s, _)| s == m).map(|(_, h)| *h);
        assert_eq!(holding("tuple"), Some(Holding::Direct));
        assert_eq!(holding("position"), Some(Holding::Direct));
        assert_eq!(holding("list"), Some(Holding::Direct));
        assert_eq!(holding("item"), Some(Holding::Indirect));
        assert_eq!(holding("value"), Some(Holding::Indirect));
        assert_eq!(holding("extra"), Some(Holding::Indirect));
        assert_eq!(holding("checked item"), Some(Holding::Checked));
        assert_eq!(holding("not"), Some(Holding::Checked));
    }

    #[test]
    fn the_walk_to_change_sees_what_the_walk_sees_in_the_same_order() {
        let mut kind = everything();
        let mut seen = Vec::new();
        kind.walk(&mut |h, shape| seen.push((h, mark(shape))));
        let mut changed = Vec::new();
        kind.walk_mut(&mut |h, shape| {
            changed.push((h, mark(shape)));
            shape.nullable = true;
        });
        assert_eq!(seen, changed);
        let mut all_nullable = true;
        kind.walk(&mut |_, shape| all_nullable &= shape.nullable);
        assert!(all_nullable);
    }

    #[test]
    fn sub_schema_shapes_come_in_the_order_validate_parses_them() {
        let checks = Checks {
            applied: Some(Box::new(applied())),
            ..Checks::default()
        };
        let order: Vec<String> = checks.applied_shapes().into_iter().map(mark).collect();
        assert_eq!(order, CHECKED[2..]);
    }
}
