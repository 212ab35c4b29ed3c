//! The sub-schema checks (`not`, `if`/`then`/`else`, `contains`, `dependentSchemas`,
//! branches beside properties, `unevaluated*`), written on the value's JSON form.

use super::*;

/// Writes the sub-schema checks (`not`, `if`, `contains` ...) on `json`, a `&serde_json::Value`
/// in scope; answers whether it wrote any.
pub(super) fn applied_checks(
    c: &mut Code,
    a: &Applied,
    json: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    let mut wrote = false;
    if let Some(not) = &a.not {
        c.open("{");
        matches(c, not, json, model, statics);
        check(c, "not", &["matched".to_owned()]);
        c.close("}");
        wrote = true;
    }
    // A `then` or `else` that checks nothing (`true`, or only keywords reported as not
    // supported) needs no code, and neither does an `if` left without either.
    let conditional = a.conditional.as_ref().and_then(|cond| {
        let then = cond.then.as_ref().filter(|s| checks_json(s, model));
        let otherwise = cond.otherwise.as_ref().filter(|s| checks_json(s, model));
        (then.is_some() || otherwise.is_some()).then_some((&cond.condition, then, otherwise))
    });
    if let Some((condition, then, otherwise)) = conditional {
        c.open("{");
        matches(c, condition, json, model, statics);
        match (then, otherwise) {
            // Two plain `if`s: an `else` holding only an `if` is not how rustfmt'd code reads.
            (Some(t), Some(e)) => {
                c.open("if matched {");
                json_as_shape(c, t, json, model, statics);
                c.close("}");
                c.open("if !matched {");
                json_as_shape(c, e, json, model, statics);
                c.close("}");
            }
            (Some(t), None) => {
                c.open("if matched {");
                json_as_shape(c, t, json, model, statics);
                c.close("}");
            }
            (None, Some(e)) => {
                c.open("if !matched {");
                json_as_shape(c, e, json, model, statics);
                c.close("}");
            }
            (None, None) => {}
        }
        c.close("}");
        wrote = true;
    }
    for (mode, branches) in &a.branches {
        c.open("{");
        c.line("let mut count = 0usize;");
        for b in branches {
            c.open("{");
            matches(c, b, json, model, statics);
            c.line("count += usize::from(matched);");
            c.close("}");
        }
        let name = match mode {
            UnionMode::OneOf => "one_of",
            UnionMode::AnyOf => "any_of",
        };
        check(c, name, &["count".to_owned()]);
        c.close("}");
        wrote = true;
    }
    if let Some(contains) = &a.contains {
        c.open(&format!("if let serde_json::Value::Array(a) = {json} {{"));
        c.line("let mut count = 0usize;");
        c.open("for item in a {");
        matches(c, &contains.shape, "item", model, statics);
        c.line("count += usize::from(matched);");
        c.close("}");
        let max = match contains.max {
            Some(m) => format!("Some({m}u64)"),
            None => "None".to_owned(),
        };
        check(
            c,
            "contains",
            &["count".to_owned(), format!("{}u64", contains.min), max],
        );
        c.close("}");
        wrote = true;
    }
    let object_rules = !a.dependent_required.is_empty()
        || !a.dependent_schemas.is_empty()
        || a.property_names.is_some()
        || !a.pattern_properties.is_empty()
        || a.unclaimed.is_some();
    if object_rules {
        let mark = c.mark();
        c.open(&format!("if let serde_json::Value::Object(o) = {json} {{"));
        let opened = c.mark();
        for (key, names) in a.dependent_required.iter().filter(|(_, n)| !n.is_empty()) {
            c.open(&format!("if o.contains_key({}) {{", code::string(key)));
            for n in names {
                let n = code::string(n);
                check(c, "required", &[format!("o.contains_key({n})"), n]);
            }
            c.close("}");
        }
        for (key, shape) in &a.dependent_schemas {
            let mark = c.mark();
            c.open(&format!("if o.contains_key({}) {{", code::string(key)));
            if json_as_shape(c, shape, json, model, statics) {
                c.close("}");
            } else {
                c.reset(mark);
            }
        }
        if let Some(names) = &a.property_names {
            let mark = c.mark();
            c.open("for key in o.keys() {");
            c.line("let path = path.key(key);");
            c.line("let name = serde_json::Value::String(key.clone());");
            if json_as_shape(c, names, "&name", model, statics) {
                c.close("}");
            } else {
                c.reset(mark);
            }
        }
        // Patterns whose schema checks nothing only claim their keys.
        let checked: Vec<bool> = a
            .pattern_properties
            .iter()
            .map(|(_, shape)| checks_json(shape, model))
            .collect();
        // `additionalProperties` with a schema that checks nothing asks nothing of a key.
        let unclaimed = a.unclaimed.as_ref().filter(|u| {
            u.shape
                .as_ref()
                .is_none_or(|shape| checks_json(shape, model))
        });
        let uses_value = checked.contains(&true) || unclaimed.is_some_and(|u| u.shape.is_some());
        if checked.contains(&true) || unclaimed.is_some() {
            c.open(if uses_value {
                "for (key, value) in o {"
            } else {
                "for key in o.keys() {"
            });
            c.line("let path = path.key(key);");
            if unclaimed.is_some() {
                c.line("let mut claimed = false;");
            }
            for ((pattern, shape), checked) in a.pattern_properties.iter().zip(&checked) {
                if !checked && unclaimed.is_none() {
                    continue;
                }
                let name = statics.pattern(pattern);
                c.open(&format!(
                    "if crate::validation::is_match({name}.as_ref(), key) {{"
                ));
                if unclaimed.is_some() {
                    c.line("claimed = true;");
                }
                json_as_shape(c, shape, "value", model, statics);
                c.close("}");
            }
            if let Some(u) = unclaimed {
                for l in &u.listed {
                    c.line(&format!("claimed |= key == {};", code::string(l)));
                }
                c.open("if !claimed {");
                match &u.shape {
                    None => c.line("crate::validation::additional_property(key, &path, errors);"),
                    Some(shape) => {
                        json_as_shape(c, shape, "value", model, statics);
                    }
                }
                c.close("}");
            }
            c.close("}");
        }
        if c.wrote_since(opened) {
            c.close("}");
            wrote = true;
        } else {
            c.reset(mark);
        }
    }
    for u in &a.unevaluated {
        wrote |= unevaluated(c, u, json, model, statics);
    }
    wrote
}

/// `unevaluatedProperties` / `unevaluatedItems` on `json`: works out what the schema's keywords
/// evaluated, then checks the rest; answers whether it wrote anything.
fn unevaluated(
    c: &mut Code,
    u: &Unevaluated,
    json: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    // A rule whose schema checks nothing (`true`, `{}`) asks nothing of the rest.
    let asks = |rule: &Option<Option<Shape>>| {
        rule.as_ref()
            .filter(|r| r.as_ref().is_none_or(|s| checks_json(s, model)))
            .cloned()
    };
    let (properties, items) = (asks(&u.properties), asks(&u.items));
    if properties.is_none() && items.is_none() {
        return false;
    }
    c.open("{");
    let mark = c.mark();
    c.line("let mut seen = crate::validation::Evaluated::new();");
    let opened = c.mark();
    evaluation(c, &u.evaluation, json, model, statics);
    if !c.wrote_since(opened) {
        c.reset(mark);
        c.line("let seen = crate::validation::Evaluated::new();");
    }
    match properties {
        Some(None) => {
            c.open(&format!(
                "for (key, _) in seen.unevaluated_properties({json}) {{"
            ));
            c.line("crate::validation::unevaluated_property(key, &path, errors);");
            c.close("}");
        }
        Some(Some(shape)) => {
            c.open(&format!(
                "for (key, value) in seen.unevaluated_properties({json}) {{"
            ));
            c.line("let path = path.key(key);");
            json_as_shape(c, &shape, "value", model, statics);
            c.close("}");
        }
        None => {}
    }
    match items {
        Some(None) => {
            c.open(&format!(
                "for (index, _) in seen.unevaluated_items({json}) {{"
            ));
            c.line("crate::validation::unevaluated_item(index, &path, errors);");
            c.close("}");
        }
        Some(Some(shape)) => {
            c.open(&format!(
                "for (index, item) in seen.unevaluated_items({json}) {{"
            ));
            c.line("let path = path.index(index);");
            json_as_shape(c, &shape, "item", model, statics);
            c.close("}");
        }
        None => {}
    }
    c.close("}");
    true
}

/// Adds to `seen` (an `Evaluated` in scope) what `e` evaluates of `json`.
fn evaluation(c: &mut Code, e: &Evaluation, json: &str, model: &Model, statics: &mut Statics) {
    for name in &e.properties {
        c.call("seen.property", &[code::string(name)], ";");
    }
    for pattern in &e.patterns {
        let regex = format!("{}.as_ref()", statics.pattern(pattern));
        c.call("seen.pattern", &[json.to_owned(), regex], ";");
    }
    if e.all_properties {
        c.line("seen.all_properties();");
    }
    if e.prefix_items > 0 {
        c.line(&format!("seen.prefix_items({}usize);", e.prefix_items));
    }
    if e.all_items {
        c.line("seen.all_items();");
    }
    for shape in &e.contains {
        c.open(&format!("if let serde_json::Value::Array(a) = {json} {{"));
        c.open("for (index, item) in a.iter().enumerate() {");
        matches(c, shape, "item", model, statics);
        c.open("if matched {");
        c.line("seen.item(index);");
        c.close("}");
        c.close("}");
        c.close("}");
    }
    for gated in &e.gated {
        c.open("{");
        let mut opened = 0;
        for condition in &gated.conditions {
            match condition {
                Condition::Matches(shape) => {
                    matches(c, shape, json, model, statics);
                    c.open("if matched {");
                }
                Condition::Fails(shape) => {
                    matches(c, shape, json, model, statics);
                    c.open("if !matched {");
                }
                Condition::HasKey(key) => {
                    c.open(&format!(
                        "if {json}.get({}).is_some() {{",
                        code::string(key)
                    ));
                }
            }
            opened += 1;
        }
        evaluation(c, &gated.evaluation, json, model, statics);
        for _ in 0..opened {
            c.close("}");
        }
        c.close("}");
    }
}

/// Writes `let matched = ..;`: whether `json` (a `&serde_json::Value`) matches `shape`.
fn matches(c: &mut Code, shape: &Shape, json: &str, model: &Model, statics: &mut Statics) {
    let mark = c.mark();
    c.open("let matched = {");
    c.line("let path = crate::validation::Path::ROOT;");
    c.line("let mut found = crate::validation::ValidationErrors::new();");
    c.line("let errors = &mut found;");
    if json_as_shape(c, shape, json, model, statics) {
        c.line("found.is_empty()");
        c.close("};");
    } else {
        // A schema that checks nothing (`{}`) matches every value.
        c.reset(mark);
        c.line(&format!("let _ = {json};"));
        c.line("let matched = true;");
    }
}

/// Whether checking a JSON value against `shape` writes any code.
fn checks_json(shape: &Shape, model: &Model) -> bool {
    let mut scratch = Code::new();
    json_as_shape(&mut scratch, shape, "value", model, &mut Statics::default())
}

/// The sub-schema checks of a typed value held at `value`, on its JSON form.
pub(super) fn typed_applied(
    c: &mut Code,
    a: &Applied,
    value: &str,
    model: &Model,
    statics: &mut Statics,
) -> bool {
    let mark = c.mark();
    c.open("{");
    c.line(&format!(
        "let json = &crate::validation::json_form({value});"
    ));
    if applied_checks(c, a, "json", model, statics) {
        c.close("}");
        true
    } else {
        c.reset(mark);
        false
    }
}
