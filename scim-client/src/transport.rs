//! How requests reach a server: the [`Transport`] trait over `http` types, and its
//! implementations (reqwest by default; reqwest's blocking client behind the `blocking`
//! feature; any `tower::Service` behind the `tower` feature).
//!
//! The client core builds an `http::Request<Vec<u8>>` and parses an `http::Response<Vec<u8>>`;
//! a transport only moves bytes. Implement [`Transport`] (or [`BlockingTransport`]) to use any
//! other HTTP stack.

use std::future::Future;

/// A request as the client core builds it.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response as the client core parses it.
pub type HttpResponse = http::Response<Vec<u8>>;
/// The error type transports report.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The default limit on a response body: 32 MiB. A larger body is an error, never an
/// allocation; change it with [`crate::client::ClientBuilder::max_response_bytes`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Sends a request and returns the whole response, asynchronously.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`; reads at most `max_body` bytes of the response body.
    ///
    /// # Errors
    ///
    /// A connection, timeout or protocol failure, or a body larger than `max_body`.
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> impl Future<Output = Result<HttpResponse, BoxError>> + Send;
}

/// Sends a request and returns the whole response, blocking the calling thread.
pub trait BlockingTransport: Send + Sync + 'static {
    /// Sends `request`; reads at most `max_body` bytes of the response body.
    ///
    /// # Errors
    ///
    /// A connection, timeout or protocol failure, or a body larger than `max_body`.
    fn send(&self, request: HttpRequest, max_body: usize) -> Result<HttpResponse, BoxError>;
}

/// A response body went past the configured limit.
#[derive(Debug, thiserror::Error)]
#[error("the response body is larger than the limit of {limit} bytes")]
pub struct BodyTooLarge {
    /// The limit in bytes.
    pub limit: usize,
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::ReqwestTransport;

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use super::{BodyTooLarge, BoxError, HttpRequest, HttpResponse, Transport};

    /// The default transport: a `reqwest::Client` (connection pooling, TLS, timeouts).
    #[derive(Clone, Debug)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    impl ReqwestTransport {
        /// Wraps a configured `reqwest::Client`. Redirects should be disabled on it (the
        /// client's own builder does so) so credentials never follow a redirect to another
        /// host.
        #[must_use]
        pub fn new(client: reqwest::Client) -> Self {
            Self { client }
        }

        /// A transport with the given overall request timeout and redirects disabled.
        ///
        /// # Errors
        ///
        /// reqwest cannot build a client (no TLS backend available).
        pub fn with_timeout(timeout: std::time::Duration) -> Result<Self, BoxError> {
            let client = reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok(Self { client })
        }
    }

    impl Transport for ReqwestTransport {
        async fn send(
            &self,
            request: HttpRequest,
            max_body: usize,
        ) -> Result<HttpResponse, BoxError> {
            // A request without a body (GET, DELETE) goes without one, not with an empty one:
            // hyper then writes the request in one go.
            let (parts, body) = request.into_parts();
            let mut request =
                reqwest::Request::new(parts.method, reqwest::Url::parse(&parts.uri.to_string())?);
            *request.headers_mut() = parts.headers;
            *request.version_mut() = parts.version;
            if !body.is_empty() {
                *request.body_mut() = Some(reqwest::Body::from(body));
            }
            // The URL may carry personal data in its query (a filter on an email address):
            // keep it out of the error.
            let mut response = self
                .client
                .execute(request)
                .await
                .map_err(reqwest::Error::without_url)?;
            if response
                .content_length()
                .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > max_body))
            {
                return Err(Box::new(BodyTooLarge { limit: max_body }));
            }
            let mut builder = http::Response::builder()
                .status(response.status())
                .version(response.version());
            if let Some(headers) = builder.headers_mut() {
                // Moved, not copied.
                *headers = std::mem::take(response.headers_mut());
            }
            // Sized from `Content-Length` (already checked against the limit) when there is
            // one; a body in one chunk is taken over without a copy when it can be.
            let expected = response
                .content_length()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0);
            let mut body: Vec<u8> = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(reqwest::Error::without_url)?
            {
                if body.len() + chunk.len() > max_body {
                    return Err(Box::new(BodyTooLarge { limit: max_body }));
                }
                if body.is_empty() && chunk.len() == expected {
                    body = Vec::from(chunk);
                } else {
                    body.reserve(expected.saturating_sub(body.len()).max(chunk.len()));
                    body.extend_from_slice(&chunk);
                }
            }
            Ok(builder.body(body)?)
        }
    }
}

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub use self::reqwest_blocking_impl::ReqwestBlockingTransport;

#[cfg(feature = "blocking")]
mod reqwest_blocking_impl {
    use std::io::Read as _;

    use super::{BlockingTransport, BodyTooLarge, BoxError, HttpRequest, HttpResponse};

    /// The default transport of `blocking::Client`: a `reqwest::blocking::Client`.
    ///
    /// Like every blocking reqwest client, it must not be created, used or dropped inside an
    /// async runtime.
    #[derive(Clone, Debug)]
    pub struct ReqwestBlockingTransport {
        client: reqwest::blocking::Client,
        /// The whole exchange's deadline, body included (reqwest's blocking timeout bounds
        /// each read, so a server dribbling bytes could otherwise hold a call forever).
        timeout: Option<std::time::Duration>,
    }

    impl ReqwestBlockingTransport {
        /// Wraps a configured `reqwest::blocking::Client`. Redirects should be disabled on it
        /// (the client's own builder does so) so credentials never follow a redirect to
        /// another host.
        #[must_use]
        pub fn new(client: reqwest::blocking::Client) -> Self {
            Self {
                client,
                timeout: None,
            }
        }

        /// A transport with the given overall request timeout and redirects disabled.
        ///
        /// # Errors
        ///
        /// reqwest cannot build a client (no TLS backend available).
        pub fn with_timeout(timeout: std::time::Duration) -> Result<Self, BoxError> {
            let client = reqwest::blocking::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok(Self {
                client,
                timeout: Some(timeout),
            })
        }
    }

    impl BlockingTransport for ReqwestBlockingTransport {
        fn send(&self, request: HttpRequest, max_body: usize) -> Result<HttpResponse, BoxError> {
            let deadline = self.timeout.map(|t| std::time::Instant::now() + t);
            let request =
                reqwest::blocking::Request::try_from(request.map(reqwest::blocking::Body::from))?;
            let response = self
                .client
                .execute(request)
                .map_err(reqwest::Error::without_url)?;
            if response
                .content_length()
                .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > max_body))
            {
                return Err(Box::new(BodyTooLarge { limit: max_body }));
            }
            let mut builder = http::Response::builder()
                .status(response.status())
                .version(response.version());
            if let Some(headers) = builder.headers_mut() {
                headers.extend(
                    response
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
            // Read one byte past the limit, to tell "exactly the limit" from "over it".
            let cap = u64::try_from(max_body)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let mut body = Vec::new();
            let mut reader = response.take(cap);
            let mut chunk = vec![0_u8; 16 * 1024];
            loop {
                let n = reader.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
                if deadline.is_some_and(|d| std::time::Instant::now() > d) {
                    return Err(Box::new(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the response body did not arrive within the timeout",
                    )));
                }
            }
            if body.len() > max_body {
                return Err(Box::new(BodyTooLarge { limit: max_body }));
            }
            Ok(builder.body(body)?)
        }
    }
}

#[cfg(feature = "tower")]
#[path = "transport_tower.rs"]
mod tower_transport;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use self::tower_transport::TowerTransport;
