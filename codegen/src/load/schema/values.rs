//! Reading the values of single keywords: references, discriminators, the `x-rust-*`
//! extensions, names, flags, counts and numbers.

use super::keywords::{closest, kind_of};
use super::{CodeExtensions, Discriminator, Reference, RustType, SchemaReader};
use crate::load::pointer::{child, percent_decode};
use crate::load::{ids, Version};
use serde_json::{Number, Value};

impl SchemaReader<'_> {
    pub(super) fn reference(&mut self, v: &Value, at: &str) -> Option<Reference> {
        let Value::String(text) = v else {
            let d = self.error(at, "`$ref` must be a string");
            self.report(d);
            return None;
        };
        let (file_part, fragment) = match text.split_once('#') {
            Some((f, p)) => (f, p),
            None => (text.as_str(), ""),
        };
        let mut pointer = match percent_decode(fragment) {
            Some(p) => p,
            None => {
                let d = self.error(at, format!("`{text}` is not a valid reference"));
                self.report(d);
                return None;
            }
        };
        let anchor = (!pointer.is_empty() && ids::is_anchor_name(&pointer))
            .then(|| std::mem::take(&mut pointer));
        if !pointer.is_empty() && !pointer.starts_with('/') {
            let d = self
                .error(
                    at,
                    format!("`{text}` does not hold a JSON Pointer after `#`"),
                )
                .with_hint(
                    "write references as `#/components/schemas/Name`, or `#name` for an `$anchor`",
                );
            self.report(d);
            return None;
        }
        Some(Reference {
            text: text.clone(),
            file_part: file_part.to_owned(),
            pointer,
            anchor,
            dynamic: false,
            by_name: false,
            target: None,
        })
    }

    pub(super) fn discriminator(&mut self, v: &Value, at: &str) -> Option<Discriminator> {
        match v {
            // Swagger 2.0 writes the property name alone.
            Value::String(name) => Some(Discriminator {
                property_name: name.clone(),
                mapping: Vec::new(),
                names_itself: true,
            }),
            Value::Object(map) => {
                let Some(Value::String(name)) = map.get("propertyName") else {
                    let d = self.malformed(at, "`discriminator` needs a string `propertyName`");
                    self.report(d);
                    return None;
                };
                let mut mapping = Vec::new();
                if let Some(m) = map.get("mapping") {
                    let mat = child(at, "mapping");
                    match m {
                        Value::Object(entries) => {
                            for (value, target) in entries {
                                let p = child(&mat, value);
                                let named = self.mapping_target(target);
                                let by_name = named != *target;
                                if let Some(r) = self.reference(&named, &p) {
                                    mapping.push((value.clone(), Reference { by_name, ..r }));
                                }
                            }
                        }
                        _ => {
                            let d = self.malformed(&mat, "`mapping` must be an object");
                            self.report(d);
                        }
                    }
                }
                Some(Discriminator {
                    property_name: name.clone(),
                    mapping,
                    names_itself: false,
                })
            }
            _ => {
                let d = self.malformed(at, "`discriminator` must be an object");
                self.report(d);
                None
            }
        }
    }

    /// A `mapping` value as a reference: a bare schema name (`Dog`) names a schema of
    /// this document; anything with `#`, `/` or a file extension is a reference already.
    fn mapping_target(&self, target: &Value) -> Value {
        match target {
            Value::String(name)
                if !name.contains(['#', '/'])
                    && !name.ends_with(".yaml")
                    && !name.ends_with(".yml")
                    && !name.ends_with(".json") =>
            {
                let base = match self.version {
                    Version::Swagger2 => "#/definitions/",
                    _ => "#/components/schemas/",
                };
                Value::String(format!("{base}{}", name.replace('~', "~0")))
            }
            other => other.clone(),
        }
    }

    /// An array of strings (one string alone counts as an array of it).
    pub(super) fn strings(&mut self, v: &Value, at: &str) -> Option<Vec<String>> {
        let list = match v {
            Value::String(one) => Some(vec![one.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        };
        if list.is_none() {
            let d = self.malformed(
                at,
                format!("expected an array of strings, found {}", kind_of(v)),
            );
            self.report(d);
        }
        list
    }

    pub(super) fn string(&mut self, v: &Value, at: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                let d = self.malformed(at, format!("expected a string, found {}", kind_of(other)));
                self.report(d);
                None
            }
        }
    }

    /// `x-rust-type`: `crate`, `version` and `path` strings, as typify reads them. Generic
    /// `parameters` are not supported: the extension is then left out with a warning.
    pub(super) fn rust_type(&mut self, v: &Value, at: &str) -> Option<RustType> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(crate_name), Some(version), Some(path)) =
            (text("crate"), text("version"), text("path"))
        else {
            let d = self.malformed(
                at,
                "`x-rust-type` needs the strings `crate`, `version` and `path` (`{crate: my_money, version: \"1\", path: my_money::Money}`)",
            );
            self.report(d);
            return None;
        };
        if v.get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty())
        {
            let d = self.malformed(
                &child(at, "parameters"),
                "`x-rust-type` with generic `parameters` is not supported; the schema is generated instead",
            );
            self.report(d);
            return None;
        }
        if let Some(map) = v.as_object() {
            for key in map.keys() {
                if !["crate", "version", "path", "parameters"].contains(&key.as_str()) {
                    let d = self.malformed(
                        &child(at, key),
                        format!("`x-rust-type` has no field `{key}`; it reads `crate`, `version`, `path` and `parameters`"),
                    );
                    self.report(d);
                }
            }
        }
        Some(RustType {
            crate_name,
            version,
            path,
        })
    }

    /// `x-rust-serde`: `serialize` and `deserialize` booleans, each optional.
    pub(super) fn rust_serde(&mut self, v: &Value, at: &str, code: &mut CodeExtensions) {
        const KEYS: [&str; 2] = ["serialize", "deserialize"];
        let Some(map) = v.as_object() else {
            let d = self.malformed(
                at,
                format!(
                    "`x-rust-serde` is an object such as `{{serialize: false}}`, found {}",
                    kind_of(v)
                ),
            );
            self.report(d);
            return;
        };
        for (key, value) in map {
            let at = child(at, key);
            match key.as_str() {
                // A value that is not a boolean is reported, and leaves the default.
                "serialize" => code.serialize = self.flag(value, &at),
                "deserialize" => code.deserialize = self.flag(value, &at),
                other => {
                    let mut d = self.malformed(
                        &at,
                        format!("`x-rust-serde` has no field `{other}`; it reads `serialize` and `deserialize`"),
                    );
                    if let Some(near) = closest(other, &KEYS) {
                        d = d.with_hint(format!("did you mean `{near}`?"));
                    }
                    self.report(d);
                }
            }
        }
    }

    /// A boolean, or `None` (reported) for anything else.
    fn flag(&mut self, v: &Value, at: &str) -> Option<bool> {
        let flag = v.as_bool();
        if flag.is_none() {
            self.boolean(v, at);
        }
        flag
    }

    pub(super) fn boolean(&mut self, v: &Value, at: &str) -> bool {
        match v {
            Value::Bool(b) => *b,
            other => {
                let d = self.malformed(
                    at,
                    format!("expected true or false, found {}", kind_of(other)),
                );
                self.report(d);
                false
            }
        }
    }

    pub(super) fn count(&mut self, v: &Value, at: &str) -> Option<u64> {
        match v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64)
                .map(|f| f as u64)
        }) {
            Some(n) => Some(n),
            None => {
                let d = self.malformed(at, format!("expected a non-negative integer, found {v}"));
                self.report(d);
                None
            }
        }
    }

    pub(super) fn number(&mut self, v: &Value, at: &str) -> Option<Number> {
        match v {
            Value::Number(n) => Some(n.clone()),
            other => {
                let d = self.malformed(at, format!("expected a number, found {}", kind_of(other)));
                self.report(d);
                None
            }
        }
    }
}
