//! Mixed-type results (root `/.search`, `GET /`, bulk) parse into an enum of resource types that
//! dispatches on `schemas`, with a fallback variant for types the program does not model.

use scim_client::codec::{Context, UnknownPolicy};
use scim_client::error::Rule;
use scim_client::model::{EnterpriseUser, Group, User};
use scim_client::protocol::ListResponse;
use scim_client::{Error, Payload, ScimDispatch};
use serde_json::{Map, Value, json};

/// Anything a root search may return.
#[allow(clippy::large_enum_variant)]
#[derive(ScimDispatch, Clone, Debug, PartialEq)]
enum AnyResource {
    User(User<EnterpriseUser>),
    Group(Group),
    #[scim(other)]
    Other(Map<String, Value>),
}

/// Only users and groups.
#[allow(clippy::large_enum_variant)]
#[derive(ScimDispatch, Clone, Debug, PartialEq)]
enum Known {
    User(User),
    Group(Group),
}

fn page(resources: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": resources.as_array().map_or(0, Vec::len),
        "Resources": resources,
    }))
    .expect("json")
}

fn mixed() -> Value {
    json!([
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id": "u1", "userName": "bjensen",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}},
        {"schemas": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP"], "id": "g1", "displayName": "Tour Guides"},
        {"schemas": ["urn:example:params:scim:schemas:2.0:Device"], "id": "d1", "serial": "X"}
    ])
}

#[test]
fn dispatches_on_schemas_case_insensitively() {
    let list = ListResponse::<AnyResource>::from_slice(&page(&mixed()), Context::SearchResponse)
        .expect("parse");
    assert_eq!(list.resources.len(), 3);
    match &list.resources[0] {
        AnyResource::User(u) => {
            assert_eq!(u.user_name.as_deref(), Some("bjensen"));
            assert_eq!(
                u.extension::<EnterpriseUser>()
                    .and_then(|e| e.employee_number.as_deref()),
                Some("7")
            );
        }
        other => panic!("expected a user, got {other:?}"),
    }
    assert!(
        matches!(&list.resources[1], AnyResource::Group(g) if g.display_name.as_deref() == Some("Tour Guides"))
    );
    assert!(matches!(&list.resources[2], AnyResource::Other(m) if m["serial"] == "X"));
    // Serializing writes each variant as its own type does.
    let back = serde_json::to_value(&list).expect("serialize");
    assert_eq!(back["Resources"][1]["displayName"], "Tour Guides");
    assert_eq!(back["Resources"][2]["serial"], "X");
}

#[test]
fn validates_each_variant_in_the_response_context() {
    let mut resources = mixed();
    resources[1]["members"] = json!([{"value": "u1"}]);
    resources[0]["password"] = json!("t1meMa$heen");
    let err = ListResponse::<AnyResource>::from_slice(&page(&resources), Context::SearchResponse)
        .expect_err("password in a response");
    let v = err.violations().expect("violations");
    assert!(
        v.iter()
            .any(|v| v.attribute == "Resources[0].password" && v.rule == Rule::ReturnedNever)
    );
    // The variants answer the payload checks directly too.
    let group = AnyResource::Group(Group::default());
    assert!(
        group
            .violations(Context::QueryResponse, UnknownPolicy::Keep)
            .iter()
            .any(|v| v.attribute == "id" && v.rule == Rule::ReturnedAlways)
    );
}

#[test]
fn without_a_fallback_an_unknown_type_is_an_error_that_names_its_schemas() {
    let err = ListResponse::<Known>::from_slice(&page(&mixed()), Context::SearchResponse)
        .expect_err("a device is not known");
    match err {
        Error::Decode { path, source, .. } => {
            assert_eq!(path, "Resources[2]");
            assert!(
                source
                    .to_string()
                    .contains("urn:example:params:scim:schemas:2.0:Device"),
                "{source}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_payload_without_schemas_goes_to_the_fallback_or_fails() {
    let resources = json!([{"id": "x"}]);
    let list = ListResponse::<AnyResource>::from_slice(&page(&resources), Context::SearchResponse)
        .expect("fallback");
    assert!(matches!(list.resources[0], AnyResource::Other(_)));
    assert!(ListResponse::<Known>::from_slice(&page(&resources), Context::SearchResponse).is_err());
    let bad = json!([{"schemas": "urn:ietf:params:scim:schemas:core:2.0:User"}]);
    assert!(ListResponse::<AnyResource>::from_slice(&page(&bad), Context::SearchResponse).is_err());
}

/// Users, and everything else as dynamic resources.
#[allow(clippy::large_enum_variant)]
#[derive(ScimDispatch, Clone, Debug, PartialEq)]
enum UsersAndTheRest {
    User(User),
    #[scim(other)]
    Other(scim_client::DynamicResource),
}

#[test]
fn fallback_variant_may_be_a_dynamic_resource() {
    let list =
        ListResponse::<UsersAndTheRest>::from_slice(&page(&mixed()), Context::SearchResponse)
            .expect("parse");
    assert!(matches!(&list.resources[0], UsersAndTheRest::User(_)));
    let UsersAndTheRest::Other(device) = &list.resources[2] else {
        panic!("expected the fallback, got {:?}", list.resources[2]);
    };
    assert_eq!(device.id(), Some("d1"));
    assert_eq!(device.get("serial"), Some(&json!("X")));
    assert_eq!(
        device.declared_schemas(),
        ["urn:example:params:scim:schemas:2.0:Device"]
    );
    // Written back as it came.
    assert_eq!(serde_json::to_value(device).expect("json"), mixed()[2]);
}
