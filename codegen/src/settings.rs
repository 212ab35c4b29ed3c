//! Per-project settings, read from `codegen.toml` beside the schemas.

use crate::diagnostic::{Diagnostic, Location};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

mod rust;

pub use rust::{ModelSettings, RustSettings, Visibility};

/// The settings file's name.
pub const FILE_NAME: &str = "codegen.toml";

/// How a `format` is represented in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatChoice {
    /// A library type (`chrono`, `uuid`).
    Typed,
    /// A `String`, with the format checked by `validate()`.
    String,
    /// A type the settings name (`decimal = "rust_decimal::Decimal"`).
    Type(Replacement),
}

/// Where the presence of a required property is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequiredChoice {
    /// When parsing: a payload without it does not deserialize.
    #[default]
    Parse,
    /// By `validate()` alone: the field is an `Option`, so that a payload without it
    /// parses (and round-trips) and `validate()` reports the absence.
    Validate,
}

/// Everything a project can set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The generated crate's name; defaults to the document title in kebab-case.
    pub crate_name: Option<String>,
    /// The generated crate's version; defaults to `0.1.0`.
    pub crate_version: Option<String>,
    /// Make every enum open (unknown values kept) unless a schema says `x-open-enum: false`.
    #[serde(default)]
    pub open_enums: bool,
    /// Where required properties are checked: `parse` (the default) or `validate`.
    #[serde(default)]
    pub required: RequiredChoice,
    /// Per-format representation: `date-time`, `date` and `uuid` are typed by default.
    #[serde(default)]
    pub formats: BTreeMap<String, FormatChoice>,
    /// Corrections to the schema documents (`[[patch]]` tables), in the order written.
    #[serde(default, rename = "patch")]
    pub patches: Vec<Patch>,
    /// Named schemas replaced by the project's own types (`[types]`), by schema name.
    #[serde(default)]
    pub types: BTreeMap<String, Replacement>,
    /// Derives, attributes and visibility for every generated type (`[rust]`).
    #[serde(default)]
    pub rust: RustSettings,
    /// Names, derives and attributes for one named schema (`[models.<schema>]`).
    #[serde(default)]
    pub models: BTreeMap<String, ModelSettings>,
}

/// A Rust type used in place of a named schema (`[types]`) or of a format's own type
/// (`[formats]`), and where the generated crate gets it from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Replacement {
    /// The type's path (`my_money::Money`).
    pub path: String,
    /// The dependency's name in the generated crate's `Cargo.toml`; defaults to the path's
    /// first segment.
    #[serde(rename = "crate")]
    pub crate_name: Option<String>,
    /// The dependency's version requirement (`"1"`).
    pub version: Option<String>,
    /// The dependency as a table, written as is (`{ path = "../money" }`,
    /// `{ workspace = true }`); wins over `version`.
    pub dependency: Option<Value>,
    /// Whether the type implements the generated crate's `Validate`. For `[types]` it does
    /// unless `validate = false`; a format's type is taken as valid once parsed unless
    /// `validate = true`.
    pub validate: Option<bool>,
    /// The traits the type implements among those the generator derives only where
    /// every held value has them (`Eq`, `Hash`, ...), so that the types holding it may
    /// derive them too.
    #[serde(default)]
    pub implements: Vec<Implemented>,
}

/// A trait that a replacing type declares it implements (`implements = ["Eq", "Hash"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum Implemented {
    /// `Eq`.
    Eq,
    /// `Hash`.
    Hash,
    /// `PartialOrd`.
    PartialOrd,
    /// `Ord`.
    Ord,
    /// `Copy`.
    Copy,
    /// `Default`.
    Default,
}

impl Implemented {
    /// The trait's name, as a derive writes it.
    pub fn name(self) -> &'static str {
        match self {
            Implemented::Eq => "Eq",
            Implemented::Hash => "Hash",
            Implemented::PartialOrd => "PartialOrd",
            Implemented::Ord => "Ord",
            Implemented::Copy => "Copy",
            Implemented::Default => "Default",
        }
    }
}

impl Replacement {
    /// The replacement a schema's `x-rust-type` extension names.
    pub fn from_extension(crate_name: &str, version: &str, path: &str) -> Replacement {
        Replacement {
            path: path.to_owned(),
            crate_name: Some(crate_name.to_owned()),
            version: Some(version.to_owned()),
            dependency: None,
            validate: None,
            implements: Vec::new(),
        }
    }

    /// The dependency's name: `crate`, else the path's first segment.
    pub fn crate_name(&self) -> &str {
        match &self.crate_name {
            Some(name) => name,
            None => self.path.split("::").next().unwrap_or(&self.path),
        }
    }

    /// The dependency's line in the generated crate's `[dependencies]`, when the settings
    /// say where it comes from.
    pub fn dependency_line(&self) -> Option<String> {
        let spec = match (&self.dependency, &self.version) {
            (Some(table), _) => toml_inline(table),
            (None, Some(version)) => toml_inline(&Value::String(version.clone())),
            (None, None) => return None,
        };
        Some(format!("{} = {spec}", self.crate_name()))
    }
}

/// A JSON value (read from TOML) written back as an inline TOML value.
fn toml_inline(value: &Value) -> String {
    match value {
        Value::Null => "\"\"".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_inline(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// A TOML key, quoted unless it is bare.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        Value::String(key.to_owned()).to_string()
    }
}

impl<'de> Deserialize<'de> for FormatChoice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FormatChoiceVisitor)
    }
}

/// Reads `"typed"`, `"string"`, a type path (`"rust_decimal::Decimal"`) or a
/// [`Replacement`] table.
struct FormatChoiceVisitor;

impl<'de> serde::de::Visitor<'de> for FormatChoiceVisitor {
    type Value = FormatChoice;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("`typed`, `string`, a type path or a table with `path`")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FormatChoice, E> {
        match text {
            "typed" => Ok(FormatChoice::Typed),
            "string" => Ok(FormatChoice::String),
            path if path.contains("::") => Ok(FormatChoice::Type(Replacement {
                path: path.to_owned(),
                crate_name: None,
                version: None,
                dependency: None,
                validate: None,
                implements: Vec::new(),
            })),
            other => Err(E::unknown_variant(other, &["typed", "string"])),
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<FormatChoice, A::Error> {
        Replacement::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map(FormatChoice::Type)
    }
}

/// A correction to a schema document, applied after the file is read and
/// before its schemas are: a team can fix a vendor's description without
/// editing it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawPatch")]
pub struct Patch {
    /// The file it applies to, as the end of its path (`api.yaml`,
    /// `common/pets.yaml`); `None` for the input document.
    pub file: Option<String>,
    /// RFC 6901 JSON Pointer of the node changed (never the whole document).
    pub pointer: String,
    /// What is done there.
    pub change: Change,
    /// Why the description is wrong there.
    pub reason: Option<String>,
    /// Where the patch is written: the settings file and the line:column of
    /// its table, for reports.
    pub origin: Option<(String, Location)>,
}

/// What a [`Patch`] does at its pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Sets the node (replacing it, or adding it to its parent object or array).
    Set(Value),
    /// Removes the node.
    Remove,
}

/// A `[[patch]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPatch {
    file: Option<String>,
    pointer: String,
    value: Option<Value>,
    /// The value as JSON text, for values TOML cannot write (`null`).
    value_json: Option<String>,
    remove: Option<bool>,
    reason: Option<String>,
}

impl TryFrom<RawPatch> for Patch {
    type Error = String;

    fn try_from(raw: RawPatch) -> Result<Patch, String> {
        let pointer = raw.pointer.strip_prefix('#').unwrap_or(&raw.pointer);
        if pointer.is_empty() {
            return Err("a patch cannot replace the whole document; point at a node inside it, as in `pointer = \"/components/schemas/Pet\"`".to_owned());
        }
        if !pointer.starts_with('/') {
            return Err(format!(
                "the pointer `{}` is not a JSON Pointer; write it as `/components/schemas/Pet/properties/name`",
                raw.pointer
            ));
        }
        let value = match (raw.value, raw.value_json) {
            (Some(_), Some(_)) => {
                return Err("a patch has either `value` or `value-json`, not both".to_owned())
            }
            (Some(value), None) => Some(from_toml(value)),
            (None, Some(text)) => Some(
                serde_json::from_str(&text)
                    .map_err(|e| format!("`value-json` is not valid JSON: {e}"))?,
            ),
            (None, None) => None,
        };
        let change = match (value, raw.remove) {
            (Some(value), None | Some(false)) => Change::Set(value),
            (None, Some(true)) => Change::Remove,
            (Some(_), Some(true)) => {
                return Err("a patch has either `value` or `remove = true`, not both".to_owned())
            }
            (None, _) => {
                return Err(
                    "a patch needs `value = ...` (the new node; `value-json = '...'` as JSON text) or `remove = true`".to_owned(),
                )
            }
        };
        Ok(Patch {
            file: raw.file,
            pointer: pointer.to_owned(),
            change,
            reason: raw.reason,
            origin: None,
        })
    }
}

/// A TOML value read as JSON: dates and times (which JSON has not) become strings.
fn from_toml(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(date)) = map.get(TOML_DATETIME) {
                    return Value::String(date.clone());
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(from_toml).collect()),
        other => other,
    }
}

/// The key under which the `toml` crate hands a date or time to other formats.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// Where each `[[patch]]` table starts, read apart from the settings themselves.
#[derive(Deserialize)]
struct PatchSpans {
    #[serde(default)]
    patch: Vec<toml::Spanned<toml::Table>>,
}

impl Settings {
    /// Parses the settings file's text.
    pub fn parse(file: &str, text: &str) -> Result<Settings, Diagnostic> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(file, "", format!("invalid settings: {}", e.message()))
                .with_hint(hint_for(e.message()));
            if let Some(span) = e.span() {
                d = d.at(location(text, span.start));
            }
            d
        })?;
        if let Ok(spans) = toml::from_str::<PatchSpans>(text) {
            for (patch, span) in settings.patches.iter_mut().zip(spans.patch) {
                patch.origin = Some((file.to_owned(), location(text, span.span().start)));
            }
        }
        Ok(settings)
    }

    /// Whether `format` should map to its library type.
    pub fn typed(&self, format: &str) -> bool {
        matches!(self.formats.get(format), None | Some(FormatChoice::Typed))
    }

    /// The type the settings name for `format`, if any.
    pub fn format_type(&self, format: &str) -> Option<&Replacement> {
        match self.formats.get(format) {
            Some(FormatChoice::Type(replacement)) => Some(replacement),
            _ => None,
        }
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn location(text: &str, offset: usize) -> Location {
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location { line, column }
}

/// The hint for a settings error: for an unknown key or value, the known one
/// nearest to it; otherwise the list of settings.
fn hint_for(message: &str) -> String {
    const KEYS: &str = "keys are crate-name, crate-version, open-enums, required, [formats], [types] (path, crate, version, dependency, validate, implements), [[patch]] (file, pointer, value, value-json or remove, reason), [rust] (derives, non-exhaustive, field-visibility, serialize, deserialize, share-inline-shapes, model-features, library-tests) and [models.<schema>] (name, fields, variants, derives, attrs, field-attrs, non-exhaustive, field-visibility, serialize, deserialize)";
    // serde's wording: "unknown field `x`, expected one of `a`, `b`" (or
    // "unknown variant `x`, expected `a` or `b`"): the quoted words are the
    // unknown one, then the known ones.
    if !message.starts_with("unknown field") && !message.starts_with("unknown variant") {
        return KEYS.to_owned();
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((unknown, known)) = quoted.split_first() else {
        return KEYS.to_owned();
    };
    match crate::load::schema::closest(unknown, known) {
        Some(near) => format!("did you mean `{near}`?"),
        None if known.is_empty() => KEYS.to_owned(),
        None => format!("expected one of `{}`", known.join("`, `")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Result<Settings, Diagnostic> {
        Settings::parse("schemas/codegen.toml", text)
    }

    #[test]
    fn a_misspelt_key_is_an_error_that_names_the_right_one() {
        let d = parse("crate-name = \"a\"\ncrate-verison = \"1.0.0\"\n").unwrap_err();
        assert!(d.message.contains("unknown field `crate-verison`"), "{d}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `crate-version`?"));
        assert_eq!(d.location, Some(Location { line: 2, column: 1 }));
        let d = parse("[[patches]]\npointer = \"/a\"\nremove = true\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `patch`?"), "{d}");
        let d = parse("[[patch]]\npointer = \"/a\"\nremvoe = true\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `remove`?"), "{d}");
        assert_eq!(d.location, Some(Location { line: 3, column: 1 }));
        let d = parse("required = \"validte\"\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `validate`?"), "{d}");
        let d = parse("[formats]\ndate = \"strnig\"\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `string`?"), "{d}");
    }

    #[test]
    fn types_and_format_types_name_a_path_and_where_its_crate_comes_from() {
        let text = r#"
[types]
Money = { path = "my_money::Money", version = "1", implements = ["Eq", "Hash"] }
Label = { path = "labels::Label", crate = "labels", dependency = { path = "../labels", package = "my-labels" }, validate = false }

[formats]
decimal = "rust_decimal::Decimal"
date-time = { path = "time::OffsetDateTime", dependency = { workspace = true } }
date = "string"
"#;
        let settings = parse(text).expect("valid settings");
        let money = settings.types.get("Money").expect("Money");
        assert_eq!(money.path, "my_money::Money");
        assert_eq!(money.validate, None);
        assert_eq!(money.implements, [Implemented::Eq, Implemented::Hash]);
        assert_eq!(money.dependency_line().as_deref(), Some("my_money = \"1\""));
        let label = settings.types.get("Label").expect("Label");
        assert_eq!(label.validate, Some(false));
        assert_eq!(
            label.dependency_line().as_deref(),
            Some("labels = { path = \"../labels\", package = \"my-labels\" }")
        );
        let decimal = settings.format_type("decimal").expect("decimal");
        assert_eq!(decimal.path, "rust_decimal::Decimal");
        assert_eq!(decimal.crate_name(), "rust_decimal");
        assert_eq!(decimal.dependency_line(), None);
        assert_eq!(
            settings
                .format_type("date-time")
                .and_then(Replacement::dependency_line)
                .as_deref(),
            Some("time = { workspace = true }")
        );
        assert!(!settings.typed("date-time"));
        assert!(!settings.typed("date"));
        assert!(settings.typed("uuid"));
        assert_eq!(settings.format_type("date"), None);
    }

    #[test]
    fn a_misspelt_replacement_key_is_an_error_that_names_the_right_one() {
        let d = parse("[types]\nMoney = { pth = \"a::B\" }\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `path`?"), "{d}");
        let d = parse("[types]\nMoney = { path = \"a::B\", validte = false }\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `validate`?"), "{d}");
        let d = parse("[formats]\ndecimal = { path = \"a::B\", verison = \"1\" }\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `version`?"), "{d}");
        let d =
            parse("[types]\nMoney = { path = \"a::B\", implements = [\"Hsh\"] }\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `Hash`?"), "{d}");
        let d = parse("[type]\nMoney = { path = \"a::B\" }\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `types`?"), "{d}");
    }

    #[test]
    fn patches_are_read_in_order_with_their_values_as_json_and_their_place() {
        let text = r##"crate-name = "api"

[[patch]]
pointer = "/components/schemas/Pet/properties/name"
value = { type = "string", maxLength = 10, enum = ["b", "a"], since = 2024-01-02 }
reason = "the vendor forgot the limit"

[[patch]]
file = "common.yaml"
pointer = "#/components/schemas/Pet/default"
remove = true
"##;
        let settings = parse(text).expect("valid settings");
        let [first, second] = settings.patches.as_slice() else {
            panic!("two patches: {:?}", settings.patches);
        };
        assert_eq!(first.pointer, "/components/schemas/Pet/properties/name");
        let expected =
            json!({"type": "string", "maxLength": 10, "enum": ["b", "a"], "since": "2024-01-02"});
        assert_eq!(first.change, Change::Set(expected.clone()));
        // Key order is kept, as written.
        let Change::Set(value) = &first.change else {
            unreachable!()
        };
        assert_eq!(
            serde_json::to_string(value).ok(),
            serde_json::to_string(&expected).ok()
        );
        assert_eq!(first.reason.as_deref(), Some("the vendor forgot the limit"));
        assert_eq!(first.file, None);
        assert_eq!(
            first.origin,
            Some((
                "schemas/codegen.toml".to_owned(),
                Location { line: 3, column: 1 }
            ))
        );
        assert_eq!(second.file.as_deref(), Some("common.yaml"));
        assert_eq!(second.pointer, "/components/schemas/Pet/default");
        assert_eq!(second.change, Change::Remove);
        assert_eq!(second.origin.as_ref().map(|o| o.1.line), Some(8));
    }

    #[test]
    fn rust_and_model_settings_are_read_with_their_defaults() {
        let text = r##"[rust]
derives = ["Hash", "schemars::JsonSchema"]
non-exhaustive = true

[models.webhook-config-url]
name = "HookUrl"
fields = { insecure_ssl = "skip_tls_check" }
variants = { in-progress = "Running" }
attrs = ['#[doc(alias = "hook")]']
field-attrs = { url = ['#[doc(alias = "link")]'] }
field-visibility = "pub(crate)"
"##;
        let settings = parse(text).expect("valid settings");
        assert_eq!(settings.rust.derives, ["Hash", "schemars::JsonSchema"]);
        assert!(settings.rust.non_exhaustive);
        assert_eq!(settings.rust.field_visibility, Visibility::Public);
        let hook = settings
            .models
            .get("webhook-config-url")
            .expect("the table");
        assert_eq!(hook.name.as_deref(), Some("HookUrl"));
        assert_eq!(
            hook.fields.get("insecure_ssl").map(String::as_str),
            Some("skip_tls_check")
        );
        assert_eq!(
            hook.variants.get("in-progress").map(String::as_str),
            Some("Running")
        );
        assert_eq!(
            hook.attrs.as_deref(),
            Some(&["#[doc(alias = \"hook\")]".to_owned()][..])
        );
        assert_eq!(hook.field_visibility, Some(Visibility::Crate));
        assert_eq!(hook.non_exhaustive, None);
    }

    #[test]
    fn a_value_toml_cannot_write_is_given_as_json_text() {
        let settings =
            parse("[[patch]]\npointer = \"/a\"\nvalue-json = '{\"default\": null, \"b\": [1]}'\n")
                .expect("valid settings");
        let change = settings.patches.first().map(|p| &p.change);
        assert_eq!(
            change,
            Some(&Change::Set(json!({"default": null, "b": [1]})))
        );
    }

    #[test]
    fn a_patch_needs_one_change_and_a_pointer_into_the_document() {
        for (patch, says) in [
            ("pointer = \"/a\"", "needs `value = ...`"),
            ("pointer = \"/a\"\nvalue = 1\nremove = true", "not both"),
            ("pointer = \"\"\nremove = true", "whole document"),
            ("pointer = \"a/b\"\nremove = true", "not a JSON Pointer"),
            ("pointer = \"/a\"\nvalue-json = '{a: 1}'", "not valid JSON"),
            ("pointer = \"/a\"\nvalue = 1\nvalue-json = '1'", "not both"),
        ] {
            let d = parse(&format!("[[patch]]\n{patch}\n")).unwrap_err();
            assert!(d.message.contains(says), "{patch}: {d}");
            assert!(d.location.is_some(), "{patch}: {d}");
        }
    }
}
