//! Dynamic resources: JSON checked against a runtime schema by the same rules as derived
//! types. The derived `User<EnterpriseUser>` is the oracle: the same payloads, read through
//! the dynamic type built from its metadata, give the same JSON in every context and the same
//! violations.

use std::sync::Arc;

use scim_client::codec::{self, Context, UnknownPolicy};
use scim_client::error::{Error, Rule};
use scim_client::filter::Filter;
use scim_client::model::{EnterpriseUser, User};
use scim_client::patch::apply;
use scim_client::protocol::PatchOp;
use scim_client::schema::SchemaDef;
use scim_client::{DynamicResource, ResourceSchema};
use serde_json::{Value, json};

type EUser = User<EnterpriseUser>;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

fn user_schema() -> Arc<ResourceSchema> {
    Arc::new(ResourceSchema::of::<EUser>())
}

/// The RFC 7643 schemas of User and the enterprise extension, imported as a server serves them.
fn imported_user_schema() -> Arc<ResourceSchema> {
    let core = SchemaDef::from_json(&fixture("rfc7643/schema-user.json")).expect("schema");
    let ext =
        SchemaDef::from_json(&fixture("rfc7643/schema-enterprise-user.json")).expect("schema");
    Arc::new(ResourceSchema::new("User", "/Users", core).with_extension(ext, false))
}

const CONTEXTS: [Context; 13] = [
    Context::Default,
    Context::CreateRequest,
    Context::CreateResponse,
    Context::QueryRequest,
    Context::QueryResponse,
    Context::ReplaceRequest,
    Context::ReplaceResponse,
    Context::SearchRequest,
    Context::SearchResponse,
    Context::PatchRequest,
    Context::PatchResponse,
    Context::BulkRequest,
    Context::BulkResponse,
];

/// The error and its sources, as a log line shows them.
fn chain(e: &Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn sorted_violations(e: &Error) -> Vec<(String, Rule)> {
    let list = match e {
        Error::RequestValidation(v) | Error::ResponseValidation(v) => v.0.clone(),
        other => panic!("expected violations, got {other}"),
    };
    let mut out: Vec<_> = list.into_iter().map(|v| (v.attribute, v.rule)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn same_json_as_the_derived_type_in_every_context() {
    let schema = user_schema();
    for name in [
        "rfc7643/user-full.json",
        "rfc7643/user-enterprise.json",
        "rfc7643/user-minimal.json",
    ] {
        let json = fixture(name);
        let derived: EUser = codec::from_value(json.clone(), Context::Default).expect("derived");
        let dynamic = DynamicResource::from_json(&schema, json).expect("dynamic");
        for context in CONTEXTS {
            let ctx = codec::SerCtx::new(context);
            let want = serde_json::to_value(codec::InContext::new(&derived, &ctx)).expect("ser");
            let got = serde_json::to_value(codec::InContext::new(&dynamic, &ctx)).expect("ser");
            assert_eq!(got, want, "{name} in {context}");
        }
    }
}

#[test]
fn same_violations_as_the_derived_type() {
    let schema = user_schema();
    let payloads = [
        // A password in a response; no id; two primary emails.
        json!({"userName": "a", "password": "p", "emails": [
            {"value": "a@x", "primary": true}, {"value": "b@x", "primary": true}]}),
        // No userName in a create.
        json!({"displayName": "x"}),
        // A write-only value in a query.
        json!({"id": "1", "userName": "b", "password": "secret"}),
        // An enterprise manager without value, and a required-in-context core attribute.
        json!({"id": "2", "userName": "c",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"displayName": "boss"}}}),
    ];
    for json in payloads {
        let derived: EUser = codec::from_value(json.clone(), Context::Default).expect("derived");
        let dynamic = DynamicResource::from_json(&schema, json.clone()).expect("dynamic");
        for context in CONTEXTS {
            let mut want = codec::violations(&derived, context, UnknownPolicy::Keep);
            let mut got = dynamic.violations(context, UnknownPolicy::Keep);
            want.sort_by(|a, b| a.attribute.cmp(&b.attribute));
            got.sort_by(|a, b| a.attribute.cmp(&b.attribute));
            assert_eq!(got, want, "{json} in {context}");
        }
    }
}

#[test]
fn imported_rfc_schema_checks_like_the_derived_one() {
    let schema = imported_user_schema();
    let user = DynamicResource::from_json(&schema, fixture("rfc7643/user-enterprise.json"))
        .expect("RFC user fits the RFC schema");
    assert_eq!(user.id(), Some("2819c223-7f76-453a-919d-413861904646"));
    assert_eq!(
        user.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"),
        Some(&json!("701984"))
    );
    assert_eq!(user.get("name.givenName"), Some(&json!("Barbara")));
    // Read-only `id` and `meta` (common attributes added to the imported schema) and
    // `groups` are left out of a create.
    let body = user
        .to_json_in(Context::CreateRequest)
        .expect("valid create");
    for gone in ["id", "meta", "groups"] {
        assert!(body.get(gone).is_none(), "{gone} sent in a create");
    }
    assert_eq!(
        body["schemas"],
        json!([
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ])
    );
    // A password in a response is refused.
    let bad = json!({"id": "1", "userName": "x", "password": "p"});
    let err =
        DynamicResource::from_json_in(&schema, bad, Context::QueryResponse, UnknownPolicy::Keep)
            .expect_err("password in a response");
    assert_eq!(
        sorted_violations(&err),
        vec![("password".to_owned(), Rule::ReturnedNever)]
    );
}

#[test]
fn names_are_case_insensitive_and_written_canonically() {
    let schema = user_schema();
    let user = DynamicResource::from_json(
        &schema,
        json!({"USERNAME": "bjensen", "Name": {"GIVENNAME": "Barbara"},
               "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"EmployeeNumber": "7"}}),
    )
    .expect("decodes");
    assert_eq!(
        user.to_json_in(Context::Default).expect("json"),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "userName": "bjensen",
            "name": {"givenName": "Barbara"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}
        })
    );
}

#[test]
fn keys_duplicated_in_another_case_are_refused() {
    let schema = user_schema();
    for body in [
        &br#"{"userName":"a","USERNAME":"b"}"#[..],
        br#"{"userName":"a","name":{"givenName":"x","GivenName":"y"}}"#,
        br#"{"userName":"a","userName":"b"}"#,
    ] {
        let err = DynamicResource::from_slice(&schema, body, Context::Default, UnknownPolicy::Keep)
            .expect_err("duplicate");
        assert!(matches!(err, Error::Decode { .. }), "{err}");
        assert!(chain(&err).contains("duplicate"), "{}", chain(&err));
    }
}

#[test]
fn wrong_types_name_the_json_path() {
    let schema = user_schema();
    let cases = [
        (json!({"userName": 7}), "userName", "expected a string"),
        (json!({"active": "yes"}), "active", "expected a boolean"),
        (
            json!({"emails": [{"value": "a"}, {"primary": "yes"}]}),
            "emails[1].primary",
            "expected a boolean",
        ),
        (json!({"emails": {"value": "a"}}), "emails", "multi-valued"),
        (json!({"name": "Barbara"}), "name", "complex"),
        (
            json!({"meta": {"created": "yesterday"}}),
            "meta.created",
            "invalid dateTime",
        ),
        (
            json!({"x509Certificates": [{"value": "%%%"}]}),
            "x509Certificates[0].value",
            "base64",
        ),
        (
            json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": []}),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "JSON object",
        ),
        (
            json!({"schemas": ["urn:example:Other"], "userName": "a"}),
            "schemas",
            "core schema",
        ),
    ];
    for (json, path, message) in cases {
        let err = DynamicResource::from_json(&schema, json.clone()).expect_err("wrong type");
        match &err {
            Error::Decode { path: p, .. } => assert_eq!(p, path, "{json}"),
            other => panic!("{json}: expected a decode error, got {other}"),
        }
        assert!(chain(&err).contains(message), "{json}: {}", chain(&err));
    }
    let big = DynamicResource::from_slice(
        &Arc::new(device_schema()),
        br#"{"serialNumber":"s","slots":18446744073709551615}"#,
        Context::Default,
        UnknownPolicy::Keep,
    )
    .expect_err("beyond i64");
    assert!(chain(&big).contains("beyond i64"), "{}", chain(&big));
}

fn device_schema() -> ResourceSchema {
    let core = SchemaDef::from_json(&json!({
        "id": "urn:example:schemas:Device",
        "name": "Device",
        "attributes": [
            {"name": "serialNumber", "type": "string", "multiValued": false, "required": true,
             "caseExact": true, "mutability": "readWrite", "returned": "default",
             "uniqueness": "server"},
            {"name": "slots", "type": "integer", "multiValued": false, "required": false,
             "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
            {"name": "secret", "type": "string", "multiValued": false, "required": false,
             "mutability": "writeOnly", "returned": "never", "uniqueness": "none"},
            {"name": "ports", "type": "complex", "multiValued": true, "required": false,
             "mutability": "readWrite", "returned": "default", "uniqueness": "none",
             "subAttributes": [
                {"name": "name", "type": "string", "multiValued": false, "required": false,
                 "caseExact": false, "mutability": "readWrite", "returned": "default",
                 "uniqueness": "none"},
                {"name": "speed", "type": "integer", "multiValued": false, "required": false,
                 "mutability": "readOnly", "returned": "default", "uniqueness": "none"}
             ]}
        ]
    }))
    .expect("schema");
    ResourceSchema::new("Device", "/Devices", core)
}

#[test]
fn unknown_attribute_policies() {
    let schema = Arc::new(device_schema());
    let json = json!({"serialNumber": "s", "vendorThing": 1,
                      "urn:example:other": {"x": 1}});
    let kept = DynamicResource::from_json(&schema, json.clone()).expect("kept");
    assert_eq!(kept.get("vendorThing"), Some(&json!(1)));
    let body = kept.to_json_in(Context::ReplaceRequest).expect("replace");
    assert_eq!(
        body["vendorThing"],
        json!(1),
        "a replace keeps what the type lacks"
    );
    assert_eq!(body["urn:example:other"], json!({"x": 1}));
    assert_eq!(
        body["schemas"],
        json!(["urn:example:schemas:Device", "urn:example:other"])
    );

    let ignored = DynamicResource::from_json_in(
        &schema,
        json.clone(),
        Context::Default,
        UnknownPolicy::Ignore,
    )
    .expect("ignored");
    assert_eq!(ignored.get("vendorThing"), None);

    let err = DynamicResource::from_json_in(&schema, json, Context::Default, UnknownPolicy::Refuse)
        .expect_err("refused");
    let names: Vec<String> = sorted_violations(&err).into_iter().map(|v| v.0).collect();
    assert_eq!(names, ["urn:example:other", "vendorThing"]);
}

#[test]
fn read_only_sub_attributes_and_secrets() {
    let schema = Arc::new(device_schema());
    let device = DynamicResource::from_json(
        &schema,
        json!({"id": "d1", "serialNumber": "s", "secret": "hunter2",
               "ports": [{"name": "eth0", "speed": 1000}, {"speed": 10}]}),
    )
    .expect("decodes");
    // The second port holds only a read-only value: nothing of it is sent.
    assert_eq!(
        device.to_json_in(Context::CreateRequest).expect("create"),
        json!({"schemas": ["urn:example:schemas:Device"], "serialNumber": "s",
               "secret": "hunter2", "ports": [{"name": "eth0"}]})
    );
    // Secrets never show in Debug.
    let debug = format!("{device:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    // Nor go out in a query.
    let err = device
        .to_json_in(Context::QueryRequest)
        .expect_err("write-only");
    assert_eq!(
        sorted_violations(&err),
        vec![("secret".to_owned(), Rule::WriteOnly)]
    );
}

#[test]
fn set_checks_paths_and_types() {
    let schema = user_schema();
    let mut user = DynamicResource::new(&schema);
    user.set("username", "bjensen").expect("set");
    user.set("name.familyName", "Jensen")
        .expect("set sub-attribute");
    user.set(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "Tour",
    )
    .expect("set extension attribute");
    assert_eq!(user.get("userName"), Some(&json!("bjensen")));
    assert_eq!(user.get("name.familyName"), Some(&json!("Jensen")));
    assert_eq!(
        user.schemas(),
        [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ]
    );
    let err = user.set("userNmae", "x").expect_err("unknown attribute");
    assert!(err.to_string().contains("userName"), "suggests: {err}");
    let err = user.set("active", "yes").expect_err("wrong type");
    assert!(matches!(err, Error::Decode { .. }), "{err}");
    assert_eq!(user.remove("name.familyName"), Some(json!("Jensen")));
    assert_eq!(user.get("name.familyName"), None);
}

#[test]
fn filters_use_the_runtime_case_exactness() {
    let schema = Arc::new(device_schema());
    let device = DynamicResource::from_json(
        &schema,
        json!({"serialNumber": "SN-1", "ports": [{"name": "ETH0"}]}),
    )
    .expect("decodes");
    let f = |s: &str| Filter::parse(s).expect("filter");
    assert!(device.matches(&f(r#"serialNumber eq "SN-1""#)));
    assert!(
        !device.matches(&f(r#"serialNumber eq "sn-1""#)),
        "caseExact"
    );
    assert!(
        device.matches(&f(r#"ports[name eq "eth0"]"#)),
        "not caseExact"
    );
    // Filters resolve against the runtime schema.
    f(r#"ports[name eq "x"]"#)
        .check(&schema.schemas())
        .expect("known path");
    let err = f(r#"serialNumbr eq "x""#)
        .check(&schema.schemas())
        .expect_err("unknown path");
    assert!(err.to_string().contains("serialNumber"), "{err}");
}

#[test]
fn patch_applies_against_the_runtime_schema() {
    let schema = imported_user_schema();
    let user =
        DynamicResource::from_json(&schema, fixture("rfc7643/user-full.json")).expect("user");
    let mut json = user.to_json_in(Context::Default).expect("json");
    let patch: PatchOp = serde_json::from_value(fixture(
        "rfc7644/3.5.2.3-patch-replace-emails-nickname-request.json",
    ))
    .expect("patch");
    patch
        .check(&schema.schemas(), Some(&json))
        .expect("valid patch");
    apply(&mut json, &patch, &schema.schemas()).expect("applies");
    let patched = DynamicResource::from_json(&schema, json).expect("still a user");
    assert_eq!(patched.get("nickName"), Some(&json!("Babs")));
}

#[test]
fn unbound_resources_keep_their_json() {
    let bytes =
        br#"{"schemas":["urn:example:Thing"],"id":"t1","meta":{"resourceType":"Thing"},"size":3}"#;
    let thing: DynamicResource = serde_json::from_slice(bytes).expect("any object");
    assert!(thing.schema().is_none());
    assert_eq!(thing.declared_schemas(), ["urn:example:Thing"]);
    assert_eq!(thing.resource_type(), Some("Thing"));
    assert_eq!(thing.id(), Some("t1"));
    assert_eq!(
        serde_json::to_value(&thing).expect("json"),
        serde_json::from_slice::<Value>(bytes).expect("json")
    );
    assert!(serde_json::from_slice::<DynamicResource>(b"[1]").is_err());
}
