//! Hostile answers to `POST /Bulk`: malformed `BulkResponse` messages, results that do not
//! match the operations sent, and resources in results that break the response rules.

use scim_client::client::Bulk;
use scim_client::error::{Error, Rule};
use scim_client::model::User;
use serde_json::json;
use wiremock::MockServer;

use super::common::{
    BULK_RESPONSE, Expect, bounded, bulk_response, cases, client, config, mount_at, raw, scim,
    user_json, with,
};
use scim_client::client::SCIM_JSON;

cases! {
    bulk_operations_given_an_object: Bulk, scim(200, &json!({"schemas": [BULK_RESPONSE], "Operations": {"status": "201"}})) => Expect::Decode("BulkResponse", "Operations");
    bulk_status_not_a_number: Bulk, bulk_response(&json!([{"method": "POST", "bulkId": "b1", "status": "Created"}])) => Expect::Decode("BulkResponse", "Operations[0].status");
    bulk_status_out_of_range: Bulk, bulk_response(&json!([{"method": "POST", "bulkId": "b1", "status": 2010}])) => Expect::Decode("BulkResponse", "Operations[0].status");
    bulk_method_unknown: Bulk, bulk_response(&json!([{"method": "FETCH", "bulkId": "b1", "status": "201"}])) => Expect::Decode("BulkResponse", "Operations[0].method");
    bulk_answer_truncated: Bulk, raw(200, r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],"Operations":[{"method":"POST","bulkId":"b1","sta"#, SCIM_JSON) => Expect::DecodeIn("BulkResponse", "Operations[0]");
    bulk_answer_empty: Bulk, scim(200, &json!({})) => Expect::OkWith("outcomes: [None]");
    bulk_answer_without_schemas_or_operations_is_incomplete: Bulk, scim(200, &json!({"Operations": []})) => Expect::OkWith("outcomes: [None]");
    bulk_result_for_an_unknown_bulk_id_is_ignored: Bulk, bulk_response(&json!([{"method": "POST", "bulkId": "zz", "status": "201", "location": "/Users/9"}])) => Expect::OkWith("outcomes: [None]");
    bulk_answer_empty_body: Bulk, wiremock::ResponseTemplate::new(200) => Expect::StatusBody(200, "empty body");
    bulk_answer_is_a_list_response: Bulk, scim(200, &json!({"schemas": [super::common::LIST], "Resources": []})) => Expect::DecodeSays("BulkResponse", "schemas");
}

/// A result carrying a resource with a password: the bulk succeeds, the typed resource of the
/// outcome is a response-validation error naming the attribute.
#[tokio::test]
async fn bulk_result_resource_with_a_password_is_refused_when_read() {
    let server = MockServer::start().await;
    mount_at(&server, "/ServiceProviderConfig", config(&json!({}))).await;
    mount_at(
        &server,
        "/Bulk",
        bulk_response(&json!([{"method": "POST", "bulkId": "b1", "status": "201",
            "location": "/Users/9",
            "response": with(user_json("9", "alice"), &json!({"password": "x"}))}])),
    )
    .await;
    let c = client(&server.uri());
    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("queued");
    let results = bounded(c.bulk(bulk)).await.expect("answered");
    match results.get(&alice) {
        Some(Err(Error::ResponseValidation(v))) => {
            assert!(
                v.iter()
                    .any(|x| x.attribute == "password" && x.rule == Rule::ReturnedNever),
                "{v:?}"
            );
        }
        other => panic!("expected a response validation error, got {other:?}"),
    }
}

/// Two results for the one operation sent: the first counts, nothing panics.
#[tokio::test]
async fn bulk_results_duplicated_for_one_operation() {
    let server = MockServer::start().await;
    mount_at(&server, "/ServiceProviderConfig", config(&json!({}))).await;
    mount_at(
        &server,
        "/Bulk",
        bulk_response(&json!([
            {"method": "POST", "bulkId": "b1", "status": "201", "location": "/Users/1"},
            {"method": "POST", "bulkId": "b1", "status": "409"}
        ])),
    )
    .await;
    let c = client(&server.uri());
    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("queued");
    let results = bounded(c.bulk(bulk)).await.expect("answered");
    assert_eq!(results.id_of(&alice), Some("1"));
    assert!(results.is_success(), "{results:?}");
}

/// A configuration with a negative or zero `maxOperations`: refused or sent one by one, never
/// a panic or an endless loop.
#[tokio::test]
async fn bulk_with_a_negative_max_operations_in_the_config_stays_bounded() {
    let server = MockServer::start().await;
    mount_at(
        &server,
        "/ServiceProviderConfig",
        config(&json!({"bulk": {"supported": true, "maxOperations": -1, "maxPayloadSize": -5}})),
    )
    .await;
    mount_at(
        &server,
        "/Bulk",
        bulk_response(
            &json!([{"method": "POST", "bulkId": "b1", "status": "201", "location": "/Users/1"}]),
        ),
    )
    .await;
    let c = client(&server.uri());
    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("alice")).expect("queued");
    match bounded(c.bulk(bulk)).await {
        Ok(results) => assert!(results.requests() <= 1, "{results:?}"),
        Err(e) => assert!(
            matches!(e, Error::InvalidRequest(_) | Error::Unsupported(_)),
            "{e:?}"
        ),
    }
}
