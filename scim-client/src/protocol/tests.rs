//! Unit tests of the message codecs: tolerant reading, strict duplicates, canonical writing.

use serde_json::{Value, json};

use super::*;
use crate::error::{Error, Rule};
use crate::model::{Meta, User};

fn from<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn search_request_reads_tolerantly() {
    let r: SearchRequest = from(json!({
        "SCHEMAS": ["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:SEARCHREQUEST"],
        "Attributes": "userName, emails ,",
        "EXCLUDEDATTRIBUTES": [],
        "FILTER": "userName pr",
        "sortby": "userName",
        "sortOrder": "DESCENDING",
        "startIndex": 0,
        "count": -5,
        "cursor": "",
        "somethingElse": {"ignored": true}
    }))
    .expect("valid");
    assert_eq!(r.attributes, ["userName", "emails"]);
    assert!(r.excluded_attributes.is_empty());
    assert_eq!(r.filter.as_deref(), Some("userName pr"));
    assert_eq!(r.sort_by.as_deref(), Some("userName"));
    assert_eq!(r.sort_order, Some(SortOrder::Descending));
    // RFC 7644 section 3.4.2.4: startIndex below 1 means 1, a negative count means 0.
    assert_eq!((r.start_index, r.count), (Some(1), Some(0)));
    assert_eq!(r.cursor.as_deref(), Some(""));
    // Written back in the RFC's spelling, empty lists left out.
    assert_eq!(
        serde_json::to_value(&r).expect("JSON"),
        json!({
            "schemas": [SearchRequest::SCHEMA],
            "attributes": ["userName", "emails"],
            "filter": "userName pr",
            "sortBy": "userName",
            "sortOrder": "descending",
            "startIndex": 1,
            "count": 0,
            "cursor": ""
        })
    );
}

#[test]
fn search_request_refuses_what_is_wrong() {
    let dup = from::<SearchRequest>(json!({"filter": "a pr", "Filter": "b pr"})).unwrap_err();
    assert!(dup.contains("duplicate attribute `filter`"), "{dup}");
    let schemas = from::<SearchRequest>(json!({"schemas": [PatchOp::SCHEMA]})).unwrap_err();
    assert!(schemas.contains("does not contain"), "{schemas}");
    let order = from::<SearchRequest>(json!({"sortOrder": "up"})).unwrap_err();
    assert!(order.contains("unknown sortOrder `up`"), "{order}");
    assert!(from::<SearchRequest>(json!({"schemas": []})).is_ok());
}

#[test]
fn search_request_query_pairs() {
    assert!(SearchRequest::new().to_query_pairs().is_empty());
    let r = SearchRequest::new()
        .attributes(Vec::<String>::new())
        .excluded_attributes(["groups", "emails.display"])
        .start_index(0)
        .count(0)
        .cursor("VZUTiy");
    assert_eq!(
        r.to_query_pairs(),
        [
            ("excludedAttributes", "groups,emails.display".to_owned()),
            ("startIndex", "1".to_owned()),
            ("count", "0".to_owned()),
            ("cursor", "VZUTiy".to_owned()),
        ]
    );
    assert!(r.projection().is_some());
}

#[test]
fn patch_op_reads_case_insensitively_and_keeps_values() {
    let p: PatchOp = from(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "operations": [
            {"op": "Add", "path": "emails", "value": [{"value": "a@b.c", "display": "", "type": null}]},
            {"OP": "REPLACE", "Path": "nickName", "VALUE": null},
            {"op": "Remove", "path": "members", "value": [{"value": "2819c223"}]}
        ]
    }))
    .expect("valid");
    let kinds: Vec<PatchOpKind> = p.operations.iter().map(|o| o.op).collect();
    assert_eq!(
        kinds,
        [PatchOpKind::Add, PatchOpKind::Replace, PatchOpKind::Remove]
    );
    // An explicit `null` is kept apart from an absent value.
    assert_eq!(p.operations[1].value, Some(Value::Null));
    assert!(
        p.validate().is_ok(),
        "remove with a value (Entra) is structurally fine"
    );
    // Written back in lower case, values verbatim (empty values inside them kept).
    assert_eq!(
        serde_json::to_value(&p).expect("JSON"),
        json!({
            "schemas": [PatchOp::SCHEMA],
            "Operations": [
                {"op": "add", "path": "emails", "value": [{"value": "a@b.c", "display": "", "type": null}]},
                {"op": "replace", "path": "nickName", "value": null},
                {"op": "remove", "path": "members", "value": [{"value": "2819c223"}]}
            ]
        })
    );
}

#[test]
fn patch_op_refuses_what_is_wrong() {
    let e = from::<PatchOp>(json!({"Operations": [{"op": "move", "path": "a"}]})).unwrap_err();
    assert!(e.contains("unknown PATCH op `move`"), "{e}");
    let e = from::<PatchOp>(json!({"Operations": [{"path": "a"}]})).unwrap_err();
    assert!(e.contains("missing field `op`"), "{e}");
    let e = from::<PatchOp>(json!({"Operations": [], "OPERATIONS": []})).unwrap_err();
    assert!(e.contains("duplicate attribute `Operations`"), "{e}");
    let e = from::<PatchOp>(json!({"Operations": [{"op": "add", "Op": "add"}]})).unwrap_err();
    assert!(e.contains("duplicate attribute `op`"), "{e}");
}

#[test]
fn patch_op_structural_validation() {
    let check = |p: PatchOp| p.validate().map_err(|e| (e.status, e.scim_type, e.detail));
    let missing = check(from(json!({"schemas": [PatchOp::SCHEMA]})).expect("parses"));
    assert_eq!(missing.unwrap_err().1, Some(ScimType::InvalidValue));
    for (op, expected) in [
        (
            PatchOperation::new(PatchOpKind::Remove, None, None),
            Some(ScimType::NoTarget),
        ),
        (PatchOperation::remove(""), Some(ScimType::NoTarget)),
        (
            PatchOperation::new(PatchOpKind::Add, Some("a".into()), None),
            Some(ScimType::InvalidValue),
        ),
        (
            PatchOperation::add("a", Value::Null),
            Some(ScimType::InvalidValue),
        ),
        (
            PatchOperation::new(PatchOpKind::Replace, Some("a".into()), None),
            Some(ScimType::InvalidValue),
        ),
        (PatchOperation::replace("a", Value::Null), None),
        (
            PatchOperation::add_to_resource(json!({"nickName": "Babs"})),
            None,
        ),
        (
            PatchOperation::replace_in_resource(json!({"active": false})),
            None,
        ),
    ] {
        let p = PatchOp::new().remove("x").push(op.clone());
        match (check(p), expected) {
            (Ok(()), None) => {}
            (Err((400, t, Some(detail))), Some(e)) => {
                assert_eq!(t, Some(e), "{op:?}");
                assert!(detail.starts_with("Operations[1]: "), "{detail}");
            }
            (got, _) => panic!("{op:?}: {got:?}"),
        }
    }
}

#[test]
fn statuses_in_every_form() {
    for status in [
        json!("201"),
        json!(201),
        json!(" 201 "),
        json!({"code": "201"}),
        json!({"CODE": 201}),
    ] {
        let r: BulkOperationResponse = from(json!({"status": status})).expect("a status");
        assert_eq!(r.status, 201);
        assert_eq!(
            serde_json::to_value(&r).expect("JSON"),
            json!({"status": "201"})
        );
    }
    for bad in [
        json!("abc"),
        json!(99),
        json!(600),
        json!(-1),
        json!({}),
        json!(true),
        json!(1.5),
    ] {
        assert!(
            from::<BulkOperationResponse>(json!({"status": bad})).is_err(),
            "{bad}"
        );
    }
    assert!(
        from::<BulkOperationResponse>(json!({"method": "POST"}))
            .unwrap_err()
            .contains("status")
    );
    let e: ScimError = from(json!({"status": 409, "scimType": "UNIQUENESS"})).expect("an error");
    assert_eq!(
        (e.status, e.scim_type.clone()),
        (409, Some(ScimType::Uniqueness))
    );
    assert_eq!(
        serde_json::to_value(&e).expect("JSON"),
        json!({"schemas": [ScimError::SCHEMA], "scimType": "uniqueness", "status": "409"})
    );
    assert!(from::<ScimError>(json!({"detail": "no status"})).is_err());
}

#[test]
fn scim_error_keeps_unknown_types_and_displays_briefly() {
    let e: ScimError = from(json!({
        "schemas": [ScimError::SCHEMA], "status": "429", "scimType": "quotaExceeded", "detail": "slow down"
    }))
    .expect("an error");
    assert_eq!(e.scim_type, Some(ScimType::Other("quotaExceeded".into())));
    assert_eq!(e.to_string(), "scim error 429 (quotaExceeded): slow down");
    assert_eq!(
        serde_json::to_value(&e).expect("JSON")["scimType"],
        "quotaExceeded"
    );
    assert_eq!(ScimError::new(500).to_string(), "scim error 500");
    let boxed: Box<dyn std::error::Error> = Box::new(ScimError::new(404));
    assert_eq!(boxed.to_string(), "scim error 404");
    for t in [
        "invalidFilter",
        "tooMany",
        "uniqueness",
        "mutability",
        "invalidSyntax",
        "invalidPath",
        "noTarget",
        "invalidValue",
        "invalidVers",
        "sensitive",
    ] {
        let parsed = ScimType::parse(t);
        assert!(!matches!(parsed, ScimType::Other(_)), "{t}");
        assert_eq!(parsed.as_str(), t);
    }
    assert!(!ScimError::is_error_body(&json!({"schemas": "not a list"})));
}

#[test]
fn bulk_messages() {
    let r: BulkRequest = from(json!({
        "schemas": [BulkRequest::SCHEMA],
        "FailOnErrors": 2,
        "operations": [
            {"method": "post", "PATH": "/Users", "bulkId": "q", "data": {"userName": "a"}},
            {"method": "Delete", "path": "/Users/1", "version": "W/\"1\"", "data": null}
        ]
    }))
    .expect("valid");
    assert_eq!(r.fail_on_errors, Some(2));
    assert_eq!(r.operations[0].method, BulkMethod::Post);
    assert_eq!(r.operations[1].data, None);
    assert_eq!(
        serde_json::to_value(&r).expect("JSON")["Operations"][1],
        json!({"method": "DELETE", "version": "W/\"1\"", "path": "/Users/1"})
    );
    let e = from::<BulkRequest>(json!({"Operations": [{"method": "POST"}]})).unwrap_err();
    assert!(e.contains("missing field `path`"), "{e}");
    let e = from::<BulkRequest>(json!({"Operations": [{"method": "GET", "path": "/Users"}]}))
        .unwrap_err();
    assert!(e.contains("unknown bulk method `GET`"), "{e}");
}

#[test]
fn bulk_operations_from_resources() {
    let mut user: User = User::new("bjensen");
    // Replace needs an id.
    let err = BulkOperation::replace(&user).unwrap_err();
    assert!(
        matches!(&err, Error::RequestValidation(v) if v.iter().any(|v| v.attribute == "id" && v.rule == Rule::Required))
    );
    user.id = Some("a/b".into());
    user.meta = Some(Meta {
        version: Some("W/\"3\"".into()),
        ..Meta::default()
    });
    let op = BulkOperation::replace(&user).expect("valid");
    assert_eq!(op.method, BulkMethod::Put);
    assert_eq!(op.path, "/Users/a%2Fb");
    assert_eq!(op.version.as_deref(), Some("W/\"3\""));
    let data = op.data.expect("data");
    assert!(
        data.get("id").is_none() && data.get("meta").is_none(),
        "read-only left out"
    );
    // Create checks the bulk request context's rules.
    let err = BulkOperation::create("q", &User::<()>::default()).unwrap_err();
    assert!(matches!(err, Error::RequestValidation(_)));
    let op = BulkOperation::new(BulkMethod::Post, "/Groups")
        .with_bulk_id("g")
        .with_data(json!({}));
    assert_eq!(op.bulk_id.as_deref(), Some("g"));
}
