//! Which traits each type derives besides the generator's own: `Eq` wherever it holds,
//! and the ones the settings ask for (`[rust] derives`, `[models.<schema>] derives`)
//! wherever they hold. A requested derive that cannot hold for a type (`Hash` over an
//! `f64`) is left out of that type, with a warning that names why.

use super::{Additional, EnumRepr, FloatKind, Model, Shape, Ty, TypeDef, TypeKind, Typed};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::settings::Settings;

/// The traits whose derive holds only when every value the type holds has them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trait {
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Copy,
    Default,
}

/// In the order they are decided: `Ord` last, since it needs `Eq` and `PartialOrd`.
const CHECKED: [Trait; 6] = [
    Trait::Eq,
    Trait::Hash,
    Trait::PartialOrd,
    Trait::Copy,
    Trait::Default,
    Trait::Ord,
];

impl Trait {
    /// The trait a derive path names, when it is one of the checked ones.
    fn named(path: &str) -> Option<Trait> {
        let name = ["::std::", "std::", "::core::", "core::"]
            .iter()
            .find_map(|prefix| path.strip_prefix(prefix))
            .map_or(path, |rest| rest.rsplit("::").next().unwrap_or(rest));
        Some(match name {
            "Eq" => Trait::Eq,
            "Hash" => Trait::Hash,
            "PartialOrd" => Trait::PartialOrd,
            "Ord" => Trait::Ord,
            "Copy" => Trait::Copy,
            "Default" => Trait::Default,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Trait::Eq => "Eq",
            Trait::Hash => "Hash",
            Trait::PartialOrd => "PartialOrd",
            Trait::Ord => "Ord",
            Trait::Copy => "Copy",
            Trait::Default => "Default",
        }
    }
}

/// Whether `path` can be written in `#[derive(..)]`: identifiers joined by `::`.
fn is_derive_path(path: &str) -> bool {
    let path = path.strip_prefix("::").unwrap_or(path);
    !path.is_empty()
        && path.split("::").all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Fills in every type's [`super::Extras::derives`].
pub fn choose(model: &mut Model, settings: &Settings, diagnostics: &mut Diagnostics) {
    let requested = requested(model, settings, diagnostics);
    let mut holds = Table::default();
    for t in CHECKED {
        let mut row: Vec<bool> = model
            .types
            .iter()
            .zip(&requested)
            .map(|(def, asked)| {
                base(t, def) || t == Trait::Eq || asked.iter().any(|p| Trait::named(p) == Some(t))
            })
            .collect();
        // Types that reach each other in a cycle may derive it together: start from
        // "everything asked for holds" and take it away from types that hold a value without
        // it, until nothing changes.
        loop {
            let mut changed = false;
            for (i, def) in model.types.iter().enumerate() {
                if row.get(i) == Some(&true)
                    && !base(t, def)
                    && blocker(t, i, &row, &holds, model).is_some()
                {
                    if let Some(cell) = row.get_mut(i) {
                        *cell = false;
                    }
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        holds.set(t, row);
    }
    for (i, asked) in requested.iter().enumerate() {
        let Some(def) = model.types.get(i) else {
            continue;
        };
        let mut derives = Vec::new();
        if holds.get(Trait::Eq, i) && !base(Trait::Eq, def) {
            derives.push("Eq".to_owned());
        }
        let mut warnings = Vec::new();
        for path in asked {
            let Some(t) = Trait::named(path) else {
                if !derives.contains(path) {
                    derives.push(path.clone());
                }
                continue;
            };
            if base(t, def) || t == Trait::Eq && holds.get(t, i) {
                continue;
            }
            if holds.get(t, i) {
                if !derives.contains(path) {
                    derives.push(path.clone());
                }
                continue;
            }
            let why = blocker(t, i, &[], &holds, model)
                .unwrap_or_else(|| "a value it holds does not".to_owned());
            let d = Diagnostic::warning(
                &def.origin.file,
                &def.origin.pointer,
                format!("`{}` does not derive `{path}`: {why}", def.name),
            )
            .with_hint(hint(t));
            warnings.push(d);
        }
        if let Some(def) = model.types.get_mut(i) {
            def.extras.derives = derives;
        }
        for d in warnings {
            diagnostics.push(d);
        }
    }
}

/// What the settings ask each type to derive, in the order written, global ones first.
fn requested(
    model: &Model,
    settings: &Settings,
    diagnostics: &mut Diagnostics,
) -> Vec<Vec<String>> {
    let mut asked = vec![settings.rust.derives.clone(); model.types.len()];
    for m in &model.modules {
        let Some(id) = m.types.first() else {
            continue;
        };
        let (Some(def), Some(list)) = (model.get(*id), asked.get_mut(id.0)) else {
            continue;
        };
        if let Some(own) = settings.models.get(&def.schema_name) {
            for path in &own.derives {
                if !list.contains(path) {
                    list.push(path.clone());
                }
            }
        }
    }
    let mut bad: Vec<&String> = settings
        .rust
        .derives
        .iter()
        .chain(settings.models.values().flat_map(|m| &m.derives))
        .filter(|p| !is_derive_path(p))
        .collect();
    bad.dedup();
    for path in bad {
        diagnostics.push(
            Diagnostic::error(
                crate::settings::FILE_NAME,
                "",
                format!("`{path}` in `derives` is not a trait path"),
            )
            .with_hint("write a trait's name or path, as in `Hash` or `schemars::JsonSchema`"),
        );
    }
    for list in &mut asked {
        list.retain(|p| is_derive_path(p));
    }
    asked
}

fn hint(t: Trait) -> &'static str {
    match t {
        Trait::Ord => "`Ord` needs `PartialOrd` and `Eq` on the same type, and every value it holds to be `Ord`; floats and `serde_json::Value` are not",
        Trait::Default => "a struct with no required fields already implements `Default`; an enum or a union has no default variant",
        _ => "a derive holds only when every value the type holds has the trait too",
    }
}

/// The derives each type has as generated: closed string enums are `Copy`, `Eq` and
/// `Hash` already, and a struct with no required fields implements `Default`.
fn base(t: Trait, def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Enum(e) if e.repr == EnumRepr::String && !e.open => {
            matches!(t, Trait::Copy | Trait::Eq | Trait::Hash)
        }
        TypeKind::Struct(s) => t == Trait::Default && s.fields.iter().all(|f| !f.required),
        _ => false,
    }
}

/// Which types derive each trait decided so far.
#[derive(Default)]
struct Table {
    rows: Vec<(Trait, Vec<bool>)>,
}

impl Table {
    fn set(&mut self, t: Trait, row: Vec<bool>) {
        self.rows.push((t, row));
    }

    fn get(&self, t: Trait, i: usize) -> bool {
        self.rows
            .iter()
            .find(|(r, _)| *r == t)
            .and_then(|(_, row)| row.get(i).copied())
            .unwrap_or(false)
    }
}

/// Why `def` cannot derive `t`, given which types derive it (`row`, or the finished
/// `table` when `row` is empty): the first value it holds that lacks it. Its own match (and
/// [`lacking`]'s), since each place and each Rust type has its own rule and wording.
fn blocker(t: Trait, i: usize, row: &[bool], table: &Table, model: &Model) -> Option<String> {
    let def = model.types.get(i)?;
    let named = |id: usize| {
        if row.is_empty() {
            table.get(t, id)
        } else {
            row.get(id).copied().unwrap_or(false)
        }
    };
    let lacks = |shape: &Shape| lacking(t, shape, &named, model);
    if t == Trait::Ord {
        for needed in [Trait::PartialOrd, Trait::Eq] {
            if !table.get(needed, i) {
                return Some(format!("it does not derive `{}`", needed.name()));
            }
        }
    }
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                let optional = !f.required || f.presence_validated;
                if optional && t == Trait::Default {
                    continue;
                }
                if let Some(what) = lacks(&f.shape) {
                    return Some(format!("its field `{}` holds {what}", f.rust_name));
                }
            }
            if let Additional::Map(values) = &s.additional {
                if let Some(what) = lacks(values) {
                    return Some(format!("its map of other properties holds {what}"));
                }
            }
            None
        }
        TypeKind::Enum(e) => {
            if t == Trait::Default {
                return Some("an enum has no default variant".to_owned());
            }
            if !e.open {
                return None;
            }
            let other = match e.repr {
                EnumRepr::String => Ty::String,
                _ => Ty::Any,
            };
            lacks(&Shape::plain(other)).map(|what| format!("its variant `Other` holds {what}"))
        }
        TypeKind::Union(u) => {
            if t == Trait::Default {
                return Some("a union has no default variant".to_owned());
            }
            u.variants.iter().find_map(|v| {
                lacks(&v.shape).map(|what| format!("its variant `{}` holds {what}", v.name))
            })
        }
        TypeKind::Newtype(shape) => lacks(shape).map(|what| format!("it wraps {what}")),
    }
}

/// The value inside `shape` that does not have `t`, described, if any.
fn lacking(
    t: Trait,
    shape: &Shape,
    named: &dyn Fn(usize) -> bool,
    model: &Model,
) -> Option<String> {
    if shape.nullable && t == Trait::Default {
        return None;
    }
    let scalar = |ty: &str, has: bool| (!has).then(|| format!("`{ty}`"));
    match &shape.ty {
        Ty::Any => scalar("serde_json::Value", matches!(t, Trait::Eq | Trait::Default)),
        Ty::Bool | Ty::Int(_) => None,
        // The project's own type: it has the traits its settings say it implements.
        Ty::External(external) => (!external
            .implements
            .iter()
            .any(|i| Trait::named(i.name()) == Some(t)))
        .then(|| {
            format!(
                "`{}`, a replacing type not declared to implement `{}` (`implements` in its `[types]` entry)",
                external.path,
                t.name()
            )
        }),
        Ty::Float(kind) => scalar(
            if *kind == FloatKind::F32 {
                "f32"
            } else {
                "f64"
            },
            matches!(t, Trait::PartialOrd | Trait::Copy | Trait::Default),
        ),
        Ty::String => scalar("String", t != Trait::Copy),
        Ty::Typed(typed) => {
            let (ty, default) = match typed {
                Typed::DateTime => ("chrono::DateTime<chrono::FixedOffset>", false),
                Typed::Date => ("chrono::NaiveDate", false),
                Typed::Uuid => ("uuid::Uuid", true),
            };
            scalar(ty, t != Trait::Default || default)
        }
        Ty::Array(item) | Ty::Map(item) => match t {
            Trait::Copy => Some(
                if matches!(shape.ty, Ty::Array(_)) {
                    "`Vec`"
                } else {
                    "`BTreeMap`"
                }
                .to_owned(),
            ),
            Trait::Default => None,
            _ => lacking(t, item, named, model),
        },
        // A tuple has a trait when every position has it.
        Ty::Tuple(positions) => positions.iter().find_map(|p| lacking(t, p, named, model)),
        Ty::Named { id, boxed } => {
            if *boxed && t == Trait::Copy {
                return Some("`Box`".to_owned());
            }
            if named(id.0) {
                return None;
            }
            let name = model.get(*id).map_or("a model", |d| d.name.as_str());
            Some(format!("`{name}`, which does not derive `{}`", t.name()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_paths_are_identifiers_joined_by_double_colons() {
        assert!(is_derive_path("Hash"));
        assert!(is_derive_path("schemars::JsonSchema"));
        assert!(is_derive_path("::std::hash::Hash"));
        assert!(!is_derive_path("Hash, Eq"));
        assert!(!is_derive_path("#[derive(Hash)]"));
        assert!(!is_derive_path(""));
    }

    #[test]
    fn std_paths_name_the_checked_traits_and_others_are_left_alone() {
        assert_eq!(Trait::named("Hash"), Some(Trait::Hash));
        assert_eq!(Trait::named("std::hash::Hash"), Some(Trait::Hash));
        assert_eq!(Trait::named("core::cmp::Ord"), Some(Trait::Ord));
        assert_eq!(Trait::named("schemars::JsonSchema"), None);
        assert_eq!(Trait::named("my::Hash"), None);
    }
}
