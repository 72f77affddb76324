//! Pagination as a `Stream`: index-based (RFC 7644 section 3.4.2.4) or cursor-based
//! (RFC 9865), one page in memory at a time.

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_core::Stream;
use futures_util::stream::{self, StreamExt as _, TryStreamExt as _};

use super::Api;
use crate::error::Error;
use crate::protocol::SearchRequest;
use crate::resource::Resource;
use crate::transport::Transport;

/// The most pages a stream fetches before it decides the server never ends (a guard against
/// servers that ignore `startIndex` or repeat a cursor).
pub const MAX_PAGES: usize = 100_000;

enum Next {
    Index(u64),
    Cursor(String),
    Done,
}

struct State<R, T> {
    api: Api<R, T>,
    params: SearchRequest,
    next: Next,
    pages: usize,
    seen: u64,
    last_cursor: Option<String>,
}

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

impl<R: Resource, T: Transport> Pages<R, T> {
    pub(crate) fn new(api: Api<R, T>, params: SearchRequest) -> Self {
        let next = match &params.cursor {
            Some(c) => Next::Cursor(c.clone()),
            None => Next::Index(params.start_index.unwrap_or(1).max(1)),
        };
        let state = State {
            api,
            params,
            next,
            pages: 0,
            seen: 0,
            last_cursor: None,
        };
        let pages = stream::try_unfold(state, |mut st| async move {
            let mut params = st.params.clone();
            match &st.next {
                Next::Done => return Ok(None),
                Next::Index(i) => params.start_index = Some(*i),
                Next::Cursor(c) => params.cursor = Some(c.clone()),
            }
            st.pages += 1;
            if st.pages > MAX_PAGES {
                return Err(Error::UnexpectedStatus {
                    status: 200,
                    body: format!("pagination did not end after {MAX_PAGES} pages"),
                });
            }
            let page = st.api.list(&params).await?;
            let received = page.resources.len() as u64;
            st.seen += received;
            st.next = match st.next {
                Next::Cursor(_) => match page.next_cursor.clone() {
                    Some(c)
                        if !c.is_empty() && received > 0 && st.last_cursor.as_ref() != Some(&c) =>
                    {
                        st.last_cursor = Some(c.clone());
                        Next::Cursor(c)
                    }
                    _ => Next::Done,
                },
                Next::Index(i) => {
                    let reached_total = page
                        .total_results
                        .is_some_and(|t| i.saturating_sub(1) + received >= t);
                    if received == 0 || reached_total {
                        Next::Done
                    } else {
                        Next::Index(i + received)
                    }
                }
                Next::Done => Next::Done,
            };
            Ok(Some((page.resources, st)))
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
