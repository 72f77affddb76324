//! RFC 7644 protocol messages: list responses, search requests, PATCH, bulk, errors.

mod list;

pub use list::ListResponse;
