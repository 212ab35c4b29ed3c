//! What a disagreement is: a deliberate deviation (documented in the README), a known generator
//! bug listed as pending with `--pending`, or unexplained (the run fails).
//!
//! Each rule is narrow: it names the direction of the disagreement (who accepts) and a fact of
//! the schema, the instance or our error message that the deviation is about.

use serde_json::Value;

/// The two verdicts, the instance and the schemas of one disagreement.
pub struct Facts<'a> {
    /// The named schemas of the subject, its own first.
    pub schemas: &'a [(String, Value)],
    pub instance: &'a Value,
    /// `Err` holds our error message.
    pub ours: &'a Result<(), String>,
    pub oracle: &'a Result<(), String>,
    /// Every named schema of the description, for the references that `schemas` does not
    /// hold (a corpus subject holds only its own schema).
    pub defs: Option<&'a serde_json::Map<String, Value>>,
}

impl Facts<'_> {
    fn we_reject(&self) -> Option<&str> {
        match (self.ours, self.oracle) {
            (Err(why), Ok(())) => Some(why),
            _ => None,
        }
    }

    fn we_accept(&self) -> bool {
        self.ours.is_ok() && self.oracle.is_err()
    }

    /// The named schema a `$ref` of `schema` points to (`#/components/schemas/<name>`,
    /// `#/definitions/<name>`), from the subject's schemas or else the description's.
    fn referenced(&self, schema: &Value) -> Option<&Value> {
        let name = schema.get("$ref")?.as_str()?.rsplit('/').next()?;
        self.schemas
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
            .or_else(|| self.defs?.get(name))
    }

    /// Every schema object of the subject, nested ones included, and of the named schemas
    /// of the description that it reaches through `$ref` (a corpus subject holds only its
    /// own schema).
    fn any_schema(&self, test: &dyn Fn(&serde_json::Map<String, Value>, bool) -> bool) -> bool {
        if self.schemas.iter().any(|(_, s)| walk(s, true, test)) {
            return true;
        }
        let Some(defs) = self.defs else {
            return false;
        };
        let mut seen: std::collections::BTreeSet<&str> =
            self.schemas.iter().map(|(n, _)| n.as_str()).collect();
        let mut pending: Vec<&str> = Vec::new();
        for (_, s) in self.schemas {
            references(s, &mut pending);
        }
        while let Some(name) = pending.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(schema) = defs.get(name) else {
                continue;
            };
            if walk(schema, true, test) {
                return true;
            }
            references(schema, &mut pending);
        }
        false
    }
}

fn walk(
    schema: &Value,
    top: bool,
    test: &dyn Fn(&serde_json::Map<String, Value>, bool) -> bool,
) -> bool {
    match schema {
        Value::Object(map) => {
            if test(map, top) {
                return true;
            }
            map.iter().any(|(k, v)| match k.as_str() {
                "enum" | "const" | "example" | "examples" | "default" | "required" => false,
                "properties" => v
                    .as_object()
                    .is_some_and(|p| p.values().any(|s| walk(s, false, test))),
                _ => walk(v, false, test),
            })
        }
        Value::Array(items) => items.iter().any(|v| walk(v, false, test)),
        _ => false,
    }
}

/// A documented class of disagreement.
pub struct Rule {
    /// Short name, as printed and as given to `--pending`.
    pub name: &'static str,
    /// Why (printed in the summary; the README lists the same).
    pub reason: &'static str,
    pub applies: fn(&Facts) -> bool,
}

/// Deliberate deviations: by design, listed in the README.
pub const DEVIATIONS: &[Rule] = &[
    Rule {
        name: "format-range",
        reason: "`format: int32` picks the Rust type `i32`, so an integer outside its range is \
                 rejected when parsing (also as a union branch); JSON Schema does not assert the format",
        applies: |f| {
            let rejected_as_i32 = f.we_reject().is_some_and(|why| {
                why.contains("invalid value: integer") && why.contains("expected i32")
            });
            let int32_branch = f.any_schema(&|m, _| m.get("format") == Some(&Value::from("int32")));
            rejected_as_i32 || (int32_branch && has_integer_beyond_i32(f.instance))
        },
    },
    Rule {
        name: "format-not-in-oracle",
        reason: "`format: byte` is checked by `validate()` (base64); the oracle does not know the format",
        applies: |f| {
            // Rejected for it, or, in a `oneOf`, the branch (or a property of it) that the
            // oracle also matches.
            f.we_reject().is_some_and(|why| why.contains("is not a valid byte"))
                || (f.we_accept()
                    && two_branches_match(f)
                    && has_string(f.instance)
                    && f.any_schema(&|m, _| {
                        let byte = |m: &serde_json::Map<String, Value>, _| {
                            m.get("format") == Some(&Value::from("byte"))
                        };
                        // The branch, or the schema it refers to.
                        one_of_branch(m, &|b| {
                            walk(b, false, &byte) || f.referenced(b).is_some_and(|r| walk(r, true, &byte))
                        })
                    }))
                || (has_string(f.instance)
                    && one_of_flipped_twice(f, &|m| m.get("format") == Some(&Value::from("byte"))))
                // A union branch that only the format keeps from matching for us.
                || (has_string(f.instance)
                    && f.oracle.is_ok()
                    && f.we_reject().is_some_and(|why| why.contains("matches none of the anyOf"))
                    && f.any_schema(&|m, _| {
                        m.get("anyOf").and_then(Value::as_array).is_some_and(|b| {
                            b.iter().any(|b| {
                                walk(b, false, &|m, _| m.get("format") == Some(&Value::from("byte")))
                            })
                        })
                    }))
        },
    },
    Rule {
        name: "nullable-one-of",
        reason: "`oneOf: [X, {type: \"null\"}]` is read as the nullable idiom (X or null), so \
                 `null` is accepted even where X accepts `null` too and JSON Schema's `oneOf` \
                 sees two matches",
        applies: |f| {
            f.we_accept()
                && (f.oracle.as_ref().err().is_some_and(|why| {
                    why.contains("null is valid under more than one of the schemas listed in the 'oneOf'")
                }) || two_matches_of_null(f))
                && f.any_schema(&|m, _| {
                    m.get("oneOf")
                        .and_then(Value::as_array)
                        .is_some_and(|b| b.iter().any(|b| b.get("type") == Some(&Value::from("null"))))
                })
                // In an outer `oneOf`, a branch holding such a `oneOf` takes `null` for us
                // where JSON Schema's two matches fail it, so the outer `oneOf` matches twice
                // for us only.
                || f.instance.is_null()
                    && one_of_flipped_twice(f, &|m| m.get("type") == Some(&Value::from("null")))
        },
    },
    Rule {
        name: "nullable-type-branches",
        reason: "`type: [T, \"null\"]` beside `oneOf`/`anyOf` is read as OpenAPI 3.0's \
                 `nullable: true` (null, or a T that meets the branches), so `null` is accepted; \
                 JSON Schema holds `null` to the branches too",
        applies: |f| {
            f.we_accept()
                && (f.instance.is_null() || has_null_member(f.instance))
                && (oracle_says(
                    f,
                    &[
                        "null is valid under more than one of the schemas listed in the 'oneOf'",
                        "null is not valid under any of the schemas listed in the",
                    ],
                ) || two_matches_of_null(f))
                && f.any_schema(&|m, _| {
                    m.get("type")
                        .and_then(Value::as_array)
                        .is_some_and(|t| t.contains(&Value::from("null")))
                        && (m.contains_key("oneOf") || m.contains_key("anyOf"))
                })
        },
    },
    Rule {
        name: "null-beside-reference",
        reason: "`type: \"null\"` beside `allOf: [$ref]` allows only `null` as written; it is \
                 read, with a warning, as the referenced type or `null` (GitHub's webhooks \
                 description writes it for nullable references)",
        applies: |f| {
            let only_null = |t: &Value| match t {
                Value::String(t) => t == "null",
                Value::Array(t) => t.len() == 1 && t.contains(&Value::from("null")),
                _ => false,
            };
            f.we_accept()
                && oracle_says(f, &["is not of type \"null\""])
                && f.any_schema(&|m, _| {
                    m.get("type").is_some_and(only_null)
                        && m.get("allOf")
                            .and_then(Value::as_array)
                            .is_some_and(|parts| matches!(parts.as_slice(), [one] if one.get("$ref").is_some()))
                })
        },
    },
    Rule {
        name: "allof-contradiction",
        reason: "a property that two `allOf` parts declare with disagreeing `type`s (or \
                 items of disagreeing `type`s, or an undeclared key where two parts' \
                 `additionalProperties` disagree) is read leniently, with a warning, as a value \
                 of either type; JSON Schema lets no value of it pass",
        applies: |f| {
            let why = f.oracle.as_ref().err().map(String::as_str).unwrap_or_default();
            // The names declared with disagreeing types by two parts of one `allOf`.
            let mut names: Vec<String> = Vec::new();
            for (_, schema) in f.schemas {
                contradictory_names(f, schema, &mut names);
            }
            // Every type the oracle finds wrong is one of those properties.
            let wrong_types: Vec<&str> = why
                .split("; ")
                .map(|p| p.trim_start_matches("within: "))
                .filter(|p| p.contains("is not of type"))
                .collect();
            let pointer_of = |p: &&str| p.split(": ").next().unwrap_or_default().to_owned();
            let (at_names, elsewhere): (Vec<String>, Vec<String>) =
                wrong_types.iter().map(pointer_of).partition(|pointer| {
                    names.iter().any(|n| {
                        // The property, or a value inside it (`/name/0`, `/name/key`): read
                        // as either type, what it holds is not checked as one of them.
                        (pointer.ends_with(&format!("/{n}")) || pointer.contains(&format!("/{n}/")))
                            && has_key(f.instance, n)
                    })
                });
            // Any other type the oracle finds wrong is that of an object holding such a
            // property: the other branches of a union around it, which take no object.
            let around = |pointer: &String| {
                at_names
                    .iter()
                    .any(|inner| inner.starts_with(&format!("{pointer}/")))
            };
            f.we_accept()
                && !at_names.is_empty()
                && (elsewhere.is_empty()
                    || (oracle_says(f, &["is not valid under any of the schemas listed in the"])
                        && elsewhere.iter().all(around)))
        },
    },
    Rule {
        name: "allof-two-formats",
        reason: "`allOf` parts with two different `format`s: the generator warns and checks the \
                 first one only (it also picks the Rust type)",
        applies: |f| {
            // Accepted for the unchecked one, or, in a `oneOf`, a branch holding them matches
            // for us where the oracle rules it out.
            f.we_accept()
                && f.oracle
                    .as_ref()
                    .err()
                    .is_some_and(|why| why.contains("is not a \""))
                && f.any_schema(&|m, _| two_formats(m))
                || f.oracle.is_ok()
                    && f.we_reject().is_some_and(|why| why.contains("oneOf branches"))
                    && f.any_schema(&|m, _| {
                        // The branch, or the schema it refers to.
                        one_of_branch(m, &|b| {
                            walk(b, false, &|m, _| two_formats(m))
                                || f.referenced(b)
                                    .is_some_and(|r| walk(r, true, &|m, _| two_formats(m)))
                        })
                    })
        },
    },
    Rule {
        name: "integer-zero-fraction",
        reason: "`type: integer` is an `i64` (or `i32`), which does not parse `2.0`; JSON Schema \
                 counts a number with a zero fraction as an integer",
        applies: |f| {
            // Ours fails to parse the float as an integer, or, in a `oneOf`, an integer branch
            // that JSON Schema also matches makes the oracle see two branches.
            let parse_error = f
                .we_reject()
                .is_some_and(|why| {
                    (why.contains("floating point") && why.contains("expected i"))
                        // A union branch's wording.
                        || why.contains("is not an integer")
                });
            let two_matches = f.we_accept()
                && f.oracle.as_ref().err().is_some_and(|why| {
                    // Nested in another applicator, the oracle words it without the keyword.
                    why.contains("valid under more than one of the schemas listed in the 'oneOf'")
                        || why.contains("more than one subschema succeeded")
                });
            let integer = |m: &serde_json::Map<String, Value>| match m.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(t)) => t.contains(&Value::from("integer")),
                _ => false,
            };
            // A union of an integer branch that JSON Schema matches and ours cannot read, where
            // the other branches reject the value for us.
            let union_branch = f.oracle.is_ok()
                && f.we_reject().is_some()
                && f.any_schema(&|m, _| {
                    ["anyOf", "oneOf"].iter().any(|k| {
                        m.get(*k)
                            .and_then(Value::as_array)
                            .is_some_and(|b| b.iter().any(|b| walk(b, false, &|m, _| integer(m))))
                    })
                });
            has_zero_fraction(f.instance)
                && ((parse_error || two_matches) && f.any_schema(&|m, _| integer(m))
                    || union_branch
                    || one_of_flipped_twice(f, &integer))
        },
    },
    Rule {
        name: "untyped-object",
        reason: "a schema with `properties` (or `additionalProperties`) but no `type` is a \
                 struct (or a map), so a non-object instance fails to parse where JSON Schema \
                 ignores those keywords for it",
        applies: |f| {
            let untyped = |m: &serde_json::Map<String, Value>| {
                (m.contains_key("properties") || m.contains_key("additionalProperties"))
                    && !m.contains_key("type")
            };
            // Rejected for it, or, in a `oneOf`, such a branch that the oracle also matches.
            !f.instance.is_object()
                && ((f.we_reject().is_some() && f.any_schema(&|m, _| untyped(m)))
                    || (f.we_accept()
                        && two_branches_match(f)
                        && f.any_schema(&|m, _| {
                            one_of_branch(m, &|b| b.as_object().is_some_and(untyped))
                        })))
        },
    },
    Rule {
        name: "closed-required-undeclared",
        reason: "a `required` name missing from `properties` beside `additionalProperties: \
                 false` is kept as a field of any JSON (a vendor's forgotten declaration, \
                 warned); JSON Schema lets no object pass",
        applies: |f| {
            let why = f.oracle.as_ref().err().map(String::as_str).unwrap_or_default();
            let names = |v: Option<&Value>| -> Vec<String> {
                v.and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            };
            let declared_in = |m: &serde_json::Map<String, Value>| -> Vec<String> {
                m.get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|p| p.keys().cloned())
                    .collect()
            };
            // A required name the closed object does not declare, that the oracle rejects.
            let caught = |declared: &[String], required: &[String]| {
                required.iter().any(|name| {
                    !declared.contains(name)
                        && (why.contains(&format!("('{name}' was unexpected)"))
                            // The oracle names no place: a false schema, or a union none of
                            // whose branches it details.
                            || ((why.contains("False schema")
                                || why.contains("is not valid under any of the schemas listed"))
                                && has_key(f.instance, name)))
                })
            };
            f.we_accept()
                && f.any_schema(&|m, _| {
                    let closed = |m: &serde_json::Map<String, Value>| {
                        m.get("additionalProperties") == Some(&Value::Bool(false))
                    };
                    // The object's own `required`, or a branch's (the branch is the object
                    // with that name required, closed the same way).
                    let mut required = names(m.get("required"));
                    for k in ["allOf", "anyOf", "oneOf"] {
                        for b in m.get(k).and_then(Value::as_array).into_iter().flatten() {
                            required.extend(names(b.get("required")));
                        }
                    }
                    let own = closed(m) && caught(&declared_in(m), &required);
                    // `allOf` parts merged into one object: one part closes it, another
                    // requires a name that no part declares.
                    let parts: Vec<&serde_json::Map<String, Value>> = m
                        .get("allOf")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .collect();
                    let merged = parts.iter().any(|p| closed(p)) && {
                        let declared: Vec<String> =
                            parts.iter().flat_map(|p| declared_in(p)).collect();
                        // A part's own `required`, or that of a branch of its union.
                        let required: Vec<String> = parts
                            .iter()
                            .flat_map(|p| {
                                let branches = ["anyOf", "oneOf"]
                                    .iter()
                                    .filter_map(|k| p.get(*k).and_then(Value::as_array))
                                    .flatten()
                                    .flat_map(|b| names(b.get("required")));
                                names(p.get("required")).into_iter().chain(branches)
                            })
                            .collect();
                        caught(&declared, &required)
                    };
                    own || merged
                })
                // In a `oneOf`, such a branch matches for us only, so ours sees two matches.
                || (f.oracle.is_ok()
                    && f.we_reject().is_some_and(|w| w.contains("oneOf branches"))
                    && f.any_schema(&|m, _| {
                        one_of_branch(m, &|b| {
                            // The branch, or its `allOf` parts merged: one closes the object,
                            // one requires a name that none declares.
                            let b = f.referenced(b).unwrap_or(b);
                            let parts: Vec<&Value> = std::iter::once(b)
                                .chain(b.get("allOf").and_then(Value::as_array).into_iter().flatten())
                                .map(|p| f.referenced(p).unwrap_or(p))
                                .collect();
                            let declared: Vec<String> = parts
                                .iter()
                                .filter_map(|p| p.as_object())
                                .flat_map(declared_in)
                                .collect();
                            parts
                                .iter()
                                .any(|p| p.get("additionalProperties") == Some(&Value::Bool(false)))
                                && parts.iter().any(|p| {
                                    names(p.get("required"))
                                        .iter()
                                        .any(|n| !declared.contains(n) && has_key(f.instance, n))
                                })
                        })
                    }))
        },
    },
    Rule {
        name: "dropped-keys",
        reason: "a struct drops the keys it does not declare, and checks of the value as a \
                 whole see it as read: `uniqueItems` finds objects that differ only in such \
                 keys equal, and an `anyOf`/`oneOf` beside the struct counts its properties \
                 without them; JSON Schema sees the value as sent",
        applies: |f| {
            if f.we_accept() && dropped_key_unseen(f) {
                return true;
            }
            let Some(why) = f.we_reject() else {
                return false;
            };
            let declared = |key: &str| {
                f.any_schema(&|m, _| {
                    m.get("properties")
                        .and_then(Value::as_object)
                        .is_some_and(|p| p.contains_key(key))
                })
            };
            // Some open struct of the subject does not declare the key, so reading the
            // value with it drops the key (another branch may declare it).
            let dropped_by_some = |key: &str| {
                f.any_schema(&|m, _| {
                    m.get("additionalProperties") != Some(&Value::Bool(false))
                        && m.get("properties")
                            .and_then(Value::as_object)
                            .is_some_and(|p| !p.is_empty() && !p.contains_key(key))
                })
            };
            // A union beside the struct that counts or names keys, which the instance
            // holds undeclared.
            let counts_keys = |m: &serde_json::Map<String, Value>| {
                ["minProperties", "maxProperties", "required"]
                    .iter()
                    .any(|k| m.contains_key(*k))
            };
            if f.oracle.is_ok()
                && (why.contains("matches none of the anyOf") || why.contains("oneOf branches"))
                && keys(f.instance).iter().any(|k| !declared(k))
                && f.any_schema(&|m, _| {
                    ["anyOf", "oneOf"].iter().any(|k| {
                        m.get(*k).and_then(Value::as_array).is_some_and(|b| {
                            b.iter().any(|b| b.as_object().is_some_and(counts_keys))
                        })
                    }) && m.get("oneOf").or(m.get("anyOf")).is_some()
                })
            {
                return true;
            }
            let Some((place, rest)) = why.split_once(": items ") else {
                return false;
            };
            let Some((i, j)) = rest
                .strip_suffix(" are equal (uniqueItems)")
                .and_then(|r| r.split_once(" and "))
            else {
                return false;
            };
            let pointer = if place == "(root)" { "" } else { place };
            let item = |n: &str| {
                let n: usize = n.parse().ok()?;
                f.instance.pointer(pointer)?.as_array()?.get(n)
            };
            f.oracle.is_ok()
                && match (item(i), item(j)) {
                    (Some(a), Some(b)) => {
                        a != b && same_but_undeclared(a, b, &|k| !dropped_by_some(k))
                    }
                    _ => false,
                }
        },
    },
    Rule {
        name: "one-way-required",
        reason: "a required `readOnly` or `writeOnly` property is held as an `Option`: \
                 `validate()` accepts it absent (`validate_response()` or `validate_request()` \
                 reports it); JSON Schema requires it either way",
        applies: |f| {
            let why = f.oracle.as_ref().err().map(String::as_str).unwrap_or_default();
            // Written on the property, or on the schema it refers to.
            let one_way = |p: &Value| {
                [Some(p), f.referenced(p)].into_iter().flatten().any(|p| {
                    ["readOnly", "writeOnly"]
                        .iter()
                        .any(|k| p.get(*k) == Some(&Value::Bool(true)))
                })
            };
            f.we_accept()
                && f.any_schema(&|m, _| {
                    let Some(props) = m.get("properties").and_then(Value::as_object) else {
                        return false;
                    };
                    m.get("required").and_then(Value::as_array).is_some_and(|r| {
                        r.iter().filter_map(Value::as_str).any(|name| {
                            props.get(name).is_some_and(one_way)
                                && why.contains(&format!("\"{name}\" is a required property"))
                        })
                    })
                })
        },
    },
    Rule {
        name: "float-precision",
        reason: "`format: float` is an `f32`, as OpenAPI defines the format: a number it cannot \
                 hold exactly (an integer beyond 2^24, most decimals) is rounded when read, so \
                 bounds and `multipleOf` see the rounded value",
        applies: |f| {
            // A bound or `multipleOf` decides, on one side or the other.
            let bound = |why: &str| {
                ["multiple of", "less than", "greater than", "minimum", "maximum"]
                    .iter()
                    .any(|p| why.contains(p))
            };
            let decided = match (f.ours, f.oracle) {
                (Ok(()), Err(why)) | (Err(why), Ok(())) => bound(why),
                _ => false,
            };
            decided
                && has_number_beyond_f32(f.instance)
                && f.any_schema(&|m, _| {
                    m.get("format").and_then(Value::as_str) == Some("float")
                        && has_bound(&Value::Object(m.clone()))
                })
        },
    },
    Rule {
        name: "bignum",
        reason: "a `type: number` is an `f64` and an integer without a format an `i64`: a number \
                 beyond 2^53 is rounded (bounds and `multipleOf` see the rounded value) and an \
                 integer beyond `i64` is rejected; RFC 8259 (section 6) counts such numbers as \
                 not interoperable, and holding them losslessly would need arbitrary-precision \
                 numbers throughout",
        applies: |f| has_integer_beyond_f64(f.instance),
    },
];

/// Known generator bugs, counted separately when named with `--pending` (and only then).
pub const PENDING: &[Rule] = &[
    Rule {
        name: "allof-nullable-part",
        reason: "`allOf` takes `null` when any part does (the `nullable: true` beside \
                 `allOf: [$ref]` idiom), also where another part's `type` rules it out, as two \
                 parts' `additionalProperties` of which one is a nullable reference",
        applies: |f| {
            f.we_accept()
                && has_null_member(f.instance)
                && oracle_says(f, &["null is not of type"])
                && f.any_schema(&|m, _| {
                    m.get("allOf")
                        .and_then(Value::as_array)
                        .is_some_and(|parts| parts.len() >= 2)
                })
        },
    },
    Rule {
        name: "count-properties-null",
        reason: "`minProperties`/`maxProperties` on a struct do not count a property whose \
                 value is `null` (found by values drawn from a strategy)",
        applies: |f| {
            f.we_accept()
                && oracle_says(f, &["has more than", "has less than"])
                && has_null_member(f.instance)
        },
    },
    Rule {
        name: "allof-bounds",
        reason: "`allOf` numeric bounds keep the first bound, not the tightest (and only the \
                 first `multipleOf` is checked)",
        applies: |f| {
            f.we_accept()
                && oracle_says(
                    f,
                    &[
                        "than the minimum",
                        "than the maximum",
                        "is longer than",
                        "is shorter than",
                        "is not a multiple of",
                    ],
                )
                && f.any_schema(&|m, _| {
                    m.get("allOf")
                        .and_then(Value::as_array)
                        .is_some_and(|parts| parts.iter().filter(|p| has_bound(p)).count() >= 2)
                })
        },
    },
    Rule {
        name: "inline-closed",
        reason: "an inline `{type: object, additionalProperties: false}` without properties \
                 becomes an unchecked map",
        applies: |f| {
            let closed_map = f.any_schema(&|m, _| {
                m.get("additionalProperties") == Some(&Value::Bool(false))
                    && m.get("properties")
                        .and_then(Value::as_object)
                        .is_none_or(|p| p.is_empty())
            });
            // Inside a `oneOf`, the unchecked map matches too, so two branches match.
            let two_matches = f
                .we_reject()
                .is_some_and(|why| why.contains("oneOf branches"));
            closed_map
                && ((f.we_accept()
                    && oracle_says(
                        f,
                        &[
                            "Additional properties are not allowed",
                            "False schema does not allow",
                        ],
                    ))
                    || two_matches)
        },
    },
    Rule {
        name: "required-undeclared",
        reason: "a `required` name missing from `properties` is not enforced",
        applies: |f| {
            f.we_accept()
                && oracle_says(f, &["is a required property"])
                && f.any_schema(&|m, _| {
                    let props = m.get("properties").and_then(Value::as_object);
                    m.get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| {
                            r.iter()
                                .filter_map(Value::as_str)
                                .any(|name| props.is_none_or(|p| !p.contains_key(name)))
                        })
                })
        },
    },
    Rule {
        name: "nullable-named",
        reason: "a nullable named schema rejects `null` when parsed on its own",
        applies: |f| f.we_reject().is_some() && f.instance.is_null(),
    },
    Rule {
        name: "optional-null",
        reason:
            "an optional property that is not nullable accepts an explicit `null` (read as absent)",
        applies: |f| {
            let oracle_says_null_is_wrong = f
                .oracle
                .as_ref()
                .err()
                .is_some_and(|why| why.contains(": null is not of type"));
            let two_branches_took_null = f
                .we_reject()
                .is_some_and(|why| why.contains("oneOf branches"))
                && has_null_property(f.instance);
            (f.we_accept() && oracle_says_null_is_wrong) || two_branches_took_null
        },
    },
    Rule {
        name: "struct-from-array",
        reason: "a struct accepts a JSON array holding its fields in order (serde's sequence form)",
        applies: |f| {
            let array_not_object = f.oracle.as_ref().err().is_some_and(|why| {
                why.split("; ").any(|e| {
                    let e = e.trim_start_matches("within: ");
                    e.split_once(": ").is_some_and(|(_, m)| {
                        m.starts_with('[') && m.contains("is not of type") && m.contains("object")
                    })
                })
            });
            // Inside a `oneOf`, a struct branch that takes an array makes two branches match,
            // so ours rejects where the oracle accepts, or the reverse one level up.
            let two_matches = f.oracle.as_ref().err().is_some_and(|why| {
                why.contains("valid under more than one of the schemas listed in the 'oneOf'")
            }) || f
                .we_reject()
                .is_some_and(|why| why.contains("oneOf branches"));
            let struct_branch = f.any_schema(&|m, _| {
                m.get("oneOf")
                    .and_then(Value::as_array)
                    .is_some_and(|branches| {
                        branches
                            .iter()
                            .any(|b| b.get("properties").is_some() && b.get("required").is_none())
                    })
            });
            (f.we_accept() && array_not_object)
                || (f.ours.is_ok() != f.oracle.is_ok()
                    && two_matches
                    && struct_branch
                    && has_array(f.instance))
        },
    },
    Rule {
        name: "union-beside-map",
        reason: "`anyOf`/`oneOf` beside `additionalProperties: <schema>`: the map's value schema \
                 is not checked",
        applies: |f| {
            f.we_accept()
                && f.any_schema(&|m, _| {
                    (m.contains_key("anyOf") || m.contains_key("oneOf"))
                        && m.get("additionalProperties").is_some_and(Value::is_object)
                })
        },
    },
    Rule {
        name: "enum-drops-constraints",
        reason: "beside `enum` or `const` (also merged from `allOf`), other constraints such as \
                 `format`, `pattern`, `minimum` or `multipleOf` are not checked, nor is a \
                 `const` against another part's `enum`",
        applies: |f| {
            let constrained =
                |m: &serde_json::Map<String, Value>| CONSTRAINTS.iter().any(|k| m.contains_key(*k));
            let listed = |m: &serde_json::Map<String, Value>| {
                m.contains_key("enum") || m.contains_key("const")
            };
            f.we_accept()
                && f.any_schema(&|m, _| {
                    let parts: Vec<&serde_json::Map<String, Value>> = m
                        .get("allOf")
                        .and_then(Value::as_array)
                        .map(|p| p.iter().filter_map(Value::as_object).collect())
                        .unwrap_or_default();
                    (listed(m) && constrained(m))
                        || (parts.iter().any(|p| listed(p)) && parts.iter().any(|p| constrained(p)))
                        || parts.iter().filter(|p| listed(p)).count() >= 2
                })
        },
    },
    Rule {
        name: "allof-additional-properties",
        reason: "`additionalProperties` of one `allOf` part is not held against the properties \
                 that another part declares (a contradicting type read leniently)",
        applies: |f| {
            f.we_accept()
                && f.any_schema(&|m, _| {
                    m.get("allOf")
                        .and_then(Value::as_array)
                        .is_some_and(|parts| {
                            parts.len() >= 2
                                && parts.iter().any(|p| {
                                    p.get("additionalProperties")
                                        .is_some_and(|a| a != &Value::Bool(true))
                                })
                        })
                })
        },
    },
    Rule {
        name: "count-properties-unknown-keys",
        reason: "`minProperties`/`maxProperties` count the declared properties only, not the \
                 unknown keys a struct drops",
        applies: |f| {
            f.we_reject()
                .is_some_and(|why| why.contains("fewer than minProperties"))
                || f.we_accept()
                    && f.oracle
                        .as_ref()
                        .err()
                        .is_some_and(|why| why.contains("has more than") && why.contains("propert"))
        },
    },
];

const CONSTRAINTS: &[&str] = &[
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
];

/// Whether the oracle rejects because two `oneOf` branches match (nested in another
/// applicator, it words that without the keyword).
/// Whether two parts of `m`'s `allOf` give different `format`s.
fn two_formats(m: &serde_json::Map<String, Value>) -> bool {
    let parts = m.get("allOf").and_then(Value::as_array);
    parts.is_some_and(|parts| {
        let mut values: Vec<&Value> = parts.iter().filter_map(|p| p.get("format")).collect();
        values.dedup();
        values.len() >= 2 || covered_twice(parts)
    })
}

/// Whether a property that one `allOf` part declares with a `format` is covered by another
/// part's `additionalProperties` with a different one: the two meet in the merged property,
/// whose first is checked.
fn covered_twice(parts: &[Value]) -> bool {
    let properties = |p: &Value| p.get("properties").and_then(Value::as_object).cloned();
    parts.iter().enumerate().any(|(i, part)| {
        let Some(values) = part.get("additionalProperties") else {
            return false;
        };
        let own = properties(part).unwrap_or_default();
        parts.iter().enumerate().any(|(j, other)| {
            j != i
                && properties(other)
                    .unwrap_or_default()
                    .iter()
                    .any(|(name, prop)| {
                        !own.contains_key(name)
                            && matches!(
                                (prop.get("format"), values.get("format")),
                                (Some(a), Some(b)) if a != b
                            )
                    })
        })
    })
}

fn two_branches_match(f: &Facts) -> bool {
    oracle_says(
        f,
        &[
            "valid under more than one of the schemas listed in the 'oneOf'",
            "more than one subschema succeeded",
        ],
    )
}

/// Whether ours finds two `oneOf` branches matching where the oracle accepts, and a branch
/// holds a `oneOf` whose branch holds a schema passing `test`: one more match of the inner
/// `oneOf` for the oracle (the deviation) makes that branch fail for it, so the outer `oneOf`
/// matches once for the oracle and twice for us.
fn one_of_flipped_twice(f: &Facts, test: &dyn Fn(&serde_json::Map<String, Value>) -> bool) -> bool {
    f.oracle.is_ok()
        && f.we_reject()
            .is_some_and(|why| why.contains("oneOf branches"))
        && f.any_schema(&|m, _| {
            one_of_branch(m, &|b| {
                let nested = |inner: &serde_json::Map<String, Value>, _| {
                    one_of_branch(inner, &|b| walk(b, false, &|m, _| test(m)))
                };
                // The branch, or the schema it refers to.
                walk(b, false, &nested) || f.referenced(b).is_some_and(|r| walk(r, true, &nested))
            })
        })
}

/// Whether some `oneOf` branch of `m` passes `test`.
fn one_of_branch(m: &serde_json::Map<String, Value>, test: &dyn Fn(&Value) -> bool) -> bool {
    m.get("oneOf")
        .and_then(Value::as_array)
        .is_some_and(|b| b.iter().any(test))
}

/// Whether the oracle's reasons include one of `phrases`.
/// Whether the oracle finds two `oneOf` matches for a `null` nested in the instance (it names
/// the place, `/name: more than one subschema succeeded`, rather than the value).
fn two_matches_of_null(f: &Facts) -> bool {
    let Err(why) = f.oracle else {
        return false;
    };
    why.split("; ").any(|part| {
        let part = part.trim_start_matches("within: ");
        part.strip_suffix(": more than one subschema succeeded")
            .is_some_and(|at| {
                // `/name`, or the instance itself (an empty place, inside another union).
                (at.starts_with('/') || at.is_empty())
                    && f.instance.pointer(at).is_some_and(Value::is_null)
            })
    })
}

fn oracle_says(f: &Facts, phrases: &[&str]) -> bool {
    f.oracle
        .as_ref()
        .err()
        .is_some_and(|why| phrases.iter().any(|p| why.contains(p)))
}

/// Adds to `names` each property that two parts of an `allOf` in `schema` (nested ones
/// included) declare with different `type`s, or with items of different `type`s.
fn contradictory_names(f: &Facts, schema: &Value, names: &mut Vec<String>) {
    let instance = f.instance;
    match schema {
        Value::Object(map) => {
            if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
                // The property's `type`, then its items' and their items' (the parts may
                // agree on `array` and disagree on what it holds).
                let type_of = |part: &Value, name: &str| {
                    let mut types = Vec::new();
                    let mut at = part.get("properties").and_then(|p| p.get(name));
                    while let Some(schema) = at {
                        // Through a reference (or a chain of them) when the schema has no `type`.
                        let schema = written_type_holder(f, schema);
                        types.push(declared_type(f, schema));
                        at = schema.get("items");
                        if types.len() > 8 {
                            break;
                        }
                    }
                    (!types.is_empty()).then_some(types)
                };
                for part in parts {
                    for name in part
                        .get("properties")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flat_map(|p| p.keys())
                    {
                        let mut types = parts.iter().filter_map(|p| type_of(p, name));
                        let first = types.next();
                        if types.any(|t| Some(&t) != first.as_ref()) && !names.contains(name) {
                            names.push(name.clone());
                        }
                    }
                }
                // A property that one part declares and another part's `additionalProperties`
                // covers, of disagreeing types at some depth of items (`prefixItems`
                // positions included).
                for (i, part) in parts.iter().enumerate() {
                    let Some(values) = part.get("additionalProperties") else {
                        continue;
                    };
                    let own = part.get("properties").and_then(Value::as_object);
                    for (j, other) in parts.iter().enumerate() {
                        let declared = other.get("properties").and_then(Value::as_object);
                        for (name, prop) in declared.into_iter().flatten() {
                            if i == j
                                || own.is_some_and(|o| o.contains_key(name))
                                || names.contains(name)
                            {
                                continue;
                            }
                            let (a, b) = (item_types(f, prop), item_types(f, values));
                            if a.iter()
                                .zip(&b)
                                .any(|(a, b)| a.iter().any(|t| b.iter().any(|u| t != u)))
                            {
                                names.push(name.clone());
                            }
                        }
                    }
                }
                // Two parts' `additionalProperties` of disagreeing types: every key that no
                // part declares is such a property.
                let extra_types: Vec<Vec<String>> = parts
                    .iter()
                    .filter_map(|p| json_types(f, p.get("additionalProperties")?, 0))
                    .collect();
                let disjoint = extra_types.iter().enumerate().any(|(i, a)| {
                    extra_types
                        .iter()
                        .skip(i + 1)
                        .any(|b| !a.iter().any(|t| b.iter().any(|u| overlap(t, u))))
                });
                if disjoint {
                    let declared = |key: &str| {
                        parts.iter().any(|p| {
                            p.get("properties")
                                .and_then(Value::as_object)
                                .is_some_and(|p| p.contains_key(key))
                        })
                    };
                    for key in keys(instance) {
                        if !declared(key) && !names.iter().any(|n| n == key) {
                            names.push(key.to_owned());
                        }
                    }
                }
            }
            for (key, value) in map {
                if !matches!(
                    key.as_str(),
                    "enum" | "const" | "example" | "examples" | "default"
                ) {
                    contradictory_names(f, value, names);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| contradictory_names(f, v, names)),
        _ => {}
    }
}

/// The JSON types a schema allows, sorted, when its `type` says so: through references,
/// any branch's of an `anyOf`/`oneOf` whose branches all say, or the first typed `allOf` part's.
fn json_types(f: &Facts, schema: &Value, depth: usize) -> Option<Vec<String>> {
    if depth > 8 {
        return None;
    }
    let schema = written_type_holder(f, schema);
    let mut types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(t)) => t
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(_) => return None,
        None => {
            let branches = schema.get("anyOf").or_else(|| schema.get("oneOf"));
            if let Some(branches) = branches.and_then(Value::as_array) {
                let mut all = Vec::new();
                for b in branches {
                    all.extend(json_types(f, b, depth + 1)?);
                }
                all
            } else {
                let parts = schema.get("allOf").and_then(Value::as_array)?;
                parts.iter().find_map(|p| json_types(f, p, depth + 1))?
            }
        }
    };
    types.sort();
    types.dedup();
    Some(types)
}

/// Whether two JSON types share a value (`integer` is a `number`).
fn overlap(a: &str, b: &str) -> bool {
    a == b || matches!((a, b), ("integer", "number") | ("number", "integer"))
}

/// The `type`s a schema gives at each depth: its own, then its items' (`items` and every
/// `prefixItems` position), and so on; an untyped schema adds nothing to its depth.
fn item_types<'a>(f: &'a Facts, schema: &'a Value) -> Vec<Vec<&'a Value>> {
    let mut depths = Vec::new();
    let mut at = vec![schema];
    while !at.is_empty() && depths.len() < 8 {
        let holders: Vec<&Value> = at.iter().map(|s| written_type_holder(f, s)).collect();
        depths.push(holders.iter().filter_map(|s| s.get("type")).collect());
        at = holders
            .iter()
            .flat_map(|s| {
                let positions = s.get("prefixItems").and_then(Value::as_array);
                s.get("items")
                    .filter(|i| i.is_object())
                    .into_iter()
                    .chain(positions.into_iter().flatten())
            })
            .collect();
    }
    depths
}

/// Whether `value` is or holds a string.
fn has_string(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Object(map) => map.values().any(has_string),
        Value::Array(items) => items.iter().any(has_string),
        _ => false,
    }
}

/// The schema a reference chain without `type` leads to (the schema itself when it has one).
fn written_type_holder<'a>(f: &'a Facts, schema: &'a Value) -> &'a Value {
    let mut at = schema;
    for _ in 0..8 {
        if at.get("type").is_some() {
            break;
        }
        match f.referenced(at) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// A schema's `type`, or the first `type` among its `allOf` parts (through references), or
/// `null` when none is written.
fn declared_type(f: &Facts, schema: &Value) -> Value {
    if let Some(t) = schema.get("type") {
        return t.clone();
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| written_type_holder(f, p))
        .find_map(|p| p.get("type").cloned())
        .unwrap_or(Value::Null)
}

/// Whether the oracle rejects a value at an undeclared key of the instance (`/zzExtra: ...`)
/// that a union beside a struct checks: the struct read the value without the key, so ours
/// never saw it.
fn dropped_key_unseen(f: &Facts) -> bool {
    let Err(why) = f.oracle else {
        return false;
    };
    let declared = |key: &str| {
        f.any_schema(&|m, _| {
            m.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key(key))
        })
    };
    // A branch read as a struct: its own properties, or those of its `allOf` parts.
    let struct_branch = |b: &Value| {
        let has = |s: &Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
        };
        has(b)
            || b.get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|parts| {
                    parts
                        .iter()
                        .any(|p| has(p) || f.referenced(p).is_some_and(has))
                })
    };
    let union_beside_struct = f.any_schema(&|m, _| {
        m.get("anyOf").is_some()
            && m.get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|b| b.iter().any(struct_branch))
    });
    // The `oneOf` beside the `anyOf` reads the value as a struct that does not declare `key`
    // (no branch declares it, itself or through a reference), though an `anyOf` branch may.
    let dropped_beside = |key: &str| {
        let declares = |b: &Value| {
            let has = |s: &Value| {
                s.get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| p.contains_key(key))
            };
            let parts = b.get("allOf").and_then(Value::as_array);
            has(b)
                || f.referenced(b).is_some_and(has)
                || parts.is_some_and(|parts| {
                    parts
                        .iter()
                        .any(|p| has(p) || f.referenced(p).is_some_and(has))
                })
        };
        f.any_schema(&|m, _| {
            m.get("anyOf").is_some()
                && m.get("oneOf")
                    .and_then(Value::as_array)
                    .is_some_and(|b| b.iter().any(struct_branch) && !b.iter().any(declares))
        })
    };
    union_beside_struct
        && keys(f.instance).iter().any(|k| {
            (!declared(k) || dropped_beside(k))
                && (why.contains(&format!("/{k}: "))
                    || why.contains(&format!("('{k}' was unexpected)")))
        })
}

/// Whether two values are equal but for object keys that `declared` says no schema declares
/// (keys a struct drops when reading).
fn same_but_undeclared(a: &Value, b: &Value, declared: &dyn Fn(&str) -> bool) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let only_one = a
                .keys()
                .filter(|k| !b.contains_key(*k))
                .chain(b.keys().filter(|k| !a.contains_key(*k)));
            only_one.into_iter().all(|k| !declared(k))
                && a.iter()
                    .all(|(k, v)| b.get(k).is_none_or(|w| same_but_undeclared(v, w, declared)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(v, w)| same_but_undeclared(v, w, declared))
        }
        _ => a == b,
    }
}

/// Every key of every object in `value`.
fn keys(value: &Value) -> Vec<&str> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| std::iter::once(k.as_str()).chain(keys(v)))
            .collect(),
        Value::Array(items) => items.iter().flat_map(keys).collect(),
        _ => Vec::new(),
    }
}

/// Whether an object anywhere in `value` holds `key`.
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.contains_key(key) || map.values().any(|v| has_key(v, key)),
        Value::Array(items) => items.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

fn has_zero_fraction(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(|x| x.fract() == 0.0),
        Value::Array(items) => items.iter().any(has_zero_fraction),
        Value::Object(map) => map.values().any(has_zero_fraction),
        _ => false,
    }
}

fn has_array(value: &Value) -> bool {
    match value {
        Value::Array(_) => true,
        Value::Object(map) => map.values().any(has_array),
        _ => false,
    }
}

fn has_integer_beyond_f64(value: &Value) -> bool {
    const EXACT: u64 = 1 << 53;
    match value {
        Value::Number(n) => {
            n.as_u64().is_some_and(|u| u > EXACT)
                || n.as_i64().is_some_and(|i| i.unsigned_abs() > EXACT)
        }
        Value::Array(items) => items.iter().any(has_integer_beyond_f64),
        Value::Object(map) => map.values().any(has_integer_beyond_f64),
        _ => false,
    }
}

/// Whether `value` holds a number that an `f32` does not hold exactly.
fn has_number_beyond_f32(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64().is_some_and(|x| f64::from(x as f32) != x),
        Value::Array(items) => items.iter().any(has_number_beyond_f32),
        Value::Object(map) => map.values().any(has_number_beyond_f32),
        _ => false,
    }
}

fn has_null_property(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.values().any(|v| v.is_null() || has_null_property(v)),
        Value::Array(items) => items.iter().any(has_null_property),
        _ => false,
    }
}

fn has_integer_beyond_i32(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.as_i64().is_some_and(|i| i32::try_from(i).is_err())
                || n.is_u64() && n.as_i64().is_none()
        }
        Value::Array(items) => items.iter().any(has_integer_beyond_i32),
        Value::Object(map) => map.values().any(has_integer_beyond_i32),
        _ => false,
    }
}

fn has_bound(schema: &Value) -> bool {
    [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "multipleOf",
    ]
    .iter()
    .any(|k| schema.get(*k).is_some())
}

/// How a disagreement is classified.
pub enum Class {
    Deviation(&'static Rule),
    Pending(&'static Rule),
    Unexplained,
}

/// The first deviation that applies, else the first pending bug named in `pending`.
pub fn classify(facts: &Facts, pending: &[String]) -> Class {
    if let Some(rule) = DEVIATIONS.iter().find(|r| (r.applies)(facts)) {
        return Class::Deviation(rule);
    }
    match PENDING
        .iter()
        .find(|r| pending.iter().any(|p| p == r.name) && (r.applies)(facts))
    {
        Some(rule) => Class::Pending(rule),
        None => Class::Unexplained,
    }
}

/// The names of the named schemas `schema` refers to (`#/components/schemas/<name>`,
/// `#/definitions/<name>`), nested schemas included.
fn references<'a>(schema: &'a Value, names: &mut Vec<&'a str>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r
                            .strip_prefix("#/components/schemas/")
                            .or_else(|| r.strip_prefix("#/definitions/"))
                        {
                            names.push(name);
                        }
                    }
                    ("enum" | "const" | "example" | "examples" | "default", _) => {}
                    _ => references(v, names),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, names)),
        _ => {}
    }
}

/// Whether `value` holds a `null` inside it: an object's member or an array's item.
fn has_null_member(value: &Value) -> bool {
    match value {
        Value::Object(m) => m.values().any(|v| v.is_null() || has_null_member(v)),
        Value::Array(items) => items.iter().any(|v| v.is_null() || has_null_member(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn class_of(
        schema: Value,
        instance: Value,
        ours: Result<(), String>,
        oracle: Result<(), String>,
        pending: &[&str],
    ) -> String {
        let schemas = [("S".to_owned(), schema)];
        let facts = Facts {
            schemas: &schemas,
            instance: &instance,
            ours: &ours,
            oracle: &oracle,
            defs: None,
        };
        let pending: Vec<String> = pending.iter().map(|p| (*p).to_owned()).collect();
        match classify(&facts, &pending) {
            Class::Deviation(r) => format!("deviation {}", r.name),
            Class::Pending(r) => format!("pending {}", r.name),
            Class::Unexplained => "unexplained".to_owned(),
        }
    }

    /// [`class_of`] for a subject of several named schemas (references between them).
    fn class_of_named(
        schemas: &[(&str, Value)],
        instance: Value,
        ours: Result<(), String>,
        oracle: Result<(), String>,
    ) -> String {
        let schemas: Vec<(String, Value)> = schemas
            .iter()
            .map(|(n, s)| ((*n).to_owned(), s.clone()))
            .collect();
        let facts = Facts {
            schemas: &schemas,
            instance: &instance,
            ours: &ours,
            oracle: &oracle,
            defs: None,
        };
        match classify(&facts, &[]) {
            Class::Deviation(r) => format!("deviation {}", r.name),
            Class::Pending(r) => format!("pending {}", r.name),
            Class::Unexplained => "unexplained".to_owned(),
        }
    }

    fn reference(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn unique_items_equal_once_undeclared_keys_are_dropped_are_dropped_keys() {
        // Seed 13, `C16517` shrunk.
        let list = json!({"type": "array", "items": reference("A0"), "uniqueItems": true});
        let item = json!({"type": "object", "properties": {"a-b": {"type": "object"}}});
        let ours = || Err("(root): items 0 and 1 are equal (uniqueItems)".to_owned());
        let schemas = [("S", list), ("A0", item)];
        assert_eq!(
            class_of_named(&schemas, json!([{}, {"zzExtra": 1}]), ours(), Ok(())),
            "deviation dropped-keys"
        );
        // A declared key tells them apart: no deviation explains ours.
        assert_eq!(
            class_of_named(&schemas, json!([{}, {"a-b": {}}]), ours(), Ok(())),
            "unexplained"
        );
    }

    #[test]
    fn a_closed_all_of_part_beside_a_part_requiring_an_undeclared_name_is_closed_required_undeclared(
    ) {
        // Seed 13, `C9770` and `C17388` shrunk.
        let schema = json!({"anyOf": [{"allOf": [
            {"required": ["ghost"]},
            {"type": "object", "properties": {"name": {"type": "integer", "const": 7}},
             "required": ["name"], "additionalProperties": false}
        ]}]});
        let unexpected = || {
            Err(": {\"ghost\":1,\"name\":7} is not valid under any of the schemas listed in the 'anyOf' keyword; \
                 within: : Additional properties are not allowed ('ghost' was unexpected)"
                .to_owned())
        };
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"ghost": 1, "name": 7}),
                Ok(()),
                unexpected(),
                &[]
            ),
            "deviation closed-required-undeclared"
        );
        let open = json!({"allOf": [{"required": ["ghost"]}, {"type": "object"}]});
        assert_eq!(
            class_of(open, json!({"ghost": 1}), Ok(()), unexpected(), &[]),
            "unexplained"
        );
        let merged = json!({"allOf": [
            {"additionalProperties": false},
            {"properties": {}, "required": ["ghost"],
             "additionalProperties": {"type": "array", "items": [{"type": "integer"}]}}
        ]});
        let false_schema = Err(
            ": False schema does not allow 1; within: /ghost: 1 is not of type \"array\""
                .to_owned(),
        );
        assert_eq!(
            class_of(merged, json!({"ghost": 1}), Ok(()), false_schema, &[]),
            "deviation closed-required-undeclared"
        );
    }

    #[test]
    fn a_zero_fraction_read_by_another_union_branch_is_integer_zero_fraction() {
        // Seed 13, `C10208`, `C11655` and `C12358` shrunk.
        let schema = json!({"properties": {"kind": {"anyOf": [
            {"type": "integer", "format": "int64"},
            {"type": "number", "minimum": -1.0, "maximum": 0.0, "exclusiveMaximum": true}
        ]}}, "nullable": true});
        let ours = || Err("/kind: value 0.0 is not less than exclusiveMaximum 0".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!({"kind": 0.0}), ours(), Ok(()), &[]),
            "deviation integer-zero-fraction"
        );
        assert_eq!(
            class_of(schema, json!({"kind": 0.5}), ours(), Ok(()), &[]),
            "unexplained"
        );
        let listed = json!({"type": ["integer", "null"]});
        let not_integer = || Err("(root): `4.0` is not an integer".to_owned());
        assert_eq!(
            class_of(listed.clone(), json!(4.0), not_integer(), Ok(()), &[]),
            "deviation integer-zero-fraction"
        );
        assert_eq!(
            class_of(listed, json!(4.5), not_integer(), Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_property_of_two_types_through_references_is_allof_contradiction() {
        // Seed 13, `C11843` shrunk: one part refers to an array, the other merges strings.
        let schema = json!({"allOf": [
            {"properties": {"ref": reference("A0")}, "required": ["ref"]},
            {"type": "object", "properties": {
                "ref": {"allOf": [{"type": "string", "maxLength": 1}, {"type": "string"}]},
                "type": {"type": "integer"}
            }, "required": ["ref", "type"]}
        ]});
        let array = json!({"type": "array", "items": {"type": "string"}, "maxItems": 1});
        let schemas = [("S", schema), ("A0", array)];
        let oracle = || Err("/ref: \"x\" is not of type \"array\"".to_owned());
        assert_eq!(
            class_of_named(&schemas, json!({"ref": "x", "type": -11}), Ok(()), oracle()),
            "deviation allof-contradiction"
        );
        let agreeing = [
            (
                "S",
                json!({"allOf": [
                    {"properties": {"ref": reference("A0")}},
                    {"properties": {"ref": {"type": "array"}}}
                ]}),
            ),
            ("A0", json!({"type": "array"})),
        ];
        assert_eq!(
            class_of_named(&agreeing, json!({"ref": "x"}), Ok(()), oracle()),
            "unexplained"
        );
    }

    #[test]
    fn a_property_of_two_types_inside_a_one_of_is_allof_contradiction() {
        // Seed 13, `C10142` shrunk: the other branch takes arrays only.
        let schema = json!({"type": "array", "items": {"oneOf": [
            {"type": "array", "maxItems": 0},
            {"allOf": [
                {"type": "object", "properties": {"fooBar": {"type": "boolean"}},
                 "additionalProperties": {"type": "string", "pattern": "[0-9]$"}},
                {"type": "object", "properties": {"fooBar": {"type": "number"},
                 "1st": {"type": "string", "maxLength": 0, "pattern": "^[a-z]*$"}},
                 "required": ["fooBar", "1st"]}
            ]}
        ]}});
        let oracle = Err(
            "/0: {\"fooBar\":-5.5,\"1st\":\"\"} is not valid under any of the schemas listed in the 'oneOf' keyword; \
             within: /0: {\"fooBar\":-5.5,\"1st\":\"\"} is not of type \"array\"; \
             /0/fooBar: -5.5 is not of type \"boolean\"; /0/1st: \"\" does not match \"[0-9]$\""
                .to_owned(),
        );
        assert_eq!(
            class_of(
                schema,
                json!([{"fooBar": -5.5, "1st": ""}]),
                Ok(()),
                oracle,
                &[]
            ),
            "deviation allof-contradiction"
        );
    }

    #[test]
    fn a_closed_one_of_branch_requiring_an_undeclared_name_that_matches_for_us_only_is_closed_required_undeclared(
    ) {
        // Seed 14, `C16469` shrunk.
        let schema = json!({"anyOf": [{"oneOf": [
            {"type": "object"},
            {"type": "object", "properties": {"name": {"type": "integer"}},
             "required": ["name", "ghost"], "additionalProperties": false}
        ]}]});
        let two = || {
            Err("(root): matches 2 oneOf branches (Object, Name), expected exactly 1".to_owned())
        };
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"name": 13, "ghost": 1}),
                two(),
                Ok(()),
                &[]
            ),
            "deviation closed-required-undeclared"
        );
        assert_eq!(
            class_of(schema, json!({"name": 13}), two(), Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_byte_branch_of_an_any_of_that_only_ours_rules_out_is_format_not_in_oracle() {
        // Seed 14, `C16977` shrunk.
        let schema = json!({"anyOf": [{"type": "string", "format": "byte"}, {"type": "number"}]});
        let none = || Err("(root): matches none of the anyOf schemas".to_owned());
        assert_eq!(
            class_of(schema, json!("ééééé"), none(), Ok(()), &[]),
            "deviation format-not-in-oracle"
        );
        let plain = json!({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "number"}]});
        assert_eq!(
            class_of(plain, json!("ééééé"), none(), Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_null_item_for_a_type_list_beside_one_of_is_nullable_type_branches() {
        // Seed 14, `C20917` shrunk.
        let schemas = [
            ("S", json!({"type": "array", "items": reference("A0")})),
            (
                "A0",
                json!({"type": ["object", "null"], "additionalProperties": false,
                "oneOf": [{"required": ["tags"]}, {"minProperties": 2}]}),
            ),
        ];
        let oracle = Err(
            "/0: null is valid under more than one of the schemas listed in the 'oneOf' keyword; \
             within: /0: more than one subschema succeeded"
                .to_owned(),
        );
        assert_eq!(
            class_of_named(&schemas, json!([null]), Ok(()), oracle),
            "deviation nullable-type-branches"
        );
    }

    #[test]
    fn an_any_of_counting_keys_the_struct_dropped_is_dropped_keys() {
        // Seed 14, `C11599` shrunk.
        let schema = json!({
            "oneOf": [{"properties": {"1st": {"type": "string"}, "fooBar": {}}}],
            "anyOf": [{"type": "object", "properties": {}, "minProperties": 1}]
        });
        let none = || Err("(root): matches none of the anyOf schemas".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!({"zzExtra": 1}), none(), Ok(()), &[]),
            "deviation dropped-keys"
        );
        // Only declared keys: nothing was dropped.
        assert_eq!(
            class_of(schema, json!({"fooBar": 1}), none(), Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn seed_15_forms_of_closed_required_undeclared_and_dropped_keys() {
        // `C3027`: the name is required by a union branch of the part beside the closed one.
        let closed = json!({"properties": {"ref": {"allOf": [
            {"type": "object", "properties": {}, "additionalProperties": false},
            {"type": "object", "properties": {},
             "oneOf": [{"required": ["ghost"]}, {"minProperties": 2}]}
        ]}}});
        let unexpected =
            Err("/ref: Additional properties are not allowed ('ghost' was unexpected)".to_owned());
        assert_eq!(
            class_of(
                closed,
                json!({"ref": {"ghost": 1}}),
                Ok(()),
                unexpected,
                &[]
            ),
            "deviation closed-required-undeclared"
        );
        // `C6062`: the closed branch is a reference.
        let schemas = [
            ("S", json!({"oneOf": [{}, reference("A1")]})),
            (
                "A1",
                json!({"type": "object", "properties": {"type": {}},
                "required": ["type", "ghost"], "additionalProperties": false}),
            ),
        ];
        let two = Err(
            "(root): matches 2 oneOf branches (Variant1, A1Value), expected exactly 1".to_owned(),
        );
        assert_eq!(
            class_of_named(&schemas, json!({"type": -12, "ghost": 1}), two, Ok(())),
            "deviation closed-required-undeclared"
        );
        // `C7452`: one branch drops the key another declares.
        let schemas = [
            (
                "S",
                json!({"type": "array", "items": reference("A1"), "uniqueItems": true}),
            ),
            (
                "A1",
                json!({"anyOf": [
                    {"type": "object", "properties": {"ref": {"type": "object"}}},
                    {"type": "object", "properties": {"type": {"type": "string"}},
                     "required": ["type"], "additionalProperties": false}
                ]}),
            ),
        ];
        let equal = || Err("(root): items 0 and 1 are equal (uniqueItems)".to_owned());
        assert_eq!(
            class_of_named(&schemas, json!([{}, {"type": "a"}]), equal(), Ok(())),
            "deviation dropped-keys"
        );
        assert_eq!(
            class_of_named(&schemas, json!([{}, {"ref": {}}]), equal(), Ok(())),
            "unexplained"
        );
        // `C8018`: the `anyOf` beside the struct never saw the undeclared key.
        let schema = json!({"anyOf": [{
            "oneOf": [{"type": "object", "properties": {"count": {"type": "string"}}}],
            "anyOf": [{"type": "number"},
                      {"type": "object", "additionalProperties": {"type": "array"}}]
        }]});
        let oracle = |key: &str| {
            Err(format!(
                ": {{\"{key}\":1}} is not valid under any of the schemas listed in the 'anyOf' keyword; \
                 within: : {{\"{key}\":1}} is not of type \"number\"; /{key}: 1 is not of type \"array\""
            ))
        };
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"zzExtra": 1}),
                Ok(()),
                oracle("zzExtra"),
                &[]
            ),
            "deviation dropped-keys"
        );
        assert_eq!(
            class_of(schema, json!({"count": 1}), Ok(()), oracle("count"), &[]),
            "unexplained"
        );
        // Seed 17, `C6168`: a closed object beside, which the dropped key would fail.
        let closed = json!({
            "oneOf": [{"properties": {"value": {"type": "number"}}}],
            "anyOf": [{"type": "object", "properties": {"id": {}}, "additionalProperties": false}]
        });
        let unexpected = Err(
            ": {\"zzExtra\":1} is not valid under any of the schemas listed in the 'anyOf' keyword; \
             within: : Additional properties are not allowed ('zzExtra' was unexpected)"
                .to_owned(),
        );
        assert_eq!(
            class_of(closed, json!({"zzExtra": 1}), Ok(()), unexpected, &[]),
            "deviation dropped-keys"
        );
    }

    #[test]
    fn null_matching_twice_inside_another_union_is_nullable_one_of() {
        // Seed 13, `C15952` shrunk.
        let schemas = [
            ("S", json!({"oneOf": [reference("A1")]})),
            (
                "A1",
                json!({"oneOf": [
                    {"oneOf": [{}, {"type": "boolean"}, {"type": "object"}]},
                    {"type": "null"}
                ]}),
            ),
        ];
        let oracle = |value: &str| {
            Err(format!(
                ": {value} is not valid under any of the schemas listed in the 'oneOf' keyword; \
                 within: : more than one subschema succeeded"
            ))
        };
        assert_eq!(
            class_of_named(&schemas, json!(null), Ok(()), oracle("null")),
            "deviation nullable-one-of"
        );
        assert_eq!(
            class_of_named(&schemas, json!(true), Ok(()), oracle("true")),
            "unexplained"
        );
    }

    #[test]
    fn a_branch_requiring_an_undeclared_name_of_a_closed_object_is_the_same_deviation() {
        let schema = json!({
            "additionalProperties": false,
            "anyOf": [{"required": ["ghost"]}, {"maxProperties": 1}]
        });
        let oracle = || Err(": False schema does not allow {}".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!({"ghost": {}}), Ok(()), oracle(), &[]),
            "deviation closed-required-undeclared"
        );
        // Another key than the required one is no such deviation.
        assert_eq!(
            class_of(schema, json!({"other": {}}), Ok(()), oracle(), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_one_of_branch_with_two_formats_matching_only_for_us_is_allof_two_formats() {
        // Seed 5, `C158` shrunk (then with two patterns, which are both checked since): the
        // oracle rules the second branch out by its second format.
        let schema = json!({"oneOf": [{}, {"allOf": [
            {"type": "string", "format": "email"},
            {"type": "string", "format": "hostname"}
        ]}]});
        let ours = || {
            Err(
                "(root): matches 2 oneOf branches (Variant1, Variant2), expected exactly 1"
                    .to_owned(),
            )
        };
        assert_eq!(
            class_of(schema, json!("a@b.c"), ours(), Ok(()), &[]),
            "deviation allof-two-formats"
        );
        // Two patterns are both checked: no deviation explains it.
        let patterns = json!({"oneOf": [{}, {"allOf": [
            {"type": "string", "pattern": "[0-9]$"},
            {"type": "string", "pattern": "^[a-z]*$"}
        ]}]});
        assert_eq!(
            class_of(patterns, json!("3"), ours(), Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_byte_property_of_a_one_of_branch_is_format_not_in_oracle() {
        // Seed 5, `C289` shrunk: the oracle matches both branches, ours the empty one only.
        let schema = json!({"oneOf": [
            {"properties": {"id": {"type": "string", "format": "byte"}}, "required": ["id"]},
            {}
        ]});
        let two = Err(
            ": {} is valid under more than one of the schemas listed in the 'oneOf' keyword"
                .to_owned(),
        );
        assert_eq!(
            class_of(schema, json!({"id": "é"}), Ok(()), two.clone(), &[]),
            "deviation format-not-in-oracle"
        );
        let plain = json!({"oneOf": [{"properties": {"id": {"type": "string"}}}, {}]});
        assert_eq!(
            class_of(plain, json!({"id": "é"}), Ok(()), two, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_one_of_flipped_twice_by_a_deviation_is_that_deviation() {
        // Seed 13, `C1693` and `C6282` shrunk: the inner `oneOf` matches twice for the oracle
        // (a zero fraction is an integer; `byte` is not checked), so its branch fails for it.
        let two = Err(
            "(root): matches 2 oneOf branches (Variant1, Variant2), expected exactly 1".to_owned(),
        );
        let integer = json!({"oneOf": [
            {"minimum": 0.0, "exclusiveMinimum": true},
            {"oneOf": [{"type": "number", "multipleOf": 0.5}, {"type": "integer", "maximum": 5}]}
        ]});
        assert_eq!(
            class_of(integer.clone(), json!(1.0), two.clone(), Ok(()), &[]),
            "deviation integer-zero-fraction"
        );
        assert_eq!(
            class_of(integer, json!(1), two.clone(), Ok(()), &[]),
            "unexplained"
        );
        let byte = json!({"oneOf": [
            {},
            {"oneOf": [{"type": "string", "format": "byte"}, {"type": "string", "pattern": "[0-9]$"}]}
        ]});
        assert_eq!(
            class_of(byte, json!("73"), two.clone(), Ok(()), &[]),
            "deviation format-not-in-oracle"
        );
        let plain = json!({"oneOf": [
            {},
            {"oneOf": [{"type": "string", "maxLength": 1}, {"type": "string", "pattern": "[0-9]$"}]}
        ]});
        assert_eq!(
            class_of(plain, json!("73"), two, Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn two_matches_of_a_nested_one_of_by_a_zero_fraction_are_integer_zero_fraction() {
        let schema = json!({"anyOf": [
            {"type": "array"},
            {"oneOf": [{"type": "number", "multipleOf": 2.0}, {"type": "integer"}]}
        ]});
        let oracle = |n: &str| {
            Err(format!(
                "/0: {n} is not valid under any of the schemas listed in the 'anyOf' keyword; \
                 within: /0: more than one subschema succeeded"
            ))
        };
        assert_eq!(
            class_of(schema.clone(), json!([-6.0]), Ok(()), oracle("-6.0"), &[]),
            "deviation integer-zero-fraction"
        );
        assert_eq!(
            class_of(schema, json!([-6]), Ok(()), oracle("-6"), &[]),
            "unexplained"
        );
    }

    #[test]
    fn null_for_a_type_list_beside_one_of_is_a_deviation_only_for_null() {
        let schema = json!({
            "type": ["object", "null"],
            "oneOf": [{"required": ["ghost"]}, {"minProperties": 2}]
        });
        let two = |v: &str| {
            Err(format!(
                ": {v} is valid under more than one of the schemas listed in the 'oneOf' keyword"
            ))
        };
        assert_eq!(
            class_of(schema.clone(), Value::Null, Ok(()), two("null"), &[]),
            "deviation nullable-type-branches"
        );
        let object = json!({"ghost": 1, "a": 2});
        assert_eq!(
            class_of(schema, object, Ok(()), two("{}"), &[]),
            "unexplained"
        );
    }

    #[test]
    fn an_untyped_map_branch_that_only_the_oracle_matches_is_untyped_object() {
        let schema = json!({"oneOf": [
            {"additionalProperties": {"type": "object"}},
            {"type": ["object", "null"]}
        ]});
        let two = Err(": more than one subschema succeeded".to_owned());
        assert_eq!(
            class_of(schema.clone(), Value::Null, Ok(()), two.clone(), &[]),
            "deviation untyped-object"
        );
        assert_eq!(class_of(schema, json!({}), Ok(()), two, &[]), "unexplained");
    }

    #[test]
    fn a_byte_branch_that_only_the_oracle_matches_is_format_not_in_oracle() {
        let schema = json!({"anyOf": [{"oneOf": [{}, {"format": "byte"}]}]});
        let two = Err(": more than one subschema succeeded".to_owned());
        assert_eq!(
            class_of(schema, json!("aGVsbG8=é"), Ok(()), two.clone(), &[]),
            "deviation format-not-in-oracle"
        );
        let schema = json!({"anyOf": [{"oneOf": [{}, {"format": "uuid"}]}]});
        assert_eq!(
            class_of(schema, json!("x"), Ok(()), two, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_property_of_two_types_inside_an_any_of_is_a_deviation_when_the_other_branches_fail_the_object(
    ) {
        // Seed 13, `C5831` shrunk: the oracle also names the branches that take no object.
        let schema = json!({"anyOf": [
            {"allOf": [
                {"type": "object", "properties": {"tags": {"type": "integer"}}},
                {"type": "object", "properties": {"tags": {"type": "object"}}}
            ]},
            {"type": "string"}
        ]});
        let oracle = |inner: &str| {
            Err(format!(
                "/0: {{\"tags\":{{}}}} is not valid under any of the schemas listed in the 'anyOf' keyword; \
                 within: {inner}; /0: {{\"tags\":{{}}}} is not of type \"string\""
            ))
        };
        assert_eq!(
            class_of(
                schema.clone(),
                json!([{"tags": {}}]),
                Ok(()),
                oracle("/0/tags: {} is not of type \"integer\""),
                &[]
            ),
            "deviation allof-contradiction"
        );
        // No contradiction named: the object's own type is all the oracle finds wrong.
        assert_eq!(
            class_of(
                schema,
                json!([{"tags": {}}]),
                Ok(()),
                oracle("/0/tags: {} is less than the minimum of 1"),
                &[]
            ),
            "unexplained"
        );
    }

    #[test]
    fn an_extra_key_of_two_types_across_all_of_is_a_deviation() {
        // Seed 13, `C1271` shrunk: two parts' `additionalProperties` disagree on the type.
        let schema = json!({"allOf": [
            {"properties": {"count": {}}, "additionalProperties": {"type": "object", "required": ["name"]}},
            {"type": "object", "properties": {}, "additionalProperties": {"type": "string"}}
        ]});
        let oracle = Err(
            "/extra0: \"name\" is a required property; within: /extra0: {} is not of type \"string\""
                .to_owned(),
        );
        assert_eq!(
            class_of(schema.clone(), json!({"extra0": {}}), Ok(()), oracle, &[]),
            "deviation allof-contradiction"
        );
        let agreeing = json!({"allOf": [
            {"additionalProperties": {"type": "string", "minLength": 2}},
            {"type": "object", "additionalProperties": {"type": "string"}}
        ]});
        let short = Err("/extra0: 1 is not of type \"string\"".to_owned());
        assert_eq!(
            class_of(agreeing, json!({"extra0": 1}), Ok(()), short, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_property_of_two_types_across_all_of_is_a_deviation_only_for_that_property() {
        let schema = json!({"additionalProperties": {"allOf": [
            {"type": "object", "properties": {"name": {"type": "number"}, "id": {"type": "string"}}},
            {"type": "object", "properties": {"name": {"type": "string"}, "id": {"type": "string"}}}
        ]}});
        let not_of = |key: &str| Err(format!("/e/{key}: \"a\" is not of type \"number\""));
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"e": {"name": "a"}}),
                Ok(()),
                not_of("name"),
                &[]
            ),
            "deviation allof-contradiction"
        );
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"e": {"id": "a"}}),
                Ok(()),
                not_of("id"),
                &[]
            ),
            "unexplained"
        );
        // Another wrong type beside it is not explained by the contradiction.
        let both = Err(
            "/e/name: 1 is not of type \"string\"; within: /e/id: 1 is not of type \"string\""
                .to_owned(),
        );
        assert_eq!(
            class_of(
                schema,
                json!({"e": {"name": 1, "id": 1}}),
                Ok(()),
                both,
                &[]
            ),
            "unexplained"
        );
    }

    #[test]
    fn additional_properties_disagreeing_through_a_reference_are_allof_contradiction() {
        // Seed 13, `C87283` shrunk: one part's values schema is a reference to a string.
        let parts = |second: Value| {
            json!({"allOf": [
                {"additionalProperties": {"type": "object"}},
                {"type": "object", "additionalProperties": second}
            ]})
        };
        let why = || Err("/extra0: {} is not of type \"string\"".to_owned());
        let text = ("A0", json!({"type": "string", "minLength": 3}));
        assert_eq!(
            class_of_named(
                &[("S", parts(reference("A0"))), text.clone()],
                json!({"extra0": {}}),
                Ok(()),
                why()
            ),
            "deviation allof-contradiction"
        );
        // Both parts' values are objects through the reference: nothing contradicts.
        let object = ("A0", json!({"type": "object"}));
        assert_eq!(
            class_of_named(
                &[("S", parts(reference("A0"))), object],
                json!({"extra0": {}}),
                Ok(()),
                why()
            ),
            "unexplained"
        );
    }

    #[test]
    fn items_disagreeing_with_another_parts_additional_properties_are_allof_contradiction() {
        // Seed 13, `C59905` shrunk: `name`'s items are arrays, the other part's values hold a
        // number in their first position.
        let schema = |first: &str| {
            json!({"allOf": [
                {"additionalProperties": {"prefixItems": [{"type": first}], "items": {"type": "array"}}},
                {"type": "object", "properties": {"name": {"type": "array", "items": {"type": "array"}}}}
            ]})
        };
        let why = || Err("/name/0: [] is not of type \"number\"".to_owned());
        assert_eq!(
            class_of(schema("number"), json!({"name": [[]]}), Ok(()), why(), &[]),
            "deviation allof-contradiction"
        );
        assert_eq!(
            class_of(schema("array"), json!({"name": [[]]}), Ok(()), why(), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_format_beside_another_parts_additional_properties_format_is_allof_two_formats() {
        // Seed 13, `C96007` shrunk (then with patterns, which are both checked since): `name`
        // meets the first part's values schema too.
        let schema = |values: Value| {
            json!({"allOf": [
                {"properties": {"ref": {}}, "additionalProperties": values},
                {"type": "object", "properties": {"name": {"type": "string", "format": "email"}}}
            ]})
        };
        let why = || Err("/name: \"a@b.c\" is not a \"ipv4\"".to_owned());
        let other = json!({"type": "string", "format": "ipv4"});
        assert_eq!(
            class_of(schema(other), json!({"name": "a@b.c"}), Ok(()), why(), &[]),
            "deviation allof-two-formats"
        );
        let same = json!({"type": "string", "format": "email"});
        assert_eq!(
            class_of(schema(same), json!({"name": "a@b.c"}), Ok(()), why(), &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_key_dropped_by_a_struct_of_all_of_parts_beside_an_any_of_is_dropped_keys() {
        // Seed 13, `C46738` shrunk: the `oneOf` branch is a struct through its `allOf` parts.
        let schema = |extra: Value| {
            json!({
                "oneOf": [{"allOf": [
                    {"type": "object", "properties": {"tags": {"type": "integer"}}},
                    extra
                ]}],
                "anyOf": [
                    {"type": "object", "additionalProperties": {"type": "boolean"}},
                    {"type": "string"}
                ]
            })
        };
        let why = || {
            Err(": {\"extra1\":1} is not valid under any of the schemas listed in the 'anyOf' keyword; within: /extra1: 1 is not of type \"boolean\"; : {\"extra1\":1} is not of type \"string\"".to_owned())
        };
        assert_eq!(
            class_of(
                schema(json!({"type": "object"})),
                json!({"extra1": 1}),
                Ok(()),
                why(),
                &[]
            ),
            "deviation dropped-keys"
        );
        // A part that declares the key reads it: nothing was dropped.
        let declares = json!({"type": "object", "properties": {"extra1": {"type": "integer"}}});
        assert_eq!(
            class_of(schema(declares), json!({"extra1": 1}), Ok(()), why(), &[]),
            "unexplained"
        );
    }

    #[test]
    fn additional_properties_of_a_union_against_an_object_are_allof_contradiction() {
        // Seed 13, `C66650` shrunk: one part's values are null or text, the other's objects.
        let schema = |second: Value| {
            json!({"allOf": [
                {"type": "object", "additionalProperties": {"anyOf": [
                    {"type": "null"},
                    {"allOf": [{"type": "string", "minLength": 2}]}
                ]}},
                {"type": "object", "additionalProperties": second}
            ]})
        };
        let why = || {
            Err(
                "/extra0: {} is not of type \"null\"; /extra0: {} is not of type \"string\""
                    .to_owned(),
            )
        };
        assert_eq!(
            class_of(
                schema(json!({"type": "object"})),
                json!({"extra0": {}}),
                Ok(()),
                why(),
                &[]
            ),
            "deviation allof-contradiction"
        );
        let agreeing = json!({"type": ["string", "null"]});
        assert_eq!(
            class_of(schema(agreeing), json!({"extra0": {}}), Ok(()), why(), &[]),
            "unexplained"
        );
    }

    #[test]
    fn null_taken_by_a_referenced_nullable_one_of_inside_a_one_of_is_nullable_one_of() {
        // Seed 13, `C73871` shrunk: `A0` takes `null` for us, and JSON Schema's two matches
        // there (`{}` and `null`) fail it, so the outer `oneOf` matches once for the oracle.
        let outer = json!({"oneOf": [{}, reference("A0")]});
        let inner = |second: Value| {
            (
                "A0",
                json!({"oneOf": [{"anyOf": [{"type": "string"}, {}]}, second]}),
            )
        };
        let ours = || {
            Err(
                "(root): matches 2 oneOf branches (Variant1, A0Value), expected exactly 1"
                    .to_owned(),
            )
        };
        assert_eq!(
            class_of_named(
                &[("S", outer.clone()), inner(json!({"type": "null"}))],
                json!(null),
                ours(),
                Ok(())
            ),
            "deviation nullable-one-of"
        );
        // No `null` branch inside: the nullable reading does not explain it.
        assert_eq!(
            class_of_named(
                &[("S", outer), inner(json!({"type": "boolean"}))],
                json!(null),
                ours(),
                Ok(())
            ),
            "unexplained"
        );
    }

    #[test]
    fn a_one_of_branch_closed_through_all_of_requiring_an_undeclared_name_is_closed_required_undeclared(
    ) {
        // Seed 13, `C97526` shrunk: the branch's one `allOf` part closes the object and
        // requires `ghost`, which no part declares, so it matches for us only.
        let schema = |declared: Value| {
            json!({"oneOf": [
                {"allOf": [{"type": "object", "properties": declared, "required": ["ghost"], "additionalProperties": false}]},
                {"type": "object"}
            ]})
        };
        let ours = || {
            Err(
                "(root): matches 2 oneOf branches (Variant1, Variant2), expected exactly 1"
                    .to_owned(),
            )
        };
        assert_eq!(
            class_of(schema(json!({})), json!({"ghost": 1}), ours(), Ok(()), &[]),
            "deviation closed-required-undeclared"
        );
        assert_eq!(
            class_of(
                schema(json!({"ghost": {}})),
                json!({"ghost": 1}),
                ours(),
                Ok(()),
                &[]
            ),
            "unexplained"
        );
    }

    #[test]
    fn a_referenced_one_of_branch_of_format_byte_is_format_not_in_oracle() {
        // Seed 13, `C72621` shrunk: `xx3` is no base64, so `A0` fails for us only.
        let outer =
            json!({"type": "object", "properties": {"kind": {"oneOf": [reference("A0"), {}]}}});
        let text = |format: &str| {
            (
                "A0",
                json!({"allOf": [{"type": "string", "format": format}, {"type": "string", "maxLength": 3}]}),
            )
        };
        let why = || {
            Err("/kind: \"xx3\" is valid under more than one of the schemas listed in the 'oneOf' keyword; within: /kind: more than one subschema succeeded".to_owned())
        };
        assert_eq!(
            class_of_named(
                &[("S", outer.clone()), text("byte")],
                json!({"kind": "xx3"}),
                Ok(()),
                why()
            ),
            "deviation format-not-in-oracle"
        );
        assert_eq!(
            class_of_named(
                &[("S", outer), text("uuid")],
                json!({"kind": "xx3"}),
                Ok(()),
                why()
            ),
            "unexplained"
        );
    }

    #[test]
    fn disagreeing_item_types_across_all_of_are_a_deviation_for_those_items() {
        let schema = json!({"allOf": [
            {"properties": {"id": {"type": "array", "items": {"type": "object"}}}},
            {"type": "object", "properties": {"id": {"type": "array", "items": {"type": "string"}}}}
        ]});
        let why = Err("/id/0: {} is not of type \"string\"".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!({"id": [{}]}), Ok(()), why, &[]),
            "deviation allof-contradiction"
        );
        let agree = json!({"allOf": [
            {"properties": {"id": {"type": "array", "items": {"type": "string"}}}},
            {"type": "object", "properties": {"id": {"type": "array", "items": {"type": "string"}}}}
        ]});
        let why = Err("/id/0: {} is not of type \"string\"".to_owned());
        assert_eq!(
            class_of(agree, json!({"id": [{}]}), Ok(()), why, &[]),
            "unexplained"
        );
    }

    #[test]
    fn two_matches_of_a_nested_null_are_the_nullable_readings() {
        let two = |at: &str| {
            Err(format!(
                ": {{}} is not valid under any of the schemas listed in the 'oneOf' keyword; within: {at}: more than one subschema succeeded"
            ))
        };
        let idiom = json!({"properties": {"name": {"oneOf": [{}, {"type": "null"}]}}});
        assert_eq!(
            class_of(
                idiom.clone(),
                json!({"name": null}),
                Ok(()),
                two("/name"),
                &[]
            ),
            "deviation nullable-one-of"
        );
        // The place holds no `null`: not the idiom.
        assert_eq!(
            class_of(idiom, json!({"name": 1}), Ok(()), two("/name"), &[]),
            "unexplained"
        );
        let typed = json!({"additionalProperties": {"type": ["object", "null"], "oneOf": [{"required": ["a"]}, {"minProperties": 2}]}});
        assert_eq!(
            class_of(typed, json!({"": null}), Ok(()), two("/"), &[]),
            "deviation nullable-type-branches"
        );
    }

    #[test]
    fn a_value_inside_a_property_of_two_types_is_the_same_deviation() {
        let schema = json!({"allOf": [
            {"type": "object", "properties": {"kind": {"type": "number"}}},
            {"type": "object", "properties": {"kind": {"type": "object", "additionalProperties": {"type": "string"}}}}
        ]});
        let why = Err("/kind/b: [] is not of type \"string\"".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!({"kind": {"b": []}}), Ok(()), why, &[]),
            "deviation allof-contradiction"
        );
        // A name that only starts like the property is not inside it.
        let why = Err("/kinder/b: [] is not of type \"string\"".to_owned());
        assert_eq!(
            class_of(
                schema,
                json!({"kind": 1, "kinder": {"b": []}}),
                Ok(()),
                why,
                &[]
            ),
            "unexplained"
        );
    }

    #[test]
    fn an_undeclared_required_key_in_a_union_the_oracle_does_not_detail_is_the_same_deviation() {
        let closed = json!({"type": "object", "properties": {"count": {"type": "string"}},
            "required": ["count", "ghost"], "additionalProperties": false});
        let schema = json!({"oneOf": [{"type": "number"}, {"type": "object", "properties": {"tags": closed}}]});
        let why = Err(
            ": {} is not valid under any of the schemas listed in the 'oneOf' keyword".to_owned(),
        );
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"tags": {"count": "a", "ghost": 1}}),
                Ok(()),
                why.clone(),
                &[]
            ),
            "deviation closed-required-undeclared"
        );
        // Without the undeclared key, something else failed.
        assert_eq!(
            class_of(schema, json!({"tags": {"count": 1}}), Ok(()), why, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_float_bound_seeing_a_rounded_number_is_float_precision() {
        let schema = json!({"type": "number", "format": "float", "multipleOf": 2.0});
        let why = Err(": -95909923.0 is not a multiple of 2".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!(-95909923.0), Ok(()), why.clone(), &[]),
            "deviation float-precision"
        );
        // Held exactly by an `f32`: the bound is wrong, not rounded.
        assert_eq!(
            class_of(schema, json!(3.0), Ok(()), why.clone(), &[]),
            "unexplained"
        );
        let double = json!({"type": "number", "multipleOf": 2.0});
        assert_eq!(
            class_of(double, json!(-95909923.0), Ok(()), why, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_required_read_only_property_absent_is_a_deviation_only_for_that_property() {
        let schema = json!({
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer", "readOnly": true}, "name": {"type": "string"}}
        });
        let missing = |name: &str| Err(format!("\"{name}\" is a required property"));
        assert_eq!(
            class_of(
                schema.clone(),
                json!({"name": "a"}),
                Ok(()),
                missing("id"),
                &[]
            ),
            "deviation one-way-required"
        );
        assert_eq!(
            class_of(schema, json!({"id": 1}), Ok(()), missing("name"), &[]),
            "unexplained"
        );
    }

    #[test]
    fn rules_see_the_named_schemas_a_corpus_subject_reaches() {
        // GitHub's webhooks: `repository_ruleset: {$ref}`, whose `conditions` is
        // `{anyOf: [..], type: [null, object]}`; `null` there is read as nullable.
        let schema = json!({
            "type": "object",
            "properties": {"ruleset": {"$ref": "#/components/schemas/ruleset"}}
        });
        let defs = json!({"ruleset": {
            "type": "object",
            "properties": {"conditions": {
                "anyOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}],
                "type": ["null", "object"]
            }}
        }});
        let (schemas, instance) = (
            [("S".to_owned(), schema)],
            json!({"ruleset": {"conditions": null}}),
        );
        let ours = Ok(());
        let oracle = Err(
            "null is not valid under any of the schemas listed in the 'anyOf' keyword".to_owned(),
        );
        let mut facts = Facts {
            schemas: &schemas,
            instance: &instance,
            ours: &ours,
            oracle: &oracle,
            defs: None,
        };
        assert!(matches!(classify(&facts, &[]), Class::Unexplained));
        facts.defs = defs.as_object();
        assert!(matches!(
            classify(&facts, &[]),
            Class::Deviation(r) if r.name == "nullable-type-branches"
        ));
    }

    #[test]
    fn a_null_type_beside_a_single_reference_is_read_as_nullable() {
        let schema = json!({
            "type": "object",
            "properties": {"author": {"allOf": [{"$ref": "#/components/schemas/user"}], "type": ["null"]}}
        });
        assert_eq!(
            class_of(
                schema,
                json!({"author": {"login": "a"}}),
                Ok(()),
                Err("{\"login\":\"a\"} is not of type \"null\"".to_owned()),
                &[]
            ),
            "deviation null-beside-reference"
        );
    }

    #[test]
    fn a_read_only_written_on_the_referenced_schema_counts_too() {
        // GitHub's `dependabot-alert`: `html_url: {$ref: alert-html-url}`, read-only there.
        let schema = json!({
            "type": "object",
            "required": ["html_url"],
            "properties": {"html_url": {"$ref": "#/components/schemas/alert-html-url"}}
        });
        let defs = json!({"alert-html-url": {"type": "string", "readOnly": true}});
        let (schemas, instance) = ([("S".to_owned(), schema)], json!({}));
        let (ours, oracle) = (
            Ok(()),
            Err("\"html_url\" is a required property".to_owned()),
        );
        let mut facts = Facts {
            schemas: &schemas,
            instance: &instance,
            ours: &ours,
            oracle: &oracle,
            defs: None,
        };
        assert!(matches!(classify(&facts, &[]), Class::Unexplained));
        facts.defs = defs.as_object();
        assert!(matches!(
            classify(&facts, &[]),
            Class::Deviation(r) if r.name == "one-way-required"
        ));
    }

    #[test]
    fn a_known_bug_counts_apart_only_when_named_as_pending() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}}});
        let oracle = Err("/a: null is not of type \"integer\"".to_owned());
        let instance = json!({"a": null});
        assert_eq!(
            class_of(
                schema.clone(),
                instance.clone(),
                Ok(()),
                oracle.clone(),
                &[]
            ),
            "unexplained"
        );
        assert_eq!(
            class_of(schema, instance, Ok(()), oracle, &["optional-null"]),
            "pending optional-null"
        );
    }

    #[test]
    fn null_through_a_nullable_all_of_part_is_pending_when_named() {
        let schema = json!({"allOf": [
            {"type": "object", "additionalProperties": {"anyOf": [{"type": "null"}, {"type": "string"}]}},
            {"type": "object", "additionalProperties": {"type": "string"}}
        ]});
        let oracle = Err("/k: null is not of type \"string\"".to_owned());
        let instance = json!({"k": null});
        assert_eq!(
            class_of(
                schema.clone(),
                instance.clone(),
                Ok(()),
                oracle.clone(),
                &[]
            ),
            "unexplained"
        );
        assert_eq!(
            class_of(schema, instance, Ok(()), oracle, &["allof-nullable-part"]),
            "pending allof-nullable-part"
        );
    }

    #[test]
    fn the_same_pattern_twice_in_all_of_is_no_deviation() {
        let part = json!({"type": "string", "pattern": "^x"});
        let schema = json!({"allOf": [part.clone(), part]});
        let oracle = Err(": \"y\" does not match \"^x\"".to_owned());
        assert_eq!(
            class_of(schema, json!("y"), Ok(()), oracle, &[]),
            "unexplained"
        );
    }

    #[test]
    fn a_wrong_bound_is_no_deviation() {
        let schema = json!({"type": "integer", "minimum": 5});
        let oracle = Err(": 3 is less than the minimum of 5".to_owned());
        let every: Vec<&str> = PENDING.iter().map(|r| r.name).collect();
        assert_eq!(
            class_of(schema, json!(3), Ok(()), oracle, &every),
            "unexplained"
        );
    }

    #[test]
    fn int32_range_is_a_deviation_only_when_ours_rejects_it_as_i32() {
        let schema = json!({"type": "integer", "format": "int32"});
        let ours = Err("invalid value: integer `2147483648`, expected i32".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!(2147483648u64), ours, Ok(()), &[]),
            "deviation format-range"
        );
        let ours = Err("(root): 5 is greater than maximum 4".to_owned());
        assert_eq!(
            class_of(schema.clone(), json!(5), ours, Ok(()), &[]),
            "unexplained"
        );
        // A rejected `null` is about nullability, not the range of the format.
        let ours = Err("(root): invalid type: null, expected i32".to_owned());
        assert_eq!(
            class_of(schema, Value::Null, ours, Ok(()), &[]),
            "unexplained"
        );
    }

    #[test]
    fn counts_of_properties_with_a_null_member_are_pending_only_when_named() {
        let schema = json!({"properties": {"kind": {"nullable": true}}, "maxProperties": 2});
        let oracle = Err(": {\"kind\":null,\"a\":1,\"b\":2} has more than 2 properties".to_owned());
        let three = json!({"kind": null, "a": 1, "b": 2});
        assert_eq!(
            class_of(
                schema.clone(),
                three.clone(),
                Ok(()),
                oracle.clone(),
                &["count-properties-null"]
            ),
            "pending count-properties-null"
        );
        assert_eq!(
            class_of(schema.clone(), three, Ok(()), oracle.clone(), &[]),
            "unexplained"
        );
        // Without a `null` member the count is not this bug.
        assert_eq!(
            class_of(
                schema,
                json!({"kind": 0, "a": 1, "b": 2}),
                Ok(()),
                oracle,
                &["count-properties-null"]
            ),
            "unexplained"
        );
    }

    #[test]
    fn a_referenced_one_of_branch_with_two_formats_matching_only_for_us_is_allof_two_formats() {
        // Seed 13 (then with two patterns, which are both checked since): the referenced
        // branch checks its first format only, so "fixed" matches it and the `const` branch
        // both, for us.
        let top = json!({
            "oneOf": [reference("A0"), {"type": "string", "const": "fixed"}]
        });
        let a0 = json!({"allOf": [
            {"type": "string", "format": "hostname"},
            {"type": "string", "minLength": 3, "format": "email"}
        ]});
        let twice = || {
            Err("/1st: matches 2 oneOf branches (C27890a0, String), expected exactly 1".to_owned())
        };
        assert_eq!(
            class_of_named(
                &[("S", top.clone()), ("A0", a0)],
                json!("fixed"),
                twice(),
                Ok(())
            ),
            "deviation allof-two-formats"
        );
        // One format only: the same disagreement is no deviation.
        let a0 = json!({"allOf": [{"type": "string", "format": "email"}, {"minLength": 3}]});
        assert_eq!(
            class_of_named(&[("S", top), ("A0", a0)], json!("fixed"), twice(), Ok(())),
            "unexplained"
        );
    }

    #[test]
    fn a_key_that_only_an_any_of_branch_declares_is_dropped_by_the_one_of_struct() {
        // Seed 13: the `oneOf` struct drops `kind`, so the `anyOf` beside never sees it.
        let top = json!({
            "oneOf": [{"properties": {"ref": {"format": "int32"}}}],
            "anyOf": [{"type": "number", "enum": [0.5, 2]}, reference("A0")]
        });
        let a0 = json!({
            "type": "object",
            "properties": {"kind": {"type": "boolean"}},
            "additionalProperties": {}
        });
        let oracle = || {
            Err(": {\"kind\":\"\"} is not valid under any of the schemas listed in the 'anyOf' keyword; within: /kind: \"\" is not of type \"boolean\"".to_owned())
        };
        assert_eq!(
            class_of_named(
                &[("S", top), ("A0", a0.clone())],
                json!({"kind": ""}),
                Ok(()),
                oracle()
            ),
            "deviation dropped-keys"
        );
        // The `oneOf` branch declares `kind`: the struct keeps it, and the check is wrong.
        let top = json!({
            "oneOf": [{"properties": {"ref": {"format": "int32"}, "kind": {}}}],
            "anyOf": [{"type": "number", "enum": [0.5, 2]}, reference("A0")]
        });
        assert_eq!(
            class_of_named(
                &[("S", top), ("A0", a0)],
                json!({"kind": ""}),
                Ok(()),
                oracle()
            ),
            "unexplained"
        );
    }
}
