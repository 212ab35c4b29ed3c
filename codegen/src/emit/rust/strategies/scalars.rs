//! Strategies for scalar shapes: numbers within their bounds and `multipleOf`, strings
//! within their lengths, pattern and format, listed values, free-form JSON.

use super::super::code;
use super::super::repr;
use super::Notes;
use crate::ir::{Bound, Checks, FloatKind, IntKind, Model, Number, Shape, Ty, Typed};
use serde_json::Value;

/// The strategy of a scalar shape (without its nullability), or why no value fits.
pub fn expr(shape: &Shape, model: &Model, notes: &mut Notes) -> Result<String, String> {
    let checks = &shape.checks;
    if let Some(values) = listed(checks) {
        return listed_values(shape, model, &values, notes);
    }
    match &shape.ty {
        Ty::Any => any(checks, notes),
        Ty::Bool => Ok("proptest::bool::ANY.boxed()".to_owned()),
        Ty::Int(kind) => integer(*kind, checks, notes),
        Ty::Float(kind) => float(*kind, checks, notes),
        Ty::String => string(checks, notes),
        Ty::Typed(Typed::DateTime) => Ok(format!(
            "s::format(\"date-time\", 0, 64).prop_filter_map({}, |t| chrono::DateTime::parse_from_rfc3339(&t).ok()).boxed()",
            code::string("reads as a chrono date-time")
        )),
        Ty::Typed(Typed::Date) => Ok(format!(
            "s::format(\"date\", 0, 64).prop_filter_map({}, |t| chrono::NaiveDate::parse_from_str(&t, \"%Y-%m-%d\").ok()).boxed()",
            code::string("reads as a chrono date")
        )),
        Ty::Typed(Typed::Uuid) => {
            Ok("proptest::num::u128::ANY.prop_map(uuid::Uuid::from_u128).boxed()".to_owned())
        }
        Ty::External(external) => Err(format!(
            "its values are `{}`, {}",
            external.path,
            super::OUTSIDE
        )),
        Ty::Named { .. } | Ty::Array(_) | Ty::Tuple(_) | Ty::Map(_) => {
            Err("not a scalar".to_owned())
        }
    }
}

/// The values `enum` and `const` allow together, when either is given.
fn listed(checks: &Checks) -> Option<Vec<Value>> {
    match (&checks.enumeration, &checks.constant) {
        (Some(values), Some(c)) => Some(values.iter().filter(|v| *v == c).cloned().collect()),
        (Some(values), None) => Some(values.clone()),
        (None, Some(c)) => Some(vec![c.clone()]),
        (None, None) => None,
    }
}

/// One of the listed values that also pass the shape's other checks.
fn listed_values(
    shape: &Shape,
    model: &Model,
    values: &[Value],
    notes: &mut Notes,
) -> Result<String, String> {
    let checks = &shape.checks;
    let plain = static_checks(shape);
    let kept: Vec<&Value> = values
        .iter()
        .filter(|v| crate::ir::instance::check(v, &plain, model).is_empty())
        .collect();
    if kept.is_empty() {
        return Err("no value of its `enum` or `const` passes its other checks".to_owned());
    }
    // Lengths, bounds and patterns were checked above; formats are checked at run time.
    if checks.format.is_some() {
        notes
            .validate_filter
            .push("listed values are checked against their format".to_owned());
    }
    let literals: Vec<String> = kept.iter().map(|v| repr::json_literal(v)).collect();
    let ty = repr::ty(&shape.ty, model);
    Ok(format!(
        "s::one_of_json::<{ty}>(vec![{}])",
        literals.join(", ")
    ))
}

/// The shape that listed values are checked against, by the example checker (the runtime's
/// own checks): the shape without its nullability and with formats left to run time.
fn static_checks(shape: &Shape) -> Shape {
    let mut plain = shape.clone();
    plain.nullable = false;
    if plain.checks.format.is_some() {
        plain.checks.format = None;
    }
    plain
}

/// Free-form JSON, of the listed JSON types when `type` names some.
fn any(checks: &Checks, notes: &mut Notes) -> Result<String, String> {
    if checks.types.as_ref().is_some_and(Vec::is_empty) {
        // A `false` schema, such as a property another `allOf` part closes off.
        return Err("no JSON type is allowed".to_owned());
    }
    let rest = Checks {
        types: None,
        ..checks.clone()
    };
    if !rest.is_empty() {
        notes
            .validate_filter
            .push("a free-form value carries checks beyond its JSON type".to_owned());
    }
    match &checks.types {
        Some(types) => {
            let names: Vec<String> = types.iter().map(|t| code::string(t.name())).collect();
            Ok(format!("s::json_of(&[{}], 2)", names.join(", ")))
        }
        None => Ok("s::json(2)".to_owned()),
    }
}

/// The smallest and largest integers the bounds allow, within `[lo, hi]`.
fn integer_range(checks: &Checks, lo: i128, hi: i128) -> (i128, i128) {
    let low = checks.minimum.map_or(lo, lower_int).max(lo);
    let high = checks.maximum.map_or(hi, upper_int).min(hi);
    (low, high)
}

fn lower_int(b: Bound) -> i128 {
    match b.value {
        Number::Int(i) => i.saturating_add(i128::from(b.exclusive)),
        Number::Float(f) => {
            let c = f.ceil();
            let c = if b.exclusive && c == f { c + 1.0 } else { c };
            c.clamp(-1e30, 1e30) as i128
        }
    }
}

fn upper_int(b: Bound) -> i128 {
    match b.value {
        Number::Int(i) => i.saturating_sub(i128::from(b.exclusive)),
        Number::Float(f) => {
            let c = f.floor();
            let c = if b.exclusive && c == f { c - 1.0 } else { c };
            c.clamp(-1e30, 1e30) as i128
        }
    }
}

fn int_lit(v: i128, kind: IntKind) -> String {
    let ty = kind.rust();
    match kind.range() {
        (min, _) if v == min && v != 0 => format!("{ty}::MIN"),
        (_, max) if v == max => format!("{ty}::MAX"),
        _ => format!("{v}{ty}"),
    }
}

fn integer(kind: IntKind, checks: &Checks, notes: &mut Notes) -> Result<String, String> {
    let ty = kind.rust();
    let (lo, hi) = kind.range();
    let (low, high) = integer_range(checks, lo, hi);
    if low > high {
        return Err(bounds_message(checks));
    }
    match checks.multiple_of {
        Some(Number::Int(m)) if m != 0 => {
            let m = m.abs();
            let (klo, khi) = (div_ceil(low, m), div_floor(high, m));
            if klo > khi {
                return Err(format!("no multiple of {m} lies within {low}..={high}"));
            }
            if m == 1 {
                return Ok(range(low, high, kind));
            }
            Ok(format!(
                "({klo}i128..={khi}i128).prop_map(|k| (k * {m}) as {ty}).boxed()"
            ))
        }
        Some(Number::Float(m)) => {
            notes
                .validate_filter
                .push(format!("an integer is a multiple of the fraction {m}"));
            Ok(range(low, high, kind))
        }
        _ => Ok(range(low, high, kind)),
    }
}

fn range(low: i128, high: i128, kind: IntKind) -> String {
    format!("({}..={}).boxed()", int_lit(low, kind), int_lit(high, kind))
}

fn div_floor(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) == (b < 0)) {
        q + 1
    } else {
        q
    }
}

fn bounds_message(checks: &Checks) -> String {
    let show = |b: Option<Bound>, name: &str, exclusive: &str| match b {
        Some(b) if b.exclusive => format!("{exclusive} {}", b.value),
        Some(b) => format!("{name} {}", b.value),
        None => format!("no {name}"),
    };
    format!(
        "no number lies between {} and {}",
        show(checks.minimum, "minimum", "exclusiveMinimum"),
        show(checks.maximum, "maximum", "exclusiveMaximum")
    )
}

fn float(kind: FloatKind, checks: &Checks, notes: &mut Notes) -> Result<String, String> {
    // Values are whole multiples of a step exact in binary or short in decimal, so that
    // they print and read back as the same number.
    let (ty, steps, limit): (&str, &[f64], f64) = match kind {
        FloatKind::F32 => ("f32", &[1.0, 4.0, 1024.0], 1e6),
        FloatKind::F64 => ("f64", &[1.0, 100.0, 10000.0, 1e6], 1e9),
    };
    let lo = checks.minimum.map(|b| b.value.as_f64());
    let hi = checks.maximum.map(|b| b.value.as_f64());
    let low = lo
        .unwrap_or_else(|| hi.map_or(-limit, |h| h - limit))
        .max(-1e15);
    let high = hi
        .unwrap_or_else(|| lo.map_or(limit, |l| l + limit))
        .min(1e15);
    let above = |x: f64| match checks.minimum {
        Some(b) if b.exclusive => x > b.value.as_f64(),
        Some(b) => x >= b.value.as_f64(),
        None => true,
    };
    let below = |x: f64| match checks.maximum {
        Some(b) if b.exclusive => x < b.value.as_f64(),
        Some(b) => x <= b.value.as_f64(),
        None => true,
    };
    if let Some(m) = checks.multiple_of {
        let m = m.as_f64().abs();
        if m != 0.0 {
            if kind == FloatKind::F32 && (m as f32).fract() != 0.0 {
                notes
                    .validate_filter
                    .push(format!("an f32 is a multiple of the fraction {m}"));
            }
            let mut klo = (low / m).ceil();
            let mut khi = (high / m).floor();
            while klo <= khi && !above(klo * m) {
                klo += 1.0;
            }
            while khi >= klo && !below(khi * m) {
                khi -= 1.0;
            }
            if klo > khi {
                return Err(format!("no multiple of {m} lies within the bounds"));
            }
            let m_lit = if kind == FloatKind::F32 {
                code::f32_lit(m as f32)
            } else {
                code::f64_lit(m)
            };
            return Ok(format!(
                "({}i64..={}i64).prop_map(|k| k as {ty} * {m_lit}).boxed()",
                klo as i64, khi as i64
            ));
        }
    }
    for &step in steps {
        let mut nlo = (low * step).ceil();
        let mut nhi = (high * step).floor();
        while nlo <= nhi && !above(nlo / step) {
            nlo += 1.0;
        }
        while nhi >= nlo && !below(nhi / step) {
            nhi -= 1.0;
        }
        if nlo <= nhi {
            let value = if step == 1.0 {
                format!("n as {ty}")
            } else {
                format!(
                    "n as {ty} / {}",
                    if kind == FloatKind::F32 {
                        code::f32_lit(step as f32)
                    } else {
                        code::f64_lit(step)
                    }
                )
            };
            return Ok(format!(
                "({}i64..={}i64).prop_map(|n| {value}).boxed()",
                nlo as i64, nhi as i64
            ));
        }
    }
    Err(bounds_message(checks))
}

fn string(checks: &Checks, notes: &mut Notes) -> Result<String, String> {
    let min = checks.min_length.unwrap_or(0);
    if let Some(max) = checks.max_length {
        if min > max {
            return Err(format!("minLength {min} is greater than maxLength {max}"));
        }
    }
    let format = checks.format.as_deref();
    // Patterns and formats make their own lengths; free text is kept short.
    let loose = if !checks.patterns.is_empty() || format.is_some() {
        1024
    } else {
        16
    };
    let max = checks.max_length.unwrap_or(min + loose);
    // Strings are made from the first pattern, and kept when they match the others.
    let (first, others) = match checks.patterns.split_first() {
        Some((first, others)) => (Some(first), others),
        None => (None, &[][..]),
    };
    // Several patterns: one match of each in a row, when that matches them all.
    let joined = (!others.is_empty())
        .then(|| joined_generator(&checks.patterns))
        .flatten();
    let base = match (first, format) {
        (Some(pattern), _) => match joined.or_else(|| generator(pattern)) {
            Some((g, lookaround)) => {
                if lookaround {
                    notes.filters.push(format!(
                        "the pattern `{pattern}` has lookarounds: strings are generated without them and kept when they match the whole pattern"
                    ));
                }
                format!(
                    "s::pattern({}, {}, {min}, {max})",
                    code::string(&g),
                    code::string(pattern)
                )
            }
            None => {
                notes.filters.push(format!(
                    "the pattern `{pattern}` is outside the regex subset values are generated from: strings of {min} to {max} characters are drawn and kept when they match"
                ));
                let max = max.min(min + 32);
                format!(
                    "s::filtered_pattern({}, {min}, {max})",
                    code::string(pattern)
                )
            }
        },
        (None, Some(f)) => format!("s::format({}, {min}, {max})", code::string(f)),
        // A long `maxLength` is allowed, not needed: free text stays short.
        (None, None) => format!("s::string({min}, {})", max.min(min + loose)),
    };
    let mut strategy = match (first, format) {
        (Some(_), Some(f)) => format!(
            "{base}.prop_filter({}, |v| s::is_format(v, {})).boxed()",
            code::string("format as validate() checks it"),
            code::string(f)
        ),
        _ => base,
    };
    for pattern in others {
        notes.filters.push(format!(
            "strings are also kept only when they match the pattern `{pattern}`"
        ));
        strategy = format!(
            "{{ let also = crate::validation::compile({}); {strategy}.prop_filter({}, move |v| s::matches(v, also.as_ref())).boxed() }}",
            code::string(pattern),
            code::string("pattern as validate() checks it")
        );
    }
    Ok(strategy)
}

/// One generator for several patterns, when a string made of one full match of each in a row
/// matches them all: at most one pattern anchored at the start (its match goes first), at most
/// one at the end (last), none at both, and the others match anywhere. `None` otherwise, or
/// when a pattern is outside the subset (see [`generator`]).
fn joined_generator(patterns: &[String]) -> Option<(String, bool)> {
    let start = |p: &str| p.starts_with('^');
    let end = ends_anchored;
    let starts = patterns.iter().filter(|p| start(p)).count();
    let ends = patterns.iter().filter(|p| end(p)).count();
    if starts > 1 || ends > 1 || patterns.iter().any(|p| start(p) && end(p)) {
        return None;
    }
    let mut ordered: Vec<&String> = patterns.iter().collect();
    ordered.sort_by_key(|p| match (start(p), end(p)) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    });
    let mut joined = String::new();
    let mut lookaround = false;
    for p in ordered {
        let (g, l) = generator(p)?;
        joined.push_str(&format!("(?:{g})"));
        lookaround |= l;
    }
    Some((joined, lookaround))
}

/// Whether `pattern` ends with the anchor `$` (not an escaped `\$`).
fn ends_anchored(pattern: &str) -> bool {
    pattern
        .strip_suffix('$')
        .is_some_and(|rest| !rest.ends_with('\\') || rest.ends_with("\\\\"))
}

/// An expression in the regex subset proptest generates from whose every full match
/// matches the ECMA-262 `pattern` too; `None` when the pattern is outside that subset.
///
/// An unanchored pattern may match anywhere, so a string that is wholly one match
/// passes; the anchors `^` and `$` at the ends are dropped. `\d` and `\w` are ASCII in
/// ECMA-262 and Unicode in the regex crate, so they are spelt out. Lookaround groups
/// are left out (the flag says so): the strings then match a looser pattern, and the
/// generated strategy keeps those that match the whole one.
fn generator(pattern: &str) -> Option<(String, bool)> {
    let (stripped, lookaround) = without_lookarounds(pattern);
    let body = stripped.strip_prefix('^').unwrap_or(&stripped);
    let body = match body.strip_suffix('$') {
        Some(rest) if ends_anchored(body) => rest,
        _ => body,
    };
    let mut out = String::with_capacity(body.len() + 16);
    let mut chars = body.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                match (next, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('w', false) => out.push_str("[A-Za-z0-9_]"),
                    ('w', true) => out.push_str("A-Za-z0-9_"),
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&out)
        .ok()?;
    if has_look(&hir) {
        return None;
    }
    Some((out, lookaround))
}

/// `pattern` without its lookahead and lookbehind groups, and whether it had any.
fn without_lookarounds(pattern: &str) -> (String, bool) {
    let mut out = String::with_capacity(pattern.len());
    let mut found = false;
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let escaped: String = rest.chars().take(2).collect();
            out.push_str(&escaped);
            rest = rest.get(escaped.len()..).unwrap_or("");
            continue;
        }
        let opens = ["(?=", "(?!", "(?<=", "(?<!"];
        if opens.iter().any(|o| rest.starts_with(o)) {
            found = true;
            rest = after_group(rest);
            continue;
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    (out, found)
}

/// The text after the group that `text` opens (at its `(`), escapes and classes honoured.
fn after_group(text: &str) -> &str {
    let mut depth = 0usize;
    let mut in_class = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return text.get(i + 1..).unwrap_or("");
                }
            }
            _ => {}
        }
    }
    ""
}

/// Whether an expression holds an anchor or word boundary, which proptest cannot generate.
fn has_look(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Look(_) => true,
        HirKind::Repetition(r) => has_look(&r.sub),
        HirKind::Capture(c) => has_look(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(has_look),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_dropped_and_ascii_classes_spelt_out() {
        assert_eq!(
            generator(r"^\d{3}-[\w.]+$"),
            Some((r"[0-9]{3}-[A-Za-z0-9_.]+".to_owned(), false))
        );
    }

    #[test]
    fn lookarounds_are_left_out_of_the_generator_and_flagged() {
        assert_eq!(
            generator(r"^(?=.*\d)[a-z0-9]+$"),
            Some(("[a-z0-9]+".to_owned(), true))
        );
    }

    #[test]
    fn a_pattern_the_regex_crate_cannot_read_has_no_generator() {
        assert_eq!(generator(r"^(a)\1$"), None);
        assert_eq!(generator(r"\bword\b"), None);
    }

    #[test]
    fn integer_bounds_and_multiple_of_leave_an_exact_range() {
        let mut checks = Checks {
            minimum: Some(Bound {
                value: Number::Int(5),
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: Number::Float(20.5),
                exclusive: false,
            }),
            multiple_of: Some(Number::Int(5)),
            ..Checks::default()
        };
        let mut notes = Notes::default();
        assert_eq!(
            integer(IntKind::I64, &checks, &mut notes),
            Ok("(2i128..=4i128).prop_map(|k| (k * 5) as i64).boxed()".to_owned())
        );
        checks.maximum = Some(Bound {
            value: Number::Int(9),
            exclusive: false,
        });
        assert!(integer(IntKind::I64, &checks, &mut notes).is_err());
    }

    #[test]
    fn decimals_respect_exclusive_bounds() {
        let checks = Checks {
            minimum: Some(Bound {
                value: Number::Float(0.5),
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: Number::Int(1),
                exclusive: true,
            }),
            ..Checks::default()
        };
        assert_eq!(
            float(FloatKind::F64, &checks, &mut Notes::default()),
            Ok("(51i64..=99i64).prop_map(|n| n as f64 / 100.0f64).boxed()".to_owned())
        );
    }
}
