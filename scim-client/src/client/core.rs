//! The sans-I/O core: operations become `http::Request`s, `http::Response`s become typed
//! results; the retry decisions and the pagination state live here too. The async and
//! blocking clients are thin shells around these functions: only sending and sleeping differ.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_NONE_MATCH,
};
use http::uri::PathAndQuery;
use http::{Method, StatusCode};
use url::Url;

use super::{Conditional, Prepared, RetryPolicy};
use crate::codec::{self, Context, UnknownPolicy};
use crate::dynamic::{DynamicResource, ResourceSchema};
use crate::error::Error;
use crate::model::{ResourceType, Schema, ServiceProviderConfig};
use crate::protocol::{ListResponse, PatchOp, ScimError, SearchRequest};
use crate::resource::{Resource, ResourceKind};
use crate::transport::{BodyTooLarge, BoxError, HttpRequest, HttpResponse};

/// The media type of SCIM messages (RFC 7644 section 3.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// Per-call switches. Every operation takes the client's defaults unless overridden with
/// [`crate::client::Api::with_options`].
///
/// ```
/// use scim_client::client::RequestOptions;
/// // Accept whatever the server answers, without checking it (for testing servers).
/// let lenient = RequestOptions::default()
///     .check_response(false)
///     .check_status(false);
/// assert!(!lenient.checks_response());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) check_request: bool,
    pub(crate) check_response: bool,
    pub(crate) check_status: bool,
    pub(crate) unknown: UnknownPolicy,
    pub(crate) headers: HeaderMap,
    pub(crate) expected_status: Option<Vec<u16>>,
}

impl Default for RequestOptions {
    fn default() -> Self {
        Self {
            check_request: true,
            check_response: true,
            check_status: true,
            unknown: UnknownPolicy::Keep,
            headers: HeaderMap::new(),
            expected_status: None,
        }
    }
}

impl RequestOptions {
    /// Check payloads against the request context before sending (default on).
    #[must_use]
    pub fn check_request(mut self, on: bool) -> Self {
        self.check_request = on;
        self
    }

    /// Validate responses in the response context (default on).
    #[must_use]
    pub fn check_response(mut self, on: bool) -> Self {
        self.check_response = on;
        self
    }

    /// Check status codes and the content type (default on).
    #[must_use]
    pub fn check_status(mut self, on: bool) -> Self {
        self.check_status = on;
        self
    }

    /// What to do with attributes the type does not model (default: keep).
    #[must_use]
    pub fn unknown(mut self, policy: UnknownPolicy) -> Self {
        self.unknown = policy;
        self
    }

    /// An extra header on every request made with these options.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the name or value is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = http::header::HeaderName::try_from(name)
            .map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))?;
        if is_credential_header(&name) {
            value.set_sensitive(true);
        }
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Replace the statuses the operation accepts as success.
    #[must_use]
    pub fn expected_status(mut self, statuses: &[u16]) -> Self {
        self.expected_status = Some(statuses.to_vec());
        self
    }

    /// Whether responses are validated.
    #[must_use]
    pub fn checks_response(&self) -> bool {
        self.check_response
    }
}

/// Whether a header probably carries a credential (its value is then marked sensitive, so it
/// never shows in `Debug` output or logs).
pub(crate) fn is_credential_header(name: &http::header::HeaderName) -> bool {
    let n = name.as_str();
    *name == AUTHORIZATION
        || *name == http::header::PROXY_AUTHORIZATION
        || [
            "auth",
            "key",
            "token",
            "cookie",
            "secret",
            "session",
            "password",
            "signature",
        ]
        .iter()
        .any(|w| n.contains(w))
}

/// A response that passed the status and content-type checks.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// `None` for empty bodies and 204/205/304.
    pub(crate) body: Option<bytes::Bytes>,
    /// The body is a success answer not yet checked for a SCIM error (see [`check`]).
    pub(crate) unsniffed: bool,
}

/// The base URL, normalised to end with `/`.
#[derive(Clone, Debug)]
pub(crate) struct Base {
    url: Url,
}

impl Base {
    pub(crate) fn parse(base: &str) -> Result<Self, Error> {
        let mut url = Url::parse(base)
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL: {e}")))?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(
                "the base URL must be an http or https URL".to_owned(),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::InvalidRequest(
                "put credentials in the client builder, not in the base URL".to_owned(),
            ));
        }
        url.set_query(None);
        url.set_fragment(None);
        if !url.path().ends_with('/') {
            let p = format!("{}/", url.path());
            url.set_path(&p);
        }
        Ok(Self { url })
    }

    /// The URL of `path` (relative to the base, starting with `/`), with `query`
    /// (`application/x-www-form-urlencoded`), written as text in one pass. `path` holds
    /// checked endpoints and ids already encoded as one segment each; what a path may not hold
    /// as is (spaces, quotes, non-ASCII...) is percent-encoded, `%` is kept.
    pub(crate) fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        /// What `url` encodes in a path, as the WHATWG URL standard's path set.
        const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'#')
            .add(b'<')
            .add(b'>')
            .add(b'?')
            .add(b'`')
            .add(b'{')
            .add(b'}');
        let base = self.url.as_str();
        let mut out = String::with_capacity(base.len() + path.len() + 64);
        out.push_str(base);
        out.extend(percent_encoding::utf8_percent_encode(
            path.trim_start_matches('/'),
            PATH,
        ));
        if query.is_empty() {
            return out;
        }
        out.push('?');
        let start = out.len();
        url::form_urlencoded::Serializer::for_suffix(out, start)
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    }

    pub(crate) fn as_url(&self) -> &Url {
        &self.url
    }
}

/// Checks an endpoint (from metadata or `/ResourceTypes`): a path under the base URL, with no
/// scheme, host, query, fragment or dot segment.
///
/// # Errors
///
/// [`Error::InvalidRequest`] naming the endpoint.
pub(crate) fn check_endpoint(endpoint: &str) -> Result<(), Error> {
    let bad = !endpoint.starts_with('/')
        || endpoint.starts_with("//")
        || endpoint.contains(['?', '#', '\\', '%'])
        || endpoint.contains("://")
        || endpoint.split('/').any(|seg| seg == "." || seg == "..")
        || endpoint.chars().any(char::is_control);
    if bad {
        Err(Error::InvalidRequest(format!(
            "the endpoint `{endpoint}` is not a path under the base URL"
        )))
    } else {
        Ok(())
    }
}

/// `endpoint/{id}` with the id as one percent-encoded segment; `.` and `..` refused.
///
/// # Errors
///
/// [`Error::InvalidRequest`] for an empty, `.` or `..` id.
pub(crate) fn resource_path(endpoint: &str, id: &str) -> Result<String, Error> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::InvalidRequest(format!(
            "`{id}` cannot be used as a resource id"
        )));
    }
    Ok(codec::resource_path(endpoint, id))
}

/// `headers` with the SCIM `Accept` and (with a body) `Content-Type` where they set none.
pub(crate) fn scim_headers(mut headers: HeaderMap, has_body: bool) -> HeaderMap {
    if !headers.contains_key(ACCEPT) {
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("application/scim+json, application/json"),
        );
    }
    if has_body && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    }
    headers
}

/// Builds a request from `headers` (the client's and the call's, with the SCIM defaults of
/// [`scim_headers`] where they set none) and the operation's own `extra` headers
/// (`If-Match`...), which win over everything.
pub(crate) fn build(
    method: Method,
    url: String,
    body: Option<Vec<u8>>,
    mut headers: HeaderMap,
    extra: HeaderMap,
) -> Result<HttpRequest, Error> {
    // The URL string becomes the URI's storage (no copy).
    let uri = http::Uri::try_from(url).map_err(|e| invalid_uri(&e))?;
    let mut req = http::Request::new(body.unwrap_or_default());
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    let mut last: Option<http::header::HeaderName> = None;
    for (k, v) in extra {
        match k {
            Some(k) => {
                headers.insert(k.clone(), v);
                last = Some(k);
            }
            // Another value of the same header.
            None => {
                if let Some(k) = &last {
                    headers.append(k.clone(), v);
                }
            }
        }
    }
    *req.headers_mut() = headers;
    Ok(req)
}

fn is_json_media(content_type: Option<&HeaderValue>) -> bool {
    let Some(ct) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let media = ct.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case(SCIM_JSON) || media.eq_ignore_ascii_case("application/json")
}

// The error paths of the response pipeline are out of line (and cold), so that the code of
// the usual path stays small.

#[cold]
#[inline(never)]
fn unexpected_status(status: u16, body: &[u8]) -> Error {
    Error::UnexpectedStatus {
        status,
        body: snippet(body),
    }
}

#[cold]
#[inline(never)]
fn unexpected_content_type(status: u16, headers: &HeaderMap) -> Error {
    Error::UnexpectedContentType {
        status,
        content_type: headers
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    }
}

#[cold]
#[inline(never)]
fn already_sent() -> Error {
    Error::InvalidRequest("the request was already sent".to_owned())
}

#[cold]
#[inline(never)]
fn invalid_uri(e: &http::uri::InvalidUri) -> Error {
    Error::InvalidRequest(e.to_string())
}

fn snippet(body: &[u8]) -> String {
    let end = body.len().min(512);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// Whether a JSON body is a SCIM error message. A success body that does not even mention the
/// error message URN (case-insensitively) is not parsed here: a page of 100 users is not read
/// twice.
fn scim_error(body: &[u8], success: bool) -> Option<ScimError> {
    // `...:api:messages:2.0:Error`: find each `:2.0:` with a fast (SIMD) search and look at
    // the bytes around it, case-insensitively.
    let mentions_error = || {
        memchr::memmem::find_iter(body, b":2.0:").any(|i| {
            i >= 8
                && body[i - 8..i].eq_ignore_ascii_case(b"messages")
                && body
                    .get(i + 5..i + 10)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"error"))
        })
    };
    if success && !mentions_error() {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !ScimError::is_error_body(&value) {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// The response pipeline up to decoding: content type, SCIM error body, status.
///
/// With `decoded` (the caller decodes a success body with [`decode_kind`] or
/// [`decode_kind_list`]), a success answer with an expected status is not searched for a SCIM
/// error here: its decoder does that when the body does not decode as what was asked (an
/// error message never does: its `schemas` lack the resource's own URN), so a page of 100
/// users is read once. Every other answer is checked here, errors before statuses.
///
/// # Errors
///
/// [`Error::UnexpectedContentType`], [`Error::Scim`], [`Error::UnexpectedStatus`].
pub(crate) fn check(
    response: HttpResponse,
    expected: &[u16],
    check_status: bool,
    decoded: bool,
) -> Result<Checked, Error> {
    let (parts, body) = response.into_parts();
    let status = parts.status;
    let code = status.as_u16();
    let has_body = !body.iter().all(u8::is_ascii_whitespace) && !matches!(code, 204 | 205 | 304);
    let json = is_json_media(parts.headers.get(CONTENT_TYPE));
    let success = status.is_success() || code == 304;
    let deferred = decoded && success && (!check_status || expected.contains(&code));
    if has_body
        && json
        && !deferred
        && let Some(e) = scim_error(&body, success)
    {
        return Err(scim_error_at(e, code, success));
    }
    if !success {
        return Err(unexpected_status(code, &body));
    }
    if check_status {
        if has_body && !json {
            return Err(unexpected_content_type(code, &parts.headers));
        }
        if !expected.contains(&code) {
            return Err(unexpected_status(code, &body));
        }
    }
    Ok(Checked {
        status,
        headers: parts.headers,
        unsniffed: deferred && has_body && json,
        body: has_body.then_some(body),
    })
}

/// [`Error::Scim`] for an error message answered with `code`: the HTTP status is the answer's
/// status; the body's copy is only trusted on a 2xx (a server reporting an error with a
/// success status).
fn scim_error_at(mut e: ScimError, code: u16, success: bool) -> Error {
    if e.status == 0 || !success {
        e.status = code;
    }
    Error::Scim(Box::new(e))
}

impl Checked {
    /// Replaces the error of a body that did not decode by the SCIM error the body holds, if
    /// the check was left to the decoder (see [`check`]).
    fn or_scim_error(&self, e: &mut Error) {
        if let Some(body) = &self.body
            && self.unsniffed
            && let Some(scim) = scim_error(body, true)
        {
            *e = scim_error_at(scim, self.status.as_u16(), true);
        }
    }

    fn body(&self) -> Result<&[u8], Error> {
        self.body.as_deref().ok_or(Error::UnexpectedStatus {
            status: self.status.as_u16(),
            body: String::from("(empty body where a resource was expected)"),
        })
    }

    /// The `ETag` header, if any.
    pub(crate) fn etag(&self) -> Option<String> {
        self.headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

impl RequestOptions {
    /// The context a response is checked in: `context`, or none when response checks are off.
    fn response_context(&self, context: Context) -> Context {
        if self.check_response {
            context
        } else {
            Context::Default
        }
    }
}

/// Decodes one resource, validates it in `context`, and fills `meta.version` from `ETag`.
///
/// # Errors
///
/// [`Error::Decode`], [`Error::ResponseValidation`], or an empty body.
pub(crate) fn decode_resource<R: Resource>(
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<R, Error> {
    decode_kind(&(), checked, context, opts)
}

/// [`decode_resource`] for any kind of resource, with its runtime metadata.
///
/// # Errors
///
/// As [`decode_resource`].
#[inline]
pub(crate) fn decode_kind<R: ResourceKind>(
    schema: &R::Schema,
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<R, Error> {
    let body = checked.body()?;
    let context = opts.response_context(context);
    // Decoded in place (see `codec::decode_settled_into`).
    let mut slot = None;
    if let Err(mut e) = R::__decode_into(schema, body, context, opts.unknown, &mut slot) {
        checked.or_scim_error(&mut e);
        return Err(e);
    }
    if let Some(resource) = &mut slot
        && let Some(etag) = checked.etag()
    {
        resource.__fill_version(etag);
    }
    codec::take_decoded(slot, "resource")
}

/// [`decode_list`] for any kind of resource, with its runtime metadata.
///
/// # Errors
///
/// As [`decode_list`].
pub(crate) fn decode_kind_list<R: ResourceKind>(
    schema: &R::Schema,
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<ListResponse<R>, Error> {
    let body = checked.body()?;
    let context = opts.response_context(context);
    let mut out = R::__decode_list(schema, body, context, opts.unknown);
    if let Err(e) = &mut out {
        checked.or_scim_error(e);
    }
    out
}

/// A page of resources of any type, each bound to the resource type `type_of` finds for it
/// (unbound JSON when none).
///
/// # Errors
///
/// As [`decode_list`].
pub(crate) fn decode_dynamic_list(
    checked: &Checked,
    type_of: impl Fn(&DynamicResource) -> Option<Arc<ResourceSchema>>,
    context: Context,
    opts: &RequestOptions,
) -> Result<ListResponse<DynamicResource>, Error> {
    let body = checked.body()?;
    let context = opts.response_context(context);
    let mut page: ListResponse<DynamicResource> = codec::decode(body, "ListResponse")?;
    crate::dynamic::bind_page(&mut page, type_of, context, opts.unknown)?;
    Ok(page)
}

/// Decodes a page of resources and validates each in `context`.
///
/// # Errors
///
/// [`Error::Decode`], [`Error::ResponseValidation`], or an empty body.
pub(crate) fn decode_list<R: crate::resource::Payload>(
    checked: &Checked,
    context: Context,
    opts: &RequestOptions,
) -> Result<ListResponse<R>, Error> {
    let body = checked.body()?;
    let ctx = opts.response_context(context);
    ListResponse::from_slice_with(body, ctx, opts.unknown)
}

/// Sets `meta.version` from an `ETag` header when the body did not carry one.
pub(crate) fn fill_version<R: ResourceKind>(resource: &mut R, etag: String) {
    resource.__fill_version(etag);
}

/// Whether `fresh` (read after a 412) already holds every writable attribute of `sent`: the
/// replace that got 412 was a retry of one that had landed.
pub(crate) fn holds_what_was_sent<R: ResourceKind>(fresh: &R, sent: &R) -> bool {
    let writable = |r: &R| {
        r.__encode(Context::ReplaceRequest, false)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
    };
    matches!((writable(fresh), writable(sent)), (Some(a), Some(b)) if a == b)
}

/// The `If-Match` header for a resource's version.
pub(crate) fn if_match(version: Option<&str>) -> Result<HeaderMap, Error> {
    let mut h = HeaderMap::new();
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        h.insert(
            http::header::IF_MATCH,
            HeaderValue::try_from(v)
                .map_err(|_| Error::InvalidRequest(format!("invalid version `{v}`")))?,
        );
    }
    Ok(h)
}

// ---------------------------------------------------------------------------------------------
// Operations: what each `Api` / `Client` method sends, the same for the async and the blocking
// client.

/// One SCIM operation as data: the request to make (relative to the base URL) and the statuses
/// that mean success. The clients add the base URL, default headers and per-call options.
#[derive(Debug)]
pub(crate) struct Op {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) extra: HeaderMap,
    pub(crate) expected: &'static [u16],
    /// Whether a success body always goes to [`decode_kind`] or [`decode_kind_list`], which
    /// check it for a SCIM error only when it does not decode.
    pub(crate) decoded: bool,
}

impl Op {
    fn new(method: Method, path: impl Into<String>, expected: &'static [u16]) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            extra: HeaderMap::new(),
            expected,
            decoded: false,
        }
    }

    fn decoded(mut self) -> Self {
        self.decoded = true;
        self
    }

    fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query = query;
        self
    }

    fn body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    fn headers(mut self, extra: HeaderMap) -> Self {
        self.extra = extra;
        self
    }

    /// Whether the method is idempotent, so a retry cannot do the work twice.
    pub(crate) fn idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        )
    }
}

/// `{endpoint}/{id}` after checking both.
fn member_path(endpoint: &str, id: &str) -> Result<String, Error> {
    check_endpoint(endpoint)?;
    resource_path(endpoint, id)
}

/// The JSON body of a create or replace: checked in `context` unless the options turn request
/// checks off.
fn resource_body<R: ResourceKind>(
    resource: &R,
    context: Context,
    opts: &RequestOptions,
) -> Result<Vec<u8>, Error> {
    resource.__encode(context, opts.check_request)
}

/// `GET /ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`.
pub(crate) fn read_op(path: &'static str) -> Op {
    Op::new(Method::GET, path, &[200])
}

/// `GET {endpoint}/{id}` with the projection of `params` (its other parameters are ignored).
pub(crate) fn get_op(endpoint: &str, id: &str, params: &SearchRequest) -> Result<Op, Error> {
    let path = member_path(endpoint, id)?;
    Ok(Op::new(Method::GET, path, &[200])
        .query(params.projection_pairs())
        .decoded())
}

/// `GET {endpoint}/{id}` with `If-None-Match: <meta.version>`.
pub(crate) fn refresh_op<R: ResourceKind>(endpoint: &str, resource: &R) -> Result<Op, Error> {
    let id = resource
        .__id()
        .ok_or_else(|| Error::InvalidRequest("the resource has no id".to_owned()))?;
    let path = member_path(endpoint, id)?;
    let mut extra = HeaderMap::new();
    if let Some(v) = resource.__version() {
        extra.insert(
            IF_NONE_MATCH,
            HeaderValue::try_from(v)
                .map_err(|_| Error::InvalidRequest(format!("invalid version `{v}`")))?,
        );
    }
    Ok(Op::new(Method::GET, path, &[200, 304]).headers(extra))
}

/// `GET {endpoint}?filter=...`: one page.
pub(crate) fn list_op(endpoint: &str, params: &SearchRequest) -> Result<Op, Error> {
    check_endpoint(endpoint)?;
    Ok(Op::new(Method::GET, endpoint, &[200])
        .query(params.to_query_pairs())
        .decoded())
}

/// `POST {endpoint}/.search`, or `POST /.search` across resource types when `endpoint` is
/// `None`.
pub(crate) fn search_op(endpoint: Option<&str>, params: &SearchRequest) -> Result<Op, Error> {
    let path = match endpoint {
        Some(endpoint) => {
            check_endpoint(endpoint)?;
            format!("{}/.search", endpoint.trim_end_matches('/'))
        }
        None => "/.search".to_owned(),
    };
    let body = serde_json::to_vec(params).map_err(Error::Encode)?;
    Ok(Op::new(Method::POST, path, &[200]).body(body))
}

/// `POST {endpoint}` with the resource in the create context.
pub(crate) fn create_op<R: ResourceKind>(
    endpoint: &str,
    resource: &R,
    opts: &RequestOptions,
) -> Result<Op, Error> {
    check_endpoint(endpoint)?;
    let body = resource_body(resource, Context::CreateRequest, opts)?;
    Ok(Op::new(Method::POST, endpoint, &[201, 200])
        .body(body)
        .decoded())
}

/// `PUT {endpoint}/{id}` with the resource's own id, and `If-Match: <meta.version>` when it has
/// one and the server supports `ETag`s.
pub(crate) fn replace_op<R: ResourceKind>(
    endpoint: &str,
    resource: &R,
    opts: &RequestOptions,
    etag_supported: bool,
) -> Result<Op, Error> {
    let id = resource
        .__id()
        .ok_or_else(|| Error::InvalidRequest("a resource needs an id to be replaced".to_owned()))?;
    let path = member_path(endpoint, id)?;
    let body = resource_body(resource, Context::ReplaceRequest, opts)?;
    let extra = if etag_supported {
        if_match(resource.__version())?
    } else {
        HeaderMap::new()
    };
    Ok(Op::new(Method::PUT, path, &[200])
        .body(body)
        .headers(extra)
        .decoded())
}

/// `PATCH {endpoint}/{id}`, with `If-Match` when a version is given.
pub(crate) fn patch_op(
    endpoint: &str,
    id: &str,
    version: Option<&str>,
    patch: &PatchOp,
    opts: &RequestOptions,
) -> Result<Op, Error> {
    let target = member_path(endpoint, id)?;
    if opts.check_request {
        patch
            .validate()
            .map_err(|e| Error::InvalidRequest(format!("invalid PATCH: {e}")))?;
    }
    let body = serde_json::to_vec(patch).map_err(Error::Encode)?;
    Ok(Op::new(Method::PATCH, target, &[200, 204])
        .body(body)
        .headers(if_match(version)?))
}

/// `DELETE {endpoint}/{id}`, with `If-Match` when a version is given.
pub(crate) fn delete_op(endpoint: &str, id: &str, version: Option<&str>) -> Result<Op, Error> {
    let path = member_path(endpoint, id)?;
    Ok(Op::new(Method::DELETE, path, &[204, 200]).headers(if_match(version)?))
}

/// The `/Me` path (RFC 7644 section 3.11): the resource of the authenticated subject.
pub(crate) const ME: &str = "/Me";

/// `GET /Me` with the projection of `params`.
pub(crate) fn me_get_op(params: &SearchRequest) -> Op {
    Op::new(Method::GET, ME, &[200]).query(params.projection_pairs())
}

/// `POST /Me`.
pub(crate) fn me_create_op<R: Resource>(resource: &R, opts: &RequestOptions) -> Result<Op, Error> {
    let body = resource_body(resource, Context::CreateRequest, opts)?;
    Ok(Op::new(Method::POST, ME, &[201, 200]).body(body))
}

/// `PUT /Me` (no id needed), with `If-Match` from the resource's version.
pub(crate) fn me_replace_op<R: Resource>(
    resource: &R,
    opts: &RequestOptions,
    etag_supported: bool,
) -> Result<Op, Error> {
    let body = resource_body(resource, Context::ReplaceRequest, opts)?;
    let extra = if etag_supported {
        if_match(resource.meta().and_then(|m| m.version.as_deref()))?
    } else {
        HeaderMap::new()
    };
    Ok(Op::new(Method::PUT, ME, &[200]).body(body).headers(extra))
}

/// `PATCH /Me`.
pub(crate) fn me_patch_op(
    version: Option<&str>,
    patch: &PatchOp,
    opts: &RequestOptions,
) -> Result<Op, Error> {
    if opts.check_request {
        patch
            .validate()
            .map_err(|e| Error::InvalidRequest(format!("invalid PATCH: {e}")))?;
    }
    let body = serde_json::to_vec(patch).map_err(Error::Encode)?;
    Ok(Op::new(Method::PATCH, ME, &[200, 204])
        .body(body)
        .headers(if_match(version)?))
}

/// `DELETE /Me`.
pub(crate) fn me_delete_op(version: Option<&str>) -> Result<Op, Error> {
    Ok(Op::new(Method::DELETE, ME, &[204, 200]).headers(if_match(version)?))
}

/// The answer to a conditional read: 304 or the new version.
pub(crate) fn decode_conditional<R: ResourceKind>(
    schema: &R::Schema,
    checked: &Checked,
    opts: &RequestOptions,
) -> Result<Conditional<R>, Error> {
    if checked.status == StatusCode::NOT_MODIFIED {
        return Ok(Conditional::NotModified);
    }
    decode_kind(schema, checked, Context::QueryResponse, opts).map(Conditional::Modified)
}

/// The answer to a PATCH: the resource on 200 with a body, `None` on 204.
pub(crate) fn decode_patched<R: ResourceKind>(
    schema: &R::Schema,
    checked: &Checked,
    opts: &RequestOptions,
) -> Result<Option<R>, Error> {
    if checked.body.is_none() {
        return Ok(None);
    }
    decode_kind(schema, checked, Context::PatchResponse, opts).map(Some)
}

/// Checks that `/ResourceTypes` and `/Schemas` agree (every resource type's schema and
/// extensions are served, every endpoint is a path under the base URL) and answers the
/// endpoints by core schema URN (lower case).
///
/// # Errors
///
/// [`Error::InvalidRequest`] describing the first inconsistency.
pub(crate) fn learn_endpoints(
    resource_types: &[ResourceType],
    schemas: &[Schema],
) -> Result<HashMap<String, String>, Error> {
    let served = |urn: &str| {
        schemas.iter().any(|s| {
            s.id.as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(urn))
        })
    };
    let mut endpoints = HashMap::new();
    for rt in resource_types {
        let name = rt.name.as_deref().unwrap_or("?");
        let endpoint = rt
            .endpoint
            .as_ref()
            .map(crate::Reference::as_str)
            .ok_or_else(|| {
                Error::InvalidRequest(format!("the resource type `{name}` has no endpoint"))
            })?;
        check_endpoint(endpoint)?;
        let schema = rt
            .schema
            .as_ref()
            .map(crate::Reference::as_str)
            .ok_or_else(|| {
                Error::InvalidRequest(format!("the resource type `{name}` has no schema"))
            })?;
        if !served(schema) {
            return Err(Error::InvalidRequest(format!(
                "the resource type `{name}` uses the schema `{schema}`, which /Schemas does not serve"
            )));
        }
        for ext in &rt.schema_extensions {
            let urn = ext.schema.as_ref().map_or("", crate::Reference::as_str);
            if !served(urn) {
                return Err(Error::InvalidRequest(format!(
                    "the resource type `{name}` uses the extension `{urn}`, which /Schemas does not serve"
                )));
            }
        }
        endpoints.insert(schema.to_ascii_lowercase(), endpoint.to_owned());
    }
    Ok(endpoints)
}

// ---------------------------------------------------------------------------------------------
// Sending with retries: the decisions, without the sending and the sleeping (which differ
// between the async and the blocking client).

/// Parses `Retry-After`: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    let secs = when.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether an attempt's outcome should be retried, and after what delay: `None` means it is
/// final. Retries happen when the request may be retried (idempotent, or the policy allows
/// non-idempotent retries), attempts remain, and the outcome is a 429, 502, 503 or 504 (after
/// `Retry-After` when the server sends it) or a transport failure other than a body over the
/// limit.
pub(crate) fn retry_delay(
    policy: &RetryPolicy,
    may_retry: bool,
    attempt: u32,
    outcome: Result<&HttpResponse, &BoxError>,
) -> Option<Duration> {
    if !may_retry || attempt >= policy.max_retries {
        return None;
    }
    match outcome {
        Ok(response) if retryable_status(response.status()) => {
            Some(policy.delay(attempt, retry_after(response.headers())))
        }
        Ok(_) => None,
        Err(e) if e.is::<BodyTooLarge>() => None,
        Err(_) => Some(policy.delay(attempt, None)),
    }
}

/// What to do after an attempt.
pub(crate) enum Step {
    /// Sleep this long, then send again.
    Retry(Duration),
    /// The final result.
    Done(Result<Checked, Error>),
}

/// One request on its way, with its retries: the whole send loop except the send and the
/// sleep. Both clients run
///
/// ```text
/// loop { span = ex.span(); result = send(ex.request()) in span; match ex.settle(result, ..) { Retry(d) => sleep(d), Done(r) => return r } }
/// ```
pub(crate) struct Exchange<'a> {
    /// The request; taken (not copied) for the attempt that cannot be retried.
    request: Option<HttpRequest>,
    /// The statuses that mean success (the per-call override already applied).
    expected: Cow<'static, [u16]>,
    /// See [`RequestOptions::check_status`].
    check_status: bool,
    may_retry: bool,
    policy: &'a RetryPolicy,
    attempt: u32,
    method: Method,
    /// The request's path and query (shared storage, not a copy), for spans and errors.
    path: PathAndQuery,
    /// See [`Op::decoded`].
    decoded: bool,
}

impl<'a> Exchange<'a> {
    pub(crate) fn new(prepared: Prepared, policy: &'a RetryPolicy) -> Self {
        let Prepared {
            request,
            expected,
            check_status,
            idempotent,
            decoded,
        } = prepared;
        Self {
            decoded,
            method: request.method().clone(),
            path: request
                .uri()
                .path_and_query()
                .cloned()
                .unwrap_or_else(|| PathAndQuery::from_static("/")),
            request: Some(request),
            expected,
            check_status,
            may_retry: idempotent || policy.retry_non_idempotent,
            policy,
            attempt: 0,
        }
    }

    /// The tracing span of the next attempt.
    pub(crate) fn span(&self) -> tracing::Span {
        tracing::debug_span!(
            "scim.request",
            method = %self.method,
            path = %self.path.path(),
            attempt = self.attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        )
    }

    /// Whether the attempt about to be made may be followed by another one.
    fn may_retry_now(&self) -> bool {
        self.may_retry && self.attempt < self.policy.max_retries
    }

    /// The request of the next attempt: a copy while a retry may follow, else the request
    /// itself (a create, or the last attempt, costs no copy).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] if called again after the last attempt (a bug of the caller).
    pub(crate) fn request(&mut self) -> Result<HttpRequest, Error> {
        if !self.may_retry_now() {
            return self.request.take().ok_or_else(already_sent);
        }
        let req = self.request.as_ref().ok_or_else(already_sent)?;
        let mut out = http::Request::new(req.body().clone());
        *out.method_mut() = req.method().clone();
        *out.uri_mut() = req.uri().clone();
        *out.version_mut() = req.version();
        *out.headers_mut() = req.headers().clone();
        Ok(out)
    }

    /// Records an attempt's outcome and decides: retry after a delay, or the final result
    /// (the status checks of [`check`], or [`Error::Transport`]).
    pub(crate) fn settle(
        &mut self,
        result: Result<HttpResponse, BoxError>,
        span: &tracing::Span,
        elapsed: Option<Duration>,
    ) -> Step {
        if let Some(elapsed) = elapsed {
            span.record(
                "duration_ms",
                u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            );
        }
        match &result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                span.in_scope(|| tracing::debug!("scim response"));
            }
            Err(error) => {
                span.in_scope(|| tracing::debug!(error = %error, "scim transport error"));
            }
        }
        let delay = retry_delay(self.policy, self.may_retry, self.attempt, result.as_ref())
            .filter(|_| self.request.is_some());
        if let Some(delay) = delay {
            return self.retry(delay, result.as_ref().ok());
        }
        Step::Done(match result {
            Ok(response) => check(response, &self.expected, self.check_status, self.decoded),
            Err(source) => Err(self.transport_error(source)),
        })
    }

    /// Logs and counts a retry (out of line: the usual exchange has none).
    #[cold]
    #[inline(never)]
    fn retry(&mut self, delay: Duration, response: Option<&HttpResponse>) -> Step {
        match response {
            Some(response) => tracing::warn!(
                method = %self.method,
                path = %self.path.path(),
                status = response.status().as_u16(),
                ?delay,
                "retrying"
            ),
            None => {
                tracing::warn!(method = %self.method, path = %self.path.path(), ?delay, "retrying");
            }
        }
        self.attempt += 1;
        Step::Retry(delay)
    }

    #[cold]
    #[inline(never)]
    fn transport_error(&self, source: BoxError) -> Error {
        Error::Transport {
            method: self.method.clone(),
            path: self.path.path().to_owned(),
            source,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pagination: which page to ask for next, for `blocking::Pages` (and, to share it, the async
// `Pages`).

enum NextPage {
    Index(u64),
    Cursor(String),
    Done,
}

/// The pagination state of a query: index-based (RFC 7644 section 3.4.2.4) or cursor-based
/// (RFC 9865). The next page starts after the resources actually received, so a server that
/// caps the page size or misreports `itemsPerPage` is paged correctly; paging ends on an empty
/// page, when `totalResults` is reached, or (cursors) when there is no new `nextCursor`.
pub(crate) struct Paging {
    params: SearchRequest,
    next: NextPage,
    pages: usize,
    /// Cursors already followed: a server that cycles through them is stopped.
    cursors: std::collections::HashSet<String>,
    /// A fingerprint of the last page, to stop a server that answers the same page again.
    last_page: Option<u64>,
    /// The ids of the last page, to stop a server whose pages overlap (one page in memory).
    last_ids: std::collections::HashSet<String>,
}

impl Paging {
    /// Paging for `params`: cursors when `params` sets one, or when the request names no
    /// `startIndex` and the server's configuration prefers cursors (RFC 9865 `pagination`);
    /// indexes otherwise.
    pub(crate) fn new(params: SearchRequest, config: Option<&ServiceProviderConfig>) -> Self {
        let next = match &params.cursor {
            Some(c) => NextPage::Cursor(c.clone()),
            None if params.start_index.is_none() && prefers_cursor(config) => {
                NextPage::Cursor(String::new())
            }
            None => NextPage::Index(params.start_index.unwrap_or(1).max(1)),
        };
        Self {
            params,
            next,
            pages: 0,
            cursors: std::collections::HashSet::new(),
            last_page: None,
            last_ids: std::collections::HashSet::new(),
        }
    }

    /// The parameters of the next page, or `None` when paging is over.
    ///
    /// # Errors
    ///
    /// [`Error::UnexpectedStatus`] past [`super::MAX_PAGES`] pages (a server that never ends).
    pub(crate) fn next_request(&mut self) -> Result<Option<SearchRequest>, Error> {
        let mut params = self.params.clone();
        match &self.next {
            NextPage::Done => return Ok(None),
            NextPage::Index(i) => params.start_index = Some(*i),
            NextPage::Cursor(c) => params.cursor = Some(c.clone()),
        }
        self.pages += 1;
        if self.pages > super::MAX_PAGES {
            self.next = NextPage::Done;
            return Err(Error::UnexpectedStatus {
                status: 200,
                body: format!("pagination did not end after {} pages", super::MAX_PAGES),
            });
        }
        Ok(Some(params))
    }

    /// Records a page received.
    ///
    /// # Errors
    ///
    /// [`Error::UnexpectedStatus`] when the server does not page: it answers another
    /// `startIndex` than the one asked for, repeats the previous page, or cycles through
    /// cursors. The stream ends with that error instead of yielding duplicates forever.
    pub(crate) fn advance<R: ResourceKind>(&mut self, page: &ListResponse<R>) -> Result<(), Error> {
        let received = page.resources.len() as u64;
        let stuck = |what: String| {
            Err(Error::UnexpectedStatus {
                status: 200,
                body: format!("pagination stopped: {what}"),
            })
        };
        if received > 0 {
            let fingerprint = fingerprint(page);
            if self.last_page == Some(fingerprint) {
                self.next = NextPage::Done;
                return stuck("the server answered the same page twice".to_owned());
            }
            self.last_page = Some(fingerprint);
            let ids: std::collections::HashSet<String> = page
                .resources
                .iter()
                .filter_map(|r| r.__id().map(str::to_owned))
                .collect();
            if let Some(again) = ids.iter().find(|id| self.last_ids.contains(*id)) {
                self.next = NextPage::Done;
                return stuck(format!(
                    "the resource `{again}` came back on the next page (overlapping pages)"
                ));
            }
            self.last_ids = ids;
        }
        self.next = match std::mem::replace(&mut self.next, NextPage::Done) {
            NextPage::Cursor(_) => match page.next_cursor.clone() {
                Some(c) if !c.is_empty() && received > 0 => {
                    if !self.cursors.insert(c.clone()) {
                        return stuck(format!("the cursor `{c}` came back"));
                    }
                    NextPage::Cursor(c)
                }
                _ => NextPage::Done,
            },
            NextPage::Index(i) => {
                // A server that goes back to an earlier index is not paging (a first page that
                // answers another index is tolerated: some servers count from 0).
                if let Some(answered) = page
                    .start_index
                    .filter(|&s| self.pages > 1 && s < i && received > 0)
                {
                    return stuck(format!(
                        "the server ignored startIndex={i} (answered {answered})"
                    ));
                }
                let reached_total = page
                    .total_results
                    .is_some_and(|t| i.saturating_sub(1) + received >= t);
                if received == 0 || reached_total {
                    NextPage::Done
                } else {
                    NextPage::Index(i + received)
                }
            }
            NextPage::Done => NextPage::Done,
        };
        Ok(())
    }
}

/// Whether a server's configuration asks for cursor pagination (RFC 9865 section 4:
/// `pagination.cursor` true and either index pagination unsupported or
/// `defaultPaginationMethod` `cursor`). RFC 7643 servers do not describe `pagination`: indexes.
pub(crate) fn prefers_cursor(config: Option<&ServiceProviderConfig>) -> bool {
    let Some(p) = config
        .and_then(|c| crate::value::get_ci(&c.unknown, "pagination"))
        .and_then(serde_json::Value::as_object)
    else {
        return false;
    };
    let flag = |k: &str| crate::value::get_ci(p, k).and_then(serde_json::Value::as_bool);
    let default_cursor = crate::value::get_ci(p, "defaultPaginationMethod")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("cursor"));
    flag("cursor") == Some(true) && (flag("index") == Some(false) || default_cursor)
}

/// A hash of a page's resources, to notice a server that answers the same page again.
fn fingerprint<R: serde::Serialize>(page: &ListResponse<R>) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for r in [page.resources.first(), page.resources.last()]
        .into_iter()
        .flatten()
    {
        serde_json::to_vec(r).unwrap_or_default().hash(&mut h);
    }
    page.resources.len().hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{BodyTooLarge, BoxError, HttpResponse, RetryPolicy, retry_delay};

    fn response(status: u16, retry_after: Option<&str>) -> HttpResponse {
        let mut b = http::Response::builder().status(status);
        if let Some(v) = retry_after {
            b = b.header(http::header::RETRY_AFTER, v);
        }
        b.body(bytes::Bytes::new()).expect("response")
    }

    #[test]
    fn retry_decisions() {
        let policy = RetryPolicy::default().base_delay(Duration::from_millis(100));
        let decide = |may_retry, attempt, status, retry_after| {
            retry_delay(
                &policy,
                may_retry,
                attempt,
                Ok(&response(status, retry_after)),
            )
        };
        // Retryable statuses, with exponential backoff.
        assert_eq!(decide(true, 0, 503, None), Some(Duration::from_millis(100)));
        assert_eq!(decide(true, 2, 429, None), Some(Duration::from_millis(400)));
        assert_eq!(decide(true, 0, 502, None), Some(Duration::from_millis(100)));
        // Retry-After wins, capped by max_delay.
        assert_eq!(decide(true, 0, 503, Some("0")), Some(Duration::ZERO));
        assert_eq!(decide(true, 0, 503, Some("86400")), Some(policy.max_delay));
        // Final answers.
        assert_eq!(decide(true, 0, 200, None), None);
        assert_eq!(decide(true, 0, 404, None), None);
        assert_eq!(decide(true, 0, 500, None), None);
        assert_eq!(decide(false, 0, 503, None), None, "not idempotent");
        assert_eq!(decide(true, 3, 503, None), None, "out of retries");

        let reset: BoxError = "connection reset".into();
        assert_eq!(
            retry_delay(&policy, true, 1, Err(&reset)),
            Some(Duration::from_millis(200))
        );
        let too_large: BoxError = Box::new(BodyTooLarge { limit: 1 });
        assert_eq!(retry_delay(&policy, true, 0, Err(&too_large)), None);
        assert_eq!(
            retry_delay(&RetryPolicy::none(), true, 0, Err(&reset)),
            None
        );
    }
}
