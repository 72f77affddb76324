//! The context matrix of the codec (RFC 7643 section 7 characteristics applied per RFC 7644
//! operation): what each request context leaves out or refuses, what each response context
//! refuses, empty values, unknown attributes and extensions, case-insensitive names, decode
//! error paths, `attributes`/`excludedAttributes` projection, list responses, and several
//! extensions on one resource.

use scim_client::codec::{self, Context, InContext, Projection, SerCtx, UnknownPolicy};
use scim_client::error::{Error, Rule};
use scim_client::model::{
    Email, EnterpriseUser, Group, GroupMember, GroupMembership, Manager, Meta, Name, User,
};
use scim_client::protocol::ListResponse;
use scim_client::{Reference, Resource, ScimExtension};
use serde_json::{Value, json};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

/// A vendor extension, to test two extensions on one resource.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(
    schema = "urn:example:params:scim:schemas:extension:acme:2.0:User",
    name = "AcmeUser"
)]
pub struct Acme {
    /// The badge number.
    pub badge: Option<String>,
    /// A secret set by the client and never returned.
    #[scim(mutability = "writeOnly", returned = "never")]
    pub token: Option<String>,
    /// Set by the server.
    #[scim(mutability = "readOnly")]
    pub audit_id: Option<String>,
}

const REQUESTS: [Context; 6] = [
    Context::CreateRequest,
    Context::ReplaceRequest,
    Context::PatchRequest,
    Context::QueryRequest,
    Context::SearchRequest,
    Context::BulkRequest,
];

const RESPONSES: [Context; 6] = [
    Context::CreateResponse,
    Context::QueryResponse,
    Context::ReplaceResponse,
    Context::SearchResponse,
    Context::PatchResponse,
    Context::BulkResponse,
];

/// A user with something in every kind of attribute: read-only (`id`, `meta`, `groups`,
/// `manager.displayName`), write-only (`password`), required (`userName`), and the enterprise
/// extension.
fn full_user() -> User<EnterpriseUser> {
    let mut u: User<EnterpriseUser> = User::new("bjensen");
    u.id = Some("2819c223".into());
    u.external_id = Some("701984".into());
    u.meta = Some(Meta {
        resource_type: Some("User".into()),
        version: Some("W/\"a330bc54f0671c9\"".into()),
        ..Meta::default()
    });
    u.password = Some("t1meMa$heen".into());
    u.name = Some(Name {
        family_name: Some("Jensen".into()),
        given_name: Some("Barbara".into()),
        ..Name::default()
    });
    u.emails = vec![Email {
        value: Some("bjensen@example.com".into()),
        primary: Some(true),
        ..Email::default()
    }];
    u.groups = vec![GroupMembership {
        value: Some("e9e30dba".into()),
        display: Some("Tour Guides".into()),
        ..GroupMembership::default()
    }];
    u.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".into()),
        cost_center: Some("4130".into()),
        manager: Some(Manager {
            value: Some("26118915".into()),
            ref_: Some(Reference::from("../Users/26118915")),
            display_name: Some("John Smith".into()),
            ..Manager::default()
        }),
        ..EnterpriseUser::default()
    });
    u
}

/// Serializes without the request check, to see what a context writes.
fn written<R: Resource>(r: &R, context: Context) -> Value {
    let ctx = SerCtx::new(context);
    serde_json::to_value(InContext::new(r, &ctx)).expect("serializes")
}

/// The `(rule, attribute)` pairs of a validation error.
fn broken(e: &Error) -> Vec<(Rule, String)> {
    e.violations()
        .unwrap_or_else(|| panic!("not a validation error: {e:?}"))
        .iter()
        .map(|v| (v.rule, v.attribute.clone()))
        .collect()
}

fn pairs(list: &[(Rule, &str)]) -> Vec<(Rule, String)> {
    list.iter().map(|(r, a)| (*r, (*a).to_owned())).collect()
}

// ---------------------------------------------------------------------------------------------
// Request contexts.
// ---------------------------------------------------------------------------------------------

#[test]
fn create_replace_and_bulk_requests_leave_read_only_out() {
    let user = full_user();
    for context in [
        Context::CreateRequest,
        Context::ReplaceRequest,
        Context::BulkRequest,
    ] {
        let body = codec::to_value(&user, context).unwrap_or_else(|e| panic!("{context}: {e}"));
        assert_eq!(
            body,
            json!({
                "schemas": [CORE, ENTERPRISE],
                "externalId": "701984",
                "userName": "bjensen",
                "password": "t1meMa$heen",
                "name": {"familyName": "Jensen", "givenName": "Barbara"},
                "emails": [{"value": "bjensen@example.com", "primary": true}],
                ENTERPRISE: {
                    "employeeNumber": "701984",
                    "costCenter": "4130",
                    // `manager.displayName` is readOnly (RFC 7643 section 4.3).
                    "manager": {"value": "26118915", "$ref": "../Users/26118915"}
                }
            }),
            "{context}"
        );
    }
}

#[test]
fn replace_requests_keep_immutable_attributes() {
    let group = Group {
        id: Some("e9e30dba".into()),
        display_name: Some("Tour Guides".into()),
        members: vec![GroupMember {
            value: Some("2819c223".into()),
            type_: Some("User".into()),
            display: Some("Babs Jensen".into()),
            ..GroupMember::default()
        }],
        ..Group::default()
    };
    let body = codec::to_value(&group, Context::ReplaceRequest).expect("valid");
    assert_eq!(
        body,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Tour Guides",
            "members": [{"value": "2819c223", "type": "User", "display": "Babs Jensen"}]
        })
    );
}

#[test]
fn patch_requests_leave_read_only_out_and_require_nothing() {
    let mut user = full_user();
    user.user_name = None;
    let body = codec::to_value(&user, Context::PatchRequest).expect("nothing is required");
    assert!(body.get("id").is_none() && body.get("meta").is_none() && body.get("groups").is_none());
    assert!(body[ENTERPRISE]["manager"].get("displayName").is_none());
    assert_eq!(body["password"], "t1meMa$heen");
}

#[test]
fn query_and_search_requests_never_carry_write_only_attributes() {
    let mut user: User<(EnterpriseUser, Acme)> = User::new("bjensen");
    user.password = Some("secret".into());
    user.extensions.insert(Acme {
        badge: Some("B-7".into()),
        token: Some("s3cr3t".into()),
        audit_id: None,
    });
    for context in [Context::QueryRequest, Context::SearchRequest] {
        // Written without the check, they are left out...
        let body = written(&user, context);
        assert!(body.get("password").is_none(), "{context}: {body}");
        assert_eq!(body[ACME], json!({"badge": "B-7"}), "{context}");
        // ...and the check names them.
        let expected = pairs(&[
            (Rule::WriteOnly, "password"),
            (Rule::WriteOnly, &format!("{ACME}:token")),
        ]);
        let v: Vec<(Rule, String)> = codec::violations(&user, context, UnknownPolicy::Keep)
            .into_iter()
            .map(|v| (v.rule, v.attribute))
            .collect();
        assert_eq!(v, expected, "{context}");
        let err = codec::to_value(&user, context).expect_err("refused");
        assert!(matches!(err, Error::RequestValidation(_)), "{err:?}");
        assert_eq!(broken(&err), expected);
        // Parsing such a payload in a query request context is refused too.
        let bytes = serde_json::to_vec(&written(&user, Context::Default)).expect("JSON");
        let err = codec::from_slice::<User<(EnterpriseUser, Acme)>>(&bytes, context)
            .expect_err("refused");
        assert_eq!(broken(&err), expected, "{context}");
    }
    // Other contexts send it.
    assert_eq!(written(&user, Context::CreateRequest)["password"], "secret");
    assert_eq!(
        written(&user, Context::CreateRequest)[ACME]["token"],
        "s3cr3t"
    );
}

#[test]
fn required_attributes_are_checked_on_create_replace_and_bulk_only() {
    let user: User = User::default();
    for context in REQUESTS {
        let result = codec::to_value(&user, context);
        match context {
            Context::CreateRequest | Context::ReplaceRequest | Context::BulkRequest => {
                let err = result.expect_err("userName is required");
                assert!(matches!(err, Error::RequestValidation(_)), "{err:?}");
                assert_eq!(
                    broken(&err),
                    pairs(&[(Rule::Required, "userName")]),
                    "{context}"
                );
                assert!(err.to_string().contains("`userName`"), "{err}");
            }
            _ => assert_eq!(
                result.expect("not required"),
                json!({"schemas": [CORE]}),
                "{context}"
            ),
        }
    }
    // An empty string is a value (RFC 7643 section 2.5 calls only null and [] "empty").
    assert!(codec::to_value(&User::<()>::new(""), Context::CreateRequest).is_ok());
    // Group `displayName` is required (RFC 7643 erratum 5368).
    let err = codec::to_value(&Group::default(), Context::CreateRequest).expect_err("required");
    assert_eq!(broken(&err), pairs(&[(Rule::Required, "displayName")]));
    // Required attributes are not checked in responses (RFC 7644 section 3.9 partial
    // representations lack them).
    let partial = br#"{"id": "2819c223", "displayName": "Babs"}"#;
    for context in RESPONSES {
        assert!(
            codec::from_slice::<User>(partial, context).is_ok(),
            "{context}"
        );
    }
    // Parsing a create request without it is refused.
    let err = codec::from_slice::<User>(br#"{"displayName": "Babs"}"#, Context::CreateRequest)
        .expect_err("required");
    assert_eq!(broken(&err), pairs(&[(Rule::Required, "userName")]));
}

// ---------------------------------------------------------------------------------------------
// Response contexts.
// ---------------------------------------------------------------------------------------------

#[test]
fn responses_refuse_returned_never_and_missing_returned_always() {
    let with_password = br#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "2819c223", "userName": "bjensen", "password": "t1meMa$heen"}"#;
    let without_id = br#"{"userName": "bjensen"}"#;
    let both = br#"{"userName": "bjensen", "password": "x"}"#;
    for context in RESPONSES {
        let err = codec::from_slice::<User>(with_password, context).expect_err("password");
        assert!(matches!(err, Error::ResponseValidation(_)), "{err:?}");
        assert_eq!(
            broken(&err),
            pairs(&[(Rule::ReturnedNever, "password")]),
            "{context}"
        );
        assert!(err.to_string().contains("`password`"), "{err}");

        let err = codec::from_slice::<User>(without_id, context).expect_err("id");
        assert_eq!(
            broken(&err),
            pairs(&[(Rule::ReturnedAlways, "id")]),
            "{context}"
        );

        let err = codec::from_slice::<User>(both, context).expect_err("both");
        assert_eq!(
            broken(&err),
            pairs(&[
                (Rule::ReturnedAlways, "id"),
                (Rule::ReturnedNever, "password")
            ]),
            "{context}"
        );
    }
    // Extension attributes are named with their URN.
    let acme = format!(r#"{{"id": "1", "userName": "b", "{ACME}": {{"token": "t"}}}}"#);
    let err = codec::from_slice::<User<Acme>>(acme.as_bytes(), Context::QueryResponse)
        .expect_err("token");
    assert_eq!(
        broken(&err),
        pairs(&[(Rule::ReturnedNever, &format!("{ACME}:token"))])
    );
    // Request contexts and the default context do not check `returned`.
    for context in [Context::Default, Context::ReplaceRequest] {
        assert!(
            codec::from_slice::<User>(with_password, context).is_ok(),
            "{context}"
        );
    }
    // Writing a response never writes `password`.
    let user: User = serde_json::from_slice(with_password).expect("User");
    assert!(
        written(&user, Context::QueryResponse)
            .get("password")
            .is_none()
    );
}

#[test]
fn at_most_one_primary_value() {
    let two = br#"{"id": "1", "userName": "bjensen", "emails": [
        {"value": "a@example.com", "primary": true},
        {"value": "b@example.com", "primary": true}]}"#;
    for context in RESPONSES.into_iter().chain([Context::ReplaceRequest]) {
        let err = codec::from_slice::<User>(two, context).expect_err("two primaries");
        assert_eq!(
            broken(&err),
            pairs(&[(Rule::PrimaryUniqueness, "emails")]),
            "{context}"
        );
    }
    // The default context does not check SCIM rules.
    let user: User = codec::from_slice(two, Context::Default).expect("no SCIM rules");
    let err = codec::to_value(&user, Context::CreateRequest).expect_err("two primaries");
    assert_eq!(broken(&err), pairs(&[(Rule::PrimaryUniqueness, "emails")]));
    // One primary, or `primary: false` twice, is fine.
    let ok = br#"{"id": "1", "emails": [{"value": "a", "primary": true}, {"value": "b", "primary": false}]}"#;
    assert!(codec::from_slice::<User>(ok, Context::QueryResponse).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Empty values, unknown attributes and extensions.
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_values_are_not_written() {
    let mut user: User<EnterpriseUser> = User::new("bjensen");
    user.display_name = None;
    user.name = Some(Name::default());
    user.emails = vec![Email::default(), Email::default()];
    user.roles = Vec::new();
    user.extensions.insert(EnterpriseUser {
        manager: Some(Manager::default()),
        ..EnterpriseUser::default()
    });
    user.unknown.insert("nothing".into(), Value::Null);
    user.unknown.insert("emptyList".into(), json!([]));
    user.unknown
        .insert("emptyObject".into(), json!({"a": null}));
    for context in [
        Context::Default,
        Context::CreateRequest,
        Context::QueryResponse,
    ] {
        // An extension holding only empty values is not written, nor listed in `schemas`.
        assert_eq!(
            written(&user, context),
            json!({"schemas": [CORE], "userName": "bjensen"}),
            "{context}"
        );
    }
    // A value that holds only attributes the context leaves out is empty too: a create
    // request does not send `"manager": {}` for a manager with only the read-only
    // `displayName`, nor an extension object left empty, nor list it in `schemas`.
    let mut user: User<(EnterpriseUser, Acme)> = User::new("bjensen");
    user.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".into()),
        manager: Some(Manager {
            display_name: Some("John Smith".into()),
            ..Manager::default()
        }),
        ..EnterpriseUser::default()
    });
    user.extensions.insert(Acme {
        audit_id: Some("x1".into()),
        ..Acme::default()
    });
    user.groups = vec![GroupMembership {
        value: Some("e9e30dba".into()),
        ..GroupMembership::default()
    }];
    assert_eq!(
        codec::to_value(&user, Context::CreateRequest).expect("valid"),
        json!({
            "schemas": [CORE, ENTERPRISE],
            "userName": "bjensen",
            ENTERPRISE: {"employeeNumber": "701984"}
        })
    );
    // Empty entries of a list are dropped, the others kept.
    let mut user: User = User::new("bjensen");
    user.emails = vec![
        Email::default(),
        Email {
            value: Some("b@example.com".into()),
            ..Email::default()
        },
    ];
    assert_eq!(
        written(&user, Context::Default)["emails"],
        json!([{"value": "b@example.com"}])
    );
}

/// A user with an extension the type does not model, an unknown attribute, and an unknown
/// sub-attribute.
const WITH_UNKNOWN: &[u8] = br#"{
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "2819c223",
    "userName": "bjensen",
    "favoriteColor": "green",
    "emails": [{"value": "b@example.com", "label": "main"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984"}
}"#;

#[test]
fn unknown_attributes_and_extensions_are_kept_and_sent_back() {
    let user: User = codec::from_slice(WITH_UNKNOWN, Context::QueryResponse).expect("kept");
    assert_eq!(user.unknown["favoriteColor"], "green");
    assert_eq!(
        user.unknown[ENTERPRISE],
        json!({"employeeNumber": "701984"})
    );
    assert_eq!(user.emails[0].unknown["label"], "main");
    assert_eq!(user.schemas(), [CORE, ENTERPRISE]);
    // A read-then-replace sends everything back, the extension listed in `schemas`.
    let body = codec::to_value(&user, Context::ReplaceRequest).expect("valid");
    assert_eq!(
        body,
        json!({
            "schemas": [CORE, ENTERPRISE],
            "userName": "bjensen",
            "favoriteColor": "green",
            "emails": [{"value": "b@example.com", "label": "main"}],
            ENTERPRISE: {"employeeNumber": "701984"}
        })
    );
}

#[test]
fn unknown_policy_ignore_drops_them() {
    let user: User =
        codec::from_slice_with(WITH_UNKNOWN, Context::QueryResponse, UnknownPolicy::Ignore)
            .expect("ignored");
    assert!(user.unknown.is_empty(), "{:?}", user.unknown);
    assert_eq!(user.schemas(), [CORE]);
    // Unknown sub-attributes go too, as `Refuse` refuses them (see below).
    assert!(
        user.emails[0].unknown.is_empty(),
        "{:?}",
        user.emails[0].unknown
    );
    assert_eq!(
        written(&user, Context::ReplaceRequest),
        json!({"schemas": [CORE], "userName": "bjensen", "emails": [{"value": "b@example.com"}]})
    );
}

#[test]
fn unknown_policy_refuse_names_them() {
    let err =
        codec::from_slice_with::<User>(WITH_UNKNOWN, Context::QueryResponse, UnknownPolicy::Refuse)
            .expect_err("refused");
    assert!(matches!(err, Error::ResponseValidation(_)), "{err:?}");
    let mut got = broken(&err);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        pairs(&[
            (Rule::Unknown, "emails[0].label"),
            (Rule::Unknown, "favoriteColor"),
            (Rule::Unknown, ENTERPRISE),
        ])
    );
    // A type that models the extension accepts it.
    let known = br#"{"id": "1", "userName": "b",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}}"#;
    assert!(
        codec::from_slice_with::<User<EnterpriseUser>>(
            known,
            Context::QueryResponse,
            UnknownPolicy::Refuse
        )
        .is_ok()
    );
}

// ---------------------------------------------------------------------------------------------
// Names and decoding.
// ---------------------------------------------------------------------------------------------

#[test]
fn attribute_names_are_case_insensitive() {
    let json = br#"{
        "SCHEMAS": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER",
                    "urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User"],
        "ID": "2819c223",
        "USERNAME": "bjensen",
        "Emails": [{"VALUE": "b@example.com", "Primary": true}],
        "name": {"FAMILYNAME": "Jensen"},
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {
            "EmployeeNumber": "701984", "MANAGER": {"Value": "26118915"}
        }
    }"#;
    let user: User<EnterpriseUser> =
        codec::from_slice(json, Context::QueryResponse).expect("parsed");
    assert_eq!(user.id.as_deref(), Some("2819c223"));
    assert_eq!(user.user_name.as_deref(), Some("bjensen"));
    assert_eq!(user.emails[0].primary, Some(true));
    let e = user.extension::<EnterpriseUser>().expect("extension");
    assert_eq!(e.employee_number.as_deref(), Some("701984"));
    assert_eq!(
        e.manager.as_ref().and_then(|m| m.value.as_deref()),
        Some("26118915")
    );
    // Written back in the schema's spelling.
    assert_eq!(
        written(&user, Context::Default),
        json!({
            "schemas": [CORE, ENTERPRISE],
            "id": "2819c223",
            "userName": "bjensen",
            "name": {"familyName": "Jensen"},
            "emails": [{"value": "b@example.com", "primary": true}],
            ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "26118915"}}
        })
    );
}

fn decode_error<R: Resource>(json: &[u8]) -> (String, String) {
    match codec::from_slice::<R>(json, Context::Default) {
        Err(Error::Decode { path, source, .. }) => (path, source.to_string()),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn a_name_given_twice_in_different_case_is_a_decode_error() {
    let (path, msg) = decode_error::<User>(br#"{"userName": "a", "USERNAME": "b"}"#);
    assert!(
        msg.contains("duplicate attribute `userName`"),
        "{path}: {msg}"
    );
    // Also when the first one is `null`.
    let (_, msg) = decode_error::<User>(br#"{"nickName": null, "NICKNAME": "b"}"#);
    assert!(msg.contains("duplicate attribute"), "{msg}");
    // In a complex value: the path is the object holding the duplicate, the message names it.
    let (path, msg) = decode_error::<User>(br#"{"name": {"givenName": "a", "givenname": "b"}}"#);
    assert!(
        msg.contains("duplicate attribute `givenName`"),
        "{path}: {msg}"
    );
    assert_eq!(path, "name");
    // Unknown attributes.
    let (_, msg) = decode_error::<User>(br#"{"favoriteColor": "a", "FAVORITECOLOR": "b"}"#);
    assert!(msg.contains("duplicate attribute"), "{msg}");
    // An extension.
    let json = format!(
        r#"{{"{ENTERPRISE}": {{"employeeNumber": "1"}}, "{}": {{"costCenter": "2"}}}}"#,
        ENTERPRISE.to_uppercase()
    );
    let (_, msg) = decode_error::<User<EnterpriseUser>>(json.as_bytes());
    assert!(msg.contains("duplicate extension"), "{msg}");
}

#[test]
fn an_extension_given_as_null_is_absent_and_one_not_an_object_is_a_decode_error() {
    let json = format!(r#"{{"schemas": ["{CORE}"], "userName": "a", "{ENTERPRISE}": null}}"#);
    let user: User<EnterpriseUser> =
        codec::from_slice(json.as_bytes(), Context::Default).expect("decodes");
    assert!(user.extension::<EnterpriseUser>().is_none());
    // `null`, then the extension again: still one extension, read once.
    let json = format!(r#"{{"{ENTERPRISE}": null, "{ENTERPRISE}": {{"employeeNumber": "7"}}}}"#);
    let user: User<EnterpriseUser> =
        codec::from_slice(json.as_bytes(), Context::Default).expect("decodes");
    assert_eq!(
        user.extension::<EnterpriseUser>()
            .and_then(|e| e.employee_number.as_deref()),
        Some("7")
    );
    let json = format!(r#"{{"userName": "a", "{ENTERPRISE}": ["employeeNumber"]}}"#);
    let (path, msg) = decode_error::<User<EnterpriseUser>>(json.as_bytes());
    assert_eq!(path, ENTERPRISE);
    assert!(msg.contains("invalid type: sequence"), "{msg}");
}

#[test]
fn decode_errors_carry_the_json_path() {
    let json = br#"{"userName": "bjensen", "emails": [
        {"value": "a@example.com", "primary": true},
        {"value": "b@example.com", "primary": "yes"}]}"#;
    let (path, msg) = decode_error::<User>(json);
    assert_eq!(path, "emails[1].primary");
    assert!(msg.contains("invalid type"), "{msg}");
    // The error's message names the path and what was wrong there.
    let err = codec::from_slice::<User>(json, Context::QueryResponse).expect_err("decode");
    let text = err.to_string();
    assert!(
        text.starts_with("cannot decode User at `emails[1].primary`: invalid type: string \"yes\""),
        "{text}"
    );
    // Inside an extension and a list response.
    let json = format!(r#"{{"{ENTERPRISE}": {{"manager": {{"value": 7}}}}}}"#);
    let (path, _) = decode_error::<User<EnterpriseUser>>(json.as_bytes());
    assert_eq!(path, format!("{ENTERPRISE}.manager.value"));
    let page = br#"{"Resources": [{"id": "1"}, {"id": "2", "active": "yes"}]}"#;
    match ListResponse::<User>::from_slice(page, Context::QueryResponse) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "Resources[1].active"),
        other => panic!("{other:?}"),
    }
    // `schemas` that does not name the core schema.
    let (_, msg) =
        decode_error::<User>(br#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]}"#);
    assert!(msg.contains("does not contain the core schema"), "{msg}");
    // Trailing garbage.
    assert!(matches!(
        codec::from_slice::<User>(br#"{"userName": "a"} x"#, Context::Default),
        Err(Error::Decode { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Projection.
// ---------------------------------------------------------------------------------------------

#[test]
fn attributes_projection_in_a_query_response() {
    let user = full_user();
    let p = Projection::attributes([
        "userName",
        "name.familyName",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    ]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert_eq!(
        body,
        json!({
            "schemas": [CORE, ENTERPRISE],
            "id": "2819c223", // returned: always
            "userName": "bjensen",
            "name": {"familyName": "Jensen"},
            ENTERPRISE: {"employeeNumber": "701984"}
        })
    );
    // Case-insensitively, and a parent names its sub-attributes.
    let p = Projection::attributes([
        "USERNAME",
        "Name",
        &format!("{}:MANAGER", ENTERPRISE.to_uppercase()),
    ]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert_eq!(
        body["name"],
        json!({"familyName": "Jensen", "givenName": "Barbara"})
    );
    assert_eq!(
        body[ENTERPRISE],
        json!({"manager": {"value": "26118915", "$ref": "../Users/26118915", "displayName": "John Smith"}})
    );
    assert!(body.get("emails").is_none() && body.get("meta").is_none());
}

#[test]
fn excluded_attributes_projection_in_a_query_response() {
    let user = full_user();
    let p = Projection::excluded([
        "emails",
        "name.givenName",
        "id", // returned: always, so still written
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
    ]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert_eq!(body["id"], "2819c223");
    assert!(body.get("emails").is_none());
    assert_eq!(body["name"], json!({"familyName": "Jensen"}));
    assert!(body.get("password").is_none(), "returned: never");
    assert_eq!(body["groups"][0]["value"], "e9e30dba");
    assert_eq!(body[ENTERPRISE]["employeeNumber"], "701984");
    assert!(body[ENTERPRISE].get("costCenter").is_none());
}

#[test]
fn a_projected_out_extension_is_not_listed_in_schemas() {
    // `schemas` lists the schemas whose attributes the representation contains (RFC 7643
    // section 3), so an extension the projection leaves out is not listed.
    let user = full_user();
    let p = Projection::excluded([ENTERPRISE]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert!(body.get(ENTERPRISE).is_none());
    assert_eq!(body["schemas"], json!([CORE]), "{body}");

    let p = Projection::attributes(["userName"]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert_eq!(
        body,
        json!({"schemas": [CORE], "id": "2819c223", "userName": "bjensen"})
    );

    // Asking for an extension attribute that has no value writes no empty extension object.
    let mut user = full_user();
    if let Some(e) = user.extension_mut::<EnterpriseUser>() {
        e.manager = None;
    }
    let p = Projection::attributes([format!("{ENTERPRISE}:manager")]);
    let body = codec::to_value_projected(&user, Context::QueryResponse, &p).expect("written");
    assert_eq!(body, json!({"schemas": [CORE], "id": "2819c223"}));
}

// ---------------------------------------------------------------------------------------------
// List responses.
// ---------------------------------------------------------------------------------------------

#[test]
fn list_response_violations_name_the_resource() {
    let page = br#"{
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 3,
        "Resources": [
            {"id": "1", "userName": "a"},
            {"id": "2", "userName": "b", "password": "p"},
            {"userName": "c", "emails": [{"value": "x", "primary": true}, {"value": "y", "primary": true}]}
        ]
    }"#;
    let err = ListResponse::<User>::from_slice(page, Context::SearchResponse).expect_err("invalid");
    assert!(matches!(err, Error::ResponseValidation(_)), "{err:?}");
    assert_eq!(
        broken(&err),
        pairs(&[
            (Rule::ReturnedNever, "Resources[1].password"),
            (Rule::ReturnedAlways, "Resources[2].id"),
            (Rule::PrimaryUniqueness, "Resources[2].emails"),
        ])
    );
    // The same page with unknown attributes under `Refuse`.
    let page = br#"{"Resources": [{"id": "1", "x": 1}]}"#;
    let err =
        ListResponse::<User>::from_slice_with(page, Context::QueryResponse, UnknownPolicy::Refuse)
            .expect_err("refused");
    assert_eq!(broken(&err), pairs(&[(Rule::Unknown, "Resources[0].x")]));
    // Keys are case-insensitive and a key given twice is refused.
    let page = br#"{"RESOURCES": [{"ID": "1"}], "TotalResults": 1}"#;
    let ok = ListResponse::<User>::from_slice(page, Context::QueryResponse).expect("parsed");
    assert_eq!(
        (ok.total_results, ok.resources[0].id.as_deref()),
        (Some(1), Some("1"))
    );
    let twice = br#"{"totalResults": 1, "TOTALRESULTS": 2}"#;
    assert!(matches!(
        ListResponse::<User>::from_slice(twice, Context::QueryResponse),
        Err(Error::Decode { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Several extensions at once.
// ---------------------------------------------------------------------------------------------

#[test]
fn two_typed_extensions_on_one_user() {
    let json = format!(
        r#"{{
        "schemas": ["{CORE}", "{ENTERPRISE}", "{ACME}"],
        "id": "2819c223", "userName": "bjensen",
        "{ENTERPRISE}": {{"employeeNumber": "701984"}},
        "{ACME}": {{"badge": "B-7", "auditId": "x1"}}
    }}"#
    );
    let mut user: User<(EnterpriseUser, Acme)> = codec::from_slice_with(
        json.as_bytes(),
        Context::QueryResponse,
        UnknownPolicy::Refuse,
    )
    .expect("both extensions are typed");
    assert_eq!(
        user.extension::<EnterpriseUser>()
            .and_then(|e| e.employee_number.as_deref()),
        Some("701984")
    );
    assert_eq!(
        user.extension::<Acme>().and_then(|a| a.badge.as_deref()),
        Some("B-7")
    );
    assert!(user.unknown.is_empty());
    assert_eq!(user.schemas(), [CORE, ENTERPRISE, ACME]);
    let decls: Vec<&str> = <User<(EnterpriseUser, Acme)>>::extensions()
        .iter()
        .map(|d| d.schema.id.as_ref())
        .collect();
    assert_eq!(decls, [ENTERPRISE, ACME]);

    // Typed changes, then a replace: Acme's read-only `auditId` is left out.
    user.extension_mut::<Acme>().expect("present").badge = Some("B-8".into());
    let body = codec::to_value(&user, Context::ReplaceRequest).expect("valid");
    assert_eq!(body["schemas"], json!([CORE, ENTERPRISE, ACME]));
    assert_eq!(body[ACME], json!({"badge": "B-8"}));
    assert_eq!(body[ENTERPRISE], json!({"employeeNumber": "701984"}));

    // Removing one removes it from `schemas` too.
    let removed = user.extensions.remove::<EnterpriseUser>();
    assert!(removed.is_some());
    assert_eq!(user.schemas(), [CORE, ACME]);
    assert_eq!(
        written(&user, Context::Default)["schemas"],
        json!([CORE, ACME])
    );
    // A type the set does not hold is given back.
    let mut only_enterprise: User<EnterpriseUser> = User::new("x");
    assert!(
        only_enterprise
            .extensions
            .try_insert(Acme::default())
            .is_err()
    );
}

#[test]
fn many_unknown_attributes_are_read_in_linear_time() {
    use std::fmt::Write as _;

    // 200,000 attributes the type does not model (a hostile answer of ~3 MB): read without a
    // quadratic duplicate check (which would take minutes), then one duplicate in another
    // case among them is still found.
    let mut body = String::from(r#"{"userName":"a""#);
    for i in 0..200_000 {
        write!(body, r#","x{i}":0"#).expect("writes to a String");
    }
    let ok = format!("{body}}}");
    let user: User = codec::from_slice(ok.as_bytes(), Context::Default).expect("parses");
    assert_eq!(user.unknown.len(), 200_000);
    let dup = format!(r#"{body},"X199999":1}}"#);
    let (_, msg) = decode_error::<User>(dup.as_bytes());
    assert!(msg.contains("duplicate attribute"), "{msg}");
}
