//! Instances for a schema: values built from it, near-miss mutations of them, and the schema's
//! own examples. Values are built on a best-effort basis; the oracle decides what is valid.

use serde_json::{json, Map, Value};

/// A small seeded generator (SplitMix64), so instances depend on the seed alone.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Looks up named schemas by reference.
pub trait Resolve {
    fn resolve(&self, reference: &str) -> Option<&Value>;
}

const DEPTH: usize = 6;

/// A value built to satisfy `schema` (not always: the oracle judges).
pub fn build(schema: &Value, defs: &dyn Resolve, rng: &mut Rng, depth: usize) -> Value {
    let Some(map) = schema.as_object() else {
        return json!(null);
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        if depth > DEPTH {
            return Value::Null;
        }
        return match defs.resolve(target) {
            Some(s) => build(s, defs, rng, depth + 1),
            None => Value::Null,
        };
    }
    if map.get("nullable") == Some(&Value::Bool(true)) && rng.chance(6) {
        return Value::Null;
    }
    if let Some(c) = map.get("const") {
        return c.clone();
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return values
            .get(rng.below(values.len()))
            .cloned()
            .unwrap_or(Value::Null);
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        let mut merged = Value::Null;
        for part in parts {
            let v = build(part, defs, rng, depth + 1);
            merged = match (merged, v) {
                (Value::Object(mut a), Value::Object(b)) => {
                    a.extend(b);
                    Value::Object(a)
                }
                (Value::Null, v) => v,
                (a, v) => {
                    if rng.chance(2) {
                        a
                    } else {
                        v
                    }
                }
            };
        }
        return merged;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            let Some(branch) = rng.pick(branches) else {
                return Value::Null;
            };
            let mut value = build(branch, defs, rng, depth + 1);
            if let Some(tag) = discriminator_tag(map, branch) {
                if let (Some(property), Value::Object(object)) = (
                    map.get("discriminator")
                        .and_then(|d| d.get("propertyName"))
                        .and_then(Value::as_str),
                    &mut value,
                ) {
                    object.insert(property.to_owned(), Value::String(tag));
                }
            }
            return value;
        }
    }
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let ty = match rng.pick(&types) {
        Some(t) => *t,
        None if map.contains_key("properties") || map.contains_key("additionalProperties") => {
            "object"
        }
        None if map.contains_key("items") => "array",
        None => *rng
            .pick(&["string", "integer", "object", "array", "boolean"])
            .unwrap_or(&"string"),
    };
    match ty {
        "null" => Value::Null,
        "boolean" => Value::Bool(rng.chance(2)),
        "integer" => json!(integer(map, rng)),
        "number" => number(map, rng),
        "string" => Value::String(string(map, rng)),
        "array" => {
            let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = map
                .get("maxItems")
                .and_then(Value::as_u64)
                .map_or(min + 2, |m| m as usize);
            let count = if depth > DEPTH {
                min
            } else {
                min + rng.below(max.saturating_sub(min) + 1)
            };
            Value::Array(
                (0..count)
                    .map_while(|i| item_schema(map, i))
                    .map(|items| build(&items, defs, rng, depth + 1))
                    .collect(),
            )
        }
        "object" => {
            let mut object = Map::new();
            let required: Vec<&str> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(props)) = map.get("properties") {
                for (name, schema) in props {
                    let wanted =
                        required.contains(&name.as_str()) || (depth <= DEPTH && rng.chance(2));
                    if wanted {
                        object.insert(name.clone(), build(schema, defs, rng, depth + 1));
                    }
                }
            }
            for name in &required {
                if !object.contains_key(*name) {
                    object.insert((*name).to_owned(), json!(1));
                }
            }
            match map.get("additionalProperties") {
                Some(Value::Bool(false)) | None => {}
                Some(extra) if depth <= DEPTH => {
                    for k in 0..rng.below(3) {
                        object.insert(format!("extra{k}"), build(extra, defs, rng, depth + 1));
                    }
                }
                Some(_) => {}
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

fn discriminator_tag(union: &Map<String, Value>, branch: &Value) -> Option<String> {
    let target = branch.get("$ref")?.as_str()?;
    let name = target.rsplit('/').next()?.to_owned();
    let mapping = union.get("discriminator")?;
    if let Some(Value::Object(m)) = mapping.get("mapping") {
        for (tag, t) in m {
            let t = t.as_str().unwrap_or_default();
            if t == target || t == name {
                return Some(tag.clone());
            }
        }
    }
    Some(name)
}

fn integer(map: &Map<String, Value>, rng: &mut Rng) -> i64 {
    let mut low = map
        .get("minimum")
        .and_then(Value::as_f64)
        .map_or(-20.0, f64::ceil) as i64;
    let mut high = map
        .get("maximum")
        .and_then(Value::as_f64)
        .map_or(low + 20, |m| m.floor() as i64);
    if map.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
        low += 1;
    }
    if map.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
        high -= 1;
    }
    if high < low {
        return low;
    }
    let mut v = low + rng.below((high - low + 1) as usize) as i64;
    if let Some(m) = map
        .get("multipleOf")
        .and_then(Value::as_i64)
        .filter(|m| *m > 0)
    {
        v -= v.rem_euclid(m);
        if v < low {
            v += m;
        }
    }
    v
}

fn number(map: &Map<String, Value>, rng: &mut Rng) -> Value {
    let low = map.get("minimum").and_then(Value::as_f64).unwrap_or(-10.0);
    let high = map
        .get("maximum")
        .and_then(Value::as_f64)
        .unwrap_or(low + 10.0);
    let step = map
        .get("multipleOf")
        .and_then(Value::as_f64)
        .unwrap_or(0.25);
    let steps = ((high - low) / step).floor().max(0.0) as usize;
    let v = (low / step).ceil() * step + step * rng.below(steps + 1) as f64;
    json!(v)
}

const FILLERS: &[char] = &['a', 'x', 'é', '7'];

fn string(map: &Map<String, Value>, rng: &mut Rng) -> String {
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        let samples: &[&str] = match format {
            "date-time" => &["2024-02-29T12:30:00Z", "1999-12-31T23:59:59.5+01:00"],
            "date" => &["2024-02-29", "1970-01-01"],
            "time" => &["12:30:00Z", "23:59:59+02:00"],
            "uuid" => &["123e4567-e89b-12d3-a456-426614174000"],
            "email" => &["a@example.com", "first.last@example.org"],
            "uri" => &["https://example.com/a?b=c", "urn:isbn:0451450523"],
            "uri-reference" => &["/a/b", "https://example.com", "#frag"],
            "ipv4" => &["192.168.0.1", "8.8.8.8"],
            "ipv6" => &["::1", "2001:db8::ff00:42:8329"],
            "hostname" => &["example.com", "a-b.c"],
            "iri" => &["https://例え.jp/ä?ö=ü#ß", "urn:isbn:0451450523"],
            "iri-reference" => &["/âππ", "//ƒøø.ßår/?∂éœ=πîx#πîüx", "#frag"],
            "idn-hostname" => &["실례.테스트", "bücher.example", "l·l"],
            "idn-email" => &["실례@실례.테스트", "jöe@bücher.example"],
            "byte" => &["aGVsbG8=", ""],
            _ => &["secret"],
        };
        return (*rng.pick(samples).unwrap_or(&"")).to_owned();
    }
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(min + 4, |m| m as usize);
    let len = min + rng.below(max.saturating_sub(min) + 1);
    let pattern = map
        .get("pattern")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let fill = if pattern.contains("[a-z]") {
        'a'
    } else {
        *rng.pick(FILLERS).unwrap_or(&'a')
    };
    let mut chars: Vec<char> = std::iter::repeat_n(fill, len).collect();
    if pattern.starts_with("^x") {
        if let Some(c) = chars.first_mut() {
            *c = 'x';
        }
    }
    if pattern.ends_with("[0-9]$") {
        if let Some(c) = chars.last_mut() {
            *c = '3';
        }
    }
    chars.into_iter().collect()
}

/// Near misses of `value`, mutated at the root or at a nested place chosen at random.
pub fn mutations(schema: &Value, value: &Value, defs: &dyn Resolve, rng: &mut Rng) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..4 {
        let mut copy = value.clone();
        mutate(schema, &mut copy, defs, rng, 0);
        if &copy != value && !out.contains(&copy) {
            out.push(copy);
        }
    }
    out
}

fn resolved<'a>(schema: &'a Value, defs: &'a dyn Resolve) -> &'a Value {
    let mut schema = schema;
    for _ in 0..DEPTH {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| defs.resolve(r))
        {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// The schema of array item `i`: a tuple position (`prefixItems`, or `items: [..]` in 3.0
/// spelling), else the items after them; `None` when a closed tuple allows no item there.
fn item_schema(map: &Map<String, Value>, i: usize) -> Option<Value> {
    let (positions, rest) = match (map.get("prefixItems"), map.get("items")) {
        (Some(Value::Array(p)), rest) => (Some(p), rest),
        (None, Some(Value::Array(p))) => (Some(p), map.get("additionalItems")),
        (_, rest) => (None, rest),
    };
    if let Some(position) = positions.and_then(|p| p.get(i)) {
        return Some(position.clone());
    }
    match rest {
        Some(Value::Bool(false)) => None,
        Some(rest) => Some(rest.clone()),
        None => Some(json!({})),
    }
}

fn mutate(schema: &Value, value: &mut Value, defs: &dyn Resolve, rng: &mut Rng, depth: usize) {
    let schema = resolved(schema, defs);
    // Descend into a child half of the time, when there is one.
    if depth < DEPTH && rng.chance(2) {
        match value {
            Value::Object(object) if !object.is_empty() => {
                let keys: Vec<String> = object.keys().cloned().collect();
                if let Some(key) = rng.pick(&keys) {
                    let sub = schema
                        .get("properties")
                        .and_then(|p| p.get(key))
                        .or_else(|| schema.get("additionalProperties"))
                        .cloned()
                        .unwrap_or(json!({}));
                    if let Some(child) = object.get_mut(key) {
                        mutate(&sub, child, defs, rng, depth + 1);
                        return;
                    }
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                let sub = schema
                    .as_object()
                    .and_then(|map| item_schema(map, i))
                    .unwrap_or(json!({}));
                if let Some(child) = items.get_mut(i) {
                    mutate(&sub, child, defs, rng, depth + 1);
                    return;
                }
            }
            _ => {}
        }
    }
    let get_i = |k: &str| schema.get(k).and_then(Value::as_i64);
    let get_f = |k: &str| schema.get(k).and_then(Value::as_f64);
    match rng.below(8) {
        // A bound, and one past it.
        0 => match value {
            Value::Number(_) => {
                let bounds: Vec<f64> = ["minimum", "maximum"]
                    .iter()
                    .filter_map(|k| get_f(k))
                    .collect();
                if let Some(b) = rng.pick(&bounds) {
                    let delta = [-1.0, 0.0, 1.0][rng.below(3)];
                    let v = b + delta;
                    *value = if v.fract() == 0.0 && schema.get("type") == Some(&json!("integer")) {
                        json!(v as i64)
                    } else {
                        json!(v)
                    };
                } else {
                    *value = json!(i64::MAX);
                }
            }
            Value::String(s) => {
                let one_more: char = *rng.pick(&['z', 'é', '😀']).unwrap_or(&'z');
                match (get_i("maxLength"), get_i("minLength")) {
                    (Some(max), _) if rng.chance(2) || get_i("minLength").is_none() => {
                        *s = std::iter::repeat_n(one_more, max.max(0) as usize + 1).collect();
                    }
                    (_, Some(min)) => {
                        *s = std::iter::repeat_n('a', (min.max(1) - 1) as usize).collect();
                    }
                    _ => s.push(one_more),
                }
            }
            Value::Array(items) => {
                if rng.chance(2) {
                    items.pop();
                } else if let Some(first) = items.first().cloned() {
                    items.push(first);
                }
            }
            _ => *value = json!(0),
        },
        // A wrong type.
        1 => {
            let others = [
                json!("1"),
                json!(1),
                json!(1.5),
                json!(true),
                json!([]),
                json!({}),
            ];
            *value = rng.pick(&others).cloned().unwrap_or(Value::Null);
        }
        // A missing required key, or any key.
        2 => {
            if let Value::Object(object) = value {
                let required: Vec<String> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let keys: Vec<String> = if required.is_empty() {
                    object.keys().cloned().collect()
                } else {
                    required
                };
                if let Some(k) = rng.pick(&keys) {
                    object.shift_remove(k);
                }
            } else {
                *value = Value::Null;
            }
        }
        // An extra key.
        3 => {
            if let Value::Object(object) = value {
                object.insert("zzExtra".into(), json!(1));
            } else {
                *value = json!({"zzExtra": 1});
            }
        }
        4 => *value = Value::Null,
        // A duplicated item.
        5 => {
            if let Value::Array(items) = value {
                if let Some(first) = items.first().cloned() {
                    items.push(first);
                }
            } else {
                *value = json!([value.clone(), value.clone()]);
            }
        }
        // A string one code point too long, or a number off by a little.
        6 => match value {
            Value::String(s) => s.push('é'),
            Value::Number(n) => {
                *value = match n.as_i64() {
                    Some(i) => json!(i + 1),
                    None => json!(n.as_f64().unwrap_or(0.0) + 0.1),
                }
            }
            _ => *value = json!(""),
        },
        // An enum or tag value that is not listed.
        _ => match value {
            Value::Object(object) => {
                if let Some(v) = object.values_mut().next() {
                    *v = json!("unlisted");
                }
            }
            _ => *value = json!("unlisted"),
        },
    }
}

/// Every `example` and `examples` value of a schema tree (`examples` arrays of 3.1, and the
/// values of 3.0 example objects given inline).
pub fn examples(schema: &Value, out: &mut Vec<Value>) {
    if let Value::Object(map) = schema {
        if let Some(e) = map.get("example") {
            out.push(e.clone());
        }
        if let Some(Value::Array(es)) = map.get("examples") {
            out.extend(es.iter().cloned());
        }
    }
}
