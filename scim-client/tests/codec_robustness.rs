//! Bad input never panics: arbitrary bytes and arbitrary JSON (including SCIM-shaped JSON with
//! wrong types everywhere) either parse or end in a typed error, in every context.

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
