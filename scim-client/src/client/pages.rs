//! Pagination as a `Stream`: index-based (RFC 7644 section 3.4.2.4) or cursor-based
//! (RFC 9865), one page in memory at a time.

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_core::Stream;
use futures_util::stream::{self, StreamExt as _, TryStreamExt as _};

use super::Api;
use super::core::Paging;
use crate::error::Error;
use crate::protocol::SearchRequest;
use crate::resource::ResourceKind;
use crate::transport::Transport;

/// The most pages a stream fetches before it decides the server never ends (a guard against
/// servers that ignore `startIndex` or repeat a cursor).
pub const MAX_PAGES: usize = 100_000;

/// Every resource of a query, page by page. Created by [`Api::stream`].
///
/// The next page starts after the resources actually received, so a server that caps the
/// page size or misreports `itemsPerPage` is paged correctly; the stream ends on an empty page,
/// when `totalResults` is reached, or (cursors) when there is no `nextCursor`.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<R, T> {
    inner: Pin<Box<dyn Stream<Item = Result<R, Error>> + Send>>,
    _types: std::marker::PhantomData<fn() -> (R, T)>,
}

impl<R: ResourceKind, T: Transport> Pages<R, T> {
    pub(crate) fn new(api: Api<R, T>, params: SearchRequest) -> Self {
        let paging = Paging::new(params, api.client.known_config().as_deref());
        let pages = stream::try_unfold((api, paging), |(api, mut paging)| async move {
            let Some(params) = paging.next_request()? else {
                return Ok::<_, Error>(None);
            };
            let page = api.list(&params).await?;
            paging.advance(&page)?;
            Ok(Some((page.resources, (api, paging))))
        });
        let items = pages
            .map_ok(|batch| stream::iter(batch.into_iter().map(Ok)))
            .try_flatten();
        Self {
            inner: items.boxed(),
            _types: std::marker::PhantomData,
        }
    }
}

impl<R, T> Stream for Pages<R, T> {
    type Item = Result<R, Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
