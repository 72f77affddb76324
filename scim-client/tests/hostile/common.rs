//! Shared pieces: the fake servers, the operations, the expected outcomes and the `cases!`
//! macro that turns one line into one named test.

use std::future::Future;
use std::time::Duration;

use scim_client::client::{Bulk, RetryPolicy, SCIM_JSON};
use scim_client::error::{Error, Rule};
use scim_client::model::{EnterpriseUser, Group, Meta, User};
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_client::{Binary, Client, Reference, ScimResource};
use serde_json::{Value, json};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(crate) const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(crate) const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub(crate) const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub(crate) const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub(crate) const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub(crate) const SPC: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
pub(crate) const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
pub(crate) const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
pub(crate) const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
pub(crate) const READING: &str = "urn:example:params:scim:schemas:2.0:Reading";
/// The bearer token every client of this corpus sends (it must never leave the base URL).
pub(crate) const TOKEN: &str = "tok-hostile-5b1e-never-elsewhere";

/// How long any one client call may take before the test fails as a hang.
pub(crate) const BOUND: Duration = Duration::from_secs(5);

/// A resource with one attribute of each scalar SCIM type the built-in models lack (decimal,
/// integer), to feed wrong JSON types to every SCIM type.
#[derive(ScimResource, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:example:params:scim:schemas:2.0:Reading")]
pub(crate) struct Reading {
    /// Server-assigned id.
    pub id: Option<String>,
    /// Resource metadata.
    pub meta: Option<Meta>,
    /// A decimal.
    pub value: Option<f64>,
    /// An integer.
    pub count: Option<i64>,
    /// A dateTime.
    pub taken: Option<jiff::Timestamp>,
    /// A binary.
    pub blob: Option<Binary>,
    /// A reference.
    #[scim(reference_types = ["external"])]
    pub source: Option<Reference>,
    /// A boolean.
    pub calibrated: Option<bool>,
    /// A multi-valued string.
    pub tags: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Bodies.
// ---------------------------------------------------------------------------------------------

/// A SCIM JSON answer.
pub(crate) fn scim(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).expect("serializes"), SCIM_JSON)
}

/// An answer with these bytes and this content type.
pub(crate) fn raw(status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), content_type)
}

/// An answer with these bytes and no content type at all.
pub(crate) fn bare(status: u16, body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_bytes(body.into())
}

/// A user as a server returns it.
pub(crate) fn user_json(id: &str, user_name: &str) -> Value {
    json!({
        "schemas": [CORE],
        "id": id,
        "userName": user_name,
        "meta": {"resourceType": "User", "location": format!("/Users/{id}"), "version": "W/\"1\""}
    })
}

/// `base` with the members of `patch` set (a `null` member removes the key).
pub(crate) fn with(mut base: Value, patch: &Value) -> Value {
    let (Some(target), Some(patch)) = (base.as_object_mut(), patch.as_object()) else {
        panic!("with() takes two objects");
    };
    for (k, v) in patch {
        if v.is_null() {
            target.remove(k);
        } else {
            target.insert(k.clone(), v.clone());
        }
    }
    base
}

/// The user `1` with `patch` applied, as a SCIM answer.
pub(crate) fn user(patch: &Value) -> ResponseTemplate {
    scim(200, &with(user_json("1", "bjensen"), patch))
}

/// An enterprise user `1` whose extension is `ext`, as a SCIM answer.
pub(crate) fn enterprise(ext: &Value) -> ResponseTemplate {
    scim(
        200,
        &json!({"schemas": [CORE, ENTERPRISE], "id": "1", "userName": "bjensen", ENTERPRISE: ext}),
    )
}

/// The group `g1` with `patch` applied, as a SCIM answer.
pub(crate) fn group(patch: &Value) -> ResponseTemplate {
    let base = json!({"schemas": [GROUP], "id": "g1", "displayName": "Tour Guides",
        "members": [{"value": "1", "$ref": "/Users/1", "display": "Babs"}]});
    scim(200, &with(base, patch))
}

/// A reading `r1` with `patch` applied, as a SCIM answer.
pub(crate) fn reading(patch: &Value) -> ResponseTemplate {
    let base = json!({"schemas": [READING], "id": "r1", "value": 1.5, "count": 2});
    scim(200, &with(base, patch))
}

/// A list response over `resources` with honest counts, with `patch` applied.
pub(crate) fn page_json(resources: &[Value], patch: &Value) -> Value {
    let base = json!({
        "schemas": [LIST],
        "totalResults": resources.len(),
        "itemsPerPage": resources.len(),
        "startIndex": 1,
        "Resources": resources
    });
    with(base, patch)
}

/// [`page_json`] of users `u1`, `u2` as a SCIM answer.
pub(crate) fn page(patch: &Value) -> ResponseTemplate {
    scim(
        200,
        &page_json(&[user_json("u1", "a"), user_json("u2", "b")], patch),
    )
}

/// A SCIM error body.
pub(crate) fn error_body(status: &Value, scim_type: Option<&str>, detail: Option<&str>) -> Value {
    let mut body = json!({"schemas": [ERROR], "status": status});
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    if let Some(d) = detail {
        body["detail"] = json!(d);
    }
    body
}

/// A plausible `ServiceProviderConfig`, with `patch` applied.
pub(crate) fn config_json(patch: &Value) -> Value {
    let base = json!({
        "schemas": [SPC],
        "patch": {"supported": true},
        "bulk": {"supported": true, "maxOperations": 10, "maxPayloadSize": 1_048_576},
        "filter": {"supported": true, "maxResults": 100},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": []
    });
    with(base, patch)
}

/// The `ServiceProviderConfig` with `patch` applied, as a SCIM answer.
pub(crate) fn config(patch: &Value) -> ResponseTemplate {
    scim(200, &config_json(patch))
}

/// The User resource type, with `patch` applied.
pub(crate) fn resource_type_json(patch: &Value) -> Value {
    let base = json!({
        "schemas": [RESOURCE_TYPE],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "schema": CORE,
        "schemaExtensions": [{"schema": ENTERPRISE, "required": false}]
    });
    with(base, patch)
}

/// The User schema (no attributes: enough for discovery), with `patch` applied.
pub(crate) fn schema_json(id: &str, patch: &Value) -> Value {
    with(
        json!({"schemas": [SCHEMA], "id": id, "name": "User", "attributes": []}),
        patch,
    )
}

/// `/ResourceTypes` answering one resource type with `patch` applied.
pub(crate) fn resource_types(patch: &Value) -> ResponseTemplate {
    scim(200, &page_json(&[resource_type_json(patch)], &json!({})))
}

/// `/Schemas` answering the user schema with `patch` applied (and the enterprise one).
pub(crate) fn schemas_page(patch: &Value) -> ResponseTemplate {
    scim(
        200,
        &page_json(
            &[
                schema_json(CORE, patch),
                schema_json(ENTERPRISE, &json!({})),
            ],
            &json!({}),
        ),
    )
}

/// A bulk response with these operation results.
pub(crate) fn bulk_response(operations: &Value) -> ResponseTemplate {
    scim(
        200,
        &json!({"schemas": [BULK_RESPONSE], "Operations": operations}),
    )
}

// ---------------------------------------------------------------------------------------------
// Clients and servers.
// ---------------------------------------------------------------------------------------------

/// A client with a bearer token, no retries and a short timeout.
pub(crate) fn client(base: &str) -> Client {
    Client::builder(base)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(3))
        .build()
        .expect("client builds")
}

/// Every request a fake received, in order.
pub(crate) async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Answers `at` with `template`, before any catch-all.
pub(crate) async fn mount_at(server: &MockServer, at: &str, template: ResponseTemplate) {
    Mock::given(path(at))
        .respond_with(template)
        .with_priority(1)
        .mount(server)
        .await;
}

/// Answers every request not otherwise mounted with `template`.
pub(crate) async fn answer(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .with_priority(10)
        .mount(server)
        .await;
}

/// Runs `f`, failing the test if it takes longer than [`BOUND`].
pub(crate) async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, f)
        .await
        .expect("the client must answer within the bound, not hang")
}

/// The operation a case runs against the hostile answer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Op {
    /// `GET /Users/1` as `User`.
    Get,
    /// `GET /Users/1` as `User<EnterpriseUser>`.
    GetEnterprise,
    /// `GET /Groups/g1`.
    GetGroup,
    /// `GET /Readings/r1` (decimal, integer... attributes).
    GetReading,
    /// `GET /Users/1` with `If-None-Match`.
    Refresh,
    /// `GET /Users`.
    List,
    /// `GET /Groups`.
    ListGroup,
    /// `POST /Users/.search`.
    Search,
    /// `POST /.search`.
    RootSearch,
    /// `POST /Users`.
    Create,
    /// `POST /Groups`.
    CreateGroup,
    /// `PUT /Users/1`.
    Replace,
    /// `PATCH /Users/1`.
    Patch,
    /// `DELETE /Users/1`.
    Delete,
    /// `GET /ServiceProviderConfig`.
    Config,
    /// `discover`, with the hostile answer on `/ResourceTypes`.
    ResourceTypes,
    /// `discover`, with the hostile answer on `/Schemas`.
    Schemas,
    /// `POST /Bulk` of one create, with the hostile answer on `/Bulk`.
    Bulk,
}

/// A user the client already holds, as read from the server.
pub(crate) fn held_user() -> User {
    let mut user = User::new("bjensen");
    user.id = Some("1".to_owned());
    user.meta = Some(Meta {
        resource_type: Some("User".to_owned()),
        version: Some("W/\"1\"".to_owned()),
        ..Meta::default()
    });
    user
}

/// Runs `op` and answers the result's `Debug` text.
pub(crate) async fn perform(op: Op, c: &Client) -> Result<String, Error> {
    let users = c.resource::<User>();
    let search = SearchRequest::new().filter("userName sw \"b\"");
    match op {
        Op::Get => users.get("1").await.map(|r| format!("{r:?}")),
        Op::GetEnterprise => c
            .resource::<User<EnterpriseUser>>()
            .get("1")
            .await
            .map(|r| format!("{r:?}")),
        Op::GetGroup => c
            .resource::<Group>()
            .get("g1")
            .await
            .map(|r| format!("{r:?}")),
        Op::GetReading => c
            .resource::<Reading>()
            .get("r1")
            .await
            .map(|r| format!("{r:?}")),
        Op::Refresh => users.refresh(&held_user()).await.map(|r| format!("{r:?}")),
        Op::List => users.list(&search).await.map(|r| format!("{r:?}")),
        Op::ListGroup => c
            .resource::<Group>()
            .list(&SearchRequest::new())
            .await
            .map(|r| format!("{r:?}")),
        Op::Search => users.search(&search).await.map(|r| format!("{r:?}")),
        Op::RootSearch => c.search::<User>(&search).await.map(|r| format!("{r:?}")),
        Op::Create => users
            .create(&User::new("bjensen"))
            .await
            .map(|r| format!("{r:?}")),
        Op::CreateGroup => c
            .resource::<Group>()
            .create(&Group {
                display_name: Some("Tour Guides".to_owned()),
                ..Group::default()
            })
            .await
            .map(|r| format!("{r:?}")),
        Op::Replace => users.replace(&held_user()).await.map(|r| format!("{r:?}")),
        Op::Patch => users
            .patch("1", &PatchOp::new().replace("displayName", "Babs"))
            .await
            .map(|r| format!("{r:?}")),
        Op::Delete => users.delete("1").await.map(|()| "deleted".to_owned()),
        Op::Config => c.service_provider_config().await.map(|r| format!("{r:?}")),
        Op::ResourceTypes | Op::Schemas => c.discover().await.map(|r| format!("{r:?}")),
        Op::Bulk => {
            let mut bulk = Bulk::new();
            bulk.create(&User::<()>::new("bjensen"))?;
            c.bulk(bulk).await.map(|r| format!("{r:?}"))
        }
    }
}

/// A fake answering `template` to the request of `op`, and plausible answers to the requests
/// `op` makes first.
pub(crate) async fn serve(op: Op, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    match op {
        Op::ResourceTypes | Op::Bulk => {
            mount_at(&server, "/ServiceProviderConfig", config(&json!({}))).await;
        }
        Op::Schemas => {
            mount_at(&server, "/ServiceProviderConfig", config(&json!({}))).await;
            mount_at(&server, "/ResourceTypes", resource_types(&json!({}))).await;
        }
        _ => {}
    }
    answer(&server, template).await;
    server
}

/// Runs `op` against a fake answering `template`, within [`BOUND`].
pub(crate) async fn hostile(op: Op, template: ResponseTemplate) -> Result<String, Error> {
    let server = serve(op, template).await;
    let c = client(&server.uri());
    bounded(perform(op, &c)).await
}

// ---------------------------------------------------------------------------------------------
// Expected outcomes.
// ---------------------------------------------------------------------------------------------

/// What a case must end in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expect {
    /// A result (whatever it holds).
    Ok,
    /// A result whose `Debug` text contains this.
    OkWith(&'static str),
    /// `Error::Decode` of this type at exactly this JSON path.
    Decode(&'static str, &'static str),
    /// `Error::Decode` of this type at a JSON path starting with this.
    DecodeIn(&'static str, &'static str),
    /// `Error::Decode` whose underlying message contains this.
    DecodeSays(&'static str, &'static str),
    /// `Error::UnexpectedStatus` with this status.
    Status(u16),
    /// `Error::UnexpectedStatus` with this status and a body snippet containing this.
    StatusBody(u16, &'static str),
    /// `Error::UnexpectedContentType` with this status and content type.
    ContentType(u16, Option<&'static str>),
    /// `Error::Scim` with this status and `scimType`.
    Scim(u16, Option<&'static str>),
    /// `Error::ResponseValidation` naming this attribute and rule.
    Violation(&'static str, Rule),
    /// `Error::Transport` caused by a body over the limit.
    TooLarge,
    /// `Error::Transport` of any cause.
    Transport,
    /// `Error::InvalidRequest` whose message contains this.
    Invalid(&'static str),
}

/// Asserts `outcome` is what `expect` says, with messages naming the location.
pub(crate) fn verify(outcome: &Result<String, Error>, expect: Expect) {
    let err = match (outcome, expect) {
        (Ok(_), Expect::Ok) => return,
        (Ok(debug), Expect::OkWith(needle)) => {
            assert!(debug.contains(needle), "expected {needle:?} in {debug}");
            return;
        }
        (Ok(debug), _) => panic!("expected {expect:?}, got a result: {debug:.600}"),
        (Err(e), _) => e,
    };
    let message = err.to_string();
    match (err, expect) {
        (Error::Decode { what, path, source }, Expect::Decode(w, p)) => {
            assert_eq!((*what, path.as_str()), (w, p), "{source}");
            assert!(message.contains(p) && message.contains(w), "{message}");
        }
        (Error::Decode { what, path, source }, Expect::DecodeIn(w, p)) => {
            assert_eq!(*what, w, "{source}");
            assert!(
                path.starts_with(p),
                "path `{path}` should start with `{p}`: {source}"
            );
            assert!(message.contains(path.as_str()), "{message}");
        }
        (Error::Decode { what, source, .. }, Expect::DecodeSays(w, says)) => {
            assert_eq!(*what, w, "{source}");
            assert!(source.to_string().contains(says), "{source}");
        }
        (Error::UnexpectedStatus { status, .. }, Expect::Status(s)) => {
            assert_eq!(*status, s, "{err:?}");
            assert!(message.contains(&s.to_string()), "{message}");
        }
        (Error::UnexpectedStatus { status, body }, Expect::StatusBody(s, needle)) => {
            assert_eq!(*status, s, "{err:?}");
            assert!(body.contains(needle), "{body:?} should contain {needle:?}");
        }
        (
            Error::UnexpectedContentType {
                status,
                content_type,
            },
            Expect::ContentType(s, ct),
        ) => {
            assert_eq!((*status, content_type.as_deref()), (s, ct), "{err:?}");
        }
        (Error::Scim(e), Expect::Scim(s, t)) => {
            assert_eq!(e.status, s, "{e:?}");
            assert_eq!(
                e.scim_type
                    .as_ref()
                    .map(scim_client::protocol::ScimType::as_str),
                t,
                "{e:?}"
            );
            assert_eq!(err.status(), Some(s));
        }
        (Error::ResponseValidation(v), Expect::Violation(attribute, rule)) => {
            assert!(
                v.iter().any(|x| x.attribute == attribute && x.rule == rule),
                "expected `{attribute}` {rule:?} in {v:?}"
            );
            assert!(message.contains(attribute), "{message}");
        }
        (Error::Transport { source, .. }, Expect::TooLarge) => {
            assert!(
                source.is::<scim_client::transport::BodyTooLarge>(),
                "expected BodyTooLarge, got {source:?}"
            );
        }
        (Error::Transport { .. }, Expect::Transport) => {}
        (Error::InvalidRequest(m), Expect::Invalid(needle)) => {
            assert!(m.contains(needle), "{m:?} should contain {needle:?}");
        }
        (other, _) => panic!("expected {expect:?}, got {other:?} ({message})"),
    }
}

/// One test per line: `name: Op, answer => Expect;`.
macro_rules! cases {
    ($($(#[$meta:meta])* $name:ident: $op:ident, $template:expr => $expect:expr;)*) => {$(
        $(#[$meta])*
        #[tokio::test]
        async fn $name() {
            let outcome = $crate::hostile::common::hostile(
                $crate::hostile::common::Op::$op,
                $template,
            )
            .await;
            $crate::hostile::common::verify(&outcome, $expect);
        }
    )*};
}
pub(crate) use cases;
