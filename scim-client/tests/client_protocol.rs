//! Protocol tests of the async client against local HTTP fakes (wiremock on 127.0.0.1): for
//! each operation, the request the client puts on the wire (method, path, query string,
//! headers, body) and what it makes of the server's answer (typed resource, `Error` variant),
//! then pagination (`Api::stream`) against misbehaving servers, and secrets kept out of
//! `Debug` output and logs.
//!
//! Every test mounts a catch-all responder and inspects the recorded requests, so a wrong
//! request fails with a readable assertion rather than a 404 from the fake.

use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt as _};
use scim_client::Client;
use scim_client::client::{Conditional, RequestOptions, RetryPolicy, SCIM_JSON};
use scim_client::error::{Error, Rule};
use scim_client::model::{Meta, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest, SortOrder};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const TOKEN: &str = "tok-3f9a1c7e-do-not-log-me";
const PASSWORD: &str = "pw-8d2b44e1-do-not-log-me";

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A client for `server` without retries (so error tests answer at once) and without auth.
fn client(server: &MockServer) -> Client {
    Client::builder(&server.uri())
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// A SCIM JSON answer.
fn scim(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).expect("serializes"), SCIM_JSON)
}

/// A user as a server returns it.
fn user_json(id: &str, user_name: &str) -> Value {
    json!({
        "schemas": [CORE],
        "id": id,
        "userName": user_name,
        "meta": {"resourceType": "User", "location": format!("/Users/{id}"), "version": "W/\"1\""}
    })
}

/// A SCIM error body with the status as given (a string or a number).
fn error_json(status: &Value, scim_type: Option<&str>) -> Value {
    let mut body = json!({"schemas": [ERROR], "status": status, "detail": "it went wrong"});
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    body
}

/// A page of a list response.
fn list_json(total: usize, start: usize, resources: &[Value]) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": total,
        "itemsPerPage": resources.len(),
        "startIndex": start,
        "Resources": resources
    })
}

/// Answers every request with `template`.
async fn answer(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .mount(server)
        .await;
}

/// Every request the fake received, in order.
async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the fake received.
async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request, got {all:?}");
    all.remove(0)
}

/// A request header as a string.
fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// A decoded query parameter.
fn query(req: &Request, name: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The request body as JSON.
fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or_else(|e| {
        panic!(
            "request body is not JSON ({e}): {}",
            String::from_utf8_lossy(&req.body)
        )
    })
}

fn assert_scim_request_headers(req: &Request) {
    let accept = header(req, "accept").expect("an Accept header");
    assert!(accept.contains(SCIM_JSON), "Accept: {accept}");
}

fn assert_scim_body_headers(req: &Request) {
    assert_scim_request_headers(req);
    assert_eq!(header(req, "content-type"), Some(SCIM_JSON));
}

/// A user the client already holds (as read from the server).
fn held_user(id: &str, version: Option<&str>) -> User {
    let mut user = User::new("bjensen");
    user.id = Some(id.to_owned());
    user.meta = Some(Meta {
        resource_type: Some("User".to_owned()),
        version: version.map(str::to_owned),
        ..Meta::default()
    });
    user
}

/// Drains a stream of users, giving up once the fake has received more than `max_requests`
/// requests (so a client that never stops paging fails the test instead of hanging it).
/// Returns the items and whether the stream ended by itself.
async fn drain_bounded<S>(
    mut stream: S,
    server: &MockServer,
    max_requests: usize,
) -> (Vec<Result<User, Error>>, bool)
where
    S: Stream<Item = Result<User, Error>> + Unpin,
{
    let mut out = Vec::new();
    while let Some(item) = stream.next().await {
        out.push(item);
        if requests(server).await.len() > max_requests {
            return (out, false);
        }
    }
    (out, true)
}

/// The ids of the users a stream yielded; panics on an error item.
fn ids(items: &[Result<User, Error>]) -> Vec<String> {
    items
        .iter()
        .map(|r| match r {
            Ok(u) => u.id.clone().expect("an id"),
            Err(e) => panic!("the stream yielded an error: {e:?}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Requests: create.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_posts_to_the_endpoint_with_scim_content_type_and_accept() {
    let server = MockServer::start().await;
    answer(&server, scim(201, &user_json("2819c223", "bjensen"))).await;

    let created = client(&server)
        .resource::<User>()
        .create(&User::new("bjensen"))
        .await
        .expect("created");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/Users");
    assert_eq!(req.url.query(), None);
    assert_scim_body_headers(&req);
    assert_eq!(created.id.as_deref(), Some("2819c223"));
    assert_eq!(created.user_name.as_deref(), Some("bjensen"));
}

#[tokio::test]
async fn create_body_names_schemas_and_leaves_out_id_and_meta() {
    let server = MockServer::start().await;
    answer(&server, scim(201, &user_json("1", "bjensen"))).await;
    let mut user = held_user("must-not-be-sent", Some("W/\"9\""));
    user.password = Some("t1meMa$heen".into());

    client(&server)
        .resource::<User>()
        .create(&user)
        .await
        .expect("created");

    let sent = body(&only_request(&server).await);
    assert_eq!(
        sent,
        json!({"schemas": [CORE], "userName": "bjensen", "password": "t1meMa$heen"})
    );
}

#[tokio::test]
async fn create_without_required_user_name_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, scim(201, &user_json("1", "x"))).await;

    let err = client(&server)
        .resource::<User>()
        .create(&User::default())
        .await
        .expect_err("userName is required");

    match &err {
        Error::RequestValidation(v) => {
            assert!(v.concerns("userName"), "{v}");
            assert!(v.iter().any(|x| x.rule == Rule::Required), "{v}");
        }
        other => panic!("expected RequestValidation, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn create_answered_409_uniqueness_is_a_scim_conflict() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(409, &error_json(&json!("409"), Some("uniqueness"))),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .create(&User::new("bjensen"))
        .await
        .expect_err("conflict");

    assert!(err.is_conflict(), "{err:?}");
    assert_eq!(err.scim_type(), Some(&ScimType::Uniqueness));
    assert_eq!(only_request(&server).await.method.as_str(), "POST");
}

// ---------------------------------------------------------------------------------------------
// Requests: get and ids in URLs.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_a_bodiless_get_to_endpoint_slash_id() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("2819c223", "bjensen"))).await;

    let user = client(&server)
        .resource::<User>()
        .get("2819c223")
        .await
        .expect("found");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), "/Users/2819c223");
    assert_eq!(req.url.query(), None);
    assert_scim_request_headers(&req);
    assert_eq!(header(&req, "content-type"), None);
    assert!(req.body.is_empty());
    assert_eq!(user.id.as_deref(), Some("2819c223"));
}

#[tokio::test]
async fn get_percent_encodes_the_id_as_one_path_segment() {
    let cases = [
        ("a/b", "/Users/a%2Fb"),
        ("42/../../Groups/7", "/Users/42%2F..%2F..%2FGroups%2F7"),
        ("a?b=c", "/Users/a%3Fb=c"),
        ("a#frag", "/Users/a%23frag"),
        ("100%", "/Users/100%25"),
        ("%2e%2e", "/Users/%252e%252e"),
        ("a b", "/Users/a%20b"),
        ("été", "/Users/%C3%A9t%C3%A9"),
        ("日本", "/Users/%E6%97%A5%E6%9C%AC"),
        ("a\\b", "/Users/a%5Cb"),
        ("...", "/Users/..."),
        ("urn:x:y@z", "/Users/urn:x:y@z"),
    ];
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("x", "x"))).await;
    let users = client(&server).resource::<User>();

    for (id, _) in cases {
        users
            .get(id)
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e:?}"));
    }

    let sent: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(sent, expected);
    assert!(
        requests(&server)
            .await
            .iter()
            .all(|r| r.url.query().is_none()),
        "no id may spill into the query string"
    );
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;
    let users = client(&server).resource::<User>();
    let patch = PatchOp::new().replace("displayName", "x");

    for id in [".", "..", ""] {
        let results = [
            users.get(id).await.map(|_| ()),
            users.delete(id).await,
            users.patch(id, &patch).await.map(|_| ()),
            users.replace(&held_user(id, None)).await.map(|_| ()),
        ];
        for (op, result) in ["get", "delete", "patch", "replace"].iter().zip(results) {
            match result {
                Err(Error::InvalidRequest(_)) => {}
                other => panic!("{op} {id:?}: expected InvalidRequest, got {other:?}"),
            }
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn get_with_sends_only_the_projection_parameters() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &json!({"id": "1", "userName": "bjensen"})),
    )
    .await;
    let params = SearchRequest::new()
        .filter("userName eq \"x\"")
        .attributes(["userName", "emails.value"])
        .count(5);

    client(&server)
        .resource::<User>()
        .get_with("1", &params)
        .await
        .expect("found");

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/Users/1");
    assert_eq!(req.url.query(), Some("attributes=userName%2Cemails.value"));
}

// ---------------------------------------------------------------------------------------------
// Requests: list and search.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_sends_every_query_parameter_with_lists_comma_joined() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &list_json(0, 1, &[]))).await;
    let params = SearchRequest::new()
        .filter(r#"userName eq "bjensen" and emails co "@example.com""#)
        .attributes(["userName", "emails.value"])
        .excluded_attributes(["groups"])
        .sort_by("name.familyName")
        .sort_order(SortOrder::Descending)
        .start_index(11)
        .count(10);

    let page = client(&server)
        .resource::<User>()
        .list(&params)
        .await
        .expect("listed");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), "/Users");
    assert!(req.body.is_empty());
    assert_scim_request_headers(&req);
    let pairs: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
    let expected = [
        ("attributes", "userName,emails.value"),
        ("excludedAttributes", "groups"),
        (
            "filter",
            r#"userName eq "bjensen" and emails co "@example.com""#,
        ),
        ("sortBy", "name.familyName"),
        ("sortOrder", "descending"),
        ("startIndex", "11"),
        ("count", "10"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(pairs, expected);
    let raw = req.url.query().expect("a query string");
    assert!(raw.contains("attributes=userName%2Cemails.value"), "{raw}");
    assert!(!raw.contains("schemas"), "{raw}");
    assert_eq!(page.total_results, Some(0));
    assert!(page.resources.is_empty());
}

#[tokio::test]
async fn list_without_parameters_sends_no_query_string() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &list_json(1, 1, &[user_json("1", "bjensen")])),
    )
    .await;

    let page = client(&server)
        .resource::<User>()
        .list(&SearchRequest::new())
        .await
        .expect("listed");

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/Users");
    assert_eq!(req.url.query(), None);
    assert_eq!(page.resources.len(), 1);
    assert_eq!(page.resources[0].id.as_deref(), Some("1"));
}

#[tokio::test]
async fn list_query_values_with_reserved_characters_reach_the_server_intact() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &list_json(0, 1, &[]))).await;
    let filter = r#"displayName eq "a&b=c+d#e%f/g?h é" or title sw "x;y""#;

    client(&server)
        .resource::<User>()
        .list(&SearchRequest::new().filter(filter).count(0).start_index(0))
        .await
        .expect("listed");

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/Users");
    assert_eq!(query(&req, "filter").as_deref(), Some(filter));
    assert_eq!(query(&req, "count").as_deref(), Some("0"));
    assert_eq!(query(&req, "startIndex").as_deref(), Some("1"));
    let raw = req.url.query().expect("a query string");
    assert!(
        raw.contains("%2B"),
        "a literal `+` must not read as a space: {raw}"
    );
    assert_eq!(req.url.query_pairs().count(), 3, "{raw}");
}

#[tokio::test]
async fn a_resource_without_id_in_a_list_is_named_by_its_index() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(
            200,
            &list_json(
                2,
                1,
                &[
                    user_json("1", "a"),
                    json!({"schemas": [CORE], "userName": "b"}),
                ],
            ),
        ),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .list(&SearchRequest::new())
        .await
        .expect_err("id is returned always");

    let v = err.violations().expect("a validation error");
    assert!(v.concerns("Resources[1].id"), "{v}");
}

#[tokio::test]
async fn search_posts_a_search_request_body_to_endpoint_dot_search() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &list_json(1, 1, &[user_json("1", "bjensen")])),
    )
    .await;
    let params = SearchRequest::new()
        .filter("userName sw \"b\"")
        .attributes(["userName", "displayName"])
        .start_index(1)
        .count(10);

    let page = client(&server)
        .resource::<User>()
        .search(&params)
        .await
        .expect("searched");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/Users/.search");
    assert_eq!(req.url.query(), None);
    assert_scim_body_headers(&req);
    assert_eq!(
        body(&req),
        json!({
            "schemas": [SEARCH],
            "attributes": ["userName", "displayName"],
            "filter": "userName sw \"b\"",
            "startIndex": 1,
            "count": 10
        })
    );
    assert_eq!(page.resources[0].user_name.as_deref(), Some("bjensen"));
}

#[tokio::test]
async fn client_search_posts_to_the_root_dot_search() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &list_json(1, 1, &[user_json("1", "bjensen")])),
    )
    .await;

    let page = client(&server)
        .search::<User>(&SearchRequest::new().filter("userName pr"))
        .await
        .expect("searched");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/.search");
    assert_eq!(
        body(&req),
        json!({"schemas": [SEARCH], "filter": "userName pr"})
    );
    assert_eq!(page.resources.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Requests: replace, patch, delete.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn replace_puts_to_endpoint_slash_id_with_if_match_from_meta_version() {
    let server = MockServer::start().await;
    let mut answered = user_json("2819c223", "bjensen");
    answered["meta"]["version"] = json!("W/\"4\"");
    answer(&server, scim(200, &answered)).await;

    let replaced = client(&server)
        .resource::<User>()
        .replace(&held_user("2819c223", Some("W/\"3\"")))
        .await
        .expect("replaced");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "PUT");
    assert_eq!(req.url.path(), "/Users/2819c223");
    assert_scim_body_headers(&req);
    assert_eq!(header(&req, "if-match"), Some("W/\"3\""));
    let sent = body(&req);
    assert_eq!(sent["schemas"], json!([CORE]));
    assert_eq!(sent["userName"], "bjensen");
    assert!(sent.get("meta").is_none(), "meta is read-only: {sent}");
    assert_eq!(
        replaced.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"4\"")
    );
}

#[tokio::test]
async fn replace_without_version_sends_no_if_match() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("7", "bjensen"))).await;

    client(&server)
        .resource::<User>()
        .replace(&held_user("7", None))
        .await
        .expect("replaced");

    assert_eq!(header(&only_request(&server).await, "if-match"), None);
}

#[tokio::test]
async fn replace_without_id_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("7", "bjensen"))).await;

    let err = client(&server)
        .resource::<User>()
        .replace(&User::new("bjensen"))
        .await
        .expect_err("no id");

    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn patch_sends_a_patch_op_body() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;
    let patch = PatchOp::new()
        .replace("displayName", "Babs")
        .add(
            "emails",
            json!([{"value": "babs@example.com", "type": "home"}]),
        )
        .remove(r#"phoneNumbers[type eq "fax"]"#);

    client(&server)
        .resource::<User>()
        .patch("2819c223", &patch)
        .await
        .expect("patched");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "PATCH");
    assert_eq!(req.url.path(), "/Users/2819c223");
    assert_scim_body_headers(&req);
    assert_eq!(header(&req, "if-match"), None);
    assert_eq!(
        body(&req),
        json!({
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": "displayName", "value": "Babs"},
                {"op": "add", "path": "emails", "value": [{"value": "babs@example.com", "type": "home"}]},
                {"op": "remove", "path": "phoneNumbers[type eq \"fax\"]"}
            ]
        })
    );
}

#[tokio::test]
async fn patch_if_match_sends_if_match() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    client(&server)
        .resource::<User>()
        .patch_if_match(
            "1",
            Some("W/\"5\""),
            &PatchOp::new().replace("active", false),
        )
        .await
        .expect("patched");

    assert_eq!(
        header(&only_request(&server).await, "if-match"),
        Some("W/\"5\"")
    );
}

#[tokio::test]
async fn patch_without_operations_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    let err = client(&server)
        .resource::<User>()
        .patch("1", &PatchOp::new())
        .await
        .expect_err("an empty patch is invalid");

    // `Api::patch` documents `Error::RequestValidation`; the code answers `InvalidRequest`
    // (a PatchOp structural error has no attribute/rule to put in a `Violation`).
    assert!(
        matches!(err, Error::InvalidRequest(_) | Error::RequestValidation(_)),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn delete_sends_a_bodiless_delete() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    client(&server)
        .resource::<User>()
        .delete("2819c223")
        .await
        .expect("deleted");

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "DELETE");
    assert_eq!(req.url.path(), "/Users/2819c223");
    assert!(req.body.is_empty());
    assert_eq!(header(&req, "content-type"), None);
    assert_eq!(header(&req, "if-match"), None);
}

#[tokio::test]
async fn delete_if_match_sends_if_match() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    client(&server)
        .resource::<User>()
        .delete_if_match("1", Some("W/\"2\""))
        .await
        .expect("deleted");

    assert_eq!(
        header(&only_request(&server).await, "if-match"),
        Some("W/\"2\"")
    );
}

// ---------------------------------------------------------------------------------------------
// Requests: auth, headers, base URL.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bearer_token_is_sent_as_authorization_bearer() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let scim_client = Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");

    scim_client
        .resource::<User>()
        .get("1")
        .await
        .expect("found");

    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn basic_auth_is_sent_as_authorization_basic() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let scim_client = Client::builder(&server.uri())
        .basic_auth("admin", "p@ss:word")
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");

    scim_client
        .resource::<User>()
        .get("1")
        .await
        .expect("found");

    // base64("admin:p@ss:word")
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some("Basic YWRtaW46cEBzczp3b3Jk")
    );
}

#[tokio::test]
async fn builder_and_per_call_headers_are_sent() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let scim_client = Client::builder(&server.uri())
        .header("X-Tenant", "acme")
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let options = RequestOptions::default()
        .header("X-Request-Id", "r-1")
        .expect("valid header");

    scim_client
        .resource::<User>()
        .with_options(options)
        .get("1")
        .await
        .expect("found");

    let req = only_request(&server).await;
    assert_eq!(header(&req, "x-tenant"), Some("acme"));
    assert_eq!(header(&req, "x-request-id"), Some("r-1"));
}

#[tokio::test]
async fn base_url_with_or_without_trailing_slash_and_with_a_path_prefix() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let cases = [
        ("", "/Users/1"),
        ("/", "/Users/1"),
        ("/scim/v2", "/scim/v2/Users/1"),
        ("/scim/v2/", "/scim/v2/Users/1"),
    ];

    for (suffix, _) in cases {
        let base = format!("{}{suffix}", server.uri());
        let scim_client = Client::builder(&base)
            .retry(RetryPolicy::none())
            .build()
            .expect("client builds");
        scim_client
            .resource::<User>()
            .get("1")
            .await
            .unwrap_or_else(|e| panic!("{base}: {e:?}"));
    }

    let sent: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn api_at_another_endpoint_uses_it_and_refuses_endpoints_leaving_the_base() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let users = client(&server).resource::<User>();

    for bad in [
        "Accounts",
        "//evil.example/Users",
        "/../Users",
        "/a/./b",
        "/Users?x=1",
        "/Users#f",
        "http://evil.example/Users",
        "/Us%2Fers",
    ] {
        assert!(
            matches!(users.clone().at(bad), Err(Error::InvalidRequest(_))),
            "{bad:?} must be refused"
        );
    }
    users
        .at("/Accounts")
        .expect("a path under the base")
        .get("1")
        .await
        .expect("found");

    assert_eq!(only_request(&server).await.url.path(), "/Accounts/1");
}

#[test]
fn base_urls_that_are_not_plain_http_are_refused() {
    for base in [
        "not a url",
        "ftp://example.com/scim",
        "mailto:scim@example.com",
        "https://user:secret@example.com/scim",
    ] {
        match Client::builder(base).build() {
            Err(Error::InvalidRequest(_)) => {}
            other => panic!("{base}: expected InvalidRequest, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Responses: content type, status, decoding.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn html_200_is_an_unexpected_content_type() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw("<html><body>Login</body></html>", "text/html"),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("not SCIM");

    match err {
        Error::UnexpectedContentType {
            status,
            content_type,
        } => {
            assert_eq!(status, 200);
            assert_eq!(content_type.as_deref(), Some("text/html"));
        }
        other => panic!("expected UnexpectedContentType, got {other:?}"),
    }
}

#[tokio::test]
async fn json_media_types_with_parameters_and_any_case_are_accepted() {
    let server = MockServer::start().await;
    let users = client(&server).resource::<User>();
    for content_type in [
        "application/scim+json; charset=utf-8",
        "application/json",
        "application/json;charset=UTF-8",
        "Application/SCIM+JSON",
    ] {
        server.reset().await;
        answer(
            &server,
            ResponseTemplate::new(200).set_body_raw(
                serde_json::to_vec(&user_json("1", "bjensen")).expect("serializes"),
                content_type,
            ),
        )
        .await;
        let user = users
            .get("1")
            .await
            .unwrap_or_else(|e| panic!("{content_type}: {e:?}"));
        assert_eq!(user.id.as_deref(), Some("1"));
    }
}

#[tokio::test]
async fn html_502_from_a_proxy_is_an_unexpected_status() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(502)
            .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("proxy error");

    match &err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(*status, 502);
            assert!(body.contains("Bad Gateway"), "{body}");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn non_json_body_with_a_json_content_type_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw("this is not json {", SCIM_JSON),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("undecodable");

    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn json_that_is_not_an_object_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(&server, scim(200, &json!(["not", "an", "object"]))).await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("not an object");

    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn schemas_naming_another_resource_or_not_a_string_list_is_a_decode_error() {
    let server = MockServer::start().await;
    let users = client(&server).resource::<User>();
    for schemas in [
        json!(["urn:ietf:params:scim:schemas:core:2.0:Group"]),
        json!(CORE),
        json!([1, 2]),
        json!({"0": CORE}),
    ] {
        server.reset().await;
        answer(
            &server,
            scim(
                200,
                &json!({"schemas": schemas, "id": "1", "userName": "bjensen"}),
            ),
        )
        .await;
        match users.get("1").await {
            Err(Error::Decode { path, source, .. }) => {
                assert!(
                    path.starts_with("schemas") || source.to_string().contains("schemas"),
                    "{schemas}: {path} {source}"
                );
            }
            other => panic!("{schemas}: expected Decode, got {other:?}"),
        }
    }
}

/// A resource without `schemas` is accepted (a deliberate leniency: RFC 7644 prints partial
/// results without it and several servers leave it out); one whose `schemas` names another
/// type is refused (see the test above).
#[tokio::test]
async fn response_without_schemas_is_accepted() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &json!({"id": "1", "userName": "bjensen"})),
    )
    .await;

    let user = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect("no schemas is fine");

    assert_eq!(user.user_name.as_deref(), Some("bjensen"));
}

#[tokio::test]
async fn scim_error_bodies_become_error_scim_with_status_and_scim_type() {
    let cases: [(u16, Option<&str>, Option<ScimType>); 7] = [
        (400, Some("invalidFilter"), Some(ScimType::InvalidFilter)),
        (401, None, None),
        (403, None, None),
        (404, None, None),
        (409, Some("uniqueness"), Some(ScimType::Uniqueness)),
        (412, None, None),
        (500, None, None),
    ];
    let server = MockServer::start().await;
    let users = client(&server).resource::<User>();
    for (status, keyword, scim_type) in cases {
        for written in [json!(status.to_string()), json!(status)] {
            server.reset().await;
            answer(&server, scim(status, &error_json(&written, keyword))).await;
            let err = users.get("1").await.expect_err("an error answer");
            let label = format!("{status} written as {written}");
            let Error::Scim(e) = &err else {
                panic!("{label}: expected Error::Scim, got {err:?}");
            };
            assert_eq!(e.status, status, "{label}");
            assert_eq!(e.scim_type, scim_type, "{label}");
            assert_eq!(e.detail.as_deref(), Some("it went wrong"), "{label}");
            assert_eq!(err.status(), Some(status), "{label}");
            assert_eq!(err.is_not_found(), status == 404, "{label}");
            assert_eq!(err.is_conflict(), status == 409, "{label}");
            assert_eq!(err.is_precondition_failed(), status == 412, "{label}");
            assert_eq!(requests(&server).await.len(), 1, "{label}: not retried");
        }
    }
}

#[tokio::test]
async fn empty_500_is_an_unexpected_status() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(500)).await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("server error");

    match err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status, 500);
            assert!(body.is_empty(), "{body:?}");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_200_where_a_resource_is_expected_is_an_error() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200)).await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("no resource");

    assert!(
        matches!(err, Error::UnexpectedStatus { status: 200, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn unexpected_success_status_is_an_unexpected_status() {
    let server = MockServer::start().await;
    answer(&server, scim(202, &user_json("1", "bjensen"))).await;

    let err = client(&server)
        .resource::<User>()
        .create(&User::new("bjensen"))
        .await
        .expect_err("202 is not a create answer");

    assert!(
        matches!(err, Error::UnexpectedStatus { status: 202, .. }),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Responses: response-context validation.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn returned_never_password_in_a_response_is_a_response_validation_error() {
    let server = MockServer::start().await;
    let mut leaked = user_json("1", "bjensen");
    leaked["password"] = json!("t1meMa$heen");
    answer(&server, scim(200, &leaked)).await;

    let err = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("password must not come back");

    match &err {
        Error::ResponseValidation(v) => {
            assert!(v.concerns("password"), "{v}");
            assert!(v.iter().any(|x| x.rule == Rule::ReturnedNever), "{v}");
        }
        other => panic!("expected ResponseValidation, got {other:?}"),
    }
    assert!(err.to_string().contains("password"), "{err}");
}

#[tokio::test]
async fn password_in_a_list_response_names_the_resource() {
    let server = MockServer::start().await;
    let mut leaked = user_json("2", "babs");
    leaked["password"] = json!("t1meMa$heen");
    answer(
        &server,
        scim(200, &list_json(2, 1, &[user_json("1", "bjensen"), leaked])),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .list(&SearchRequest::new())
        .await
        .expect_err("password must not come back");

    let v = err.violations().expect("a validation error");
    assert!(matches!(err, Error::ResponseValidation(_)), "{err:?}");
    assert!(v.concerns("Resources[1].password"), "{v}");
}

#[tokio::test]
async fn missing_id_in_a_response_is_a_response_validation_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(201, &json!({"schemas": [CORE], "userName": "bjensen"})),
    )
    .await;

    let err = client(&server)
        .resource::<User>()
        .create(&User::new("bjensen"))
        .await
        .expect_err("id is returned always");

    match &err {
        Error::ResponseValidation(v) => {
            assert!(v.concerns("id"), "{v}");
            assert!(v.iter().any(|x| x.rule == Rule::ReturnedAlways), "{v}");
        }
        other => panic!("expected ResponseValidation, got {other:?}"),
    }
}

#[tokio::test]
async fn check_response_off_accepts_a_response_with_password() {
    let server = MockServer::start().await;
    let mut leaked = user_json("1", "bjensen");
    leaked["password"] = json!("t1meMa$heen");
    answer(&server, scim(200, &leaked)).await;

    let user = client(&server)
        .resource::<User>()
        .with_options(RequestOptions::default().check_response(false))
        .get("1")
        .await
        .expect("accepted without checks");

    assert_eq!(
        user.password.as_ref().map(scim_client::Secret::expose),
        Some("t1meMa$heen")
    );
}

#[tokio::test]
async fn check_status_off_accepts_an_unexpected_202() {
    let server = MockServer::start().await;
    answer(&server, scim(202, &user_json("1", "bjensen"))).await;

    let user = client(&server)
        .resource::<User>()
        .with_options(RequestOptions::default().check_status(false))
        .create(&User::new("bjensen"))
        .await
        .expect("accepted without status check");

    assert_eq!(user.id.as_deref(), Some("1"));
}

#[tokio::test]
async fn expected_status_option_replaces_the_accepted_statuses() {
    let server = MockServer::start().await;
    answer(&server, scim(202, &user_json("1", "bjensen"))).await;

    let user = client(&server)
        .resource::<User>()
        .with_options(RequestOptions::default().expected_status(&[202]))
        .create(&User::new("bjensen"))
        .await
        .expect("202 accepted");

    assert_eq!(user.id.as_deref(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// Responses: PATCH, DELETE, ETags and conditional requests.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn patch_answered_204_is_none() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    let result = client(&server)
        .resource::<User>()
        .patch("1", &PatchOp::new().replace("active", false))
        .await
        .expect("patched");

    assert!(result.is_none(), "{result:?}");
}

#[tokio::test]
async fn patch_answered_200_is_the_resource() {
    let server = MockServer::start().await;
    let mut patched = user_json("1", "bjensen");
    patched["active"] = json!(false);
    answer(&server, scim(200, &patched)).await;

    let result = client(&server)
        .resource::<User>()
        .patch("1", &PatchOp::new().replace("active", false))
        .await
        .expect("patched")
        .expect("a resource");

    assert_eq!(result.id.as_deref(), Some("1"));
    assert_eq!(result.active, Some(false));
}

#[tokio::test]
async fn delete_answered_204_without_content_type_is_ok() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    client(&server)
        .resource::<User>()
        .delete("1")
        .await
        .expect("deleted");
}

#[tokio::test]
async fn delete_answered_404_is_not_found() {
    let server = MockServer::start().await;
    answer(&server, scim(404, &error_json(&json!("404"), None))).await;

    let err = client(&server)
        .resource::<User>()
        .delete("1")
        .await
        .expect_err("gone");

    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn refresh_sends_if_none_match_and_304_is_not_modified() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(304).insert_header("ETag", "W/\"3\""),
    )
    .await;

    let result = client(&server)
        .resource::<User>()
        .refresh(&held_user("1", Some("W/\"3\"")))
        .await
        .expect("conditional read");

    assert!(matches!(result, Conditional::NotModified), "{result:?}");
    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), "/Users/1");
    assert_eq!(header(&req, "if-none-match"), Some("W/\"3\""));
}

#[tokio::test]
async fn refresh_answered_200_is_modified() {
    let server = MockServer::start().await;
    let mut newer = user_json("1", "babs");
    newer["meta"]["version"] = json!("W/\"4\"");
    answer(&server, scim(200, &newer)).await;

    let result = client(&server)
        .resource::<User>()
        .refresh(&held_user("1", Some("W/\"3\"")))
        .await
        .expect("conditional read");

    let Conditional::Modified(user) = result else {
        panic!("expected Modified, got {result:?}");
    };
    assert_eq!(user.user_name.as_deref(), Some("babs"));
    assert_eq!(
        user.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"4\"")
    );
}

#[tokio::test]
async fn replace_answered_412_is_precondition_failed() {
    let server = MockServer::start().await;
    let users = client(&server).resource::<User>();
    for template in [
        scim(412, &error_json(&json!("412"), None)),
        ResponseTemplate::new(412),
    ] {
        server.reset().await;
        answer(&server, template).await;
        let err = users
            .replace(&held_user("1", Some("W/\"1\"")))
            .await
            .expect_err("stale version");
        assert!(err.is_precondition_failed(), "{err:?}");
    }
}

#[tokio::test]
async fn etag_header_fills_meta_version_when_the_body_has_none() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(
            200,
            &json!({"schemas": [CORE], "id": "1", "userName": "bjensen"}),
        )
        .insert_header("ETag", "W/\"7\""),
    )
    .await;

    let user = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect("found");

    assert_eq!(
        user.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"7\"")
    );
}

#[tokio::test]
async fn meta_version_in_the_body_wins_over_the_etag_header() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &user_json("1", "bjensen")).insert_header("ETag", "W/\"7\""),
    )
    .await;

    let user = client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect("found");

    assert_eq!(
        user.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"1\"")
    );
}

// ---------------------------------------------------------------------------------------------
// Retries.
// ---------------------------------------------------------------------------------------------

/// A client that retries, with a long backoff so a test can tell `Retry-After` from backoff.
fn retrying_client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder(&server.uri())
        .retry(policy)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn get_answered_429_with_retry_after_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            scim(429, &error_json(&json!("429"), Some("tooMany")))
                .insert_header("Retry-After", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let policy = RetryPolicy::default().base_delay(Duration::from_secs(20));
    let users = retrying_client(&server, policy).resource::<User>();

    let started = Instant::now();
    let user = tokio::time::timeout(Duration::from_secs(10), users.get("1"))
        .await
        .expect("Retry-After (1 s) is honoured, not the 20 s backoff")
        .expect("retried and found");

    assert_eq!(user.id.as_deref(), Some("1"));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.url.path() == "/Users/1"));
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}, Retry-After said 1 s",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_as_a_past_http_date_retries_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let policy = RetryPolicy::default().base_delay(Duration::from_secs(20));
    let users = retrying_client(&server, policy).resource::<User>();

    tokio::time::timeout(Duration::from_secs(5), users.get("1"))
        .await
        .expect("an HTTP-date in the past means no wait")
        .expect("retried and found");

    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn create_answered_503_is_not_retried() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
    )
    .await;
    let users = retrying_client(&server, RetryPolicy::default()).resource::<User>();

    let err = users
        .create(&User::new("bjensen"))
        .await
        .expect_err("unavailable");

    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1, "POST is not idempotent");
}

#[tokio::test]
async fn patch_answered_503_is_not_retried() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
    )
    .await;
    let users = retrying_client(&server, RetryPolicy::default()).resource::<User>();

    let err = users
        .patch("1", &PatchOp::new().replace("active", false))
        .await
        .expect_err("unavailable");

    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1, "PATCH is not idempotent");
}

#[tokio::test]
async fn create_is_retried_when_non_idempotent_retries_are_enabled() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, scim(201, &user_json("1", "bjensen"))).await;
    let policy = RetryPolicy::default().retry_non_idempotent(true);
    let users = retrying_client(&server, policy).resource::<User>();

    users
        .create(&User::new("bjensen"))
        .await
        .expect("retried and created");

    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn put_answered_503_is_retried_until_the_policy_gives_up() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(503)).await;
    let policy = RetryPolicy::default()
        .max_retries(2)
        .base_delay(Duration::from_millis(1));
    let users = retrying_client(&server, policy).resource::<User>();

    let err = users
        .replace(&held_user("1", None))
        .await
        .expect_err("still unavailable");

    assert!(
        matches!(err, Error::UnexpectedStatus { status: 503, .. }),
        "{err:?}"
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3, "one try and two retries");
    assert!(sent.iter().all(|r| r.method.as_str() == "PUT"));
}

#[tokio::test]
async fn retried_put_sends_the_same_body_and_if_match_each_time() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let users = retrying_client(&server, RetryPolicy::default()).resource::<User>();

    users
        .replace(&held_user("1", Some("W/\"1\"")))
        .await
        .expect("retried and replaced");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    assert!(!sent[1].body.is_empty());
    assert_eq!(header(&sent[1], "if-match"), Some("W/\"1\""));
    assert_eq!(header(&sent[1], "content-type"), Some(SCIM_JSON));
}

#[tokio::test]
async fn retry_after_is_capped_by_the_policys_max_delay() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, scim(200, &user_json("1", "bjensen"))).await;
    let mut policy = RetryPolicy::default();
    policy.max_delay = Duration::from_millis(50);
    let users = retrying_client(&server, policy).resource::<User>();

    tokio::time::timeout(Duration::from_secs(5), users.get("1"))
        .await
        .expect("an hour-long Retry-After is capped at max_delay")
        .expect("retried and found");

    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn update_rereads_and_reapplies_the_change_after_a_412() {
    let server = MockServer::start().await;
    let mut v1 = user_json("1", "bjensen");
    v1["meta"]["version"] = json!("W/\"1\"");
    let mut v2 = user_json("1", "bjensen");
    v2["meta"]["version"] = json!("W/\"2\"");
    v2["title"] = json!("Tour Guide");
    let mut v3 = v2.clone();
    v3["meta"]["version"] = json!("W/\"3\"");
    v3["displayName"] = json!("Babs");
    for (method, template) in [
        ("GET", scim(200, &v1)),
        ("PUT", scim(412, &error_json(&json!("412"), None))),
        ("GET", scim(200, &v2)),
        ("PUT", scim(200, &v3)),
    ] {
        Mock::given(wiremock::matchers::method(method))
            .respond_with(template)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let users = client(&server).resource::<User>();

    let mut calls = 0;
    let updated = users
        .update("1", 3, |u| {
            calls += 1;
            u.display_name = Some("Babs".to_owned());
        })
        .await
        .expect("updated on the second attempt");

    assert_eq!(calls, 2);
    assert_eq!(
        updated.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"3\"")
    );
    let sent = requests(&server).await;
    let methods: Vec<&str> = sent.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "PUT", "GET", "PUT"]);
    assert_eq!(header(&sent[1], "if-match"), Some("W/\"1\""));
    assert_eq!(header(&sent[3], "if-match"), Some("W/\"2\""));
    let last = body(&sent[3]);
    assert_eq!(
        last["title"], "Tour Guide",
        "the second write starts from the re-read"
    );
    assert_eq!(last["displayName"], "Babs");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_transport_error_and_not_retried() {
    let server = MockServer::start().await;
    let mut big = user_json("1", "bjensen");
    big["displayName"] = json!("x".repeat(4096));
    answer(&server, scim(200, &big)).await;
    let scim_client = Client::builder(&server.uri())
        .max_response_bytes(1024)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .expect("client builds");

    let err = scim_client
        .resource::<User>()
        .get("1")
        .await
        .expect_err("too large");

    match &err {
        Error::Transport { source, path, .. } => {
            assert!(
                source.is::<scim_client::transport::BodyTooLarge>(),
                "{source:?}"
            );
            assert_eq!(path, "/Users/1");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(err.is_transport());
    assert_eq!(
        requests(&server).await.len(),
        1,
        "a too-large body is not retried"
    );
}

/// A client with a short timeout and one quick retry.
fn impatient_client(server: &MockServer) -> Client {
    Client::builder(&server.uri())
        .timeout(Duration::from_millis(300))
        .retry(
            RetryPolicy::default()
                .max_retries(1)
                .base_delay(Duration::from_millis(1)),
        )
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_timed_out_get_is_a_transport_error_after_a_retry() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &user_json("1", "bjensen")).set_delay(Duration::from_secs(3)),
    )
    .await;

    let err = impatient_client(&server)
        .resource::<User>()
        .get("1")
        .await
        .expect_err("timed out");

    assert!(err.is_transport(), "{err:?}");
    assert_eq!(requests(&server).await.len(), 2, "GET is retried once");
}

#[tokio::test]
async fn a_timed_out_create_is_not_retried() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(201, &user_json("1", "bjensen")).set_delay(Duration::from_secs(3)),
    )
    .await;

    let err = impatient_client(&server)
        .resource::<User>()
        .create(&User::new("bjensen"))
        .await
        .expect_err("timed out");

    assert!(err.is_transport(), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1, "POST is not retried");
}

#[tokio::test]
async fn redirects_are_not_followed_so_credentials_stay_home() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    answer(&elsewhere, scim(200, &user_json("1", "bjensen"))).await;
    answer(
        &server,
        ResponseTemplate::new(307)
            .insert_header("Location", format!("{}/Users/1", elsewhere.uri())),
    )
    .await;
    let scim_client = Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");

    let err = scim_client
        .resource::<User>()
        .get("1")
        .await
        .expect_err("a redirect is not a resource");

    assert_eq!(err.status(), Some(307), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1);
    assert!(
        requests(&elsewhere).await.is_empty(),
        "the redirect was followed with the token"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_naming_method_and_path() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("an address").port()
    };
    let scim_client = Client::builder(&format!("http://127.0.0.1:{port}/scim"))
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");

    let err = scim_client
        .resource::<User>()
        .delete("42")
        .await
        .expect_err("nobody listens");

    match &err {
        Error::Transport { method, path, .. } => {
            assert_eq!(method.as_str(), "DELETE");
            assert_eq!(path, "/scim/Users/42");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn a_transport_error_does_not_carry_the_query_string() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("an address").port()
    };
    let scim_client = Client::builder(&format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let pii = "jane.doe@example.com";

    let err = scim_client
        .resource::<User>()
        .list(&SearchRequest::new().filter(format!("emails.value eq \"{pii}\"")))
        .await
        .expect_err("nobody listens");

    assert!(err.is_transport(), "{err:?}");
    let mut chain = vec![format!("{err} {err:?}")];
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let chain = chain.join(" / ");
    let encoded = "jane.doe%40example.com";
    assert!(
        !chain.contains(pii) && !chain.contains(encoded),
        "the filter leaked into the error: {chain}"
    );
}

// ---------------------------------------------------------------------------------------------
// Raw mode.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_raw_returns_status_headers_and_body_untouched() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(418)
            .insert_header("X-Odd", "yes")
            .set_body_raw("definitely { not scim", "text/plain"),
    )
    .await;
    let scim_client = Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let request = http::Request::builder()
        .method("DELETE")
        .uri(format!("{}/Users/..", server.uri()))
        .header("content-type", "text/plain")
        .body(b"raw bytes".to_vec())
        .expect("a request");

    let response = scim_client.send_raw(request).await.expect("answered");

    assert_eq!(response.status().as_u16(), 418);
    assert_eq!(
        response
            .headers()
            .get("x-odd")
            .map(http::HeaderValue::as_bytes),
        Some(&b"yes"[..])
    );
    assert_eq!(&response.body()[..], b"definitely { not scim");
    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "DELETE");
    assert_eq!(req.body, b"raw bytes");
    assert_eq!(header(&req, "content-type"), Some("text/plain"));
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn send_raw_keeps_the_requests_own_authorization() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200)).await;
    let scim_client = Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .build()
        .expect("client builds");
    let request = http::Request::builder()
        .uri(format!("{}/Users", server.uri()))
        .header("authorization", "Bearer other")
        .body(Vec::new())
        .expect("a request");

    scim_client.send_raw(request).await.expect("answered");

    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some("Bearer other")
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination.
// ---------------------------------------------------------------------------------------------

/// A server holding `total` users that answers at most `cap` per page whatever `count` asks,
/// and misreports `itemsPerPage`.
fn capped_pages(total: usize, cap: usize) -> impl Fn(&Request) -> ResponseTemplate {
    move |req| {
        let start = query(req, "startIndex")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let end = (start - 1 + cap).min(total);
        let resources: Vec<Value> = (start..=end)
            .map(|i| user_json(&format!("u{i}"), &format!("user{i}")))
            .collect();
        let mut page = list_json(total, start, &resources);
        page["itemsPerPage"] = json!(100);
        scim(200, &page)
    }
}

#[tokio::test]
async fn stream_pages_through_a_server_that_caps_page_size() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(capped_pages(25, 10))
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let stream = users.stream(SearchRequest::new().filter("userName pr").count(100));
    let (items, ended) = drain_bounded(stream, &server, 10).await;

    assert!(ended, "the stream must end");
    let got = ids(&items);
    let expected: Vec<String> = (1..=25).map(|i| format!("u{i}")).collect();
    assert_eq!(got, expected, "every user exactly once, in order");
    let sent = requests(&server).await;
    let starts: Vec<Option<String>> = sent.iter().map(|r| query(r, "startIndex")).collect();
    assert_eq!(
        starts,
        [Some("1"), Some("11"), Some("21")].map(|s| s.map(str::to_owned))
    );
    assert!(
        sent.iter()
            .all(|r| query(r, "count").as_deref() == Some("100"))
    );
    assert!(
        sent.iter()
            .all(|r| query(r, "filter").as_deref() == Some("userName pr"))
    );
}

#[tokio::test]
async fn stream_starts_at_the_requested_start_index() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(capped_pages(25, 10))
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let (items, ended) = drain_bounded(
        users.stream(SearchRequest::new().start_index(20)),
        &server,
        10,
    )
    .await;

    assert!(ended);
    let expected: Vec<String> = (20..=25).map(|i| format!("u{i}")).collect();
    assert_eq!(ids(&items), expected);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn stream_ends_on_an_empty_page_when_total_results_is_absent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|req: &Request| {
            let start = query(req, "startIndex")
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(1);
            let resources: Vec<Value> = (start..=12)
                .take(5)
                .map(|i| user_json(&format!("u{i}"), "x"))
                .collect();
            scim(200, &json!({"schemas": [LIST], "Resources": resources}))
        })
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let (items, ended) = drain_bounded(users.stream(SearchRequest::new()), &server, 10).await;

    assert!(ended);
    assert_eq!(ids(&items).len(), 12);
    assert_eq!(requests(&server).await.len(), 4, "3 pages and an empty one");
}

#[tokio::test]
async fn stream_follows_next_cursor_until_it_is_absent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|req: &Request| {
            let cursor = query(req, "cursor").unwrap_or_default();
            let (first, next) = match cursor.as_str() {
                "" => (1, Some("c2")),
                "c2" => (4, Some("c3")),
                "c3" => (7, None),
                other => panic!("unknown cursor {other:?}"),
            };
            let resources: Vec<Value> = (first..first + 3)
                .map(|i| user_json(&format!("u{i}"), "x"))
                .collect();
            let mut page = json!({"schemas": [LIST], "itemsPerPage": 3, "Resources": resources});
            if let Some(c) = next {
                page["nextCursor"] = json!(c);
            }
            scim(200, &page)
        })
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let stream = users.stream(SearchRequest::new().cursor("").count(3));
    let (items, ended) = drain_bounded(stream, &server, 10).await;

    assert!(ended);
    let expected: Vec<String> = (1..=9).map(|i| format!("u{i}")).collect();
    assert_eq!(ids(&items), expected);
    let cursors: Vec<Option<String>> = requests(&server)
        .await
        .iter()
        .map(|r| query(r, "cursor"))
        .collect();
    assert_eq!(
        cursors,
        [Some(""), Some("c2"), Some("c3")].map(|s| s.map(str::to_owned))
    );
    assert!(
        requests(&server)
            .await
            .iter()
            .all(|r| query(r, "startIndex").is_none()),
        "cursor pagination sends no startIndex"
    );
}

#[tokio::test]
async fn stream_yields_a_failed_page_as_an_error_and_stops() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|req: &Request| {
            if query(req, "startIndex").as_deref() == Some("1") {
                scim(
                    200,
                    &list_json(20, 1, &[user_json("u1", "x"), user_json("u2", "y")]),
                )
            } else {
                scim(500, &error_json(&json!("500"), None))
            }
        })
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let (items, ended) = drain_bounded(users.stream(SearchRequest::new()), &server, 10).await;

    assert!(ended);
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(ids(&items[..2]), ["u1", "u2"]);
    assert_eq!(items[2].as_ref().err().and_then(Error::status), Some(500));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn stream_stops_when_the_server_ignores_start_index() {
    let server = MockServer::start().await;
    let same_page: Vec<Value> = (1..=10).map(|i| user_json(&format!("u{i}"), "x")).collect();
    answer(&server, scim(200, &list_json(1_000_000, 1, &same_page))).await;
    let users = client(&server).resource::<User>();

    let (items, ended) = drain_bounded(users.stream(SearchRequest::new()), &server, 5).await;

    assert!(
        ended,
        "the stream kept paging a server that always answers the same page"
    );
    let got: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().ok().and_then(|u| u.id.clone()))
        .collect();
    let mut unique = got.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(got.len(), unique.len(), "no user may be yielded twice");
}

#[tokio::test]
async fn stream_stops_when_cursors_cycle() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|req: &Request| {
            let cursor = query(req, "cursor").unwrap_or_default();
            let next = if cursor == "c1" { "c2" } else { "c1" };
            scim(
                200,
                &json!({
                    "schemas": [LIST],
                    "Resources": [user_json(&format!("u-{cursor}"), "x")],
                    "nextCursor": next
                }),
            )
        })
        .mount(&server)
        .await;
    let users = client(&server).resource::<User>();

    let (_, ended) = drain_bounded(users.stream(SearchRequest::new().cursor("")), &server, 5).await;

    assert!(ended, "the stream kept following a cycle of cursors");
}

// ---------------------------------------------------------------------------------------------
// Secrets.
// ---------------------------------------------------------------------------------------------

#[test]
fn client_debug_hides_the_bearer_token() {
    let scim_client = Client::builder("https://idp.example/scim/v2")
        .bearer_token(TOKEN)
        .build()
        .expect("client builds");

    let shown = format!("{scim_client:?} {:?}", scim_client.resource::<User>());

    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("idp.example"), "{shown}");
}

#[test]
fn client_debug_hides_the_basic_password() {
    use base64::Engine as _;
    let scim_client = Client::builder("https://idp.example/scim/v2")
        .basic_auth("admin", PASSWORD)
        .build()
        .expect("client builds");
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("admin:{PASSWORD}"));

    let shown = format!("{scim_client:?}");

    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains(&encoded), "{shown}");
}

#[test]
fn builder_debug_hides_credentials() {
    for builder in [
        Client::builder("https://idp.example/scim/v2").bearer_token(TOKEN),
        Client::builder("https://idp.example/scim/v2").basic_auth("admin", TOKEN),
        Client::builder("https://idp.example/scim/v2").header("X-Api-Key", TOKEN),
    ] {
        let shown = format!("{builder:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[test]
fn per_call_credential_headers_are_hidden_from_debug() {
    let scim_client = Client::builder("https://idp.example/scim/v2")
        .build()
        .expect("client builds");
    let options = RequestOptions::default()
        .header("X-Api-Key", TOKEN)
        .expect("valid header");

    let shown = format!(
        "{options:?} {:?}",
        scim_client.resource::<User>().with_options(options.clone())
    );

    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn cookie_header_is_hidden_from_debug() {
    let scim_client = Client::builder("https://idp.example/scim/v2")
        .header("Cookie", &format!("session={TOKEN}"))
        .build()
        .expect("client builds");

    let shown = format!("{scim_client:?}");

    assert!(!shown.contains(TOKEN), "{shown}");
}
