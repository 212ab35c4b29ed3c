//! Rust names for schema names, property names and enum values.
//!
//! Every name is a valid, keyword-safe identifier, and names are made
//! unique within their scope by a deterministic numeric suffix.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::{HashMap, HashSet};

/// Words that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Names that may not be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names that take a `Model` suffix: the names of Rust's prelude (2021 edition), which a
/// model would shadow in generated code and wherever the crate is glob-imported, and the
/// names the generated crate exports at its root beside the models. Anything else the
/// generated code needs (`serde_json::Value`, `std::fmt`, `crate::validation::Error`, ...)
/// is written fully qualified, so a schema named `Error` or `Value` keeps its name.
const RESERVED_TYPES: &[&str] = &[
    // Types, traits and variants of `std::prelude::rust_2021`.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Err",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Self",
    // Exported at the generated crate's root.
    "Validate",
    "ValidationErrors",
    "Violation",
];

/// Spells out characters that carry meaning but vanish in identifiers.
fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let word = match c {
            '+' => " plus ",
            '-' if out.trim().is_empty() => " minus ",
            '*' => " star ",
            '@' => " at ",
            '$' => " dollar ",
            '#' => " hash ",
            '%' => " percent ",
            '&' => " and ",
            '=' => " eq ",
            '<' => " lt ",
            '>' => " gt ",
            '!' => " not ",
            '~' => " tilde ",
            '.' => " ",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(word);
    }
    out
}

/// Keeps only characters valid in an identifier (ASCII letters, digits, `_`).
fn ascii_ident(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// An UpperCamelCase identifier for `raw`; `fallback` when nothing is left.
fn camel_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_ident(&spell_symbols(raw).to_upper_camel_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// The longest type name made here. Docs pages are named after types, and inline types
/// nested deep get long names (`S0Branch1Branch1..`), while file systems allow 255 bytes a
/// name.
const MAX_TYPE_NAME: usize = 150;

/// An UpperCamelCase type name for `raw`; `fallback` when nothing is left. It is cut to
/// [`MAX_TYPE_NAME`] bytes (the scope that claims it keeps it apart from the others).
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = camel_name(raw, fallback);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    cut(&mut name, MAX_TYPE_NAME);
    name
}

/// Cuts an identifier to at most `max` bytes, with no `_` left at its end.
fn cut(name: &mut String, max: usize) {
    if name.len() <= max {
        return;
    }
    // Identifiers made here are ASCII, so this only guards against a panic.
    let mut at = max;
    while !name.is_char_boundary(at) {
        at -= 1;
    }
    name.truncate(at);
    let kept = name.trim_end_matches('_').len();
    name.truncate(kept);
}

/// Crate names whose library name is taken by a built-in crate (`use std::..` would not
/// reach the generated crate).
const BUILTIN_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// The package name for a crate made from a description titled `title`: the title in
/// kebab-case, ASCII letters, digits and `-` only. It starts with `api-` when it would be
/// empty or start with a digit, and ends with `-models` when its library name (`-` as `_`)
/// is a Rust keyword (`type`, `self`) or a built-in crate (`std`), which no one could `use`.
pub fn crate_name(title: &str) -> String {
    let name: String = title
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = name.trim_matches('-');
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}").trim_end_matches('-').to_owned()
    } else {
        name.to_owned()
    };
    let lib = name.replace('-', "_");
    if KEYWORDS.contains(&lib.as_str()) || BUILTIN_CRATES.contains(&lib.as_str()) {
        format!("{name}-models")
    } else {
        name
    }
}

/// An enum variant name for a wire value.
pub fn variant_name(raw: &str) -> String {
    // A value with no ASCII letter or digit (`"日本"`) is still a value, not the empty string.
    // Variants live inside their enum, so only `Self` needs avoiding.
    let name = camel_name(raw, if raw.is_empty() { "Empty" } else { "Value" });
    if name == "Self" {
        return "SelfValue".to_owned();
    }
    name
}

/// Module names the crate's own files take.
pub const RESERVED_MODULES: &[&str] = &["validation", "models", "lib", "mod"];

/// The longest module name. Module files are named after modules, and inline types nested
/// deep get long names (`s0_branch1_branch1_..`), while file systems allow 255 bytes a name.
const MAX_MODULE_NAME: usize = 150;

/// The module (and file) name of a type named `type_name`: its snake_case field name, with
/// a keyword (`type`) written `type_`, since module files are named after modules, cut to
/// [`MAX_MODULE_NAME`] bytes (the scope that claims it keeps it apart from the others).
pub fn module_name(type_name: &str) -> String {
    let mut module = field_name(type_name);
    if let Some(keyword) = module.strip_prefix("r#") {
        module = format!("{keyword}_");
    }
    cut(&mut module, MAX_MODULE_NAME);
    module
}

/// A snake_case field or module name for `raw`, never a keyword.
pub fn field_name(raw: &str) -> String {
    let mut name = ascii_ident(&spell_symbols(raw).to_snake_case());
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        // `r#type` reads better than `type_`, but `self`-like words cannot be raw.
        if NOT_RAW.contains(&name.as_str()) {
            name.push('_');
        } else {
            name.insert_str(0, "r#");
        }
    }
    name
}

/// The flattened map's field name, clear of the listed fields.
pub fn extra_field_name(s: &super::Struct) -> String {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

/// The method giving an optional field's value or its `default` (`{field}_or_default`).
pub fn default_accessor_name(rust_name: &str) -> String {
    format!("{}_or_default", rust_name.trim_start_matches("r#"))
}

/// Whether `raw` is a plain ASCII identifier (not `_`).
fn is_identifier(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && raw != "_"
}

/// Whether rustc's `non_camel_case_types` lint lets `raw` pass.
fn is_upper_camel(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_uppercase()) && !raw.contains('_')
}

/// A type name given in the settings or by `x-rust-name`: used as written when it is an
/// UpperCamelCase identifier that can name a model; otherwise the reason it cannot.
pub fn given_type_name(raw: &str) -> Result<String, String> {
    if !is_identifier(raw) || KEYWORDS.contains(&raw) || !is_upper_camel(raw) {
        return Err(format!("`{raw}` is not an UpperCamelCase Rust identifier"));
    }
    if RESERVED_TYPES.contains(&raw) {
        return Err(format!(
            "`{raw}` is a name of Rust's prelude or of the generated crate's root"
        ));
    }
    Ok(raw.to_owned())
}

/// A field name given in the settings or by `x-rust-name`: used as written (a keyword as a
/// raw identifier, `r#type`) when it is an identifier; otherwise the reason it is not.
pub fn given_field_name(raw: &str) -> Result<String, String> {
    let bare = raw.strip_prefix("r#").unwrap_or(raw);
    if !is_identifier(bare)
        || NOT_RAW.contains(&bare)
        || bare.chars().any(|c| c.is_ascii_uppercase())
    {
        return Err(format!("`{raw}` is not a snake_case Rust field name"));
    }
    if KEYWORDS.contains(&bare) {
        return Ok(format!("r#{bare}"));
    }
    Ok(bare.to_owned())
}

/// A variant name given in the settings: used as written when it is an identifier a
/// variant can have; otherwise the reason it cannot.
pub fn given_variant_name(raw: &str) -> Result<String, String> {
    if !is_identifier(raw) || KEYWORDS.contains(&raw) || !is_upper_camel(raw) {
        return Err(format!("`{raw}` is not an UpperCamelCase Rust identifier"));
    }
    Ok(raw.to_owned())
}

/// Hands out names unique within one scope.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
    /// For each name claimed more than once, the number to try next: the ones before it
    /// are taken, so a name claimed many times (names cut to their limit) is not counted up
    /// from 2 each time.
    next: HashMap<String, usize>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            // Compared as `claim` compares: case-insensitively.
            taken: reserved.iter().map(|s| s.to_lowercase()).collect(),
            next: HashMap::new(),
        }
    }

    /// Returns `name`, or `name2`, `name3`, ... if taken, and takes it.
    pub fn claim(&mut self, name: String) -> String {
        let key = name.trim_start_matches("r#").to_lowercase();
        if self.taken.insert(key.clone()) {
            return name;
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            let candidate = format!("{}{sep}{n}", name.trim_start_matches("r#"));
            n += 1;
            if self.taken.insert(candidate.to_lowercase()) {
                self.next.insert(key, n);
                return candidate;
            }
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken
            .contains(&name.trim_start_matches("r#").to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_and_module_names_are_cut_to_a_file_name_every_file_system_takes() {
        let deep = format!("S0{}", "Branch1".repeat(60));
        let module = module_name(&deep);
        assert!(module.len() <= MAX_MODULE_NAME, "{}", module.len());
        assert!(module.starts_with("s0_branch1_branch1"), "{module}");
        assert!(!module.ends_with('_'), "{module}");
        // Two names alike in their first bytes stay apart in the scope that claims them.
        let mut scope = Scope::with_reserved(RESERVED_MODULES);
        let first = scope.claim(module_name(&format!("{deep}Branch2")));
        let second = scope.claim(module_name(&format!("{deep}Branch3")));
        assert_ne!(first, second);
        assert_eq!(module_name("type"), "type_");
        let type_name = type_name(&deep, "Inline");
        assert!(type_name.len() <= MAX_TYPE_NAME, "{}", type_name.len());
        assert!(type_name.starts_with("S0Branch1Branch1"), "{type_name}");
        assert_eq!(module_name("PetOwner"), "pet_owner");
    }

    #[test]
    fn keywords_become_raw_identifiers_or_get_an_underscore() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("ref"), "r#ref");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("crate"), "crate_");
    }

    #[test]
    fn odd_property_names_become_snake_case() {
        assert_eq!(field_name("orgId"), "org_id");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("foo-bar"), "foo_bar");
        assert_eq!(field_name("a.b"), "a_b");
        assert_eq!(field_name("$ref"), "dollar_ref");
        assert_eq!(field_name("@type"), "at_type");
        assert_eq!(field_name("with space"), "with_space");
        assert_eq!(field_name(""), "field");
    }

    #[test]
    fn enum_values_become_readable_variants() {
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("foo-bar"), "FooBar");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("2xx"), "N2xx");
        assert_eq!(variant_name("日本"), "Value");
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(variant_name("None"), "None");
    }

    #[test]
    fn only_prelude_and_crate_root_names_take_a_suffix() {
        assert_eq!(type_name("Error", "Model"), "Error");
        assert_eq!(type_name("Value", "Model"), "Value");
        assert_eq!(type_name("path", "Model"), "Path");
        assert_eq!(type_name("Option", "Model"), "OptionModel");
        assert_eq!(type_name("result", "Model"), "ResultModel");
        assert_eq!(type_name("Iterator", "Model"), "IteratorModel");
        assert_eq!(type_name("Validate", "Model"), "ValidateModel");
    }

    #[test]
    fn given_names_are_kept_as_written_when_rust_can_use_them() {
        assert_eq!(given_type_name("HookURL"), Ok("HookURL".to_owned()));
        assert!(given_type_name("hook url").is_err());
        assert!(given_type_name("Option").is_err());
        assert!(given_type_name("struct").is_err());
        assert_eq!(given_field_name("type"), Ok("r#type".to_owned()));
        assert_eq!(given_field_name("r#type"), Ok("r#type".to_owned()));
        assert_eq!(given_field_name("pet_name"), Ok("pet_name".to_owned()));
        assert!(given_field_name("petName").is_err());
        assert!(given_type_name("hook_url").is_err());
        assert!(given_field_name("self").is_err());
        assert!(given_field_name("1st").is_err());
        assert!(given_field_name("_").is_err());
        assert_eq!(
            given_variant_name("InProgress"),
            Ok("InProgress".to_owned())
        );
        assert!(given_variant_name("Self").is_err());
    }

    #[test]
    fn crate_names_can_always_be_used() {
        assert_eq!(crate_name("Pet Store API"), "pet-store-api");
        assert_eq!(crate_name("type"), "type-models");
        assert_eq!(crate_name("Enum"), "enum-models");
        assert_eq!(crate_name("ref"), "ref-models");
        assert_eq!(crate_name("self"), "self-models");
        assert_eq!(crate_name("Crate"), "crate-models");
        assert_eq!(crate_name("std"), "std-models");
        assert_eq!(crate_name("Type Service"), "type-service");
        assert_eq!(crate_name("2fa"), "api-2fa");
        assert_eq!(crate_name("日本"), "api");
        assert_eq!(crate_name(""), "api");
    }

    #[test]
    fn reserved_names_are_taken_whatever_their_case() {
        let mut s = Scope::with_reserved(&["Other"]);
        assert_eq!(s.claim("Other".into()), "Other2");
        assert_eq!(s.claim("other".into()), "other3");
    }

    #[test]
    fn scope_suffixes_collisions_case_insensitively() {
        let mut s = Scope::default();
        assert_eq!(s.claim("foo_bar".into()), "foo_bar");
        assert_eq!(s.claim("foo_bar".into()), "foo_bar2");
        assert_eq!(s.claim("v1".into()), "v1");
        assert_eq!(s.claim("v1".into()), "v1_2");
    }

    fn field(rust_name: &str) -> crate::ir::Field {
        crate::ir::Field {
            wire_name: rust_name.to_owned(),
            rust_name: rust_name.to_owned(),
            shape: crate::ir::Shape::plain(crate::ir::Ty::String),
            required: false,
            presence_validated: false,
            default: None,
            docs: crate::ir::Docs::default(),
        }
    }

    #[test]
    fn the_flattened_map_field_steps_aside_for_listed_properties() {
        let mut s = crate::ir::Struct {
            fields: vec![field("name")],
            additional: crate::ir::Additional::Ignored,
            checks: Default::default(),
        };
        assert_eq!(extra_field_name(&s), "additional_properties");
        s.fields.push(field("additional_properties"));
        assert_eq!(extra_field_name(&s), "additional_properties_");
        s.fields.push(field("additional_properties_"));
        assert_eq!(extra_field_name(&s), "additional_properties__");
    }

    #[test]
    fn a_default_accessor_is_named_after_the_field_without_its_raw_prefix() {
        assert_eq!(default_accessor_name("name"), "name_or_default");
        assert_eq!(default_accessor_name("r#type"), "type_or_default");
        assert_eq!(default_accessor_name("self_"), "self__or_default");
    }
}
