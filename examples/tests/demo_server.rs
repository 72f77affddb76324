//! The demo server at the HTTP level: status codes, headers and bodies, driven with
//! `tower::ServiceExt::oneshot` on its router (no client involved).

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use scim_client::schema::SchemaDef;
use scim_examples::demo_server::DemoServer;
use serde_json::{Value, json};
use tower::ServiceExt as _;

const BASE: &str = "http://demo.test/scim/v2";

async fn call(app: &Router, request: Request<Body>) -> (StatusCode, http::HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("json body")
    };
    (parts.status, parts.headers, value)
}

fn json_request(method: &str, path: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(format!("{BASE}{path}"))
        .header(header::CONTENT_TYPE, "application/scim+json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn get(path: &str) -> Request<Body> {
    Request::get(format!("{BASE}{path}"))
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn create_answers_201_with_location_and_etag() {
    let app = DemoServer::new().router();
    let (status, headers, body) = call(
        &app,
        json_request(
            "POST",
            "/Users",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": "bjensen", "password": "s3cr3t", "id": "ignored"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers[header::CONTENT_TYPE], "application/scim+json");
    let id = body["id"].as_str().expect("id");
    assert_ne!(id, "ignored", "a read-only id in the request is ignored");
    assert_eq!(
        headers[header::LOCATION].to_str().expect("location"),
        format!("{BASE}/Users/{id}")
    );
    assert_eq!(
        headers[header::ETAG],
        body["meta"]["version"].as_str().expect("version")
    );
    assert!(body.get("password").is_none(), "returned: never");

    // If-None-Match with the current version: 304.
    let request = Request::get(format!("{BASE}/Users/{id}"))
        .header(header::IF_NONE_MATCH, headers[header::ETAG].clone())
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = call(&app, request).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(body, Value::Null);
}

#[tokio::test]
async fn errors_are_scim_error_bodies() {
    let app = DemoServer::new().router();
    for (request, status, scim_type) in [
        (get("/Users/nope"), 404, None),
        (get("/Nowhere"), 404, None),
        (
            get("/Users?filter=userName%20eq"),
            400,
            Some("invalidFilter"),
        ),
        (get("/Users?count=lots"), 400, Some("invalidValue")),
        (
            json_request("POST", "/Users", &json!({"displayName": "no userName"})),
            400,
            Some("invalidValue"),
        ),
        (
            json_request("POST", "/Users/.search", &json!([1])),
            400,
            Some("invalidSyntax"),
        ),
    ] {
        let what = format!("{} {}", request.method(), request.uri());
        let (got, headers, body) = call(&app, request).await;
        assert_eq!(got.as_u16(), status, "{what}");
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "application/scim+json",
            "{what}"
        );
        assert_eq!(
            body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
            "{what}"
        );
        assert_eq!(body["status"], status.to_string(), "{what}");
        assert_eq!(body["scimType"].as_str(), scim_type, "{what}");
    }
}

#[tokio::test]
async fn patch_subset() {
    let app = DemoServer::new().router();
    let (_, _, user) = call(
        &app,
        json_request(
            "POST",
            "/Users",
            &json!({"userName": "bjensen", "emails": [{"value": "a@example.com"}],
                    "name": {"familyName": "Jensen"}}),
        ),
    )
    .await;
    let id = user["id"].as_str().expect("id").to_owned();
    let patch = |ops: Value| {
        json_request(
            "PATCH",
            &format!("/Users/{id}"),
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": ops}),
        )
    };

    // add appends to multi-valued attributes, merges complex ones; no path takes an object.
    let (status, headers, body) = call(
        &app,
        patch(json!([
            {"op": "add", "path": "emails", "value": [{"value": "b@example.com"}]},
            {"op": "add", "path": "name", "value": {"givenName": "Barbara"}},
            {"op": "replace", "value": {"displayName": "Babs", "NICKNAME": "B"}},
        ])),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers.contains_key(header::ETAG));
    assert_eq!(body, Value::Null);
    let (_, _, now) = call(&app, get(&format!("/Users/{id}"))).await;
    assert_eq!(now["emails"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        now["name"],
        json!({"familyName": "Jensen", "givenName": "Barbara"})
    );
    assert_eq!(now["displayName"], "Babs");
    assert_eq!(now["nickName"], "B");

    // remove, with `attributes` asked: 200 with the resource.
    let request = Request::patch(format!("{BASE}/Users/{id}?attributes=userName,nickName"))
        .header(header::CONTENT_TYPE, "application/scim+json")
        .body(Body::from(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                   "Operations": [{"op": "remove", "path": "nickName"}]})
            .to_string(),
        ))
        .expect("request");
    let (status, _, body) = call(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["userName"], "bjensen");
    assert!(body.get("nickName").is_none());
    assert!(body.get("displayName").is_none(), "projected out");

    // Refused: value filters, unknown attributes, read-only ones, removing a required one.
    for (ops, scim_type) in [
        (
            json!([{"op": "remove", "path": "emails[value eq \"a@example.com\"]"}]),
            "invalidPath",
        ),
        (
            json!([{"op": "replace", "path": "shoeSize", "value": 42}]),
            "invalidPath",
        ),
        (
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            "mutability",
        ),
        (
            json!([{"op": "replace", "path": "meta.version", "value": "x"}]),
            "mutability",
        ),
        (
            json!([{"op": "remove", "path": "userName"}]),
            "invalidValue",
        ),
        (json!([{"op": "remove"}]), "noTarget"),
    ] {
        let (status, _, body) = call(&app, patch(ops.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{ops}");
        assert_eq!(body["scimType"], scim_type, "{ops}: {body}");
    }
}

#[tokio::test]
async fn put_checks_if_match_and_uniqueness() {
    let app = DemoServer::new().router();
    let (_, _, alice) = call(
        &app,
        json_request("POST", "/Users", &json!({"userName": "alice"})),
    )
    .await;
    call(
        &app,
        json_request("POST", "/Users", &json!({"userName": "bob"})),
    )
    .await;
    let id = alice["id"].as_str().expect("id");
    let version = alice["meta"]["version"].as_str().expect("version");

    let put = |if_match: &str, user_name: &str| {
        Request::put(format!("{BASE}/Users/{id}"))
            .header(header::CONTENT_TYPE, "application/scim+json")
            .header(header::IF_MATCH, if_match)
            .body(Body::from(json!({"userName": user_name}).to_string()))
            .expect("request")
    };
    let (status, _, body) = call(&app, put("W/\"999\"", "alice2")).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
    let (status, _, body) = call(&app, put(version, "BOB")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["scimType"], "uniqueness");
    let (status, headers, body) = call(&app, put(version, "alice2")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["userName"], "alice2");
    assert_eq!(body["meta"]["created"], alice["meta"]["created"]);
    assert_ne!(headers[header::ETAG], version);
    let (status, _, _) = call(&app, put("*", "alice3")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn discovery_documents() {
    let app = DemoServer::new().router();
    let (status, _, schemas) = call(&app, get("/Schemas")).await;
    assert_eq!(status, StatusCode::OK);
    let resources = schemas["Resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 3);
    for schema in resources {
        let def = SchemaDef::from_json(schema).expect("a valid schema");
        assert!(!def.attributes.is_empty());
        let (status, _, one) = call(&app, get(&format!("/Schemas/{}", def.id))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(&one, schema);
    }
    let (_, _, user_type) = call(&app, get("/ResourceTypes/User")).await;
    assert_eq!(user_type["endpoint"], "/Users");
    assert_eq!(
        user_type["schemaExtensions"][0]["schema"],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    );
    let (_, _, config) = call(&app, get("/ServiceProviderConfig")).await;
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["etag"]["supported"], true);
    assert_eq!(config["filter"]["maxResults"], 100);
}
