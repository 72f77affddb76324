//! Bulk tests of the client against local HTTP fakes (wiremock on 127.0.0.1): the body of
//! `POST /Bulk`, `bulkId` references, splitting at the server's `maxOperations` and
//! `maxPayloadSize` (with references rewritten to the ids earlier requests answered),
//! `failOnErrors` across requests, and what the client makes of per-operation errors and of
//! a refused request.
//!
//! The fake `POST /Bulk` ([`Echo`]) processes a bulk like a server would: a `POST` answers
//! `201` with the location `/Users/id-<bulkId>` (so ids are predictable), a `userName`
//! starting with `dup` answers `409 uniqueness`, a `bulkId:` reference to a create of the same
//! request is fine, any other one answers `409`; `failOnErrors` stops it.

#![cfg(feature = "reqwest")]

use scim_client::Client;
use scim_client::client::{Bulk, RetryPolicy, SCIM_JSON};
use scim_client::error::Error;
use scim_client::model::{Group, GroupMember, Meta, User};
use scim_client::protocol::{BulkMethod, BulkOperation, PatchOp, ScimType};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

fn client(server: &MockServer) -> Client {
    Client::builder(&server.uri())
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds")
}

fn scim(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).expect("serializes"), SCIM_JSON)
}

/// Serves a `ServiceProviderConfig` with this bulk section.
async fn serve_config(server: &MockServer, bulk: Value) {
    let config = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": bulk,
        "filter": {"supported": true, "maxResults": 100},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": []
    });
    Mock::given(method("GET"))
        .and(path("/ServiceProviderConfig"))
        .respond_with(scim(200, &config))
        .mount(server)
        .await;
}

fn bulk_config(max_operations: u64, max_payload_size: u64) -> Value {
    json!({"supported": true, "maxOperations": max_operations, "maxPayloadSize": max_payload_size})
}

/// A fake bulk endpoint that processes operations (see the module documentation).
struct Echo;

impl Echo {
    fn result(op: &Value, created: &[String]) -> Value {
        let method = op["method"].as_str().expect("method");
        let op_path = op["path"].as_str().expect("path");
        let mut refs = Vec::new();
        collect_refs(&op["data"], &mut refs);
        collect_refs(&op["path"], &mut refs);
        if let Some(missing) = refs.iter().find(|r| !created.contains(r)) {
            return json!({
                "method": method, "bulkId": op["bulkId"], "status": "409",
                "response": {"schemas": [ERROR], "status": "409", "scimType": "invalidValue",
                             "detail": format!("No resource was created with the bulkId {missing}")}
            });
        }
        if op["data"]["userName"]
            .as_str()
            .is_some_and(|u| u.starts_with("dup"))
        {
            return json!({
                "method": method, "bulkId": op["bulkId"], "status": "409",
                "response": {"schemas": [ERROR], "status": "409", "scimType": "uniqueness"}
            });
        }
        match method {
            "POST" => {
                let bulk_id = op["bulkId"].as_str().expect("bulkId");
                json!({"method": "POST", "bulkId": bulk_id, "status": "201", "version": "W/\"1\"",
                       "location": format!("https://scim.example.com/v2{op_path}/id-{bulk_id}")})
            }
            "DELETE" => json!({"method": "DELETE", "status": "204",
                               "location": format!("https://scim.example.com/v2{op_path}")}),
            other => json!({"method": other, "status": "200", "version": "W/\"2\"",
                            "location": format!("https://scim.example.com/v2{op_path}")}),
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            for part in s.split("bulkId:").skip(1) {
                let id: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                out.push(id);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        Value::Object(o) => o.values().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        let ops = body["Operations"].as_array().expect("Operations");
        let created: Vec<String> = ops
            .iter()
            .filter(|o| o["method"] == "POST")
            .filter(|o| {
                !o["data"]["userName"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("dup"))
            })
            .filter_map(|o| o["bulkId"].as_str().map(str::to_owned))
            .collect();
        let fail_on_errors = body["failOnErrors"].as_u64();
        let mut results = Vec::new();
        let mut errors = 0;
        for op in ops {
            let result = Self::result(op, &created);
            if result["status"]
                .as_str()
                .is_some_and(|s| !s.starts_with('2'))
            {
                errors += 1;
            }
            results.push(result);
            if fail_on_errors.is_some_and(|n| errors >= n) {
                break;
            }
        }
        scim(
            200,
            &json!({"schemas": [BULK_RESPONSE], "Operations": results}),
        )
    }
}

/// Mounts the fake bulk endpoint.
async fn serve_bulk(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(Echo)
        .mount(server)
        .await;
}

/// The bodies of every `POST /Bulk` received, in order.
async fn bulk_bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .into_iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/Bulk")
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect()
}

fn group_with(name: &str, members: &[String]) -> Group {
    Group {
        display_name: Some(name.to_owned()),
        members: members
            .iter()
            .map(|m| GroupMember {
                value: Some(m.clone()),
                type_: Some("User".to_owned()),
                ..GroupMember::default()
            })
            .collect(),
        ..Group::default()
    }
}

/// The `(method, path)` of each operation of a request body.
fn op_summary(body: &Value) -> Vec<(String, String)> {
    body["Operations"]
        .as_array()
        .expect("Operations")
        .iter()
        .map(|o| {
            (
                o["method"].as_str().expect("method").to_owned(),
                o["path"].as_str().expect("path").to_owned(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The request.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn one_request_with_the_rfc_shape_and_typed_results() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 1_048_576)).await;
    serve_bulk(&server).await;
    let scim = client(&server);

    let mut bulk = Bulk::new().fail_on_errors(3);
    let mut alice = User::<()>::new("alice");
    alice.id = Some("ignored-read-only".to_owned());
    let alice = bulk.create(&alice).expect("valid user");
    let group = bulk
        .create(&group_with("Tour Guides", &[alice.reference()]))
        .expect("valid group");
    let mut bob = User::<()>::new("bob");
    bob.id = Some("b7c14771".to_owned());
    bob.meta = Some(Meta {
        version: Some("W/\"3694e05e9dff591\"".to_owned()),
        ..Meta::default()
    });
    let replace = bulk.replace(&bob).expect("valid replace");
    let patch = bulk
        .patch::<User>("5d8d29d3", &PatchOp::new().replace("nickName", "Dave"))
        .expect("valid patch");
    let delete = bulk.delete::<User>("e9025315").expect("valid delete");
    assert_eq!((replace, patch, delete), (2, 3, 4));
    assert_eq!(bulk.len(), 5);

    let results = scim.bulk(bulk).await.expect("bulk runs");

    let requests = server.received_requests().await.expect("recording on");
    let post = requests
        .iter()
        .find(|r| r.url.path() == "/Bulk")
        .expect("a POST /Bulk");
    assert_eq!(post.method.as_str(), "POST");
    assert_eq!(
        post.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(SCIM_JSON)
    );
    let body: Value = serde_json::from_slice(&post.body).expect("JSON");
    assert_eq!(
        body,
        json!({
            "schemas": [BULK_REQUEST],
            "failOnErrors": 3,
            "Operations": [
                {"method": "POST", "bulkId": "b1", "path": "/Users",
                 "data": {"schemas": [CORE], "userName": "alice"}},
                {"method": "POST", "bulkId": "b2", "path": "/Groups",
                 "data": {"schemas": [GROUP], "displayName": "Tour Guides",
                          "members": [{"value": "bulkId:b1", "type": "User"}]}},
                {"method": "PUT", "version": "W/\"3694e05e9dff591\"", "path": "/Users/b7c14771",
                 "data": {"schemas": [CORE], "userName": "bob"}},
                {"method": "PATCH", "path": "/Users/5d8d29d3",
                 "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations": [{"op": "replace", "path": "nickName", "value": "Dave"}]}},
                {"method": "DELETE", "path": "/Users/e9025315"}
            ]
        })
    );

    assert_eq!(results.requests(), 1);
    assert!(results.is_success(), "{results:?}");
    assert_eq!(results.len(), 5);
    assert_eq!(results.id_of(&alice), Some("id-b1"));
    assert_eq!(results.id_of(&group), Some("id-b2"));
    let created = results.outcome_of(&alice).expect("processed");
    assert_eq!(
        (created.status, created.method, created.version.as_deref()),
        (201, BulkMethod::Post, Some("W/\"1\""))
    );
    assert_eq!(created.bulk_id.as_deref(), Some("b1"));
    assert_eq!(results.outcome(2).map(|o| o.status), Some(200));
    assert_eq!(
        results.outcome(2).and_then(|o| o.id.as_deref()),
        Some("b7c14771")
    );
    assert_eq!(results.outcome(4).map(|o| o.status), Some(204));
    assert_eq!(results.errors().count(), 0);
    // The fake returns no resource bodies.
    assert!(results.get(&alice).is_none());
}

#[tokio::test]
async fn builder_checks_operations_and_names_them() {
    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("a")).expect("valid");
    let err = bulk.create(&User::<()>::default()).unwrap_err();
    let violations = err.violations().expect("a validation error");
    assert!(
        violations.concerns("Operations[1].data.userName"),
        "{violations}"
    );
    // Nothing was added, and the next create gets the next free bulkId.
    assert_eq!(bulk.len(), 1);

    let err = bulk
        .create_with_bulk_id("b1", &User::<()>::new("again"))
        .unwrap_err();
    assert!(err.to_string().contains("already used"), "{err}");
    let err = bulk
        .create_with_bulk_id("has space", &User::<()>::new("x"))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    let mine = bulk
        .create_with_bulk_id("qwerty", &User::<()>::new("q"))
        .expect("own bulkId");
    assert_eq!(mine.reference(), "bulkId:qwerty");
    assert_eq!(mine.index(), 1);

    let err = bulk
        .patch::<User>("42", &PatchOp::new())
        .expect_err("empty patch");
    assert!(err.to_string().contains("bulk operation 2"), "{err}");
    let err = bulk.delete::<User>("..").expect_err("dot segment");
    assert!(err.to_string().contains("bulk operation 2"), "{err}");
    let err = bulk.replace(&User::<()>::new("no-id")).expect_err("no id");
    assert!(
        err.violations()
            .is_some_and(|v| v.concerns("Operations[2].data.id")),
        "{err}"
    );
    let err = bulk
        .push(BulkOperation::new(BulkMethod::Post, "/Users"))
        .expect_err("POST without bulkId");
    assert!(err.to_string().contains("needs a bulkId"), "{err}");
    let raw = bulk
        .push(BulkOperation::new(BulkMethod::Post, "/Users").with_bulk_id("raw"))
        .expect("raw POST");
    assert_eq!(raw, 2);
    let generated = bulk.create(&User::<()>::new("g")).expect("valid");
    assert_eq!(generated.bulk_id(), "b2");
}

#[tokio::test]
async fn a_reference_to_no_create_is_refused_before_sending() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 1_048_576)).await;
    serve_bulk(&server).await;
    let mut bulk = Bulk::new();
    bulk.create(&group_with("g", &["bulkId:nowhere".to_owned()]))
        .expect("valid group");
    let err = client(&server).bulk(bulk).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("bulkId:nowhere") && m.contains("bulk operation 0")),
        "{err}"
    );
    assert!(bulk_bodies(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Splitting.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn splits_at_max_operations_and_rewrites_references() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(2, 1_048_576)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("valid");
    let bob = bulk.create(&User::<()>::new("bob")).expect("valid");
    let group = bulk
        .create(&group_with("g", &[alice.reference(), bob.reference()]))
        .expect("valid");
    bulk.patch::<User>(&alice.reference(), &PatchOp::new().replace("active", false))
        .expect("valid");
    bulk.patch::<Group>(
        &group.reference(),
        &PatchOp::new().add("members", json!([{"value": bob.reference()}])),
    )
    .expect("valid");

    let results = client(&server).bulk(bulk).await.expect("bulk runs");
    let bodies = bulk_bodies(&server).await;
    assert_eq!(bodies.len(), 3, "{bodies:#?}");
    assert_eq!(results.requests(), 3);
    assert_eq!(
        op_summary(&bodies[0]),
        [
            ("POST".into(), "/Users".into()),
            ("POST".into(), "/Users".into())
        ]
    );
    // The second request names the users by the ids the first one answered.
    assert_eq!(
        op_summary(&bodies[1]),
        [
            ("POST".into(), "/Groups".into()),
            ("PATCH".into(), "/Users/id-b1".into())
        ]
    );
    assert_eq!(
        bodies[1]["Operations"][0]["data"]["members"],
        json!([{"value": "id-b1", "type": "User"}, {"value": "id-b2", "type": "User"}])
    );
    assert_eq!(
        op_summary(&bodies[2]),
        [("PATCH".into(), "/Groups/id-b3".into())]
    );
    assert_eq!(
        bodies[2]["Operations"][0]["data"]["Operations"][0]["value"],
        json!([{"value": "id-b2"}])
    );
    // No request carries a bulkId reference to an earlier request.
    for body in &bodies[1..] {
        assert!(!body.to_string().contains("bulkId:"), "{body}");
    }

    assert!(results.is_success(), "{results:?}");
    assert_eq!(results.id_of(&alice), Some("id-b1"));
    assert_eq!(results.id_of(&bob), Some("id-b2"));
    assert_eq!(results.id_of(&group), Some("id-b3"));
    assert_eq!(
        results.outcome(3).and_then(|o| o.id.as_deref()),
        Some("id-b1")
    );
    assert_eq!(
        results.outcome(4).map(|o| o.method),
        Some(BulkMethod::Patch)
    );
}

#[tokio::test]
async fn forward_references_are_sent_after_their_creates_when_split() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 1_048_576)).await;
    serve_bulk(&server).await;

    // The group comes first and references a user created after it.
    let mut bulk = Bulk::new().max_operations(1);
    let group = bulk
        .create(&group_with("g", &["bulkId:later".to_owned()]))
        .expect("valid");
    let user = bulk
        .create_with_bulk_id("later", &User::<()>::new("later"))
        .expect("valid");
    let results = client(&server).bulk(bulk).await.expect("bulk runs");

    let bodies = bulk_bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["Operations"][0]["bulkId"], "later");
    assert_eq!(
        bodies[1]["Operations"][0]["data"]["members"][0]["value"],
        "id-later"
    );
    // Results stay in the order the operations were added.
    assert_eq!(
        results.outcome(0).and_then(|o| o.id.as_deref()),
        Some("id-b1")
    );
    assert_eq!(results.id_of(&group), Some("id-b1"));
    assert_eq!(results.id_of(&user), Some("id-later"));
}

#[tokio::test]
async fn a_reference_cycle_travels_in_one_request() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(2, 1_048_576)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("first")).expect("valid");
    let a = bulk
        .create_with_bulk_id("ga", &group_with("A", &["bulkId:gb".to_owned()]))
        .expect("valid");
    let b = bulk
        .create_with_bulk_id("gb", &group_with("B", &["bulkId:ga".to_owned()]))
        .expect("valid");
    let results = client(&server).bulk(bulk).await.expect("bulk runs");
    let bodies = bulk_bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["Operations"].as_array().map(Vec::len), Some(1));
    assert_eq!(bodies[1]["Operations"].as_array().map(Vec::len), Some(2));
    assert_eq!(results.id_of(&a), Some("id-ga"));
    assert_eq!(results.id_of(&b), Some("id-gb"));

    // A cycle larger than the limit cannot be sent at all.
    let mut bulk = Bulk::new().max_operations(1);
    bulk.create_with_bulk_id("ga", &group_with("A", &["bulkId:gb".to_owned()]))
        .expect("valid");
    bulk.create_with_bulk_id("gb", &group_with("B", &["bulkId:ga".to_owned()]))
        .expect("valid");
    let err = client(&server).bulk(bulk).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("cycle")),
        "{err}"
    );
    assert_eq!(bulk_bodies(&server).await.len(), 2, "nothing more was sent");
}

#[tokio::test]
async fn splits_on_payload_size() {
    let server = MockServer::start().await;
    let limit = 700;
    serve_config(&server, bulk_config(1000, limit)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    let users: Vec<_> = (0..6)
        .map(|i| {
            let mut user = User::<()>::new(format!("user-{i}"));
            user.display_name = Some(format!("{i}-{}", "x".repeat(150)));
            bulk.create(&user).expect("valid")
        })
        .collect();
    let results = client(&server).bulk(bulk).await.expect("bulk runs");

    let requests: Vec<Vec<u8>> = server
        .received_requests()
        .await
        .expect("recording on")
        .into_iter()
        .filter(|r| r.url.path() == "/Bulk")
        .map(|r| r.body)
        .collect();
    assert!(requests.len() > 1, "split into {} requests", requests.len());
    for body in &requests {
        assert!(body.len() <= 700, "{} bytes", body.len());
    }
    // Every operation exactly once, in order.
    let sent: Vec<String> = requests
        .iter()
        .flat_map(|b| {
            let v: Value = serde_json::from_slice(b).expect("JSON");
            v["Operations"]
                .as_array()
                .expect("ops")
                .iter()
                .map(|o| o["data"]["userName"].as_str().expect("userName").to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let wanted: Vec<String> = (0..6).map(|i| format!("user-{i}")).collect();
    assert_eq!(sent, wanted);
    for (i, user) in users.iter().enumerate() {
        assert_eq!(results.id_of(user), Some(format!("id-b{}", i + 1).as_str()));
    }
}

#[tokio::test]
async fn an_operation_over_the_payload_limit_is_refused_before_sending() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 600)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("small")).expect("valid");
    let mut big = User::<()>::new("big");
    big.display_name = Some("x".repeat(1000));
    bulk.create(&big).expect("valid");
    let err = client(&server).bulk(bulk).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("bulk operation 1 (POST /Users)") && m.contains("600")),
        "{err}"
    );
    assert!(bulk_bodies(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Support and errors.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unsupported_bulk_sends_nothing() {
    let server = MockServer::start().await;
    serve_config(
        &server,
        json!({"supported": false, "maxOperations": 0, "maxPayloadSize": 0}),
    )
    .await;
    serve_bulk(&server).await;
    let scim = client(&server);

    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("a")).expect("valid");
    // The configuration is unknown: it is read first, then nothing else is sent.
    let err = scim.bulk(bulk.clone()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Unsupported(what) if what == "bulk"),
        "{err}"
    );
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recording on")
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(paths, ["GET /ServiceProviderConfig"]);

    // Now it is known: not even that.
    let err = scim.bulk(bulk).await.unwrap_err();
    assert!(matches!(err, Error::Unsupported(_)), "{err}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn failed_operations_are_returned_not_raised() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 1_048_576)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    let ok = bulk.create(&User::<()>::new("fine")).expect("valid");
    let dup = bulk.create(&User::<()>::new("dup-1")).expect("valid");
    let results = client(&server)
        .bulk(bulk)
        .await
        .expect("a 200 is a success");
    assert!(results.is_complete());
    assert!(!results.is_success());
    assert_eq!(results.id_of(&ok), Some("id-b1"));
    assert_eq!(results.id_of(&dup), None);
    let errors: Vec<_> = results.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 1);
    assert_eq!(errors[0].1.status, 409);
    assert_eq!(errors[0].1.scim_type, Some(ScimType::Uniqueness));
    let outcome = results.outcome_of(&dup).expect("processed");
    assert_eq!((outcome.status, outcome.location.as_deref()), (409, None));
}

#[tokio::test]
async fn fail_on_errors_counts_across_requests() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(2, 1_048_576)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new().fail_on_errors(2);
    for name in ["ok-0", "dup-1", "dup-2", "ok-3", "ok-4", "ok-5"] {
        bulk.create(&User::<()>::new(name)).expect("valid");
    }
    let results = client(&server).bulk(bulk).await.expect("bulk runs");
    let bodies = bulk_bodies(&server).await;
    assert_eq!(bodies.len(), 2, "the third request is never sent");
    assert_eq!(bodies[0]["failOnErrors"], 2);
    assert_eq!(bodies[1]["failOnErrors"], 1, "one error left to accept");
    assert_eq!(results.requests(), 2);
    let statuses: Vec<Option<u16>> = results.iter().map(|o| o.map(|o| o.status)).collect();
    assert_eq!(
        statuses,
        [Some(201), Some(409), Some(409), None, None, None]
    );
    assert_eq!(results.not_processed().collect::<Vec<_>>(), [3, 4, 5]);
    assert!(!results.is_complete());
    assert!(results.interruption().is_none());
}

#[tokio::test]
async fn a_reference_to_a_failed_create_fails_locally() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1, 1_048_576)).await;
    serve_bulk(&server).await;

    let mut bulk = Bulk::new();
    let dup = bulk.create(&User::<()>::new("dup-x")).expect("valid");
    let group = bulk
        .create(&group_with("g", &[dup.reference()]))
        .expect("valid");
    let other = bulk.create(&User::<()>::new("fine")).expect("valid");
    let results = client(&server).bulk(bulk).await.expect("bulk runs");
    // The group is never sent: its member was not created.
    let bodies = bulk_bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies
            .iter()
            .all(|b| b["Operations"][0]["path"] == "/Users")
    );
    let failed = results.outcome_of(&group).expect("settled locally");
    assert_eq!(failed.status, 409);
    let error = failed.error.as_ref().expect("an error");
    assert_eq!(error.scim_type, Some(ScimType::InvalidValue));
    assert!(
        error
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("bulkId:b1")),
        "{error:?}"
    );
    assert_eq!(results.id_of(&other), Some("id-b3"));
    assert_eq!(results.errors().map(|(i, _)| i).collect::<Vec<_>>(), [0, 1]);
}

#[tokio::test]
async fn payload_too_large_from_the_server_is_an_error() {
    let server = MockServer::start().await;
    // The server advertises no limits, then refuses the request anyway.
    serve_config(&server, json!({"supported": true})).await;
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(scim(
            413,
            &json!({"schemas": [ERROR], "status": "413",
                    "detail": "The size of the bulk operation exceeds the maxPayloadSize (1048576)."}),
        ))
        .mount(&server)
        .await;
    let mut bulk = Bulk::new();
    bulk.create(&User::<()>::new("a")).expect("valid");
    let err = client(&server).bulk(bulk).await.unwrap_err();
    assert!(matches!(&err, Error::Scim(e) if e.status == 413), "{err}");
    assert_eq!(err.status(), Some(413));
}

#[tokio::test]
async fn a_later_request_failing_keeps_earlier_results() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1, 1_048_576)).await;
    // The first request succeeds, the second is refused.
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(Echo)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(scim(
            500,
            &json!({"schemas": [ERROR], "status": "500", "detail": "boom"}),
        ))
        .mount(&server)
        .await;
    let mut bulk = Bulk::new();
    let first = bulk.create(&User::<()>::new("first")).expect("valid");
    bulk.create(&User::<()>::new("second")).expect("valid");
    bulk.create(&User::<()>::new("third")).expect("valid");
    let results = client(&server).bulk(bulk).await.expect("partly done");
    assert_eq!(results.id_of(&first), Some("id-b1"));
    // Two requests were sent; the second was refused as a whole.
    assert_eq!(results.requests(), 2);
    assert_eq!(results.not_processed().collect::<Vec<_>>(), [1, 2]);
    let interruption = results.interruption().expect("an interruption");
    assert_eq!(interruption.status(), Some(500));
    assert_eq!(bulk_bodies(&server).await.len(), 2, "the third is not sent");
}

#[tokio::test]
async fn created_resources_returned_by_the_server_are_typed() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(1000, 1_048_576)).await;
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(scim(
            200,
            &json!({"schemas": [BULK_RESPONSE], "Operations": [
                {"method": "POST", "bulkId": "b1", "status": {"code": "201"},
                 "location": "https://scim.example.com/v2/Users/92b725cd",
                 "version": "W/\"4weymrEsh5O6cAEK\"",
                 "response": {"schemas": [CORE], "id": "92b725cd", "userName": "alice"}},
                {"method": "POST", "bulkId": "b2", "status": "201",
                 "response": {"schemas": [GROUP], "id": "e9e30dba", "displayName": "g"}}
            ]}),
        ))
        .mount(&server)
        .await;
    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("valid");
    let group = bulk.create(&group_with("g", &[])).expect("valid");
    let results = client(&server).bulk(bulk).await.expect("bulk runs");
    let user: User<()> = results.get(&alice).expect("returned").expect("a user");
    assert_eq!(user.id.as_deref(), Some("92b725cd"));
    assert_eq!(
        user.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"4weymrEsh5O6cAEK\"")
    );
    // Without a location, the id comes from the returned resource.
    assert_eq!(results.id_of(&group), Some("e9e30dba"));
}

#[cfg(feature = "blocking")]
#[tokio::test(flavor = "multi_thread")]
async fn the_blocking_client_splits_the_same_way() {
    let server = MockServer::start().await;
    serve_config(&server, bulk_config(2, 1_048_576)).await;
    serve_bulk(&server).await;
    let uri = server.uri();
    let results = tokio::task::spawn_blocking(move || {
        let scim = scim_client::blocking::Client::builder(&uri)
            .retry(RetryPolicy::none())
            .build()
            .expect("client builds");
        let mut bulk = Bulk::new();
        let alice = bulk.create(&User::<()>::new("alice")).expect("valid");
        bulk.create(&User::<()>::new("bob")).expect("valid");
        let group = bulk
            .create(&group_with("g", &[alice.reference()]))
            .expect("valid");
        let results = scim.bulk(bulk).expect("bulk runs");
        (results.requests(), results.id_of(&group).map(str::to_owned))
    })
    .await
    .expect("blocking task");
    assert_eq!(results, (2, Some("id-b3".to_owned())));
    let bodies = bulk_bodies(&server).await;
    assert_eq!(
        bodies[1]["Operations"][0]["data"]["members"][0]["value"],
        "id-b1"
    );
}
