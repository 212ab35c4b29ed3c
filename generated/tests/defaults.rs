//! A `default` is what the reader assumes for an absent property, not something the sender
//! said: an accepted payload re-serializes as it came, and the accessor supplies the default.

use api_models::validation::from_str;
use api_models::Dog;

#[test]
fn an_absent_property_with_a_default_stays_absent_when_serialized_again() {
    let json = r#"{"petType":"dog","name":"Rex"}"#;
    let dog: Dog = from_str(json).expect("valid");
    assert_eq!(dog.good_boy, None);
    assert!(dog.good_boy_or_default());
    let again = serde_json::to_value(&dog).expect("serializes");
    let sent: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(again, sent);
}

#[test]
fn a_sent_value_equal_to_the_default_is_kept() {
    let json = r#"{"petType":"dog","name":"Rex","goodBoy":true}"#;
    let dog: Dog = from_str(json).expect("valid");
    assert_eq!(dog.good_boy, Some(true));
    let sent: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(serde_json::to_value(&dog).expect("serializes"), sent);
    let dog: Dog = from_str(r#"{"petType":"dog","name":"Rex","goodBoy":false}"#).expect("valid");
    assert!(!dog.good_boy_or_default());
}

#[test]
fn null_is_not_a_value_of_a_property_with_a_default() {
    assert!(from_str::<Dog>(r#"{"petType":"dog","name":"Rex","goodBoy":null}"#).is_err());
}
