//! Hostile payloads where HTTP adds nothing: the pure codec, with the same expectations.

use scim_client::codec::{self, Context, UnknownPolicy};
use scim_client::error::{Error, Rule};
use scim_client::model::{Group, Schema, User};
use scim_client::protocol::{ListResponse, ScimError};
use scim_client::schema::SchemaDef;
use serde_json::json;

#[test]
fn a_list_of_users_read_as_groups_names_the_resource() {
    let body = json!({"Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "b"}]});
    let bytes = serde_json::to_vec(&body).expect("json");
    match ListResponse::<Group>::from_slice(&bytes, Context::QueryResponse) {
        Err(Error::Decode { what, path, .. }) => {
            assert_eq!(what, "ListResponse");
            assert!(path.starts_with("Resources[0]"), "{path}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[test]
fn unknown_attributes_refused_by_policy_are_named() {
    let bytes = br#"{"id":"1","userName":"b","urn:evil:ext":{"x":1},"backdoor":true}"#;
    match codec::from_slice_with::<User>(bytes, Context::QueryResponse, UnknownPolicy::Refuse) {
        Err(Error::ResponseValidation(v)) => {
            assert!(
                v.iter()
                    .any(|x| x.attribute == "backdoor" && x.rule == Rule::Unknown),
                "{v:?}"
            );
        }
        other => panic!("expected ResponseValidation, got {other:?}"),
    }
}

#[test]
fn a_password_is_only_a_violation_in_a_response_context() {
    let bytes = br#"{"id":"1","userName":"b","password":"x"}"#;
    assert!(codec::from_slice::<User>(bytes, Context::Default).is_ok());
    let err = codec::from_slice::<User>(bytes, Context::SearchResponse).expect_err("never");
    assert!(
        err.violations().is_some_and(|v| v.concerns("password")),
        "{err:?}"
    );
}

#[test]
fn a_scim_error_with_status_zero_or_missing_is_refused() {
    for body in [
        json!({"schemas": [ScimError::SCHEMA], "status": "0"}),
        json!({"schemas": [ScimError::SCHEMA], "status": 0}),
        json!({"schemas": [ScimError::SCHEMA]}),
        json!({"schemas": [ScimError::SCHEMA], "status": null}),
    ] {
        assert!(
            serde_json::from_value::<ScimError>(body.clone()).is_err(),
            "{body}"
        );
    }
}

#[test]
fn a_schema_with_an_unknown_attribute_type_is_a_schema_error_with_a_path() {
    let schema = json!({"id": "urn:x", "attributes": [{"name": "a", "type": "string"}, {"name": "b", "type": "bigint"}]});
    let err = SchemaDef::from_json(&schema).expect_err("bigint is no SCIM type");
    assert!(err.path.contains("attributes[1]"), "{err}");
}

#[test]
fn a_schema_resource_with_wrong_types_names_the_path() {
    let bytes = br#"{"id":"urn:x","attributes":[{"name":"a","type":"string","required":"yes"}]}"#;
    match codec::from_slice::<Schema>(bytes, Context::QueryResponse) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "attributes[0].required"),
        other => panic!("expected Decode, got {other:?}"),
    }
}
