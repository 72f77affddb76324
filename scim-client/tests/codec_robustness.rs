//! Bad input never panics: arbitrary bytes and arbitrary JSON (including SCIM-shaped JSON with
//! wrong types everywhere) either parse or end in a typed error, in every context.

use std::fmt::Write as _;

use proptest::prelude::*;
use scim_client::codec::{self, Context, UnknownPolicy};
use scim_client::model::{
    EnterpriseUser, Group, ResourceType, Schema, ServiceProviderConfig, User,
};
use scim_client::protocol::ListResponse;
use scim_client::{Error, Resource};
use serde_json::{Value, json};

const CONTEXTS: [Context; 6] = [
    Context::Default,
    Context::CreateRequest,
    Context::ReplaceRequest,
    Context::QueryRequest,
    Context::QueryResponse,
    Context::SearchResponse,
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("2011-08-01T21:32:44.882Z")),
        Just(json!(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        )),
    ];
    // Keys drawn from real attribute names (in odd cases) as well as arbitrary ones, so the
    // typed paths are exercised with wrong value types.
    let key = prop_oneof![
        Just("userName".to_owned()),
        Just("USERNAME".to_owned()),
        Just("emails".to_owned()),
        Just("primary".to_owned()),
        Just("value".to_owned()),
        Just("name".to_owned()),
        Just("meta".to_owned()),
        Just("schemas".to_owned()),
        Just("id".to_owned()),
        Just("members".to_owned()),
        Just("Resources".to_owned()),
        Just("totalResults".to_owned()),
        Just("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".to_owned()),
        Just("manager".to_owned()),
        Just("x509Certificates".to_owned()),
        "[a-zA-Z$]{1,8}",
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn exercise<R: Resource>(bytes: &[u8]) {
    for context in CONTEXTS {
        for policy in [
            UnknownPolicy::Keep,
            UnknownPolicy::Ignore,
            UnknownPolicy::Refuse,
        ] {
            if let Ok(r) = codec::from_slice_with::<R>(bytes, context, policy) {
                // Whatever parsed can be written back in any context without panicking.
                for out in CONTEXTS {
                    let _ = codec::to_vec(&r, out);
                }
            }
        }
    }
    let _ = ListResponse::<R>::from_slice(bytes, Context::QueryResponse);
}

fn exercise_all(bytes: &[u8]) {
    exercise::<User>(bytes);
    exercise::<User<EnterpriseUser>>(bytes);
    exercise::<Group>(bytes);
    exercise::<ServiceProviderConfig>(bytes);
    exercise::<ResourceType>(bytes);
    exercise::<Schema>(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        exercise_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        let bytes = serde_json::to_vec(&value).expect("json");
        exercise_all(&bytes);
        let wrapped = serde_json::to_vec(&json!({"Resources": [value]})).expect("json");
        exercise_all(&wrapped);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "{{\"userName\":\"x\",\"name\":{}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let err = codec::from_slice::<User>(deep.as_bytes(), Context::QueryResponse).expect_err("deep");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[test]
fn integers_beyond_i64_and_wrong_types_name_the_path() {
    let cases: [(&str, &str); 4] = [
        (r#"{"id":"1","userName":"x","active":"yes"}"#, "active"),
        (
            r#"{"id":"1","userName":"x","emails":[{"value":"a"},{"primary":1}]}"#,
            "emails[1].primary",
        ),
        (
            r#"{"id":"1","userName":"x","meta":{"lastModified":"yesterday"}}"#,
            "meta.lastModified",
        ),
        (
            r#"{"id":"1","userName":99999999999999999999999}"#,
            "userName",
        ),
    ];
    for (body, path) in cases {
        match codec::from_slice::<User>(body.as_bytes(), Context::QueryResponse) {
            Err(Error::Decode { path: p, .. }) => assert_eq!(p, path, "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

/// The encoding RFC 3986 asks of a path segment, byte by byte: unreserved characters,
/// sub-delims, `:` and `@` as is, every other byte percent-encoded.
fn segment_by_hand(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Any id, ASCII or not, becomes one path segment, encoded as the byte-by-byte rule says.
    #[test]
    fn resource_path_encodes_one_segment(id in "\\PC{0,16}|[-a-zA-Z0-9._~!$&'()*+,;=:@/?#%\\[\\] ]{0,16}") {
        let path = codec::resource_path("/Users/", &id);
        prop_assert_eq!(&path, &format!("/Users/{}", segment_by_hand(&id)));
        prop_assert!(!path["/Users/".len()..].contains(['/', '?', '#']));
    }

    /// `schemas` is checked element by element: in any case, anywhere in the list; `null` and
    /// `[]` pass; a list without the core schema, or of non-strings, is refused.
    #[test]
    fn schemas_are_checked_in_any_position(
        before in prop::collection::vec("urn:[a-z:]{1,12}", 0..3),
        after in prop::collection::vec("urn:[a-z:]{1,12}", 0..3),
        upper in any::<bool>(),
        with_core in any::<bool>(),
    ) {
        let core = if upper { User::<EnterpriseUser>::SCHEMA.id.to_uppercase() } else { User::<EnterpriseUser>::SCHEMA.id.to_string() };
        let mut list: Vec<Value> = before.into_iter().map(Value::from).collect();
        if with_core {
            list.push(Value::from(core));
        }
        list.extend(after.into_iter().map(Value::from));
        let any = !list.is_empty();
        let body = json!({"schemas": list, "userName": "bjensen"}).to_string();
        let parsed = codec::from_slice::<User>(body.as_bytes(), Context::Default);
        prop_assert_eq!(parsed.is_ok(), with_core || !any, "{}", body);
        if let Err(e) = parsed {
            prop_assert!(e.to_string().contains("does not contain the core schema"), "{}", e);
        }
    }
}

#[test]
fn schemas_null_empty_and_wrong_types() {
    for (body, ok) in [
        (r#"{"schemas": null, "userName": "a"}"#, true),
        (r#"{"schemas": [], "userName": "a"}"#, true),
        (
            r#"{"schemas": "urn:ietf:params:scim:schemas:core:2.0:User", "userName": "a"}"#,
            false,
        ),
        (r#"{"schemas": [1], "userName": "a"}"#, false),
        (r#"{"schemas": [null], "userName": "a"}"#, false),
        (r#"{"schemas": {}, "userName": "a"}"#, false),
    ] {
        let parsed = codec::from_slice::<User>(body.as_bytes(), Context::Default);
        assert_eq!(parsed.is_ok(), ok, "{body}: {parsed:?}");
    }
}
