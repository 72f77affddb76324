//! The async client: [`Client`], its builder, and the typed per-resource handle [`Api`].
//!
//! ```no_run
//! use scim_client::Client;
//! use scim_client::model::{EnterpriseUser, User};
//! use scim_client::protocol::SearchRequest;
//!
//! # async fn run() -> Result<(), scim_client::Error> {
//! let scim = Client::builder("https://idp.example/scim/v2")
//!     .bearer_token("s3cr3t")
//!     .build()?;
//! let users = scim.resource::<User<EnterpriseUser>>();
//! let page = users.list(&SearchRequest::new().filter(r#"userName eq "bjensen""#)).await?;
//! for user in page {
//!     println!("{:?}", user.display_name);
//! }
//! # Ok(()) }
//! ```

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod bulk;
pub(crate) mod core;
mod me;
mod pages;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use http::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use tracing::Instrument as _;

pub use self::bulk::{Bulk, BulkOutcome, BulkRef, BulkResults};
pub use self::core::{RequestOptions, SCIM_JSON};
pub use self::me::Me;
pub use self::pages::{MAX_PAGES, Pages};
use crate::codec::Context;
use crate::error::Error;
use crate::model::{ResourceType, Schema, ServiceProviderConfig};
use crate::protocol::{ListResponse, PatchOp, SearchRequest};
use crate::resource::{Resource, ResourceKind};
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// The transport `Client` uses unless told otherwise.
#[cfg(feature = "reqwest")]
pub type DefaultTransport = crate::transport::ReqwestTransport;

/// Without the `reqwest` feature there is no default transport: pass one to
/// [`ClientBuilder::build_with`].
#[cfg(not(feature = "reqwest"))]
#[derive(Debug, Clone, Copy)]
pub enum DefaultTransport {}

#[cfg(not(feature = "reqwest"))]
impl Transport for DefaultTransport {
    async fn send(
        &self,
        _: HttpRequest,
        _: usize,
    ) -> Result<HttpResponse, crate::transport::BoxError> {
        match *self {}
    }
}

/// A secret (token, password) that never shows in `Debug` output or logs.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client authenticates.
#[derive(Clone, Debug, Default)]
enum Auth {
    #[default]
    None,
    Bearer(Secret),
    Basic {
        user: String,
        password: Secret,
    },
}

impl Auth {
    fn header(&self) -> Result<Option<HeaderValue>, Error> {
        use base64::Engine as _;
        let raw = match self {
            Auth::None => return Ok(None),
            Auth::Bearer(t) => format!("Bearer {}", t.0),
            Auth::Basic { user, password } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.0))
            ),
        };
        let mut v = HeaderValue::try_from(raw).map_err(|_| {
            Error::InvalidRequest("the credentials contain invalid header characters".to_owned())
        })?;
        v.set_sensitive(true);
        Ok(Some(v))
    }
}

/// Retries with exponential backoff, for idempotent requests (GET, PUT, DELETE) on 429, 502,
/// 503 and 504 and on transport failures, honouring `Retry-After`. POST and PATCH are retried
/// only when [`RetryPolicy::retry_non_idempotent`] is set, since a retried create could create
/// twice.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times to retry (0 disables retries).
    pub max_retries: u32,
    /// The first backoff delay; doubled at each retry.
    pub base_delay: Duration,
    /// The longest delay, including a server's `Retry-After`.
    pub max_delay: Duration,
    /// Retry POST and PATCH too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The same policy with another retry count.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The same policy with another first delay.
    #[must_use]
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// The same policy, retrying POST and PATCH too.
    #[must_use]
    pub fn retry_non_idempotent(mut self, on: bool) -> Self {
        self.retry_non_idempotent = on;
        self
    }

    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(16)));
        retry_after.unwrap_or(backoff).min(self.max_delay)
    }
}

/// Builds a [`Client`]; `ClientBuilder<blocking::Client>` (from `blocking::Client::builder`,
/// feature `blocking`) builds a blocking one. Auth, headers, timeout, limits, retries and
/// options are configured the same way for both.
#[must_use]
pub struct ClientBuilder<C = Client> {
    base: String,
    auth: Auth,
    headers: HeaderMap,
    timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    options: RequestOptions,
    error: Option<Error>,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base", &self.base)
            .field("auth", &self.auth)
            .field("headers", &self.headers)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("options", &self.options)
            .field("error", &self.error)
            .finish()
    }
}

impl<C> ClientBuilder<C> {
    fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            auth: Auth::None,
            headers: HeaderMap::new(),
            timeout: Duration::from_secs(30),
            max_response_bytes: crate::transport::DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            options: RequestOptions::default(),
            error: None,
            _client: PhantomData,
        }
    }

    /// Authenticates with `Authorization: Bearer <token>` (RFC 6750).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Bearer(Secret(token.into()));
        self
    }

    /// Authenticates with HTTP Basic.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Auth::Basic {
            user: user.into(),
            password: Secret(password.into()),
        };
        self
    }

    /// Adds a header to every request (an API key, a tenant id). Values of headers named like
    /// credentials are marked sensitive and never logged.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name_ok = http::header::HeaderName::try_from(name);
        let value_ok = HeaderValue::try_from(value);
        match (name_ok, value_ok) {
            (Ok(n), Ok(mut v)) => {
                if core::is_credential_header(&n) {
                    v.set_sensitive(true);
                }
                self.headers.insert(n, v);
            }
            _ => {
                self.error = Some(Error::InvalidRequest(format!("invalid header `{name}`")));
            }
        }
        self
    }

    /// The overall timeout of one request (default 30 s). Only used by the reqwest transports
    /// that `build` creates, not by `build_with`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest response body accepted (default
    /// [`crate::transport::DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The default per-call switches.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The shared state of a client over `transport`, for either kind of client.
    fn into_inner<T>(self, transport: T) -> Result<Inner<T>, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let base = core::Base::parse(&self.base)?;
        let mut headers = self.headers;
        if let Some(v) = self.auth.header()? {
            headers.insert(AUTHORIZATION, v);
        }
        let request_headers = [
            core::scim_headers(headers.clone(), false),
            core::scim_headers(headers.clone(), true),
        ];
        Ok(Inner {
            transport,
            base,
            headers,
            request_headers,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
            options: self.options,
            config: RwLock::new(None),
            endpoints: RwLock::new(HashMap::new()),
            types: RwLock::new(Vec::new()),
        })
    }
}

impl ClientBuilder {
    /// Builds a client over reqwest.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a bad base URL or header; a transport error if reqwest
    /// cannot start.
    #[cfg(feature = "reqwest")]
    pub fn build(self) -> Result<Client<crate::transport::ReqwestTransport>, Error> {
        let transport =
            crate::transport::ReqwestTransport::with_timeout(self.timeout).map_err(|source| {
                Error::Transport {
                    method: http::Method::GET,
                    path: String::new(),
                    source,
                }
            })?;
        self.build_with(transport)
    }

    /// Builds a client over any transport.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a bad base URL or header.
    pub fn build_with<T: Transport>(self, transport: T) -> Result<Client<T>, Error> {
        Ok(Client {
            inner: Arc::new(self.into_inner(transport)?),
        })
    }
}

/// The state shared by the clones of a client, async or blocking.
struct Inner<T> {
    transport: T,
    base: core::Base,
    headers: HeaderMap,
    /// `headers` with the SCIM `Accept` (and, at index 1, `Content-Type`) they do not set:
    /// the headers of every request without (with) a body, built once.
    request_headers: [HeaderMap; 2],
    max_response_bytes: usize,
    retry: RetryPolicy,
    options: RequestOptions,
    config: RwLock<Option<Arc<ServiceProviderConfig>>>,
    /// Endpoints learnt from `/ResourceTypes`, keyed by core schema URN (lower case).
    endpoints: RwLock<HashMap<String, String>>,
    /// Resource types learnt by `discover`, for results of types the program does not know.
    types: RwLock<Vec<Arc<crate::ResourceSchema>>>,
}

/// The parts of an [`Api`] (shared with the blocking one).
pub(crate) struct ApiParts<R: ResourceKind, C> {
    pub(crate) client: C,
    pub(crate) endpoint: String,
    pub(crate) options: RequestOptions,
    pub(crate) schema: R::Schema,
}

impl<T> Inner<T> {
    /// The endpoint of `R`: the one `discover` learnt, else the one from its metadata.
    fn endpoint_of<R: ResourceKind>(&self, schema: &R::Schema) -> String {
        let learnt = self
            .endpoints
            .read()
            .ok()
            .and_then(|m| m.get(&R::__core_urn(schema).to_ascii_lowercase()).cloned());
        learnt.unwrap_or_else(|| R::__endpoint(schema).to_owned())
    }

    fn api<R: ResourceKind, C>(&self, client: C, schema: R::Schema) -> ApiParts<R, C> {
        ApiParts {
            endpoint: self.endpoint_of::<R>(&schema),
            options: self.options.clone(),
            schema,
            client,
        }
    }

    fn remember_types(&self, discovery: &Discovery) {
        let types = discovery.resource_schemas();
        if let Ok(mut slot) = self.types.write() {
            *slot = types;
        }
    }

    /// The resource type (learnt by `discover`) whose core schema `resource` names.
    fn type_of(&self, resource: &crate::DynamicResource) -> Option<Arc<crate::ResourceSchema>> {
        let urns = resource.declared_schemas();
        let types = self.types.read().ok()?;
        let by_urn = types
            .iter()
            .find(|t| urns.iter().any(|u| u.eq_ignore_ascii_case(&t.core().id)));
        let by_name = || {
            let name = resource.resource_type()?;
            types.iter().find(|t| t.name().eq_ignore_ascii_case(name))
        };
        by_urn.or_else(by_name).cloned()
    }

    fn known_config(&self) -> Option<Arc<ServiceProviderConfig>> {
        self.config.read().ok().and_then(|c| c.clone())
    }

    fn remember_config(&self, config: &ServiceProviderConfig) {
        if let Ok(mut slot) = self.config.write() {
            *slot = Some(Arc::new(config.clone()));
        }
    }

    fn remember_endpoints(&self, endpoints: HashMap<String, String>) {
        if let Ok(mut slot) = self.endpoints.write() {
            *slot = endpoints;
        }
    }

    fn etag_supported(&self) -> bool {
        self.known_config()
            .is_none_or(|c| c.etag.as_ref().and_then(|e| e.supported) != Some(false))
    }

    /// Adds the client's auth and default headers to a raw request, unless it sets them.
    fn add_default_headers(&self, request: &mut HttpRequest) {
        for (k, v) in &self.headers {
            if !request.headers().contains_key(k) {
                request.headers_mut().insert(k.clone(), v.clone());
            }
        }
    }

    /// Turns an operation into a request, with the base URL, default and per-call headers.
    fn prepare(&self, op: core::Op, options: &RequestOptions) -> Result<Prepared, Error> {
        let url = self.base.url(&op.path, &op.query);
        let mut headers = self.request_headers[usize::from(op.body.is_some())].clone();
        for (k, v) in &options.headers {
            headers.insert(k.clone(), v.clone());
        }
        let idempotent = op.idempotent();
        let request = core::build(op.method, url, op.body, headers, op.extra)?;
        Ok(Prepared {
            request,
            expected: options
                .expected_status
                .clone()
                .map_or(Cow::Borrowed(op.expected), Cow::Owned),
            check_status: options.check_status,
            idempotent,
            decoded: op.decoded,
        })
    }
}

/// An async SCIM client. Cheap to clone (shared state behind an `Arc`).
pub struct Client<T = DefaultTransport> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_url().as_str())
            .field("headers", &self.inner.headers)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client for the SCIM service at `base_url`
    /// (`https://example.com/scim/v2`).
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }
}

/// What `discover` learnt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Discovery {
    /// `/ServiceProviderConfig`.
    pub config: ServiceProviderConfig,
    /// `/ResourceTypes`.
    pub resource_types: Vec<ResourceType>,
    /// `/Schemas`.
    pub schemas: Vec<Schema>,
}

impl Discovery {
    /// The runtime metadata of the resource type named `name` (case-insensitive), for
    /// [`Client::dynamic`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the server has no such resource type or does not
    /// describe its schemas; [`Error::Schema`] when a schema is malformed.
    pub fn resource_schema(&self, name: &str) -> Result<Arc<crate::ResourceSchema>, Error> {
        let rt = self
            .resource_types
            .iter()
            .find(|rt| {
                rt.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .ok_or_else(|| {
                let known: Vec<&str> = self
                    .resource_types
                    .iter()
                    .filter_map(|rt| rt.name.as_deref())
                    .collect();
                Error::InvalidRequest(format!(
                    "the server has no resource type `{name}` (it has: {})",
                    known.join(", ")
                ))
            })?;
        crate::ResourceSchema::from_discovery(rt, &self.schemas).map(Arc::new)
    }

    /// The runtime metadata of every resource type whose schemas the server describes
    /// well enough (the others are left out, with a `tracing` warning).
    #[must_use]
    pub fn resource_schemas(&self) -> Vec<Arc<crate::ResourceSchema>> {
        self.resource_types
            .iter()
            .filter_map(
                |rt| match crate::ResourceSchema::from_discovery(rt, &self.schemas) {
                    Ok(s) => Some(Arc::new(s)),
                    Err(e) => {
                        tracing::warn!(resource_type = ?rt.name, error = %e, "resource type left out");
                        None
                    }
                },
            )
            .collect()
    }
}

/// A prepared operation: the request and the statuses that mean success.
pub(crate) struct Prepared {
    pub(crate) request: HttpRequest,
    /// The operation's statuses, or the per-call ones of [`RequestOptions::expected_status`].
    pub(crate) expected: Cow<'static, [u16]>,
    /// See [`RequestOptions::check_status`].
    pub(crate) check_status: bool,
    pub(crate) idempotent: bool,
    /// See `core::Op::decoded`.
    pub(crate) decoded: bool,
}

impl<T: Transport> Client<T> {
    /// The base URL.
    #[must_use]
    pub fn base_url(&self) -> &str {
        self.inner.base.as_url().as_str()
    }

    /// A typed handle for resources of type `R`, at the endpoint from its metadata (or the one
    /// `discover` learnt from `/ResourceTypes`).
    #[must_use]
    pub fn resource<R: Resource>(&self) -> Api<R, T> {
        Api::from_parts(self.inner.api::<R, _>(self.clone(), ()))
    }

    /// A handle for resources of a type known at run time (from [`Discovery::resource_schema`]
    /// or a schema file): every operation of [`Api`], over [`DynamicResource`]s checked
    /// against `schema` by the same rules as derived types.
    ///
    /// [`DynamicResource`]: crate::DynamicResource
    #[must_use]
    pub fn dynamic(&self, schema: &Arc<crate::ResourceSchema>) -> Api<crate::DynamicResource, T> {
        Api::from_parts(
            self.inner
                .api::<crate::DynamicResource, _>(self.clone(), Arc::clone(schema)),
        )
    }

    /// The `ServiceProviderConfig` learnt by [`Client::discover`] or
    /// [`Client::service_provider_config`], if any.
    #[must_use]
    pub fn known_config(&self) -> Option<Arc<ServiceProviderConfig>> {
        self.inner.known_config()
    }

    /// Sends a request as is and returns the response untouched: no SCIM checks, no retries
    /// (for testing servers with deliberately odd traffic). The client's auth and default
    /// headers are added unless the request sets them.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] only.
    pub async fn send_raw(&self, mut request: HttpRequest) -> Result<HttpResponse, Error> {
        self.inner.add_default_headers(&mut request);
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        self.inner
            .transport
            .send(request, self.inner.max_response_bytes)
            .await
            .map_err(|source| Error::Transport {
                method,
                path,
                source,
            })
    }

    /// Prepares and sends an operation with `options`.
    fn run<'a>(
        &'a self,
        op: core::Op,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<core::Checked, Error>> + Send + use<'a, T> {
        let started = self.start(op, options);
        async move { started?.await }
    }

    /// Prepares an operation and starts its exchange on the heap: the request, the retries and
    /// the transport's own future live there, so the future of every operation is a few
    /// dozen bytes, cheap to move and to embed in a caller's future.
    fn start<'a>(
        &'a self,
        op: core::Op,
        options: &RequestOptions,
    ) -> Result<
        Pin<Box<impl Future<Output = Result<core::Checked, Error>> + Send + use<'a, T>>>,
        Error,
    > {
        let prepared = self.inner.prepare(op, options)?;
        let exchange = core::Exchange::new(prepared, &self.inner.retry);
        Ok(Box::pin(self.execute(exchange)))
    }

    /// Sends a prepared request with retries and tracing, then runs the status checks. The
    /// decisions are [`core::Exchange`]'s; this only sends and sleeps.
    // Not an `async fn`, whose future would keep its argument apart from the loop's exchange.
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn execute<'a>(
        &'a self,
        mut exchange: core::Exchange<'a>,
    ) -> impl Future<Output = Result<core::Checked, Error>> + Send + use<'a, T> {
        async move {
            loop {
                let span = exchange.span();
                // Timed only for a span that records it.
                let started = (!span.is_disabled()).then(Instant::now);
                // Its own statement, so that the future does not keep a place for the request.
                let request = exchange.request()?;
                let result = self
                    .inner
                    .transport
                    .send(request, self.inner.max_response_bytes)
                    .instrument(span.clone())
                    .await;
                match exchange.settle(result, &span, started.map(|t| t.elapsed())) {
                    core::Step::Retry(delay) => tokio::time::sleep(delay).await,
                    core::Step::Done(result) => return result,
                }
            }
        }
    }

    /// `GET /ServiceProviderConfig`, remembered for later checks (bulk limits, `ETag`s).
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn service_provider_config(&self) -> Result<ServiceProviderConfig, Error> {
        let options = self.inner.options.clone().check_response(false);
        let checked = self
            .run(core::read_op("/ServiceProviderConfig"), &options)
            .await?;
        let config: ServiceProviderConfig =
            core::decode_resource(&checked, Context::QueryResponse, &options)?;
        self.inner.remember_config(&config);
        Ok(config)
    }

    /// Reads `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`, checks that they agree
    /// (every resource type's schema and extensions are served, every endpoint is a path
    /// under the base URL), and remembers the configuration and endpoints. Nothing is
    /// remembered when the description is inconsistent.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline, or [`Error::InvalidRequest`] describing the
    /// inconsistency.
    pub async fn discover(&self) -> Result<Discovery, Error> {
        let options = self.inner.options.clone().check_response(false);
        let checked = self
            .run(core::read_op("/ServiceProviderConfig"), &options)
            .await?;
        let config: ServiceProviderConfig =
            core::decode_resource(&checked, Context::QueryResponse, &options)?;
        let checked = self.run(core::read_op("/ResourceTypes"), &options).await?;
        let resource_types =
            core::decode_list::<ResourceType>(&checked, Context::QueryResponse, &options)?
                .resources;
        let checked = self.run(core::read_op("/Schemas"), &options).await?;
        let schemas =
            core::decode_list::<Schema>(&checked, Context::QueryResponse, &options)?.resources;
        let endpoints = core::learn_endpoints(&resource_types, &schemas)?;
        let discovery = Discovery {
            config,
            resource_types,
            schemas,
        };
        self.inner.remember_config(&discovery.config);
        self.inner.remember_endpoints(endpoints);
        self.inner.remember_types(&discovery);
        Ok(discovery)
    }

    /// `POST /.search` across every resource type; `R` dispatches on `schemas` (an enum of
    /// resource types) or is a single type.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn search<R: crate::resource::Payload>(
        &self,
        request: &SearchRequest,
    ) -> Result<ListResponse<R>, Error> {
        let options = &self.inner.options;
        let checked = self.run(core::search_op(None, request)?, options).await?;
        core::decode_list(&checked, Context::SearchResponse, options)
    }

    /// `POST /.search` across every resource type, each result a [`DynamicResource`]: bound
    /// to (and checked against) the resource type `discover` learnt for its `schemas`, or
    /// unbound JSON when the type is unknown, instead of failing.
    ///
    /// [`DynamicResource`]: crate::DynamicResource
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn search_dynamic(
        &self,
        request: &SearchRequest,
    ) -> Result<ListResponse<crate::DynamicResource>, Error> {
        let options = &self.inner.options;
        let checked = self.run(core::search_op(None, request)?, options).await?;
        core::decode_dynamic_list(
            &checked,
            |r| self.inner.type_of(r),
            Context::SearchResponse,
            options,
        )
    }
}

/// A typed handle on the resources of type `R`: `client.resource::<User>()` for a derived
/// type, `client.dynamic(&schema)` for a type known at run time.
pub struct Api<R: ResourceKind, T = DefaultTransport> {
    client: Client<T>,
    endpoint: String,
    options: RequestOptions,
    schema: R::Schema,
}

impl<R: ResourceKind, T> Api<R, T> {
    fn from_parts(parts: ApiParts<R, Client<T>>) -> Self {
        Self {
            client: parts.client,
            endpoint: parts.endpoint,
            options: parts.options,
            schema: parts.schema,
        }
    }
}

impl<R: ResourceKind, T> Clone for Api<R, T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            endpoint: self.endpoint.clone(),
            options: self.options.clone(),
            schema: self.schema.clone(),
        }
    }
}

impl<R: ResourceKind, T> fmt::Debug for Api<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The result of a conditional read (`If-None-Match`).
#[derive(Debug, Clone, PartialEq)]
pub enum Conditional<R> {
    /// The resource changed: here is the new version.
    Modified(R),
    /// 304: the version held is current.
    NotModified,
}

impl<R: ResourceKind, T: Transport> Api<R, T> {
    /// The endpoint this handle talks to (`/Users`).
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The runtime metadata of the resource type (`()` for a derived type, whose metadata is
    /// in the type).
    #[must_use]
    pub fn schema(&self) -> &R::Schema {
        &self.schema
    }

    /// The same handle with other per-call switches.
    #[must_use]
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The same handle at another endpoint (checked to stay under the base URL).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the endpoint would leave the base URL.
    pub fn at(mut self, endpoint: &str) -> Result<Self, Error> {
        core::check_endpoint(endpoint)?;
        endpoint.clone_into(&mut self.endpoint);
        Ok(self)
    }

    /// Starts an operation: the caller awaits the exchange directly (no extra future layer).
    fn run(
        &self,
        op: Result<core::Op, Error>,
    ) -> Result<Pin<Box<impl Future<Output = Result<core::Checked, Error>> + Send + '_>>, Error>
    {
        op.and_then(|op| self.client.start(op, &self.options))
    }

    /// `GET {endpoint}/{id}`.
    ///
    /// # Errors
    ///
    /// [`Error::Scim`] (404 and others), or any error of the response pipeline.
    pub async fn get(&self, id: &str) -> Result<R, Error> {
        // The empty parameters are dropped before the request is awaited.
        let op = core::get_op(&self.endpoint, id, &SearchRequest::new());
        let checked = self.run(op)?.await?;
        core::decode_kind(
            &self.schema,
            &checked,
            Context::QueryResponse,
            &self.options,
        )
    }

    /// `GET {endpoint}/{id}?attributes=...&excludedAttributes=...` (only the projection of
    /// `params` is used).
    ///
    /// # Errors
    ///
    /// As [`Api::get`].
    pub async fn get_with(&self, id: &str, params: &SearchRequest) -> Result<R, Error> {
        let checked = self.run(core::get_op(&self.endpoint, id, params))?.await?;
        core::decode_kind(
            &self.schema,
            &checked,
            Context::QueryResponse,
            &self.options,
        )
    }

    /// Re-reads `resource` with `If-None-Match: <meta.version>`: a 304 answers
    /// [`Conditional::NotModified`].
    ///
    /// # Errors
    ///
    /// As [`Api::get`]; [`Error::InvalidRequest`] when the resource has no id.
    pub async fn refresh(&self, resource: &R) -> Result<Conditional<R>, Error> {
        let checked = self
            .run(core::refresh_op(&self.endpoint, resource))?
            .await?;
        core::decode_conditional(&self.schema, &checked, &self.options)
    }

    /// `GET {endpoint}?filter=...&startIndex=...&count=...`: one page.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn list(&self, params: &SearchRequest) -> Result<ListResponse<R>, Error> {
        let checked = self.run(core::list_op(&self.endpoint, params))?.await?;
        core::decode_kind_list(
            &self.schema,
            &checked,
            Context::QueryResponse,
            &self.options,
        )
    }

    /// `POST {endpoint}/.search` with `params` as the body: one page.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn search(&self, params: &SearchRequest) -> Result<ListResponse<R>, Error> {
        let checked = self
            .run(core::search_op(Some(&self.endpoint), params))?
            .await?;
        core::decode_kind_list(
            &self.schema,
            &checked,
            Context::SearchResponse,
            &self.options,
        )
    }

    /// Every resource matching `params`, page after page (index-based, or RFC 9865 cursors
    /// when `params` sets a cursor), holding one page in memory at a time.
    pub fn stream(&self, params: SearchRequest) -> Pages<R, T> {
        Pages::new(self.clone(), params)
    }

    /// `POST {endpoint}`: creates `resource` (read-only attributes are not sent; required
    /// ones are checked first).
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] (nothing sent); [`Error::Scim`] with `scimType`
    /// `uniqueness` on 409; any error of the response pipeline.
    pub async fn create(&self, resource: &R) -> Result<R, Error> {
        let op = core::create_op(&self.endpoint, resource, &self.options);
        let checked = self.run(op)?.await?;
        core::decode_kind(
            &self.schema,
            &checked,
            Context::CreateResponse,
            &self.options,
        )
    }

    /// `PUT {endpoint}/{id}` with the resource's own id, and `If-Match: <meta.version>` when
    /// it has one (unless the server says it does not support `ETag`s).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] without an id; 412 ([`Error::is_precondition_failed`]) when
    /// the resource changed meanwhile; any error of the response pipeline.
    pub async fn replace(&self, resource: &R) -> Result<R, Error> {
        let etag = self.client.inner.etag_supported();
        let op = core::replace_op(&self.endpoint, resource, &self.options, etag);
        let checked = self.run(op)?.await?;
        core::decode_kind(
            &self.schema,
            &checked,
            Context::ReplaceResponse,
            &self.options,
        )
    }

    /// `PATCH {endpoint}/{id}`. Answers the resource when the server returns it (200), `None`
    /// on 204.
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] for a malformed patch; any error of the response pipeline.
    pub async fn patch(&self, id: &str, patch: &PatchOp) -> Result<Option<R>, Error> {
        self.patch_if_match(id, None, patch).await
    }

    /// `PATCH` with `If-Match: version` (from a resource's `meta.version`).
    ///
    /// # Errors
    ///
    /// As [`Api::patch`]; 412 when the version is stale.
    pub async fn patch_if_match(
        &self,
        id: &str,
        version: Option<&str>,
        patch: &PatchOp,
    ) -> Result<Option<R>, Error> {
        let op = core::patch_op(&self.endpoint, id, version, patch, &self.options);
        let checked = self.run(op)?.await?;
        core::decode_patched(&self.schema, &checked, &self.options)
    }

    /// `DELETE {endpoint}/{id}`.
    ///
    /// # Errors
    ///
    /// 404 when there is no such resource; any error of the response pipeline.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.delete_if_match(id, None).await
    }

    /// `DELETE` with `If-Match: version`.
    ///
    /// # Errors
    ///
    /// As [`Api::delete`]; 412 when the version is stale.
    pub async fn delete_if_match(&self, id: &str, version: Option<&str>) -> Result<(), Error> {
        let op = core::delete_op(&self.endpoint, id, version);
        self.run(op)?.await.map(|_| ())
    }

    /// Read-modify-write: reads the resource, applies `change`, and replaces it with
    /// `If-Match`; on 412 (someone else wrote meanwhile) reads again and re-applies `change`,
    /// up to `attempts` times. Concurrent writers never silently overwrite each other.
    ///
    /// A 412 can also answer a replace that was retried after its first attempt landed (the
    /// answer lost to a timeout): when the resource read after a 412 already holds exactly
    /// what was sent, that is the result, and `change` is not applied a second time.
    ///
    /// # Errors
    ///
    /// The last 412 after `attempts` tries, or any other error.
    pub async fn update<F>(&self, id: &str, attempts: u32, mut change: F) -> Result<R, Error>
    where
        F: FnMut(&mut R) + Send,
    {
        let mut tries = 0;
        let mut current = self.get(id).await?;
        loop {
            change(&mut current);
            match self.replace(&current).await {
                Err(e) if e.is_precondition_failed() && tries + 1 < attempts.max(1) => {
                    tries += 1;
                    let fresh = self.get(id).await?;
                    if core::holds_what_was_sent(&fresh, &current) {
                        return Ok(fresh);
                    }
                    current = fresh;
                }
                other => return other,
            }
        }
    }
}
