//! Hostile payloads against the generated models: each is refused with an
//! error that names where in the payload the problem is, and none crashes.

use api_models::validation::{self, Error};
use api_models::CreateApiKeyRequest;

/// The pointer and message of a parse error; fails on anything else.
fn parse_error(result: Result<CreateApiKeyRequest, Error>) -> (String, String) {
    match result {
        Err(Error::Parse {
            pointer, message, ..
        }) => (pointer, message),
        Err(other) => panic!("expected a parse error, got {other}"),
        Ok(value) => panic!("expected an error, got {value:?}"),
    }
}

fn with(field: &str, raw_json_value: &str) -> String {
    format!(r#"{{"orgId":"org-1","userId":"user-1",{field}:{raw_json_value}}}"#)
}

#[test]
fn json_nested_far_beyond_the_recursion_limit_is_refused_on_a_small_stack() {
    // No field of this model holds free-form JSON, so nesting is refused at
    // the first level where the model expects something else, long before
    // serde_json's recursion limit of 128.
    let depth = 100_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", r#"{"orgId":"#.repeat(depth), "}".repeat(depth));
    let payloads = [
        with(r#""scopes""#, &arrays),
        objects,
        arrays.clone(),
        with(r#""extra""#, &arrays),
    ];
    let results = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || payloads.map(|p| validation::from_str::<CreateApiKeyRequest>(&p)))
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    let [scopes, objects, arrays, extra] = results;
    assert_eq!(parse_error(scopes).0, "/scopes/0");
    assert_eq!(parse_error(objects).0, "/orgId");
    // A struct is read only from an object: the array is refused where it starts.
    assert_eq!(parse_error(arrays).0, "");
    // An unknown member is skipped without being built, however deep.
    assert_eq!(extra.expect("unknown members are ignored").org_id, "org-1");
}

#[test]
fn integers_beyond_i64_are_refused_at_their_field() {
    for number in [
        "9223372036854775808",
        "-9223372036854775809",
        "1e400",
        "18446744073709551616",
        "1.5",
    ] {
        let (pointer, message) =
            parse_error(validation::from_str(&with(r#""expirationTime""#, number)));
        assert_eq!(pointer, "/expirationTime", "{number}: {message}");
    }
    // The bounds themselves fit.
    let max = validation::from_str::<CreateApiKeyRequest>(&with(
        r#""expirationTime""#,
        "9223372036854775807",
    ));
    assert_eq!(max.expect("i64::MAX fits").expiration_time, Some(i64::MAX));
}

#[test]
fn lone_surrogates_and_bad_escapes_are_refused_at_their_field() {
    for string in [
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""a\ud800\u0041""#,
        r#""\x41""#,
        r#""\u12""#,
    ] {
        let (pointer, message) = parse_error(validation::from_str(&with(r#""alias""#, string)));
        assert_eq!(pointer, "/alias", "{string}: {message}");
    }
    // A surrogate pair is one character.
    let pair =
        validation::from_str::<CreateApiKeyRequest>(&with(r#""alias""#, r#""\ud83d\ude00""#));
    assert_eq!(
        pair.expect("valid pair").alias.as_deref(),
        Some("\u{1f600}")
    );
}

#[test]
fn invalid_utf8_bytes_are_refused() {
    let mut payload = with(r#""alias""#, r#""ab""#).into_bytes();
    let at = payload.iter().position(|b| *b == b'b').expect("b");
    payload[at] = 0xff;
    match validation::from_slice::<CreateApiKeyRequest>(&payload) {
        Err(Error::Parse { pointer, .. }) => assert_eq!(pointer, "/alias"),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn hundred_megabyte_strings_are_handled() {
    const SIZE: usize = 100 * 1024 * 1024;
    let big = "a".repeat(SIZE);
    // In a string field: accepted, the schema sets no maximum length.
    let ok: CreateApiKeyRequest =
        validation::from_str(&with(r#""alias""#, &format!("\"{big}\""))).expect("valid");
    assert_eq!(ok.alias.map(|a| a.len()), Some(SIZE));
    // In a number field: refused at its field.
    let (pointer, _) = parse_error(validation::from_str(&with(
        r#""expirationTime""#,
        &format!("\"{big}\""),
    )));
    assert_eq!(pointer, "/expirationTime");
    // Unterminated: refused.
    let (pointer, message) = parse_error(validation::from_str(&format!(r#"{{"orgId":"{big}"#)));
    assert_eq!(pointer, "/orgId", "{message}");
    // As the only key: skipped, and the required fields are missing.
    let (pointer, message) = parse_error(validation::from_str(&format!(r#"{{"{big}":1}}"#)));
    assert_eq!(pointer, "");
    assert!(
        message.contains("orgId"),
        "{}",
        &message[..message.len().min(200)]
    );
}
