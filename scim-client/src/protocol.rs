//! RFC 7644 protocol messages.
