//! The authenticated subject's own resource, `/Me` (RFC 7644 section 3.11).
//!
//! `/Me` stands for the resource of whoever the credentials belong to. It takes no id and
//! cannot be searched; the server decides which resource type it is, so the handle is typed by
//! the caller (a resource type, or a `#[derive(ScimDispatch)]` enum is not needed: pick the type
//! your server serves there, usually `User`).
//!
//! ```no_run
//! use scim_client::Client;
//! use scim_client::model::User;
//!
//! # async fn run() -> Result<(), scim_client::Error> {
//! let scim = Client::builder("https://idp.example/scim/v2").bearer_token("t").build()?;
//! let me: User = scim.me::<User>().get().await?;
//! println!("signed in as {:?}", me.user_name);
//! # Ok(()) }
//! ```

use std::fmt;
use std::marker::PhantomData;

use super::core::{self, RequestOptions};
use super::{Client, Conditional};
use crate::codec::Context;
use crate::error::Error;
use crate::protocol::{PatchOp, SearchRequest};
use crate::resource::Resource;
use crate::transport::Transport;

/// A handle on `/Me`, from [`Client::me`].
pub struct Me<R, T> {
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

impl<T: Transport> Client<T> {
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

impl<R: Resource, T: Transport> Me<R, T> {
    /// The same handle with other per-call switches.
    #[must_use]
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    async fn run(&self, op: Result<core::Op, Error>) -> Result<core::Checked, Error> {
        self.client.run(op?, &self.options).await
    }

    /// `GET /Me`.
    ///
    /// # Errors
    ///
    /// [`Error::Scim`] (501 from a server without `/Me`), or any error of the response
    /// pipeline.
    pub async fn get(&self) -> Result<R, Error> {
        self.get_with(&SearchRequest::new()).await
    }

    /// `GET /Me?attributes=...&excludedAttributes=...`.
    ///
    /// # Errors
    ///
    /// As [`Me::get`].
    pub async fn get_with(&self, params: &SearchRequest) -> Result<R, Error> {
        let checked = self.run(Ok(core::me_get_op(params))).await?;
        core::decode_resource(&checked, Context::QueryResponse, &self.options)
    }

    /// `POST /Me`: creates the subject's resource (self-registration).
    ///
    /// # Errors
    ///
    /// [`Error::RequestValidation`] (nothing sent), or any error of the response pipeline.
    pub async fn create(&self, resource: &R) -> Result<R, Error> {
        let checked = self
            .run(core::me_create_op(resource, &self.options))
            .await?;
        core::decode_resource(&checked, Context::CreateResponse, &self.options)
    }

    /// `PUT /Me`, with `If-Match` from the resource's `meta.version`.
    ///
    /// # Errors
    ///
    /// 412 when the resource changed meanwhile; any error of the response pipeline.
    pub async fn replace(&self, resource: &R) -> Result<R, Error> {
        let etag = self.client.inner.etag_supported();
        let checked = self
            .run(core::me_replace_op(resource, &self.options, etag))
            .await?;
        core::decode_resource(&checked, Context::ReplaceResponse, &self.options)
    }

    /// `PATCH /Me`, with `If-Match` when a version is given. `None` on 204.
    ///
    /// # Errors
    ///
    /// As [`super::Api::patch`].
    pub async fn patch(&self, version: Option<&str>, patch: &PatchOp) -> Result<Option<R>, Error> {
        let checked = self
            .run(core::me_patch_op(version, patch, &self.options))
            .await?;
        core::decode_patched(&(), &checked, &self.options)
    }

    /// `DELETE /Me`, with `If-Match` when a version is given.
    ///
    /// # Errors
    ///
    /// Any error of the response pipeline.
    pub async fn delete(&self, version: Option<&str>) -> Result<(), Error> {
        self.run(core::me_delete_op(version)).await.map(|_| ())
    }

    /// Re-reads `/Me` with `If-None-Match: <meta.version>` of `resource`.
    ///
    /// # Errors
    ///
    /// As [`Me::get`].
    pub async fn refresh(&self, resource: &R) -> Result<Conditional<R>, Error> {
        let mut op = core::me_get_op(&SearchRequest::new());
        if let Some(v) = resource.meta().and_then(|m| m.version.as_deref()) {
            op.extra.insert(
                http::header::IF_NONE_MATCH,
                http::HeaderValue::try_from(v)
                    .map_err(|_| Error::InvalidRequest(format!("invalid version `{v}`")))?,
            );
            op.expected = &[200, 304];
        }
        let checked = self.run(Ok(op)).await?;
        core::decode_conditional(&(), &checked, &self.options)
    }
}
