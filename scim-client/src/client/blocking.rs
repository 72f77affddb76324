//! A blocking client, which must not be called from inside an async runtime (a `tokio` task,
//! an `async fn`): it blocks the thread, and the reqwest blocking transport panics when it is
//! created, used or dropped there. Use [`crate::Client`] in async code.
//!
//! [`Client`] and [`Api`] have the same methods as the async ones, returning results instead of
//! futures; [`Api::stream`] is an [`Iterator`].
//!
//! Both clients call the same sans-I/O core (request building, response checks and decoding,
//! retry decisions, pagination state); only sending and sleeping differ. The builder is the
//! async client's [`ClientBuilder`], so auth, headers, timeout, limits, retries and options are
//! configured the same way.
//!
//! ```no_run
//! use scim_client::blocking::Client;
//! use scim_client::model::{EnterpriseUser, User};
//! use scim_client::protocol::SearchRequest;
//!
//! let scim = Client::builder("https://idp.example/scim/v2")
//!     .bearer_token("s3cr3t")
//!     .build()?;
//! let users = scim.resource::<User<EnterpriseUser>>();
//! let page = users.list(&SearchRequest::new().filter(r#"userName eq "bjensen""#))?;
//! for user in page {
//!     println!("{:?}", user.display_name);
//! }
//! for user in users.stream(SearchRequest::new().count(100)) {
//!     println!("{:?}", user?.user_name);
//! }
//! # Ok::<(), scim_client::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Instant;

use super::core::{self, Checked, Op};
use super::{ClientBuilder, Conditional, Discovery, Inner, Prepared, RequestOptions};
use crate::codec::Context;
use crate::error::Error;
use crate::model::{ResourceType, Schema, ServiceProviderConfig};
use crate::protocol::{ListResponse, PatchOp, SearchRequest};
use crate::resource::{Payload, Resource, ResourceKind};
use crate::transport::{BlockingTransport, HttpRequest, HttpResponse, ReqwestBlockingTransport};

/// The transport the blocking `Client` uses unless told otherwise.
pub type DefaultTransport = ReqwestBlockingTransport;

impl ClientBuilder<Client> {
    /// Builds a blocking client over reqwest's blocking client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a bad base URL or header; a transport error if reqwest
    /// cannot start.
    pub fn build(self) -> Result<Client<ReqwestBlockingTransport>, Error> {
        let transport = ReqwestBlockingTransport::with_timeout(self.timeout).map_err(|source| {
            Error::Transport {
                method: http::Method::GET,
                path: String::new(),
                source,
            }
        })?;
        self.build_with(transport)
    }

    /// Builds a blocking client over any blocking transport.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a bad base URL or header.
    pub fn build_with<T: BlockingTransport>(self, transport: T) -> Result<Client<T>, Error> {
        Ok(Client {
            inner: Arc::new(self.into_inner(transport)?),
        })
    }
}

/// A blocking SCIM client. Cheap to clone (shared state behind an `Arc`).
pub struct Client<T = DefaultTransport> {
    pub(super) inner: Arc<Inner<T>>,
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
        f.debug_struct("blocking::Client")
            .field("base_url", &self.inner.base.as_url().as_str())
            .field("headers", &self.inner.headers)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a blocking client for the SCIM service at `base_url`
    /// (`https://example.com/scim/v2`).
    pub fn builder(base_url: &str) -> ClientBuilder<Client> {
        ClientBuilder::new(base_url)
    }
}

impl<T: BlockingTransport> Client<T> {
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

    /// A handle for resources of a type known at run time: the blocking mirror of
    /// [`crate::Client::dynamic`].
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

    /// Sends a request as is and returns the response untouched: no SCIM checks, no retries.
    /// The client's auth and default headers are added unless the request sets them.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] only.
    pub fn send_raw(&self, mut request: HttpRequest) -> Result<HttpResponse, Error> {
        self.inner.add_default_headers(&mut request);
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        self.inner
            .transport
            .send(request, self.inner.max_response_bytes)
            .map_err(|source| Error::Transport {
                method,
                path,
                source,
            })
    }

    /// Prepares and sends an operation with `options`.
    pub(super) fn run(&self, op: Op, options: &RequestOptions) -> Result<Checked, Error> {
        let prepared = self.inner.prepare(op, options)?;
        self.execute(prepared)
    }

    /// Sends a prepared request with retries and tracing, then runs the status checks. The
    /// decisions are [`core::Exchange`]'s; this only sends and sleeps.
    fn execute(&self, prepared: Prepared) -> Result<Checked, Error> {
        let mut exchange = core::Exchange::new(prepared, &self.inner.retry);
        loop {
            let span = exchange.span();
            // Timed only for a span that records it.
            let started = (!span.is_disabled()).then(Instant::now);
            let result = span.in_scope(|| {
                self.inner
                    .transport
                    .send(exchange.request()?, self.inner.max_response_bytes)
            });
            match exchange.settle(result, &span, started.map(|t| t.elapsed())) {
                core::Step::Retry(delay) => std::thread::sleep(delay),
                core::Step::Done(result) => return result,
            }
        }
    }

    /// `GET /ServiceProviderConfig`, remembered for later checks (bulk limits, `ETag`s).
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub fn service_provider_config(&self) -> Result<ServiceProviderConfig, Error> {
        let options = self.inner.options.clone().check_response(false);
        let checked = self.run(core::read_op("/ServiceProviderConfig"), &options)?;
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
    pub fn discover(&self) -> Result<Discovery, Error> {
        let options = self.inner.options.clone().check_response(false);
        let checked = self.run(core::read_op("/ServiceProviderConfig"), &options)?;
        let config: ServiceProviderConfig =
            core::decode_resource(&checked, Context::QueryResponse, &options)?;
        let checked = self.run(core::read_op("/ResourceTypes"), &options)?;
        let resource_types =
            core::decode_list::<ResourceType>(&checked, Context::QueryResponse, &options)?
                .resources;
        let checked = self.run(core::read_op("/Schemas"), &options)?;
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
    pub fn search<R: Payload>(&self, request: &SearchRequest) -> Result<ListResponse<R>, Error> {
        let options = &self.inner.options;
        let checked = self.run(core::search_op(None, request)?, options)?;
        core::decode_list(&checked, Context::SearchResponse, options)
    }

    /// `POST /.search` across every resource type, each result a dynamic resource: the
    /// blocking mirror of [`crate::Client::search_dynamic`].
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub fn search_dynamic(
        &self,
        request: &SearchRequest,
    ) -> Result<ListResponse<crate::DynamicResource>, Error> {
        let options = &self.inner.options;
        let checked = self.run(core::search_op(None, request)?, options)?;
        core::decode_dynamic_list(
            &checked,
            |r| self.inner.type_of(r),
            Context::SearchResponse,
            options,
        )
    }
}

/// A typed handle on the resources of type `R`: `client.resource::<User>()`, or
/// `client.dynamic(&schema)` for a type known at run time.
pub struct Api<R: ResourceKind, T = DefaultTransport> {
    client: Client<T>,
    endpoint: String,
    options: RequestOptions,
    schema: R::Schema,
}

impl<R: ResourceKind, T> Api<R, T> {
    fn from_parts(parts: super::ApiParts<R, Client<T>>) -> Self {
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
        f.debug_struct("blocking::Api")
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<R: ResourceKind, T: BlockingTransport> Api<R, T> {
    /// The endpoint this handle talks to (`/Users`).
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The runtime metadata of the resource type (`()` for a derived type).
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

    fn run(&self, op: Result<Op, Error>) -> Result<Checked, Error> {
        self.client.run(op?, &self.options)
    }

    /// `GET {endpoint}/{id}`.
    ///
    /// # Errors
    ///
    /// [`Error::Scim`] (404 and others), or any error of the response pipeline.
    pub fn get(&self, id: &str) -> Result<R, Error> {
        self.get_with(id, &SearchRequest::new())
    }

    /// `GET {endpoint}/{id}?attributes=...&excludedAttributes=...` (only the projection of
    /// `params` is used).
    ///
    /// # Errors
    ///
    /// As [`Api::get`].
    pub fn get_with(&self, id: &str, params: &SearchRequest) -> Result<R, Error> {
        let checked = self.run(core::get_op(&self.endpoint, id, params))?;
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
    pub fn refresh(&self, resource: &R) -> Result<Conditional<R>, Error> {
        let checked = self.run(core::refresh_op(&self.endpoint, resource))?;
        core::decode_conditional(&self.schema, &checked, &self.options)
    }

    /// `GET {endpoint}?filter=...&startIndex=...&count=...`: one page.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub fn list(&self, params: &SearchRequest) -> Result<ListResponse<R>, Error> {
        let checked = self.run(core::list_op(&self.endpoint, params))?;
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
    pub fn search(&self, params: &SearchRequest) -> Result<ListResponse<R>, Error> {
        let checked = self.run(core::search_op(Some(&self.endpoint), params))?;
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
        Pages {
            api: self.clone(),
            paging: core::Paging::new(params, self.client.known_config().as_deref()),
            page: Vec::new().into_iter(),
            failed: false,
        }
    }

    /// `POST {endpoint}`: creates `resource` (read-only attributes are not sent; required
    /// ones are checked first).
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] (nothing sent); [`Error::Scim`] with `scimType`
    /// `uniqueness` on 409; any error of the response pipeline.
    pub fn create(&self, resource: &R) -> Result<R, Error> {
        let checked = self.run(core::create_op(&self.endpoint, resource, &self.options))?;
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
    pub fn replace(&self, resource: &R) -> Result<R, Error> {
        let etag = self.client.inner.etag_supported();
        let op = core::replace_op(&self.endpoint, resource, &self.options, etag);
        let checked = self.run(op)?;
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
    pub fn patch(&self, id: &str, patch: &PatchOp) -> Result<Option<R>, Error> {
        self.patch_if_match(id, None, patch)
    }

    /// `PATCH` with `If-Match: version` (from a resource's `meta.version`).
    ///
    /// # Errors
    ///
    /// As [`Api::patch`]; 412 when the version is stale.
    pub fn patch_if_match(
        &self,
        id: &str,
        version: Option<&str>,
        patch: &PatchOp,
    ) -> Result<Option<R>, Error> {
        let op = core::patch_op(&self.endpoint, id, version, patch, &self.options);
        let checked = self.run(op)?;
        core::decode_patched(&self.schema, &checked, &self.options)
    }

    /// `DELETE {endpoint}/{id}`.
    ///
    /// # Errors
    ///
    /// 404 when there is no such resource; any error of the response pipeline.
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.delete_if_match(id, None)
    }

    /// `DELETE` with `If-Match: version`.
    ///
    /// # Errors
    ///
    /// As [`Api::delete`]; 412 when the version is stale.
    pub fn delete_if_match(&self, id: &str, version: Option<&str>) -> Result<(), Error> {
        self.run(core::delete_op(&self.endpoint, id, version))
            .map(|_| ())
    }

    /// Read-modify-write: reads the resource, applies `change`, and replaces it with
    /// `If-Match`; on 412 (someone else wrote meanwhile) reads again and re-applies `change`,
    /// up to `attempts` times. Concurrent writers never silently overwrite each other, and a
    /// replace whose first attempt landed before a retry got 412 is not applied twice (see the
    /// async [`crate::client::Api::update`]).
    ///
    /// # Errors
    ///
    /// The last 412 after `attempts` tries, or any other error.
    pub fn update<F>(&self, id: &str, attempts: u32, mut change: F) -> Result<R, Error>
    where
        F: FnMut(&mut R),
    {
        let mut tries = 0;
        let mut current = self.get(id)?;
        loop {
            change(&mut current);
            match self.replace(&current) {
                Err(e) if e.is_precondition_failed() && tries + 1 < attempts.max(1) => {
                    tries += 1;
                    let fresh = self.get(id)?;
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

/// Every resource of a query, page by page: an iterator created by [`Api::stream`].
///
/// Pages are fetched as the iterator advances, one page in memory at a time, with the same
/// rules as the async [`crate::client::Pages`]. After an error the iterator ends.
#[must_use = "iterators do nothing unless advanced"]
pub struct Pages<R: ResourceKind, T = DefaultTransport> {
    api: Api<R, T>,
    paging: core::Paging,
    page: std::vec::IntoIter<R>,
    failed: bool,
}

impl<R: ResourceKind, T> fmt::Debug for Pages<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Pages")
            .field("api", &self.api)
            .field("buffered", &self.page.len())
            .finish_non_exhaustive()
    }
}

impl<R: ResourceKind, T: BlockingTransport> Iterator for Pages<R, T> {
    type Item = Result<R, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(resource) = self.page.next() {
                return Some(Ok(resource));
            }
            if self.failed {
                return None;
            }
            let fetched = self
                .paging
                .next_request()
                .transpose()?
                .and_then(|params| self.api.list(&params));
            match fetched {
                Ok(page) => {
                    if let Err(e) = self.paging.advance(&page) {
                        self.failed = true;
                        return Some(Err(e));
                    }
                    self.page = page.resources.into_iter();
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl<R: ResourceKind, T: BlockingTransport> std::iter::FusedIterator for Pages<R, T> {}

/// A handle on `/Me` (RFC 7644 section 3.11), from [`Client::me`]: the blocking mirror of
/// [`crate::client::Me`].
pub struct Me<R, T = DefaultTransport> {
    client: Client<T>,
    options: RequestOptions,
    _resource: PhantomData<fn() -> R>,
}

impl<R, T> Clone for Me<R, T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            options: self.options.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R, T> fmt::Debug for Me<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Me")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T: BlockingTransport> Client<T> {
    /// A handle on `/Me`, the resource of the authenticated subject, read as `R`.
    #[must_use]
    pub fn me<R: Resource>(&self) -> Me<R, T> {
        Me {
            client: self.clone(),
            options: self.inner.options.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R: Resource, T: BlockingTransport> Me<R, T> {
    /// The same handle with other per-call switches.
    #[must_use]
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    fn run(&self, op: Result<Op, Error>) -> Result<Checked, Error> {
        self.client.run(op?, &self.options)
    }

    /// `GET /Me`.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::get`].
    pub fn get(&self) -> Result<R, Error> {
        self.get_with(&SearchRequest::new())
    }

    /// `GET /Me` with a projection.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::get_with`].
    pub fn get_with(&self, params: &SearchRequest) -> Result<R, Error> {
        let checked = self.run(Ok(core::me_get_op(params)))?;
        core::decode_resource(&checked, Context::QueryResponse, &self.options)
    }

    /// `POST /Me`.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::create`].
    pub fn create(&self, resource: &R) -> Result<R, Error> {
        let checked = self.run(core::me_create_op(resource, &self.options))?;
        core::decode_resource(&checked, Context::CreateResponse, &self.options)
    }

    /// `PUT /Me`.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::replace`].
    pub fn replace(&self, resource: &R) -> Result<R, Error> {
        let etag = self.client.inner.etag_supported();
        let checked = self.run(core::me_replace_op(resource, &self.options, etag))?;
        core::decode_resource(&checked, Context::ReplaceResponse, &self.options)
    }

    /// `PATCH /Me`.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::patch`].
    pub fn patch(&self, version: Option<&str>, patch: &PatchOp) -> Result<Option<R>, Error> {
        let checked = self.run(core::me_patch_op(version, patch, &self.options))?;
        core::decode_patched(&(), &checked, &self.options)
    }

    /// `DELETE /Me`.
    ///
    /// # Errors
    ///
    /// As [`crate::client::Me::delete`].
    pub fn delete(&self, version: Option<&str>) -> Result<(), Error> {
        self.run(core::me_delete_op(version)).map(|_| ())
    }
}
