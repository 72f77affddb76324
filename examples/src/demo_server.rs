//! An in-memory SCIM 2.0 service provider, built with axum, for the examples and tests.
//!
//! [`DemoServer::router`] is an axum [`Router`], so it is a `tower::Service`: the client reaches
//! it in-process through [`scim_client::transport::TowerTransport`] (no socket), or over HTTP
//! with [`DemoServer::serve_in_background`] or `axum::serve`.
//!
//! ```
//! use scim_client::Client;
//! use scim_client::model::User;
//! use scim_client::transport::TowerTransport;
//! use scim_examples::demo_server::{DemoServer, DemoUser};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), scim_client::Error> {
//! let server = DemoServer::new();
//! let scim = Client::builder(&format!("http://demo.test{}", DemoServer::BASE_PATH))
//!     .build_with(TowerTransport::new(server.router()))?;
//! let created = scim.resource::<DemoUser>().create(&User::new("bjensen")).await?;
//! assert!(created.id.is_some());
//! # Ok(()) }
//! ```
//!
//! What it serves, under [`DemoServer::BASE_PATH`]:
//!
//! - `GET /ServiceProviderConfig`, `/ResourceTypes[/{name}]`, `/Schemas[/{id}]` (the schemas
//!   exported from the derived models with `SchemaDef::to_json`);
//! - `Users` ([`DemoUser`], with the enterprise extension) and `Groups`: `POST` (201 with
//!   `Location` and `ETag`), `GET` by id (with `attributes` / `excludedAttributes`, and
//!   `If-None-Match` answering 304), `GET` lists and `POST .search` with `filter`,
//!   `startIndex` and `count`, `PUT` and `DELETE` with `If-Match` (412 on a stale version),
//!   `PATCH` (`add`, `replace` and `remove` of attributes, sub-attributes and extension
//!   attributes; value-filtered paths are refused; 204, or 200 when `attributes` is asked);
//! - `POST /.search` across both resource types;
//! - SCIM error bodies (`application/scim+json`) for 400 (with `scimType`), 401 (when a bearer
//!   token is configured), 404, 409 (`userName` is unique, case-insensitively) and 412.
//!
//! Users list the groups they belong to in their read-only `groups` attribute.
//!
//! For tests, [`DemoServer::fail_next`] makes the next requests fail with a status (a 503 with
//! `Retry-After: 0`, say) and [`DemoServer::requests`] counts the requests received.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use scim_client::codec::{self, Context, Projection, UnknownPolicy};
use scim_client::error::Rule;
use scim_client::filter::Filter;
use scim_client::model::{EnterpriseUser, Group, GroupMembership, Meta, User};
use scim_client::path::{AttrPath, PatchPath};
use scim_client::protocol::{
    ListResponse, PatchOp, PatchOpKind, PatchOperation, ScimError, ScimType, SearchRequest,
};
use scim_client::schema::{Attribute, Mutability, SchemaDef};
use scim_client::{Reference, Resource};
use serde_json::{Map, Value, json};

/// The user type the demo server stores: the core `User` with the enterprise extension.
pub type DemoUser = User<EnterpriseUser>;

const SCIM_JSON: &str = "application/scim+json";

/// An in-memory SCIM service provider. Cheap to clone: clones share the same data, so a test
/// can keep one to inspect or script the server while the client talks to its router.
#[derive(Clone, Debug)]
pub struct DemoServer {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    store: Mutex<Store>,
    faults: Mutex<VecDeque<StatusCode>>,
    requests: AtomicUsize,
    token: Option<String>,
    max_results: usize,
}

#[derive(Debug, Default)]
struct Store {
    users: Vec<DemoUser>,
    groups: Vec<Group>,
    next_id: u64,
    next_version: u64,
}

impl Store {
    /// A fresh id, shaped like a UUID (deterministic, so runs print the same ids).
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        let mut x = self.next_id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 31;
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            x >> 32,
            (x >> 16) & 0xffff,
            x & 0xfff,
            (x >> 20) & 0xfff,
            self.next_id
        )
    }

    fn new_version(&mut self) -> String {
        self.next_version += 1;
        format!("W/\"{}\"", self.next_version)
    }
}

impl Default for DemoServer {
    fn default() -> Self {
        Self::new()
    }
}

/// Configures a [`DemoServer`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DemoServerBuilder {
    token: Option<String>,
    max_results: usize,
}

impl DemoServerBuilder {
    /// Requires `Authorization: Bearer <token>` on every request (401 otherwise).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The largest page the server returns (default 100), whatever `count` asks.
    pub fn max_results(mut self, n: usize) -> Self {
        self.max_results = n.max(1);
        self
    }

    /// Builds the server, with no resources.
    #[must_use]
    pub fn build(self) -> DemoServer {
        DemoServer {
            shared: Arc::new(Shared {
                store: Mutex::new(Store::default()),
                faults: Mutex::new(VecDeque::new()),
                requests: AtomicUsize::new(0),
                token: self.token,
                max_results: self.max_results,
            }),
        }
    }
}

/// A demo server listening on a local socket, from [`DemoServer::serve_in_background`]. It
/// stops when dropped.
#[derive(Debug)]
pub struct BackgroundServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundServer {
    /// The address the server listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The SCIM base URL (`http://127.0.0.1:PORT/scim/v2`).
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, DemoServer::BASE_PATH)
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl DemoServer {
    /// The path the SCIM endpoints are served under.
    pub const BASE_PATH: &'static str = "/scim/v2";

    /// A server with the default settings and no resources.
    #[must_use]
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Configures a server.
    pub fn builder() -> DemoServerBuilder {
        DemoServerBuilder {
            token: None,
            max_results: 100,
        }
    }

    /// The axum app: every SCIM endpoint under [`DemoServer::BASE_PATH`].
    pub fn router(&self) -> Router {
        let scim = Router::new()
            .route("/ServiceProviderConfig", get(service_provider_config))
            .route("/ResourceTypes", get(resource_types))
            .route("/ResourceTypes/{name}", get(resource_type))
            .route("/Schemas", get(schemas))
            .route("/Schemas/{id}", get(schema))
            .route("/.search", post(root_search))
            .route("/Users", get(list::<DemoUser>).post(create::<DemoUser>))
            .route("/Users/.search", post(search::<DemoUser>))
            .route(
                "/Users/{id}",
                get(read::<DemoUser>)
                    .put(replace::<DemoUser>)
                    .patch(patch::<DemoUser>)
                    .delete(delete::<DemoUser>),
            )
            .route("/Groups", get(list::<Group>).post(create::<Group>))
            .route("/Groups/.search", post(search::<Group>))
            .route(
                "/Groups/{id}",
                get(read::<Group>)
                    .put(replace::<Group>)
                    .patch(patch::<Group>)
                    .delete(delete::<Group>),
            )
            .fallback(not_found)
            .with_state(Arc::clone(&self.shared));
        Router::new()
            .nest(Self::BASE_PATH, scim)
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                Arc::clone(&self.shared),
                gate,
            ))
    }

    /// Makes each of the next requests fail with `status` (a SCIM error body, and
    /// `Retry-After: 0` for 429 and 503), in order, before the server answers normally again.
    pub fn fail_next(&self, statuses: impl IntoIterator<Item = StatusCode>) {
        lock(&self.shared.faults).extend(statuses);
    }

    /// How many requests the server has received (including failed ones).
    #[must_use]
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// A copy of the stored users, in creation order.
    #[must_use]
    pub fn users(&self) -> Vec<DemoUser> {
        lock(&self.shared.store).users.clone()
    }

    /// A copy of the stored groups, in creation order.
    #[must_use]
    pub fn groups(&self) -> Vec<Group> {
        lock(&self.shared.store).groups.clone()
    }

    /// Serves the router on `127.0.0.1` (a free port) from a background thread with its own
    /// tokio runtime, for clients that need a real socket (the blocking client). Call it from
    /// outside any async runtime.
    ///
    /// # Errors
    ///
    /// The runtime or the socket could not be set up.
    pub fn serve_in_background(&self) -> std::io::Result<BackgroundServer> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(SocketAddr::from((
            [127, 0, 0, 1],
            0,
        ))))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = self.router();
        let thread = std::thread::Builder::new()
            .name("scim-demo-server".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(BackgroundServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------
// Responses

/// The absolute base URL of the request (`http://host/scim/v2`), put in the request's
/// extensions by [`gate`].
#[derive(Clone, Debug)]
struct BaseUrl(String);

impl BaseUrl {
    fn location(&self, endpoint: &str, id: &str) -> String {
        format!("{}{}", self.0, codec::resource_path(endpoint, id))
    }
}

fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    response
}

fn scim_error(error: &ScimError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_value(error).unwrap_or(Value::Null);
    scim_json(status, &body)
}

fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> ScimError {
    ScimError::new(400)
        .with_scim_type(scim_type)
        .with_detail(detail)
}

fn not_found_error(what: &str) -> ScimError {
    ScimError::new(404).with_detail(format!("{what} not found"))
}

/// A resource answer with its `ETag` (and `Location` when asked).
fn resource_response(
    status: StatusCode,
    body: &Value,
    version: Option<&str>,
    location: Option<&str>,
) -> Response {
    let mut response = scim_json(status, body);
    let headers = response.headers_mut();
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert(header::ETAG, v);
    }
    if let Some(l) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::LOCATION, l);
    }
    response
}

type Answer = Result<Response, ScimError>;

fn answer(result: Answer) -> Response {
    result.unwrap_or_else(|e| scim_error(&e))
}

async fn not_found() -> Response {
    scim_error(&ScimError::new(404).with_detail("no such endpoint"))
}

/// Counts requests, plays scripted faults, checks the bearer token, and records the base URL.
async fn gate(State(shared): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let fault = lock(&shared.faults).pop_front();
    if let Some(status) = fault {
        let mut response = scim_error(
            &ScimError::new(status.as_u16()).with_detail("a fault scripted with fail_next"),
        );
        if matches!(status.as_u16(), 429 | 503) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
        }
        return response;
    }
    if let Some(token) = &shared.token {
        let expected = format!("Bearer {token}");
        let given = request.headers().get(header::AUTHORIZATION);
        if given.and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
            let mut response =
                scim_error(&ScimError::new(401).with_detail("a valid bearer token is required"));
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
            return response;
        }
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(ToString::to_string))
        .unwrap_or_else(|| "localhost".to_owned());
    let scheme = request.uri().scheme_str().unwrap_or("http").to_owned();
    request.extensions_mut().insert(BaseUrl(format!(
        "{scheme}://{host}{}",
        DemoServer::BASE_PATH
    )));
    next.run(request).await
}

// ---------------------------------------------------------------------------------------------
// Resource kinds

/// What the generic handlers need to know about a stored resource type.
trait Kind: Resource + Clone + Send + Sync + 'static {
    fn all(store: &Store) -> &Vec<Self>;
    fn all_mut(store: &mut Store) -> &mut Vec<Self>;
    fn set_id(&mut self, id: String);
    /// The uniqueness conflict between a candidate and a stored resource, if any.
    fn clash(_candidate: &Self, _stored: &Self) -> Option<String> {
        None
    }
    /// Fills server-computed attributes before the resource is returned.
    fn decorate(&mut self, _store: &Store, _base: &BaseUrl) {}
    /// Forgets references to a deleted resource.
    fn forget(_store: &mut Store, _id: &str) {}
}

impl Kind for DemoUser {
    fn all(store: &Store) -> &Vec<Self> {
        &store.users
    }

    fn all_mut(store: &mut Store) -> &mut Vec<Self> {
        &mut store.users
    }

    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }

    fn clash(candidate: &Self, stored: &Self) -> Option<String> {
        let (Some(a), Some(b)) = (&candidate.user_name, &stored.user_name) else {
            return None;
        };
        a.eq_ignore_ascii_case(b)
            .then(|| format!("the userName `{a}` is already taken"))
    }

    fn decorate(&mut self, store: &Store, base: &BaseUrl) {
        let Some(id) = self.id.clone() else { return };
        self.groups = store
            .groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m.value.as_deref() == Some(&id)))
            .map(|g| {
                let gid = g.id.clone().unwrap_or_default();
                GroupMembership {
                    ref_: Some(Reference::from(base.location(Group::ENDPOINT, &gid))),
                    value: Some(gid),
                    display: g.display_name.clone(),
                    type_: Some("direct".to_owned()),
                    ..GroupMembership::default()
                }
            })
            .collect();
    }

    fn forget(store: &mut Store, id: &str) {
        for group in &mut store.groups {
            group.members.retain(|m| m.value.as_deref() != Some(id));
        }
    }
}

impl Kind for Group {
    fn all(store: &Store) -> &Vec<Self> {
        &store.groups
    }

    fn all_mut(store: &mut Store) -> &mut Vec<Self> {
        &mut store.groups
    }

    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }

    fn forget(store: &mut Store, id: &str) {
        for group in Self::all_mut(store) {
            group.members.retain(|m| m.value.as_deref() != Some(id));
        }
    }
}

/// The schema that defines `urn` for `R` (its core schema or one of its extensions).
fn schema_of<R: Resource>(urn: Option<&str>) -> Option<&'static SchemaDef> {
    match urn {
        None => Some(R::SCHEMA),
        Some(u) if u.eq_ignore_ascii_case(&R::SCHEMA.id) => Some(R::SCHEMA),
        Some(u) => R::extensions()
            .into_iter()
            .find(|e| e.schema.id.eq_ignore_ascii_case(u))
            .map(|e| e.schema),
    }
}

/// Whether a filter path names a case-exact attribute of `R`.
fn case_exact<R: Resource>(path: &AttrPath) -> bool {
    if path.schema().is_none() && path.name().eq_ignore_ascii_case("id") {
        return true;
    }
    let Some(attr) = schema_of::<R>(path.schema()).and_then(|s| s.attribute(path.name())) else {
        return false;
    };
    match path.sub_attr() {
        Some(sub) => attr.sub_attribute(sub).is_some_and(|a| a.case_exact),
        None => attr.case_exact,
    }
}

fn find<'a, R: Kind>(store: &'a Store, id: &str) -> Result<&'a R, ScimError> {
    R::all(store)
        .iter()
        .find(|r| r.id() == Some(id))
        .ok_or_else(|| not_found_error(&format!("{} `{id}`", R::RESOURCE_TYPE)))
}

/// The version of a stored resource.
fn version_of<R: Resource>(r: &R) -> Option<&str> {
    r.meta().and_then(|m| m.version.as_deref())
}

/// Whether `If-Match` (when present) accepts `current`.
fn if_match_ok(headers: &HeaderMap, current: Option<&str>) -> bool {
    let Some(given) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    given
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || Some(tag) == current)
}

fn precondition_failed(current: Option<&str>) -> ScimError {
    ScimError::new(412).with_detail(format!(
        "the resource changed: its version is now {}",
        current.unwrap_or("unknown")
    ))
}

/// Parses a resource from a request body and checks the rules of `context`. Read-only
/// attributes are ignored (RFC 7644 section 3.3), not refused.
fn parse_body<R: Kind>(body: &[u8], context: Context) -> Result<R, ScimError> {
    let resource: R = codec::from_slice_with(body, Context::Default, UnknownPolicy::Keep)
        .map_err(|e| bad_request(ScimType::InvalidSyntax, describe(&e)))?;
    check_rules(&resource, context)?;
    Ok(resource)
}

fn check_rules<R: Resource>(resource: &R, context: Context) -> Result<(), ScimError> {
    let broken: Vec<String> = codec::violations(resource, context, UnknownPolicy::Keep)
        .into_iter()
        .filter(|v| v.rule != Rule::ReadOnly)
        .map(|v| v.to_string())
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(bad_request(ScimType::InvalidValue, broken.join("; ")))
    }
}

/// An error with its sources, on one line.
fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn check_unique<R: Kind>(store: &Store, candidate: &R) -> Result<(), ScimError> {
    for other in R::all(store) {
        if other.id().is_some() && other.id() == candidate.id() {
            continue;
        }
        if let Some(detail) = R::clash(candidate, other) {
            return Err(ScimError::new(409)
                .with_scim_type(ScimType::Uniqueness)
                .with_detail(detail));
        }
    }
    Ok(())
}

/// Sets `meta` for a stored resource: type, times, location and a new version.
fn stamp<R: Kind>(
    resource: &mut R,
    created: Option<jiff::Timestamp>,
    version: String,
    base: &BaseUrl,
) {
    let location = resource.id().map(|id| base.location(R::ENDPOINT, id));
    let now = jiff::Timestamp::now();
    if let Some(slot) = resource.meta_mut() {
        *slot = Some(Meta {
            resource_type: Some(R::RESOURCE_TYPE.to_owned()),
            created: Some(created.unwrap_or(now)),
            last_modified: Some(now),
            location: location.map(Reference::from),
            version: Some(version),
        });
    }
}

/// The resource as returned: decorated, in the response context, projected.
/// Renders `resource` as the answer to `req` in `context`, with its `ETag`; a create answers
/// 201 with a `Location`, the rest 200.
fn respond<R: Kind>(
    store: &Store,
    resource: &R,
    base: &BaseUrl,
    context: Context,
    req: &SearchRequest,
) -> Result<Response, ScimError> {
    let projection = req.projection();
    let body = render(store, resource, base, context, projection.as_ref())?;
    let (status, location) = if context == Context::CreateResponse {
        let location = resource
            .meta()
            .and_then(|m| m.location.as_ref())
            .map(Reference::as_str);
        (StatusCode::CREATED, location)
    } else {
        (StatusCode::OK, None)
    };
    Ok(resource_response(
        status,
        &body,
        version_of(resource),
        location,
    ))
}

fn render<R: Kind>(
    store: &Store,
    resource: &R,
    base: &BaseUrl,
    context: Context,
    projection: Option<&Projection>,
) -> Result<Value, ScimError> {
    let mut shown = resource.clone();
    shown.decorate(store, base);
    match projection {
        Some(p) => codec::to_value_projected(&shown, context, p),
        None => codec::to_value(&shown, context),
    }
    .map_err(|e| ScimError::new(500).with_detail(describe(&e)))
}

// ---------------------------------------------------------------------------------------------
// Queries

/// Reads `GET` query parameters into a search request (parameter names in any case).
fn parse_query(query: Option<&str>) -> Result<SearchRequest, ScimError> {
    let mut req = SearchRequest::new();
    let number = |k: &str, v: &str| {
        v.parse::<u64>()
            .map_err(|_| bad_request(ScimType::InvalidValue, format!("`{k}` must be a number")))
    };
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let list = || {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>()
        };
        match k.to_ascii_lowercase().as_str() {
            "attributes" => req = req.attributes(list()),
            "excludedattributes" => req = req.excluded_attributes(list()),
            "filter" => req = req.filter(v.as_ref()),
            "startindex" => req = req.start_index(number(&k, &v)?),
            "count" => req = req.count(number(&k, &v)?),
            "sortby" => req = req.sort_by(v.as_ref()),
            _ => {}
        }
    }
    Ok(req)
}

fn parse_filter(req: &SearchRequest) -> Result<Option<Filter>, ScimError> {
    req.filter
        .as_deref()
        .map(|f| Filter::parse(f).map_err(|e| bad_request(ScimType::InvalidFilter, e.to_string())))
        .transpose()
}

/// The resources of kind `R` matching `filter`, as returned with `projection`.
fn matching<R: Kind>(
    store: &Store,
    filter: Option<&Filter>,
    base: &BaseUrl,
    context: Context,
    projection: Option<&Projection>,
) -> Result<Vec<Value>, ScimError> {
    let mut out = Vec::new();
    for r in R::all(store) {
        if let Some(f) = filter {
            let full = render(store, r, base, context, None)?;
            if !f.matches_with(&full, case_exact::<R>) {
                continue;
            }
        }
        out.push(render(store, r, base, context, projection)?);
    }
    Ok(out)
}

/// One page of `all`, as a `ListResponse`.
fn page(shared: &Shared, all: Vec<Value>, req: &SearchRequest) -> Response {
    let total = all.len();
    let start = usize::try_from(req.start_index.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
    let count = req
        .count
        .map_or(shared.max_results, |c| {
            usize::try_from(c).unwrap_or(usize::MAX)
        })
        .min(shared.max_results);
    let resources: Vec<Value> = all.into_iter().skip(start - 1).take(count).collect();
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [ListResponse::<()>::SCHEMA],
            "totalResults": total,
            "itemsPerPage": resources.len(),
            "startIndex": start,
            "Resources": resources,
        }),
    )
}

async fn list<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        parse_query(query.as_deref())
            .and_then(|req| query_page::<R>(&shared, &base, &req, Context::QueryResponse)),
    )
}

async fn search<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    body: Bytes,
) -> Response {
    answer(
        parse_search(&body)
            .and_then(|req| query_page::<R>(&shared, &base, &req, Context::SearchResponse)),
    )
}

fn parse_search(body: &[u8]) -> Result<SearchRequest, ScimError> {
    serde_json::from_slice(body).map_err(|e| bad_request(ScimType::InvalidSyntax, e.to_string()))
}

fn query_page<R: Kind>(
    shared: &Shared,
    base: &BaseUrl,
    req: &SearchRequest,
    context: Context,
) -> Answer {
    let filter = parse_filter(req)?;
    let projection = req.projection();
    let store = lock(&shared.store);
    let all = matching::<R>(&store, filter.as_ref(), base, context, projection.as_ref())?;
    Ok(page(shared, all, req))
}

async fn root_search(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    body: Bytes,
) -> Response {
    answer((|| {
        let req = parse_search(&body)?;
        let filter = parse_filter(&req)?;
        let projection = req.projection();
        let context = Context::SearchResponse;
        let store = lock(&shared.store);
        let mut all =
            matching::<DemoUser>(&store, filter.as_ref(), &base, context, projection.as_ref())?;
        all.extend(matching::<Group>(
            &store,
            filter.as_ref(),
            &base,
            context,
            projection.as_ref(),
        )?);
        Ok(page(&shared, all, &req))
    })())
}

// ---------------------------------------------------------------------------------------------
// CRUD

async fn create<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    answer((|| {
        let req = parse_query(query.as_deref())?;
        let mut resource: R = parse_body(&body, Context::CreateRequest)?;
        let mut store = lock(&shared.store);
        check_unique(&store, &resource)?;
        let id = store.new_id();
        resource.set_id(id);
        let version = store.new_version();
        stamp(&mut resource, None, version, &base);
        R::all_mut(&mut store).push(resource.clone());
        respond(&store, &resource, &base, Context::CreateResponse, &req)
    })())
}

async fn read<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    answer((|| {
        let req = parse_query(query.as_deref())?;
        let store = lock(&shared.store);
        let resource = find::<R>(&store, &id)?;
        let version = version_of(resource);
        let unchanged = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|given| given.split(',').map(str::trim).any(|t| Some(t) == version));
        if unchanged {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            if let Some(v) = version.and_then(|v| HeaderValue::from_str(v).ok()) {
                response.headers_mut().insert(header::ETAG, v);
            }
            return Ok(response);
        }
        respond(&store, resource, &base, Context::QueryResponse, &req)
    })())
}

async fn replace<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer((|| {
        let req = parse_query(query.as_deref())?;
        let mut store = lock(&shared.store);
        let current = find::<R>(&store, &id)?;
        let created = current.meta().and_then(|m| m.created);
        if !if_match_ok(&headers, version_of(current)) {
            return Err(precondition_failed(version_of(current)));
        }
        let mut resource: R = parse_body(&body, Context::ReplaceRequest)?;
        resource.set_id(id.clone());
        check_unique(&store, &resource)?;
        let version = store.new_version();
        stamp(&mut resource, created, version, &base);
        save(&mut store, resource.clone());
        respond(&store, &resource, &base, Context::ReplaceResponse, &req)
    })())
}

/// Replaces the stored resource with the same id.
fn save<R: Kind>(store: &mut Store, resource: R) {
    if let Some(slot) = R::all_mut(store)
        .iter_mut()
        .find(|r| r.id() == resource.id())
    {
        *slot = resource;
    }
}

async fn patch<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer((|| {
        let req = parse_query(query.as_deref())?;
        let patch: PatchOp = serde_json::from_slice(&body)
            .map_err(|e| bad_request(ScimType::InvalidSyntax, e.to_string()))?;
        patch.validate()?;
        let mut store = lock(&shared.store);
        let current = find::<R>(&store, &id)?;
        if !if_match_ok(&headers, version_of(current)) {
            return Err(precondition_failed(version_of(current)));
        }
        let created = current.meta().and_then(|m| m.created);
        let mut resource = apply_patch(current, &patch)?;
        check_rules(&resource, Context::ReplaceRequest)?;
        resource.set_id(id.clone());
        check_unique(&store, &resource)?;
        let version = store.new_version();
        stamp(&mut resource, created, version, &base);
        save(&mut store, resource.clone());
        if req.projection().is_none() {
            let mut response = StatusCode::NO_CONTENT.into_response();
            if let Some(v) = version_of(&resource).and_then(|v| HeaderValue::from_str(v).ok()) {
                response.headers_mut().insert(header::ETAG, v);
            }
            return Ok(response);
        }
        respond(&store, &resource, &base, Context::PatchResponse, &req)
    })())
}

async fn delete<R: Kind>(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer((|| {
        let mut store = lock(&shared.store);
        let current = find::<R>(&store, &id)?;
        if !if_match_ok(&headers, version_of(current)) {
            return Err(precondition_failed(version_of(current)));
        }
        R::all_mut(&mut store).retain(|r| r.id() != Some(id.as_str()));
        R::forget(&mut store, &id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

// ---------------------------------------------------------------------------------------------
// PATCH, on the resource's JSON

fn apply_patch<R: Kind>(current: &R, patch: &PatchOp) -> Result<R, ScimError> {
    let internal = |e: scim_client::Error| ScimError::new(500).with_detail(describe(&e));
    let Value::Object(mut doc) = codec::to_value(current, Context::Default).map_err(internal)?
    else {
        return Err(ScimError::new(500).with_detail("a resource is not a JSON object"));
    };
    for op in &patch.operations {
        apply_operation::<R>(&mut doc, op)?;
    }
    codec::from_value(Value::Object(doc), Context::Default)
        .map_err(|e| bad_request(ScimType::InvalidValue, describe(&e)))
}

fn apply_operation<R: Resource>(
    doc: &mut Map<String, Value>,
    op: &PatchOperation,
) -> Result<(), ScimError> {
    let Some(path) = &op.path else {
        if op.op == PatchOpKind::Remove {
            return Err(bad_request(ScimType::NoTarget, "`remove` needs a path"));
        }
        let Some(Value::Object(attrs)) = &op.value else {
            return Err(bad_request(
                ScimType::InvalidValue,
                "without a path, the value must be an object of attributes",
            ));
        };
        for (key, value) in attrs {
            if codec::is_urn(key) && value.is_object() && !key.eq_ignore_ascii_case(&R::SCHEMA.id) {
                for (name, v) in value.as_object().into_iter().flatten() {
                    apply_at::<R>(doc, Some(key), name, None, op.op, Some(v))?;
                }
            } else if !key.eq_ignore_ascii_case("schemas") {
                let path = AttrPath::parse(key)
                    .map_err(|e| bad_request(ScimType::InvalidPath, e.to_string()))?;
                apply_at::<R>(
                    doc,
                    path.schema(),
                    path.name(),
                    path.sub_attr(),
                    op.op,
                    Some(value),
                )?;
            }
        }
        return Ok(());
    };
    let path =
        PatchPath::parse(path).map_err(|e| bad_request(ScimType::InvalidPath, e.to_string()))?;
    if path.value_filter().is_some() {
        return Err(bad_request(
            ScimType::InvalidPath,
            "the demo server does not support value-filtered paths",
        ));
    }
    let attr = path.attr();
    apply_at::<R>(
        doc,
        attr.schema(),
        attr.name(),
        attr.sub_attr(),
        op.op,
        op.value.as_ref(),
    )
}

/// The key of `name` in `map`, matched case-insensitively.
fn key_of(map: &Map<String, Value>, name: &str) -> Option<String> {
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

fn check_mutability(
    attr: &Attribute,
    current: Option<&Value>,
    shown: &str,
) -> Result<(), ScimError> {
    let set = current.is_some_and(|v| !v.is_null());
    match attr.mutability {
        Mutability::ReadOnly => Err(ScimError::new(400)
            .with_scim_type(ScimType::Mutability)
            .with_detail(format!("`{shown}` is readOnly"))),
        Mutability::Immutable if set => Err(ScimError::new(400)
            .with_scim_type(ScimType::Mutability)
            .with_detail(format!("`{shown}` is immutable and already set"))),
        _ => Ok(()),
    }
}

fn apply_at<R: Resource>(
    doc: &mut Map<String, Value>,
    urn: Option<&str>,
    name: &str,
    sub: Option<&str>,
    kind: PatchOpKind,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let shown = match sub {
        Some(s) => format!("{name}.{s}"),
        None => name.to_owned(),
    };
    if urn.is_none()
        && ["id", "meta", "schemas"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
    {
        return Err(ScimError::new(400)
            .with_scim_type(ScimType::Mutability)
            .with_detail(format!("`{name}` is set by the server")));
    }
    // The schema, when the server knows it: attributes of extensions it does not know are
    // kept as sent, and patched without schema checks.
    let schema = schema_of::<R>(urn);
    let (attr, sub_attr) = match schema {
        Some(schema) => {
            let attr = schema.attribute(name).ok_or_else(|| {
                bad_request(
                    ScimType::InvalidPath,
                    format!("no attribute `{name}` in {}", schema.id),
                )
            })?;
            let sub_attr = match sub {
                Some(s) => Some(attr.sub_attribute(s).ok_or_else(|| {
                    bad_request(ScimType::InvalidPath, format!("no sub-attribute `{shown}`"))
                })?),
                None => None,
            };
            (Some(attr), sub_attr)
        }
        None => (None, None),
    };
    // The object holding the attribute: the resource, or its extension object.
    let container: &mut Map<String, Value> = match urn {
        Some(u) if schema.is_none_or(|s| !std::ptr::eq(s, R::SCHEMA)) => {
            let key = key_of(doc, u).unwrap_or_else(|| u.to_owned());
            if kind == PatchOpKind::Remove && !doc.contains_key(&key) {
                return Ok(());
            }
            match doc.entry(key).or_insert_with(|| Value::Object(Map::new())) {
                Value::Object(m) => m,
                _ => {
                    return Err(bad_request(
                        ScimType::InvalidValue,
                        "an extension is not an object",
                    ));
                }
            }
        }
        _ => doc,
    };
    let key = key_of(container, name)
        .or_else(|| attr.map(|a| a.name.to_string()))
        .unwrap_or_else(|| name.to_owned());
    let sub_key = |m: &Map<String, Value>| {
        let s = sub.unwrap_or_default();
        key_of(m, s)
            .or_else(|| sub_attr.map(|a| a.name.to_string()))
            .unwrap_or_else(|| s.to_owned())
    };
    if let Some(attr) = attr {
        check_mutability(attr, container.get(&key), &shown)?;
    }
    if let Some(sa) = sub_attr {
        let current = container.get(&key).and_then(|v| v.get(sa.name.as_ref()));
        check_mutability(sa, current, &shown)?;
    }
    let multi_valued = attr.map_or_else(
        || container.get(&key).is_some_and(Value::is_array),
        |a| a.multi_valued,
    );
    let needs_value = || {
        value
            .cloned()
            .ok_or_else(|| bad_request(ScimType::InvalidValue, format!("`{kind}` needs a value")))
    };
    match (kind, sub.is_some()) {
        (PatchOpKind::Remove, false) => {
            container.remove(&key);
        }
        (PatchOpKind::Remove, true) => {
            if let Some(Value::Object(m)) = container.get_mut(&key) {
                let k = sub_key(m);
                m.remove(&k);
            }
        }
        (_, true) => {
            if multi_valued {
                return Err(bad_request(
                    ScimType::InvalidPath,
                    format!(
                        "`{shown}`: a sub-attribute of a multi-valued attribute needs a value filter"
                    ),
                ));
            }
            let v = needs_value()?;
            let entry = container
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(m) = entry {
                let k = sub_key(m);
                m.insert(k, v);
            }
        }
        (PatchOpKind::Add, false) if multi_valued => {
            let added = match needs_value()? {
                Value::Array(items) => items,
                other => vec![other],
            };
            match container.get_mut(&key) {
                Some(Value::Array(items)) => {
                    for item in added {
                        if !items.contains(&item) {
                            items.push(item);
                        }
                    }
                }
                _ => {
                    container.insert(key, Value::Array(added));
                }
            }
        }
        (PatchOpKind::Add, false) => match (container.get_mut(&key), needs_value()?) {
            (Some(Value::Object(current)), Value::Object(new)) => current.extend(new),
            (_, v) => {
                container.insert(key, v);
            }
        },
        (_, false) => {
            container.insert(key, needs_value()?);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Discovery

async fn service_provider_config(
    State(shared): State<Arc<Shared>>,
    Extension(base): Extension<BaseUrl>,
) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://docs.rs/scim-client",
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": shared.max_results},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": true},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with a bearer token (RFC 6750)",
                "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{}/ServiceProviderConfig", base.0),
            },
        }),
    )
}

fn resource_type_json<R: Resource>(base: &BaseUrl) -> Value {
    let extensions: Vec<Value> = R::extensions()
        .iter()
        .map(|e| json!({"schema": e.schema.id, "required": e.required}))
        .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": R::RESOURCE_TYPE,
        "name": R::RESOURCE_TYPE,
        "description": R::DESCRIPTION,
        "endpoint": R::ENDPOINT,
        "schema": R::SCHEMA.id,
        "schemaExtensions": extensions,
        "meta": {
            "resourceType": "ResourceType",
            "location": format!("{}/ResourceTypes/{}", base.0, R::RESOURCE_TYPE),
        },
    })
}

fn all_resource_types(base: &BaseUrl) -> Vec<Value> {
    vec![
        resource_type_json::<DemoUser>(base),
        resource_type_json::<Group>(base),
    ]
}

fn all_schemas(base: &BaseUrl) -> Vec<Value> {
    let mut defs: Vec<&'static SchemaDef> = Vec::new();
    for def in [DemoUser::SCHEMA, Group::SCHEMA]
        .into_iter()
        .chain(DemoUser::extensions().into_iter().map(|e| e.schema))
    {
        if !defs.iter().any(|d| d.id == def.id) {
            defs.push(def);
        }
    }
    defs.into_iter()
        .map(|d| {
            let mut v = d.to_json();
            v["meta"]["location"] = json!(format!("{}/Schemas/{}", base.0, d.id));
            v
        })
        .collect()
}

fn list_of(resources: &[Value]) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [ListResponse::<()>::SCHEMA],
            "totalResults": resources.len(),
            "itemsPerPage": resources.len(),
            "startIndex": 1,
            "Resources": resources,
        }),
    )
}

fn one_of(resources: Vec<Value>, key: &str, wanted: &str, what: &str) -> Response {
    resources
        .into_iter()
        .find(|r| {
            r[key]
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
        })
        .map_or_else(
            || scim_error(&not_found_error(&format!("{what} `{wanted}`"))),
            |r| scim_json(StatusCode::OK, &r),
        )
}

async fn resource_types(Extension(base): Extension<BaseUrl>) -> Response {
    list_of(&all_resource_types(&base))
}

async fn resource_type(Extension(base): Extension<BaseUrl>, Path(name): Path<String>) -> Response {
    one_of(all_resource_types(&base), "name", &name, "resource type")
}

async fn schemas(Extension(base): Extension<BaseUrl>) -> Response {
    list_of(&all_schemas(&base))
}

async fn schema(Extension(base): Extension<BaseUrl>, Path(id): Path<String>) -> Response {
    one_of(all_schemas(&base), "id", &id, "schema")
}
