//! Interop tests of scim-client against real SCIM servers (see `tests/`).
