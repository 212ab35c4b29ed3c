//! With the `proptest` feature: values drawn from every model's strategy validate and
//! survive a JSON round trip (64 per model; `PROPTEST_CASES` overrides).
#![cfg(feature = "proptest")]

use api_models::arbitrary::check_every_model;
use api_models::{Address, CreateApiKeyRequest, Validate};
use proptest::prelude::*;

#[test]
fn every_model_generates_values_that_validate_and_round_trip() {
    let failures = check_every_model(64);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The check runs every model's values through one test runner behind a trait object; a value
/// that fails is still reported with its model's name, shrunk to the smallest failing one.
#[test]
fn the_check_reports_an_invalid_value_shrunk_with_its_model_name() {
    let empty_city = (0..1000u32)
        .prop_map(|n| Address {
            street: n.to_string(),
            city: String::new(),
            postcode: None,
        })
        .boxed();
    let failure = api_models::strategies::check("Address", empty_city, 16).unwrap_err();
    assert!(failure.starts_with("Address: "), "{failure}");
    assert!(failure.contains("does not validate"), "{failure}");
    assert!(failure.contains("street: \"0\""), "{failure}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_create_api_key_request_is_accepted_by_from_str(req in any::<CreateApiKeyRequest>()) {
        let json = serde_json::to_string(&req).expect("serializes");
        let parsed: CreateApiKeyRequest = api_models::validation::from_str(&json).expect("valid");
        prop_assert_eq!(parsed, req.clone());
        prop_assert!(req.validate().is_ok());
    }
}
