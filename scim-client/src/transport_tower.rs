//! A transport over any `tower::Service`: an axum `Router`, a hyper service, a
//! `tower::ServiceBuilder` stack... Requests go to the service in-process, with no socket, so a
//! SCIM server application can be tested end to end by the real client.

use std::fmt;

use bytes::Bytes;
use http_body::Body;
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use tower::{Service, ServiceExt as _};

use super::{BodyTooLarge, BoxError, HttpRequest, HttpResponse, Transport};

/// Sends requests to a `tower::Service<http::Request<Full<Bytes>>>` in-process.
///
/// The service is cloned for every request (axum's `Router` and most hyper services are cheap
/// to clone) and driven with `ready().await` before the call. The response body, any
/// [`http_body::Body`], is collected up to the client's limit: a larger body is a
/// [`BodyTooLarge`] error, never an allocation.
///
/// The request URI is the absolute URL the client builds from its base URL, so the base URL's
/// host is never resolved; only its path matters to a router.
///
/// ```
/// use std::convert::Infallible;
///
/// use bytes::Bytes;
/// use http_body_util::Full;
/// use scim_client::Client;
/// use scim_client::model::User;
/// use scim_client::transport::TowerTransport;
///
/// // Any `tower::Service` will do; an axum `Router` is the usual one.
/// let app = tower::service_fn(|req: http::Request<Full<Bytes>>| async move {
///     assert_eq!(req.uri().path(), "/scim/v2/Users/2819c223");
///     let body = r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///                    "id": "2819c223", "userName": "bjensen"}"#;
///     Ok::<_, Infallible>(
///         http::Response::builder()
///             .header("content-type", "application/scim+json")
///             .body(Full::new(Bytes::from(body)))
///             .unwrap(),
///     )
/// });
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let scim = Client::builder("http://app.test/scim/v2").build_with(TowerTransport::new(app))?;
/// let user = scim.resource::<User>().get("2819c223").await?;
/// assert_eq!(user.user_name.as_deref(), Some("bjensen"));
/// # Ok::<(), scim_client::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct TowerTransport<S> {
    service: S,
}

impl<S> TowerTransport<S> {
    /// Wraps a service.
    #[must_use]
    pub fn new(service: S) -> Self {
        Self { service }
    }

    /// The wrapped service.
    #[must_use]
    pub fn service(&self) -> &S {
        &self.service
    }

    /// Unwraps the service.
    #[must_use]
    pub fn into_inner(self) -> S {
        self.service
    }
}

impl<S> fmt::Debug for TowerTransport<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerTransport")
            .field("service", &std::any::type_name::<S>())
            .finish()
    }
}

impl<S, B> Transport for TowerTransport<S>
where
    S: Service<http::Request<Full<Bytes>>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Body + Send,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    async fn send(&self, request: HttpRequest, max_body: usize) -> Result<HttpResponse, BoxError> {
        let request = request.map(|body| Full::new(Bytes::from(body)));
        let mut service = self.service.clone();
        let response = service
            .ready()
            .await
            .map_err(Into::into)?
            .call(request)
            .await
            .map_err(Into::into)?;
        let (parts, body) = response.into_parts();
        let too_large = || -> BoxError { Box::new(BodyTooLarge { limit: max_body }) };
        if usize::try_from(body.size_hint().lower()).map_or(true, |n| n > max_body) {
            return Err(too_large());
        }
        let collected = match Limited::new(body, max_body).collect().await {
            Ok(collected) => collected,
            Err(e) if e.is::<LengthLimitError>() => return Err(too_large()),
            Err(e) => return Err(e),
        };
        Ok(http::Response::from_parts(parts, collected.to_bytes()))
    }
}
