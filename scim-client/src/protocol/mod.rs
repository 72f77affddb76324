//! RFC 7644 protocol messages: list responses, search requests, PATCH, bulk, errors.
//!
//! Every message is read with case-insensitive keys (RFC 7643 section 2.1: `operations` for
//! `Operations`, `SCIMTYPE` for `scimType`), a key given twice (in any case) is an error, and
//! keys a message does not define are ignored. Messages are written in the RFC's spelling,
//! with `schemas` naming the message URN.
//!
//! ```
//! use scim_client::protocol::{PatchOp, ScimError, SearchRequest};
//!
//! let search = SearchRequest::new().filter(r#"userName eq "bjensen""#).count(10);
//! let patch = PatchOp::new().replace("active", false);
//! let error: ScimError = serde_json::from_str(
//!     r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "404"}"#,
//! )?;
//! assert_eq!(error.status, 404);
//! # let _ = (search, patch);
//! # Ok::<(), serde_json::Error>(())
//! ```

mod bulk;
mod de;
mod error;
mod list;
mod patch;
mod search;
#[cfg(test)]
mod tests;

pub use bulk::{BulkMethod, BulkOperation, BulkOperationResponse, BulkRequest, BulkResponse};
pub use error::{ScimError, ScimType};
pub use list::ListResponse;
pub use patch::{PatchOp, PatchOpKind, PatchOperation};
pub use search::{SearchRequest, SortOrder};
