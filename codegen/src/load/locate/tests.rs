use super::all::locate_all_yaml;
use super::*;
use crate::load::pointer::escape_segment;

/// Every pointer of every node of `value`, with a child that does not exist under each.
fn all_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(format!("{at}/missing"));
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                all_pointers(v, format!("{at}/{}", escape_segment(k)), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                all_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

#[test]
fn the_json_scanner_answers_as_the_yaml_parser_does() {
    let texts = [
        "{\"a\": {\"b\": 1, \"c\": [\"x\", {\"d\": -2.5e3}, [], {}]}, \"s/t\": {\"u~v\": true}}",
        "{\n  \"é\": {\n    \"ünï\": \"çödé\",\n    \"n\": null,\n    \"q\\\"k\": [\n      1,\n      {\"x\\u0041\": false}\n    ]\n  },\n\t\"tab\": \"a\\\"b\"\n}\n",
        "[\n  {\"a\": [ [1, 2], {\"b\": {}} ]},\n  \"z\"\n]",
        "  {}  ",
    ];
    for text in texts {
        let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        let mut pointers = Vec::new();
        all_pointers(&value, String::new(), &mut pointers);
        let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let scanned = json::locate_all(text, &pointers).expect("the scanner reads JSON");
        let parsed = locate_all_yaml(text, &pointers);
        for ((pointer, a), b) in pointers.iter().zip(scanned).zip(parsed) {
            assert!(a.is_some(), "`{pointer}` in {text:?} was not found");
            assert_eq!(a, b, "`{pointer}` in {text:?}");
        }
    }
    // Not JSON: left to the YAML parser.
    assert!(json::locate_all("a: 1\n", &[""]).is_none());
    assert!(json::locate_all("{a: 1}", &[""]).is_none());
}

#[test]
fn locate_all_answers_as_locate_does_for_each_pointer() {
    let yaml = "a:\n  b: 1\n  c:\n    - x\n    - {d: 2, e: [3, 4]}\n  empty:\n  '0': zero\n[k]: v\nf: &anchor 5\ng: *anchor\n";
    let json =
        "{\n  \"a\": {\"b\": 1, \"c\": [\"x\", {\"d\": 2}]},\n  \"s/t\": {\"u~v\": true}\n}\n";
    let pointers = [
        "",
        "/a",
        "/a/b",
        "/a/c",
        "/a/c/0",
        "/a/c/1",
        "/a/c/1/d",
        "/a/c/1/e/1",
        "/a/c/01",
        "/a/c/9",
        "/a/empty",
        "/a/0",
        "/a/nope/deeper",
        "/f",
        "/g",
        "/g/x",
        "#/a/b",
        "a",
        "/s~1t/u~0v",
        "/s~1t",
    ];
    for text in [yaml, json] {
        let all = locate_all(text, &pointers);
        for (pointer, got) in pointers.iter().zip(all) {
            assert_eq!(
                got,
                locate(text, pointer),
                "pointer {pointer:?} in {text:?}"
            );
        }
    }
}

fn at(line: usize, column: usize) -> Option<Location> {
    Some(Location { line, column })
}

const YAML: &str = "\
# An API.
openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: A pet
        'default':
          description: An error
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        name:
          type: strnig
        tags:
          type: array
          items:
            - type: string
            -
              type: integer
            - plain
  a~b: tilde
  é: \"accent\"
  empty:
";

#[test]
fn root_is_the_first_node() {
    assert_eq!(locate(YAML, ""), at(2, 1));
    assert_eq!(locate("{\"a\": 1}", ""), at(1, 1));
    assert_eq!(locate("[1, 2]", "#"), at(1, 1));
    assert_eq!(locate("- a\n- b\n", ""), at(1, 1));
    assert_eq!(locate("just text", ""), at(1, 1));
}

#[test]
fn nested_mapping() {
    // A scalar value points at the value, a collection at its key.
    let pet = "/components/schemas/Pet";
    assert_eq!(locate(YAML, "/openapi"), at(2, 10));
    assert_eq!(locate(YAML, "/components"), at(11, 1));
    assert_eq!(locate(YAML, pet), at(13, 5));
    assert_eq!(locate(YAML, &format!("{pet}/type")), at(14, 13));
    assert_eq!(
        locate(YAML, &format!("{pet}/properties/name/type")),
        at(18, 17)
    );
    assert_eq!(locate(YAML, &format!("{pet}/required")), at(15, 7));
}

#[test]
fn key_variant_points_at_keys() {
    let pointer = "/components/schemas/Pet/properties/name/type";
    assert_eq!(locate_key(YAML, pointer), at(18, 11));
    assert_eq!(locate_key(YAML, "/components"), at(11, 1));
    // Sequence items have no key.
    assert_eq!(
        locate_key(YAML, "/components/schemas/Pet/required/1"),
        at(15, 22)
    );
}

#[test]
fn numeric_and_quoted_keys_match_as_strings() {
    let ok = "/paths/~1pets~1{id}/get/responses/200/description";
    assert_eq!(locate(YAML, ok), at(8, 24));
    let default = "/paths/~1pets~1{id}/get/responses/default";
    assert_eq!(locate(YAML, default), at(9, 9));
}

#[test]
fn sequence_index() {
    let items = "/components/schemas/Pet/properties/tags/items";
    assert_eq!(
        locate(YAML, "/components/schemas/Pet/required/0"),
        at(15, 18)
    );
    assert_eq!(
        locate(YAML, "/components/schemas/Pet/required/1"),
        at(15, 22)
    );
    assert_eq!(locate(YAML, &format!("{items}/0")), at(22, 15));
    assert_eq!(locate(YAML, &format!("{items}/0/type")), at(22, 21));
    assert_eq!(locate(YAML, &format!("{items}/1/type")), at(24, 21));
    assert_eq!(locate(YAML, &format!("{items}/2")), at(25, 15));
    // Past the end, and not canonical indices: the sequence itself.
    assert_eq!(locate(YAML, &format!("{items}/3")), at(21, 11));
    assert_eq!(locate(YAML, &format!("{items}/01")), at(21, 11));
    assert_eq!(locate(YAML, &format!("{items}/-")), at(21, 11));
    assert_eq!(locate(YAML, &format!("{items}/+1")), at(21, 11));
}

#[test]
fn json_input() {
    let json = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a\": {\"get\": {\"tags\": [\"x\", 7]}}\n  }\n}\n";
    assert_eq!(locate(json, "/openapi"), at(2, 14));
    assert_eq!(locate(json, "/paths"), at(3, 3));
    assert_eq!(locate(json, "/paths/~1a"), at(4, 5));
    assert_eq!(locate(json, "/paths/~1a/get/tags"), at(4, 20));
    assert_eq!(locate(json, "/paths/~1a/get/tags/1"), at(4, 34));
    // Minified, on one line.
    assert_eq!(
        locate("{\"a\":{\"b\":[1,{\"c\":true}]}}", "/a/b/1/c"),
        at(1, 19)
    );
}

#[test]
fn escaped_pointer() {
    assert_eq!(locate(YAML, "/components/a~0b"), at(26, 8));
    assert_eq!(locate("a/b: 1\n~1: 2\n", "/a~1b"), at(1, 6));
    // `~01` is `~1`, not `/`.
    assert_eq!(locate("a/b: 1\n~1: 2\n", "/~01"), at(2, 5));
}

#[test]
fn columns_count_characters() {
    assert_eq!(locate(YAML, "/components/é"), at(27, 6));
    assert_eq!(locate("ключ: значение\n", "/ключ"), at(1, 7));
}

#[test]
fn empty_value_points_at_its_key() {
    assert_eq!(locate(YAML, "/components/empty"), at(28, 3));
    assert_eq!(locate("a: ''\n", "/a"), at(1, 4));
}

#[test]
fn missing_tail_returns_deepest_ancestor() {
    let pet = "/components/schemas/Pet";
    assert_eq!(locate(YAML, &format!("{pet}/nope/deeper")), at(13, 5));
    assert_eq!(locate(YAML, &format!("{pet}/type/deeper")), at(14, 13));
    assert_eq!(locate(YAML, "/nope"), at(2, 1));
    assert_eq!(
        locate(YAML, "/components/schemas/Pet/required/x"),
        at(15, 7)
    );
}

#[test]
fn parse_error_returns_what_was_found() {
    let text = "a:\n  b: 1\n  c: [1, 2, 3\nd: 3\n";
    assert_eq!(locate(text, "/a/b"), at(2, 6));
    assert_eq!(locate(text, "/a/c/1"), at(3, 10));
    assert_eq!(locate(text, "/d"), at(1, 1));
    assert_eq!(locate("a: [\n", "/a"), at(1, 1));
    assert_eq!(locate("\"unterminated", ""), None);
    assert_eq!(locate("@", "/x"), None);
    assert_eq!(locate("", ""), None);
}

#[test]
fn aliases_are_not_followed() {
    let text = "a: &A {x: 1}\nb: *A\n";
    assert_eq!(locate(text, "/a/x"), at(1, 11));
    assert_eq!(locate(text, "/b"), at(2, 4));
    assert_eq!(locate(text, "/b/x"), at(2, 4));
}

#[test]
fn only_the_first_document() {
    let text = "a: 1\n---\nb: 2\n";
    assert_eq!(locate(text, "/a"), at(1, 4));
    assert_eq!(locate(text, "/b"), at(1, 1));
}

#[test]
fn deep_flow_nesting_does_not_crash() {
    let depth = 10_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let pointer = "/0".repeat(depth - 1);
    // The parser gives up past some depth; whatever was found is fine.
    let found = locate(&text, &pointer);
    assert!(found.is_none_or(|l| l.line == 1));
    let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let found = locate(&text, &"/a".repeat(depth));
    assert!(found.is_none_or(|l| l.line == 1));
}

#[test]
fn pointer_at_names_the_node_at_a_position() {
    let pet = "/components/schemas/Pet";
    // On a scalar value, and on a key.
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 18,
                column: 17
            }
        ),
        format!("{pet}/properties/name/type")
    );
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 18,
                column: 20
            }
        ),
        format!("{pet}/properties/name/type")
    );
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 13,
                column: 5
            }
        ),
        pet
    );
    // Inside a flow sequence, and in a block sequence of mappings.
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 15,
                column: 22
            }
        ),
        format!("{pet}/required/1")
    );
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 24,
                column: 21
            }
        ),
        format!("{pet}/properties/tags/items/1/type")
    );
    // Escaped keys, and the document start.
    assert_eq!(
        pointer_at(
            YAML,
            Location {
                line: 26,
                column: 8
            }
        ),
        "/components/a~0b"
    );
    assert_eq!(pointer_at(YAML, Location { line: 1, column: 1 }), "");
}

#[test]
fn pointer_at_a_syntax_error_names_what_was_read_before_it() {
    let text = "a:\n  b: {x: 1, y: [2, 3}\nc: 3\n";
    assert_eq!(
        pointer_at(
            text,
            Location {
                line: 2,
                column: 25
            }
        ),
        "/a/b/y/1"
    );
    // serde_json reports a trailing comma at the bracket after it.
    let json = "{\"a\": {\"b\": [true, {\"c\": 1,}]}}";
    assert_eq!(
        pointer_at(
            json,
            Location {
                line: 1,
                column: 28
            }
        ),
        "/a/b/1/c"
    );
    assert_eq!(
        pointer_at(
            json,
            Location {
                line: 1,
                column: 30
            }
        ),
        "/a/b"
    );
    let deep = format!("{}x", "- ".repeat(10_000));
    assert_eq!(
        pointer_at(
            &deep,
            Location {
                line: 1,
                column: 20_001
            }
        ),
        "/0".repeat(10_000)
    );
}

#[test]
fn deep_block_nesting() {
    let depth = 10_000;
    let text = format!("{}x\n", "- ".repeat(depth));
    let found = locate(&text, &"/0".repeat(depth));
    assert_eq!(found, at(1, 2 * depth + 1));
}
