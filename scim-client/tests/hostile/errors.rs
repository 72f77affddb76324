//! Malformed SCIM error bodies: status as a number or a string, missing detail, unknown
//! `scimType`, a status inside that disagrees with the HTTP status, error bodies on success.

use super::common::{ERROR, Expect, cases, error_body, raw, scim};
use scim_client::client::SCIM_JSON;
use scim_client::error::Error;
use scim_client::protocol::ScimType;
use serde_json::json;

use super::common::{Op, hostile};

cases! {
    status_as_a_number: Get, scim(404, &error_body(&json!(404), None, Some("no such user"))) => Expect::Scim(404, None);
    status_as_a_string: Create, scim(409, &error_body(&json!("409"), Some("uniqueness"), Some("taken"))) => Expect::Scim(409, Some("uniqueness"));
    status_with_spaces: Get, scim(400, &error_body(&json!(" 400 "), Some("invalidFilter"), None)) => Expect::Scim(400, Some("invalidFilter"));
    detail_missing: Replace, scim(400, &error_body(&json!("400"), Some("mutability"), None)) => Expect::Scim(400, Some("mutability"));
    unknown_scim_type_is_kept: Patch, scim(400, &error_body(&json!("400"), Some("quotaExceeded"), Some("x"))) => Expect::Scim(400, Some("quotaExceeded"));
    scim_type_in_odd_case: Search, scim(400, &error_body(&json!("400"), Some("INVALIDFILTER"), None)) => Expect::Scim(400, Some("invalidFilter"));
    empty_scim_type_is_none: Delete, scim(404, &error_body(&json!("404"), Some(""), None)) => Expect::Scim(404, None);
    error_schema_in_odd_case: Get, scim(403, &json!({"schemas": [ERROR.to_ascii_uppercase()], "status": "403"})) => Expect::Scim(403, None);
    error_with_a_huge_detail: Get, scim(400, &error_body(&json!("400"), None, Some(&"d".repeat(1_000_000)))) => Expect::Scim(400, None);
    error_keys_in_odd_case: Get, scim(409, &json!({"SCHEMAS": [ERROR], "STATUS": "409", "SCIMTYPE": "uniqueness"})) => Expect::Scim(409, Some("uniqueness"));
    // Error bodies that are not valid SCIM errors: the HTTP status, with the body for diagnosis.
    status_missing: Get, scim(400, &json!({"schemas": [ERROR], "detail": "bad"})) => Expect::StatusBody(400, "bad");
    status_not_a_number: Get, scim(400, &error_body(&json!("Bad Request"), None, None)) => Expect::StatusBody(400, "Bad Request");
    status_out_of_range: Get, scim(400, &error_body(&json!(99_999), None, None)) => Expect::StatusBody(400, "99999");
    status_as_a_float: Get, scim(500, &error_body(&json!(500.5), None, None)) => Expect::Status(500);
    scim_type_as_a_number: Create, scim(409, &json!({"schemas": [ERROR], "status": "409", "scimType": 7})) => Expect::Status(409);
    detail_as_an_object: Create, scim(400, &json!({"schemas": [ERROR], "status": "400", "detail": {"en": "bad"}})) => Expect::Status(400);
    error_body_truncated: Get, raw(404, r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"40"#, SCIM_JSON) => Expect::Status(404);
    error_without_schemas: Get, scim(404, &json!({"status": "404", "detail": "no such user"})) => Expect::StatusBody(404, "no such user");
    error_body_as_an_array: Get, scim(500, &json!([error_body(&json!("500"), None, None)])) => Expect::Status(500);
    // An error body on a success status is still an error.
    error_body_on_a_200: Get, scim(200, &error_body(&json!("404"), None, Some("gone"))) => Expect::Scim(404, None);
    error_body_on_a_201: Create, scim(201, &error_body(&json!(409), Some("uniqueness"), None)) => Expect::Scim(409, Some("uniqueness"));
    error_body_on_a_200_list: List, scim(200, &error_body(&json!("400"), Some("invalidFilter"), None)) => Expect::Scim(400, Some("invalidFilter"));
    error_body_on_a_200_group_list: ListGroup, scim(200, &error_body(&json!("403"), None, Some("no"))) => Expect::Scim(403, None);
    error_body_on_a_200_replace: Replace, scim(200, &error_body(&json!(412), None, Some("stale"))) => Expect::Scim(412, None);
    error_body_on_a_200_enterprise: GetEnterprise, scim(200, &error_body(&json!("500"), None, None)) => Expect::Scim(500, None);
    error_body_on_a_200_search: Search, scim(200, &error_body(&json!("400"), Some("tooMany"), None)) => Expect::Scim(400, Some("tooMany"));
    // Not a valid SCIM error (no status) and not a user either: a decode error, naming why.
    invalid_error_body_on_a_200: Get, scim(200, &json!({"schemas": [ERROR], "detail": "x"})) => Expect::DecodeSays("User", "does not contain the core schema");
    error_body_in_a_bulk_answer: Bulk, scim(200, &error_body(&json!("413"), Some("tooMany"), None)) => Expect::Scim(413, Some("tooMany"));
}

/// The HTTP status is what the client reports (`Error::status`, `is_not_found`...); a body
/// that claims another status must not turn a 404 into a 200.
#[tokio::test]
async fn body_status_200_inside_an_http_404_is_still_not_found() {
    let outcome = hostile(
        Op::Get,
        scim(404, &error_body(&json!("200"), None, Some("ok?"))),
    )
    .await;
    let err = outcome.expect_err("a 404 is an error");
    assert!(matches!(err, Error::Scim(_)), "{err:?}");
    assert_eq!(err.status(), Some(404), "{err:?}");
    assert!(err.is_not_found(), "{err:?}");
}

/// A 500 whose body says 400: the HTTP status wins (a proxy or a retry decision sees 500).
#[tokio::test]
async fn body_status_400_inside_an_http_500_reports_500() {
    let outcome = hostile(
        Op::Get,
        scim(
            500,
            &error_body(&json!("400"), Some("invalidValue"), Some("x")),
        ),
    )
    .await;
    let err = outcome.expect_err("a 500 is an error");
    let Error::Scim(e) = &err else {
        panic!("expected Error::Scim, got {err:?}");
    };
    assert_eq!(e.scim_type, Some(ScimType::InvalidValue));
    assert_eq!(err.status(), Some(500), "{err:?}");
}

/// A 412 whose body says 409: `is_precondition_failed` must hold, or `update` overwrites.
#[tokio::test]
async fn body_status_409_inside_an_http_412_is_still_a_precondition_failure() {
    let outcome = hostile(
        Op::Replace,
        scim(
            412,
            &error_body(&json!(409), None, Some("version mismatch")),
        ),
    )
    .await;
    let err = outcome.expect_err("a 412 is an error");
    assert!(err.is_precondition_failed(), "{err:?}");
}
