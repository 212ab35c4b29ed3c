//! The seed model end to end: JSON in, typed value, JSON out.

use api_models::validation::{self, Error};
use api_models::{CreateApiKeyRequest, Validate};
use serde_json::json;

#[test]
fn seed_payload_round_trips_to_the_same_json() {
    let text = r#"{"orgId":"org-123","userId":"user-123","scopes":[":user"]}"#;
    let request: CreateApiKeyRequest = validation::from_str(text).expect("valid payload");
    assert_eq!(request.org_id, "org-123");
    assert_eq!(request.scopes.as_deref(), Some(&[":user".to_owned()][..]));
    let back = serde_json::to_value(&request).expect("serializes");
    let original: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(back, original);
}

#[test]
fn missing_required_field_is_rejected_naming_it() {
    let err = validation::from_str::<CreateApiKeyRequest>(r#"{"userId":"user-123"}"#)
        .expect_err("orgId is required");
    assert!(err.to_string().contains("orgId"), "{err}");
}

#[test]
fn wrong_json_type_is_rejected_with_its_path() {
    let err = validation::from_str::<CreateApiKeyRequest>(
        r#"{"orgId":"o","userId":"u","scopes":[":user", 7]}"#,
    )
    .expect_err("scopes holds strings");
    match err {
        Error::Parse { pointer, .. } => assert_eq!(pointer, "/scopes/1"),
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn absent_optional_fields_are_left_out_when_serializing() {
    let request = CreateApiKeyRequest::new("org-123".into(), "user-123".into());
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({"orgId": "org-123", "userId": "user-123"})
    );
}

#[test]
fn constructor_takes_required_fields_and_validates() {
    let mut request = CreateApiKeyRequest::new("org-123".into(), "user-123".into());
    request.expiration_time = Some(1_577_836_800_000);
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn an_array_of_the_fields_is_not_an_object() {
    // Serde's derived struct impl also reads `[orgId, userId, ...]`; `type: object` does not.
    for text in [
        r#"["org-123","user-123",null,null]"#,
        r#"["org-123","user-123"]"#,
        "[]",
    ] {
        for err in [
            validation::from_str::<CreateApiKeyRequest>(text).expect_err("an array"),
            validation::from_value::<CreateApiKeyRequest>(serde_json::from_str(text).unwrap())
                .expect_err("an array"),
        ] {
            match err {
                Error::Parse {
                    pointer, message, ..
                } => {
                    assert_eq!(pointer, "", "{text}");
                    assert!(
                        message.contains("invalid type: sequence"),
                        "{text}: {message}"
                    );
                }
                other => panic!("{text}: expected a parse error, got {other}"),
            }
        }
    }
    // Nested inside another model, too.
    let as_map: std::collections::BTreeMap<String, CreateApiKeyRequest> =
        serde_json::from_str(r#"{"a":{"orgId":"o","userId":"u"}}"#).expect("objects parse");
    assert_eq!(as_map["a"].org_id, "o");
    assert!(serde_json::from_str::<Vec<CreateApiKeyRequest>>(r#"[["o","u"]]"#).is_err());
}

#[test]
fn a_payload_that_does_not_parse_reports_every_problem_it_has() {
    // Two values of the wrong type, a bad array item and both required properties missing:
    // the typed parse stops at the first, and the error still lists all five.
    let text = r#"{"alias": 7, "expirationTime": "soon", "scopes": ["read", 2]}"#;
    let err = validation::from_str::<CreateApiKeyRequest>(text).expect_err("five problems");
    let Error::Parse {
        pointer, problems, ..
    } = &err
    else {
        panic!("expected a parse error, got {err}");
    };
    assert_eq!(pointer, "/alias");
    let found: Vec<String> = problems
        .iter()
        .map(|v| format!("{}|{}|{}", v.pointer, v.keyword, v.message))
        .collect();
    assert_eq!(
        found,
        [
            "/alias|type|invalid type: integer `7`, expected a string",
            "/expirationTime|type|invalid type: string \"soon\", expected i64",
            "|required|missing required property `orgId`",
            "/scopes/1|type|invalid type: integer `2`, expected a string",
            "|required|missing required property `userId`",
        ]
    );
    assert_eq!(err.to_string().lines().count(), 5, "{err}");
}
