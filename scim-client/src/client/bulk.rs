//! Bulk operations (RFC 7644 section 3.7).
