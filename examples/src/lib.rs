//! Examples for scim-client; see the `examples` targets.
